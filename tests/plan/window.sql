# Window aggregates: the legacy GROUP BY forms and each window table function.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

# The walkthrough's query.
SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature,
  HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
FROM sensor_data
GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS status, $1 AS num, $2 AS avg_current_temperature, $5 AS hop_time])
+- WindowAggregate(groupBy=[status], window=[HOP(slide=[10 s], size=[1 min]) on event_time], select=[COUNT(*), AVG($f1)])
   +- Calc(select=[$2 AS status, $1 AS $f1, $3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> Collect(result)

SELECT TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS s, TUMBLE_END(event_time, INTERVAL '1' MINUTE) AS e, COUNT(*) AS n FROM sensor_data GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);
----
== Optimized Physical Plan ==
Calc(select=[$1 AS s, $2 AS e, $0 AS n])
+- WindowAggregate(groupBy=[], window=[TUMBLE(size=[1 min]) on event_time], select=[COUNT(*)])
   +- Calc(select=[$3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> Collect(result)

SELECT SESSION_START(event_time, INTERVAL '20' SECOND) AS s, sensor_id, COUNT(*) AS n FROM sensor_data GROUP BY SESSION(event_time, INTERVAL '20' SECOND), sensor_id;
----
== Optimized Physical Plan ==
Calc(select=[$2 AS s, $0 AS sensor_id, $1 AS n])
+- WindowAggregate(groupBy=[sensor_id], window=[SESSION(gap=[20 s]) on event_time], select=[COUNT(*)])
   +- Calc(select=[$0 AS sensor_id, $3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> SessionWindowAggregate
  -> Calc
  -> Collect(result)

SELECT window_start, window_end, status, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, status;
----
== Optimized Physical Plan ==
Calc(select=[$2 AS window_start, $3 AS window_end, $0 AS status, $1 AS n])
+- WindowAggregate(groupBy=[status], window=[TUMBLE(size=[1 min]) on event_time], select=[COUNT(*)])
   +- Calc(select=[$2 AS status, $3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> Collect(result)

SELECT window_start, window_end, AVG(current_temperature) AS t FROM TABLE(HOP(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND, INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;
----
== Optimized Physical Plan ==
Calc(select=[$1 AS window_start, $2 AS window_end, $0 AS t])
+- WindowAggregate(groupBy=[], window=[HOP(slide=[10 s], size=[1 min]) on event_time], select=[AVG($f0)])
   +- Calc(select=[$1 AS $f0, $3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> Collect(result)

SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(CUMULATE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND, INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;
----
== Optimized Physical Plan ==
Calc(select=[$1 AS window_start, $2 AS window_end, $0 AS n])
+- WindowAggregate(groupBy=[], window=[CUMULATE(step=[10 s], max_size=[1 min]) on event_time], select=[COUNT(*)])
   +- Calc(select=[$3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> Collect(result)

SELECT window_start, window_end, sensor_id, COUNT(*) AS n FROM TABLE(SESSION(TABLE sensor_data PARTITION BY sensor_id, DESCRIPTOR(event_time), INTERVAL '20' SECOND)) GROUP BY window_start, window_end, sensor_id;
----
== Optimized Physical Plan ==
Calc(select=[$2 AS window_start, $3 AS window_end, $0 AS sensor_id, $1 AS n])
+- WindowAggregate(groupBy=[sensor_id], window=[SESSION(gap=[20 s]) on event_time], select=[COUNT(*)])
   +- Calc(select=[$0 AS sensor_id, $3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> SessionWindowAggregate
  -> Calc
  -> Collect(result)

# A window table function read without an aggregate.
SELECT * FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND));
----
== Optimized Physical Plan ==
WindowTableFunction(window=[TUMBLE(size=[10 s]) on event_time])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> WindowTableFunction
  -> Collect(result)

# Cascading windows: a window over another's window_time, through a CTE whose window_start and
# window_end are the new window's names too: ambiguous, in GROUP BY as in `*`, as Flink 2.3 says
# (window-agg.md's cascading example). Golden case cascading_tumble renames them and runs.
WITH w AS (SELECT window_start, window_end, window_time, status, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time, status)
SELECT window_start, SUM(n) AS total FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(window_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;
----
error: 3:121: column `window_start` is ambiguous
  hint: qualify it with its table name or alias

WITH w AS (SELECT window_start, window_end, window_time, status, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time, status)
SELECT * FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(window_time), INTERVAL '1' MINUTE));
----
error: 3:8: column `window_start` is ambiguous
  hint: the window's input has a `window_start` of its own: rename it there

# SESSION as a table function (Flink's WindowTableFunction holding rows per PARTITION BY key until
# their session closes), and grouped without its PARTITION BY key: the same table function under
# an updating aggregate, as Flink plans it (window-tvf.md).
SELECT * FROM TABLE(SESSION(TABLE sensor_data PARTITION BY sensor_id, DESCRIPTOR(event_time), INTERVAL '20' SECOND));
----
== Optimized Physical Plan ==
WindowTableFunction(window=[SESSION(gap=[20 s]) on event_time], partitionKeys=[sensor_id])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> WindowTableFunction
  -> Collect(result)

SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(SESSION(TABLE sensor_data PARTITION BY status, DESCRIPTOR(event_time), INTERVAL '20' SECOND)) GROUP BY window_start, window_end;
----
== Optimized Physical Plan ==
GroupAggregate(groupBy=[window_start, window_end], select=[COUNT(*)])
+- Calc(select=[$4 AS window_start, $5 AS window_end])
   +- WindowTableFunction(window=[SESSION(gap=[20 s]) on event_time], partitionKeys=[status])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> WindowTableFunction
  -> Calc
  -> GroupAggregate
  -> Collect(result)
