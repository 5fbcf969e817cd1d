# Views and CTEs unfold into the plan.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

CREATE VIEW hot AS SELECT sensor_id, current_temperature, event_time FROM sensor_data WHERE current_temperature > 100;
----
View `hot` has been created.

SELECT sensor_id FROM hot WHERE sensor_id < 5;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id], where=[($0 < 5)])
+- Calc(select=[$0 AS sensor_id, $1 AS current_temperature, $3 AS event_time], where=[($1 > 100.0)])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($1 > 100.0))
  -> Calc(where=($0 < 5))
  -> Collect(result)

CREATE VIEW hot_counts AS SELECT sensor_id, COUNT(*) AS n FROM hot GROUP BY sensor_id;
----
View `hot_counts` has been created.

SELECT * FROM hot_counts WHERE n > 3;
----
== Optimized Physical Plan ==
Calc(where=[($1 > 3)])
+- GroupAggregate(groupBy=[sensor_id], select=[COUNT(*)])
   +- Calc(select=[$0 AS sensor_id])
      +- Calc(select=[$0 AS sensor_id, $1 AS current_temperature, $3 AS event_time], where=[($1 > 100.0)])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($1 > 100.0))
  -> Calc
  -> GroupAggregate
  -> Filter(($1 > 3))
  -> Collect(result)

WITH errors AS (SELECT * FROM sensor_data WHERE status = 'ERROR'), per_sensor AS (SELECT sensor_id, COUNT(*) AS n FROM errors GROUP BY sensor_id) SELECT * FROM per_sensor;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[sensor_id], select=[COUNT(*)])
+- Calc(select=[$0 AS sensor_id], where=[($2 = 'ERROR')])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($2 = 'ERROR'))
  -> GroupAggregate
  -> Collect(result)

# A CTE read twice.
WITH e AS (SELECT sensor_id FROM sensor_data WHERE status = 'ERROR') SELECT * FROM e UNION ALL SELECT * FROM e;
----
== Optimized Physical Plan ==
Union(all=[true], union=[sensor_id])
+- Calc(select=[$0 AS sensor_id], where=[($2 = 'ERROR')])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
+- Calc(select=[$0 AS sensor_id], where=[($2 = 'ERROR')])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc(where=($2 = 'ERROR'))
  -> Calc(where=($2 = 'ERROR'))
  -> Union
  -> Collect(result)

SHOW VIEWS;
----
view name
hot
hot_counts

DROP VIEW hot_counts;
----
View `hot_counts` has been dropped.

SELECT * FROM hot_counts;
----
error: 1:15: table `hot_counts` not found
  hint: the tables are: sensor_data, hot
