# Projections, filters and scalar expressions over one table.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

SELECT * FROM sensor_data;
----
== Optimized Physical Plan ==
TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Collect(result)

SELECT sensor_id, current_temperature * 1.8 + 32 AS fahrenheit FROM sensor_data WHERE status = 'ERROR' AND current_temperature > 100;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, (($1 * 1.8) + 32.0) AS fahrenheit], where=[(($2 = 'ERROR') AND ($1 > 100.0))])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=(($2 = 'ERROR') AND ($1 > 100.0)))
  -> Collect(result)

SELECT sensor_id FROM sensor_data WHERE status IN ('ERROR', 'WARNING') OR sensor_id BETWEEN 1 AND 3;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id], where=[($2 IN ('ERROR', 'WARNING') OR (($0 >= 1) AND ($0 <= 3)))])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($2 IN ('ERROR', 'WARNING') OR (($0 >= 1) AND ($0 <= 3))))
  -> Collect(result)

SELECT CASE WHEN current_temperature > 100 THEN 'hot' ELSE 'ok' END AS level, CAST(sensor_id AS BIGINT) AS id FROM sensor_data;
----
== Optimized Physical Plan ==
Calc(select=[CASE WHEN ($1 > 100.0) THEN 'hot' ELSE 'ok' END AS level, CAST($0 AS BIGINT) AS id])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> Collect(result)

SELECT UPPER(status) AS s, CHAR_LENGTH(status) AS n, COALESCE(status, 'none') AS c FROM sensor_data WHERE status LIKE 'W%';
----
== Optimized Physical Plan ==
Calc(select=[UPPER($2) AS s, CHAR_LENGTH($2) AS n, COALESCE($2, 'none') AS c], where=[$2 LIKE 'W%'])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=$2 LIKE 'W%')
  -> Collect(result)

# A filter over a projection over a filter.
SELECT id FROM (SELECT sensor_id AS id, status FROM sensor_data WHERE sensor_id > 2) WHERE status <> 'OK';
----
== Optimized Physical Plan ==
Calc(select=[$0 AS id], where=[($1 <> 'OK')])
+- Calc(select=[$0 AS id, $2 AS status], where=[($0 > 2)])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($0 > 2))
  -> Calc(where=($1 <> 'OK'))
  -> Collect(result)

# VALUES as a table.
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name);
----
== Optimized Physical Plan ==
Values(tuples=[[{ 1, a }, { 2, b }]])
.
== Physical Execution Plan ==
Source: Values
  -> Collect(result)

VALUES (1, 2.5), (2, 3.5);
----
== Optimized Physical Plan ==
Values(tuples=[[{ 1, 2.5 }, { 2, 3.5 }]])
.
== Physical Execution Plan ==
Source: Values
  -> Collect(result)
