# OVER aggregates: ROWS and RANGE frames, named windows.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

SELECT sensor_id, AVG(current_temperature) OVER (PARTITION BY sensor_id ORDER BY event_time ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS avg10 FROM sensor_data;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $4 AS avg10])
+- OverAggregate(partitionBy=[sensor_id], orderBy=[event_time ASC], window=[ROWS BETWEEN 9 PRECEDING AND CURRENT ROW], select=[AVG(current_temperature) AS w0$o0])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> OverAggregate
  -> Calc
  -> Collect(result)

SELECT sensor_id, MAX(current_temperature) OVER (PARTITION BY sensor_id ORDER BY event_time RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS max1m FROM sensor_data;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $4 AS max1m])
+- OverAggregate(partitionBy=[sensor_id], orderBy=[event_time ASC], window=[RANGE BETWEEN 60000 PRECEDING AND CURRENT ROW], select=[MAX(current_temperature) AS w0$o0])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> OverAggregate
  -> Calc
  -> Collect(result)

SELECT sensor_id, COUNT(*) OVER w AS n, SUM(current_temperature) OVER w AS s FROM sensor_data WINDOW w AS (PARTITION BY sensor_id ORDER BY event_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $4 AS n, $5 AS s])
+- OverAggregate(partitionBy=[sensor_id], orderBy=[event_time ASC], window=[ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW], select=[COUNT(*) AS w0$o0, SUM(current_temperature) AS w0$o1])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> OverAggregate
  -> Calc
  -> Collect(result)

# No PARTITION BY: one partition.
SELECT COUNT(*) OVER (ORDER BY event_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n FROM sensor_data;
----
== Optimized Physical Plan ==
Calc(select=[$4 AS n])
+- OverAggregate(partitionBy=[], orderBy=[event_time ASC], window=[ROWS BETWEEN 2 PRECEDING AND CURRENT ROW], select=[COUNT(*) AS w0$o0])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> OverAggregate
  -> Calc
  -> Collect(result)

# RANK() without a Top-N filter: Flink's OVER aggregate over the time attribute (RANGE frame).
SELECT sensor_id, RANK() OVER (PARTITION BY status ORDER BY event_time) AS r FROM sensor_data;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $4 AS r])
+- OverAggregate(partitionBy=[status], orderBy=[event_time ASC], window=[RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW], select=[RANK() AS w0$o0])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> OverAggregate
  -> Calc
  -> Collect(result)
