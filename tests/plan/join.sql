# Joins of each kind: regular (inner, outer), interval, window, with VALUES, IN/NOT IN subqueries.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

CREATE VIEW sensors AS SELECT * FROM (VALUES (1, 'boiler'), (2, 'pump'), (11, 'spare')) AS t(id, name);
----
View `sensors` has been created.

SELECT s.name, d.current_temperature FROM sensor_data d JOIN sensors s ON d.sensor_id = s.id;
----
== Optimized Physical Plan ==
Calc(select=[$5 AS name, $1 AS current_temperature])
+- Join(joinType=[InnerJoin], where=[=(sensor_id, id)], select=[sensor_id, current_temperature, status, event_time, id, name])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Values(tuples=[[{ 1, boiler }, { 2, pump }, { 11, spare }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Join(InnerJoin)
  -> Calc
  -> Collect(result)

SELECT s.name, d.current_temperature FROM sensor_data d LEFT JOIN sensors s ON d.sensor_id = s.id;
----
== Optimized Physical Plan ==
Calc(select=[$5 AS name, $1 AS current_temperature])
+- Join(joinType=[LeftOuterJoin], where=[=(sensor_id, id)], select=[sensor_id, current_temperature, status, event_time, id, name])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Values(tuples=[[{ 1, boiler }, { 2, pump }, { 11, spare }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Join(LeftOuterJoin)
  -> Calc
  -> Collect(result)

SELECT s.name, d.current_temperature FROM sensor_data d RIGHT JOIN sensors s ON d.sensor_id = s.id AND d.status = 'OK';
----
== Optimized Physical Plan ==
Calc(select=[$5 AS name, $1 AS current_temperature])
+- Join(joinType=[RightOuterJoin], where=[=(sensor_id, id), ($2 = 'OK')], select=[sensor_id, current_temperature, status, event_time, id, name])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Values(tuples=[[{ 1, boiler }, { 2, pump }, { 11, spare }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Join(RightOuterJoin)
  -> Calc
  -> Collect(result)

SELECT a.status, a.n, b.n AS m FROM (SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status) a
FULL JOIN (SELECT status, COUNT(*) AS n FROM sensor_data WHERE sensor_id > 5 GROUP BY status) b ON a.status = b.status;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS status, $1 AS n, $3 AS m])
+- Join(joinType=[FullOuterJoin], where=[=(status, status)], select=[status, n, status, n])
   +- GroupAggregate(groupBy=[status], select=[COUNT(*)])
      +- Calc(select=[$2 AS status])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- GroupAggregate(groupBy=[status], select=[COUNT(*)])
      +- Calc(select=[$2 AS status], where=[($0 > 5)])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Calc(where=($0 > 5))
  -> GroupAggregate
  -> Join(FullOuterJoin)
  -> Calc
  -> Collect(result)

# An interval join.
SELECT a.sensor_id, a.event_time, b.event_time AS later FROM sensor_data a, sensor_data b
WHERE a.sensor_id = b.sensor_id AND b.event_time BETWEEN a.event_time + INTERVAL '1' SECOND AND a.event_time + INTERVAL '10' SECOND;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $3 AS event_time, $7 AS later])
+- IntervalJoin(joinType=[InnerJoin], windowBounds=[isRowTime=true, leftLowerBound=-10000, leftUpperBound=-1000, leftTimeIndex=3, rightTimeIndex=3], where=[=(sensor_id, sensor_id)], select=[sensor_id, current_temperature, status, event_time, sensor_id, current_temperature, status, event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> IntervalJoin(InnerJoin)
  -> Calc
  -> Collect(result)

SELECT a.sensor_id, b.event_time FROM sensor_data a LEFT JOIN sensor_data b
ON a.sensor_id = b.sensor_id AND b.status = 'OK' AND b.event_time > a.event_time AND b.event_time <= a.event_time + INTERVAL '30' SECOND
WHERE a.status = 'ERROR';
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $7 AS event_time], where=[($2 = 'ERROR')])
+- IntervalJoin(joinType=[LeftOuterJoin], windowBounds=[isRowTime=true, leftLowerBound=-30000, leftUpperBound=-1, leftTimeIndex=3, rightTimeIndex=3], where=[=(sensor_id, sensor_id), ($6 = 'OK')], select=[sensor_id, current_temperature, status, event_time, sensor_id, current_temperature, status, event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> IntervalJoin(LeftOuterJoin)
  -> Calc(where=($2 = 'ERROR'))
  -> Collect(result)

# A window join.
SELECT l.window_start, l.sensor_id, l.n, r.n AS m
FROM (SELECT window_start, window_end, sensor_id, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, sensor_id) l
JOIN (SELECT window_start, window_end, sensor_id, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) WHERE status = 'ERROR' GROUP BY window_start, window_end, sensor_id) r
ON l.window_start = r.window_start AND l.window_end = r.window_end AND l.sensor_id = r.sensor_id;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS window_start, $2 AS sensor_id, $3 AS n, $7 AS m])
+- WindowJoin(joinType=[InnerJoin], where=[=(sensor_id, sensor_id)], select=[window_start, window_end, sensor_id, n, window_start, window_end, sensor_id, n])
   +- Calc(select=[$2 AS window_start, $3 AS window_end, $0 AS sensor_id, $1 AS n])
      +- WindowAggregate(groupBy=[sensor_id], window=[TUMBLE(size=[1 min]) on event_time], select=[COUNT(*)])
         +- Calc(select=[$0 AS sensor_id, $3 AS event_time])
            +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Calc(select=[$2 AS window_start, $3 AS window_end, $0 AS sensor_id, $1 AS n])
      +- WindowAggregate(groupBy=[sensor_id], window=[TUMBLE(size=[1 min]) on event_time], select=[COUNT(*)])
         +- Calc(select=[$0 AS sensor_id, $3 AS event_time], where=[($2 = 'ERROR')])
            +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> Calc(where=($2 = 'ERROR'))
  -> WindowAggregate
  -> Calc
  -> WindowJoin(InnerJoin)
  -> Calc
  -> Collect(result)

# IN and NOT IN subqueries: semi- and anti-joins.
SELECT sensor_id, status FROM sensor_data WHERE sensor_id IN (SELECT id FROM sensors);
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $2 AS status])
+- Join(joinType=[LeftSemiJoin], where=[=(sensor_id, id)], select=[sensor_id, current_temperature, status, event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Calc(select=[$0 AS id])
      +- Values(tuples=[[{ 1, boiler }, { 2, pump }, { 11, spare }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Calc
  -> Join(LeftSemiJoin)
  -> Calc
  -> Collect(result)

SELECT sensor_id, status FROM sensor_data WHERE sensor_id NOT IN (SELECT id FROM sensors);
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $2 AS status])
+- Join(joinType=[LeftAntiJoin], where=[(($0 = $4) OR $0 IS NULL)], select=[sensor_id, current_temperature, status, event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Calc(select=[$0 AS id])
      +- Values(tuples=[[{ 1, boiler }, { 2, pump }, { 11, spare }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Calc
  -> Join(LeftAntiJoin)
  -> Calc
  -> Collect(result)

SELECT sensor_id FROM sensor_data d WHERE EXISTS (SELECT 1 FROM sensors s WHERE s.id = d.sensor_id);
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id])
+- Join(joinType=[LeftSemiJoin], where=[=(sensor_id, id)], select=[sensor_id, current_temperature, status, event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Values(tuples=[[{ 1, boiler }, { 2, pump }, { 11, spare }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Join(LeftSemiJoin)
  -> Calc
  -> Collect(result)
