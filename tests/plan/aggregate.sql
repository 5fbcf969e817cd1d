# Group aggregates: an updating result, DISTINCT, HAVING.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_t FROM sensor_data GROUP BY status;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[status], select=[COUNT(*), AVG($f1)])
+- Calc(select=[$2 AS status, $1 AS $f1])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Collect(result)

SELECT status, COUNT(DISTINCT sensor_id) AS sensors, MAX(current_temperature) AS hottest FROM sensor_data GROUP BY status;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[status], select=[COUNT(DISTINCT $f1), MAX($f2)])
+- Calc(select=[$2 AS status, $0 AS $f1, $1 AS $f2])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Collect(result)

SELECT sensor_id, AVG(sensor_id) AS a FROM sensor_data GROUP BY sensor_id HAVING COUNT(*) > 10;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $1 AS a], where=[($2 > 10)])
+- GroupAggregate(groupBy=[sensor_id], select=[AVG(sensor_id), COUNT(*)])
   +- Calc(select=[$0 AS sensor_id])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Calc(where=($2 > 10))
  -> Collect(result)

SELECT DISTINCT status FROM sensor_data;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[status], select=[])
+- Calc(select=[$2 AS status])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Collect(result)

# A global aggregate: no key.
SELECT COUNT(*) AS n, SUM(current_temperature) AS total FROM sensor_data;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[], select=[COUNT(*), SUM($f0)])
+- Calc(select=[$1 AS $f0])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Collect(result)

# An aggregate over an aggregate.
SELECT num, COUNT(*) AS statuses FROM (SELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status) GROUP BY num;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[num], select=[COUNT(*)])
+- Calc(select=[$1 AS num])
   +- GroupAggregate(groupBy=[status], select=[COUNT(*)])
      +- Calc(select=[$2 AS status])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Calc
  -> GroupAggregate
  -> Collect(result)

# GROUPING SETS, ROLLUP and CUBE: one aggregate over Flink's Expand, keyed by the expand id $e.
SELECT status, sensor_id / 25 AS band, COUNT(*) AS n, GROUPING_ID(status, sensor_id / 25) AS gid
FROM sensor_data GROUP BY GROUPING SETS ((status), (sensor_id / 25), ());
----
== Optimized Physical Plan ==
Calc(select=[$0 AS status, $1 AS band, $3 AS n, CASE WHEN ($2 = 1) THEN 1 WHEN ($2 = 2) THEN 2 ELSE 3 END AS gid])
+- GroupAggregate(groupBy=[status, $k1, $e], select=[COUNT(*)])
   +- Expand(projects=[{$0 AS status, NULL AS $k1, 1 AS $e}, {NULL AS status, $1 AS $k1, 2 AS $e}, {NULL AS status, NULL AS $k1, 3 AS $e}])
      +- Calc(select=[$2 AS status, ($0 / 25) AS $k1])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> Expand
  -> GroupAggregate
  -> Calc
  -> Collect(result)

# A grouping set listed twice: each copy has an expand id of its own (the copy number above the
# key bits), and GROUP_ID() is a CASE over $e, so the one aggregate keeps the copies apart.
SELECT status, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY GROUPING SETS ((status), (status));
----
== Optimized Physical Plan ==
Calc(select=[$0 AS status, $2 AS n, CASE WHEN ($1 = 0) THEN 0 ELSE 1 END AS g])
+- GroupAggregate(groupBy=[status, $e], select=[COUNT(*)])
   +- Expand(projects=[{$0 AS status, 0 AS $e}, {$0 AS status, 2 AS $e}])
      +- Calc(select=[$2 AS status])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> Expand
  -> GroupAggregate
  -> Calc
  -> Collect(result)

# An aggregate's FILTER (WHERE …) is an `IS TRUE` column below the aggregate.
SELECT status, COUNT(*) FILTER (WHERE current_temperature > 100) AS hot FROM sensor_data GROUP BY status;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[status], select=[COUNT(*) FILTER $f1])
+- Calc(select=[$2 AS status, ($1 > 100.0) IS TRUE AS $f1])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Collect(result)
