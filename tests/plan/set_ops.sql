# UNION, UNION ALL, INTERSECT and EXCEPT.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

SELECT sensor_id, status FROM sensor_data WHERE status = 'OK' UNION ALL SELECT sensor_id, status FROM sensor_data WHERE status = 'ERROR';
----
== Optimized Physical Plan ==
Union(all=[true], union=[sensor_id, status])
+- Calc(select=[$0 AS sensor_id, $2 AS status], where=[($2 = 'OK')])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
+- Calc(select=[$0 AS sensor_id, $2 AS status], where=[($2 = 'ERROR')])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($2 = 'OK'))
  -> Calc(where=($2 = 'ERROR'))
  -> Union
  -> Collect(result)

SELECT status FROM sensor_data WHERE sensor_id < 3 UNION SELECT status FROM sensor_data WHERE sensor_id > 7;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[status], select=[])
+- Union(all=[true], union=[status])
   +- Calc(select=[$2 AS status], where=[($0 < 3)])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
   +- Calc(select=[$2 AS status], where=[($0 > 7)])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($0 < 3))
  -> Calc(where=($0 > 7))
  -> Union
  -> GroupAggregate
  -> Collect(result)

SELECT sensor_id FROM sensor_data WHERE status = 'ERROR' INTERSECT SELECT sensor_id FROM sensor_data WHERE status = 'WARNING';
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id], where=[(($1 > 0) AND ($2 > 0))])
+- GroupAggregate(groupBy=[sensor_id], select=[SUM($left), SUM($right)])
   +- Union(all=[true], union=[sensor_id, $left, $right])
      +- Calc(select=[$0 AS sensor_id, 1 AS $left, 0 AS $right])
         +- Calc(select=[$0 AS sensor_id], where=[($2 = 'ERROR')])
            +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
      +- Calc(select=[$0 AS sensor_id, 0 AS $left, 1 AS $right])
         +- Calc(select=[$0 AS sensor_id], where=[($2 = 'WARNING')])
            +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($2 = 'ERROR'))
  -> Calc
  -> Calc(where=($2 = 'WARNING'))
  -> Calc
  -> Union
  -> GroupAggregate
  -> Calc(where=(($1 > 0) AND ($2 > 0)))
  -> Collect(result)

SELECT sensor_id FROM sensor_data EXCEPT SELECT sensor_id FROM sensor_data WHERE status = 'ERROR';
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id], where=[(($1 > 0) AND ($2 = 0))])
+- GroupAggregate(groupBy=[sensor_id], select=[SUM($left), SUM($right)])
   +- Union(all=[true], union=[sensor_id, $left, $right])
      +- Calc(select=[$0 AS sensor_id, 1 AS $left, 0 AS $right])
         +- Calc(select=[$0 AS sensor_id])
            +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
      +- Calc(select=[$0 AS sensor_id, 0 AS $left, 1 AS $right])
         +- Calc(select=[$0 AS sensor_id], where=[($2 = 'ERROR')])
            +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> Calc
  -> Calc(where=($2 = 'ERROR'))
  -> Calc
  -> Union
  -> GroupAggregate
  -> Calc(where=(($1 > 0) AND ($2 = 0)))
  -> Collect(result)

# A stream and a VALUES table.
SELECT sensor_id, status FROM sensor_data UNION ALL VALUES (99, 'TEST');
----
== Optimized Physical Plan ==
Union(all=[true], union=[sensor_id, status])
+- Calc(select=[$0 AS sensor_id, $2 AS status])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
+- Calc(select=[$0 AS EXPR$0, CAST($1 AS VARCHAR(6) NOT NULL) AS EXPR$1])
   +- Values(tuples=[[{ 99, TEST }]])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(sensor_data.event_time: event_time - INTERVAL '5' SECOND)
Source: Values
  -> Calc
  -> Calc
  -> Union
  -> Collect(result)

# Column counts must agree.
SELECT sensor_id, status FROM sensor_data UNION ALL SELECT sensor_id FROM sensor_data;
----
error: 1:1: UNION needs the same number of columns on both sides, but the left has 2 and the right 1
