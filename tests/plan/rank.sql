# ROW_NUMBER() filtered by the WHERE above it: Top-N, deduplication and their window forms.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

# Top-N with the row number.
SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS rn FROM sensor_data) WHERE rn <= 3;
----
== Optimized Physical Plan ==
Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=3], partitionBy=[status], orderBy=[current_temperature DESC], select=[sensor_id, current_temperature, status, event_time, rn])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Rank
  -> Collect(result)

# Top-N without the row number.
SELECT sensor_id, status FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS rn FROM sensor_data) WHERE rn <= 3;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $2 AS status])
+- Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=3], partitionBy=[status], orderBy=[current_temperature DESC], select=[sensor_id, current_temperature, status, event_time, rn])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Rank
  -> Calc
  -> Collect(result)

# Top-N with an offset.
SELECT sensor_id, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY current_temperature) AS rn FROM sensor_data) WHERE rn BETWEEN 2 AND 3;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $4 AS rn])
+- Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=2, rankEnd=3], partitionBy=[sensor_id], orderBy=[current_temperature ASC], select=[sensor_id, current_temperature, status, event_time, rn])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Rank
  -> Calc
  -> Collect(result)

# Deduplication keeping the first row (event time ascending).
SELECT sensor_id, status FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time) AS rn FROM sensor_data) WHERE rn = 1;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $2 AS status])
+- Deduplicate(keep=[FirstRow], key=[sensor_id], order=[ROWTIME])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Deduplicate
  -> Calc
  -> Collect(result)

# Deduplication keeping the last row.
SELECT sensor_id, status FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn FROM sensor_data) WHERE rn = 1;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id, $2 AS status])
+- Deduplicate(keep=[LastRow], key=[sensor_id], order=[ROWTIME])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Deduplicate
  -> Calc
  -> Collect(result)

# Top-N over an updating aggregate.
SELECT * FROM (SELECT sensor_id, n, ROW_NUMBER() OVER (ORDER BY n DESC) AS rn FROM (SELECT sensor_id, COUNT(*) AS n FROM sensor_data GROUP BY sensor_id)) WHERE rn <= 2;
----
== Optimized Physical Plan ==
Rank(strategy=[RetractStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=2], partitionBy=[], orderBy=[n DESC], select=[sensor_id, n, rn])
+- GroupAggregate(groupBy=[sensor_id], select=[COUNT(*)])
   +- Calc(select=[$0 AS sensor_id])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Rank(retract)
  -> Collect(result)

# Window Top-N after a window aggregate.
SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC) AS rn
  FROM (SELECT window_start, window_end, sensor_id, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, sensor_id))
WHERE rn <= 3;
----
== Optimized Physical Plan ==
WindowRank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=3], partitionBy=[], orderBy=[n DESC], select=[window_start, window_end, sensor_id, n, rn])
+- Calc(select=[$2 AS window_start, $3 AS window_end, $0 AS sensor_id, $1 AS n])
   +- WindowAggregate(groupBy=[sensor_id], window=[TUMBLE(size=[1 min]) on event_time], select=[COUNT(*)])
      +- Calc(select=[$0 AS sensor_id, $3 AS event_time])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> WindowAggregate
  -> Calc
  -> WindowRank
  -> Collect(result)

# Window Top-N over a window table function.
SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, status ORDER BY current_temperature DESC) AS rn
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)))
WHERE rn <= 2;
----
== Optimized Physical Plan ==
WindowRank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=2], partitionBy=[status], orderBy=[current_temperature DESC], select=[sensor_id, current_temperature, status, event_time, window_start, window_end, window_time, rn])
+- WindowTableFunction(window=[TUMBLE(size=[1 min]) on event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> WindowTableFunction
  -> WindowRank
  -> Collect(result)

# Window deduplication.
SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, sensor_id ORDER BY event_time DESC) AS rn
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)))
WHERE rn = 1;
----
== Optimized Physical Plan ==
WindowDeduplicate(keep=[LastRow], partitionKeys=[sensor_id], orderKey=[event_time], order=[ROWTIME])
+- WindowTableFunction(window=[TUMBLE(size=[1 min]) on event_time])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> WindowTableFunction
  -> WindowDeduplicate
  -> Collect(result)

# ORDER BY a column the SELECT leaves out: a hidden column, sorted (or ranked) by and dropped.
SELECT status FROM sensor_data ORDER BY event_time;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS status])
+- TemporalSort(orderBy=[event_time ASC])
   +- Calc(select=[$2 AS status, $3 AS event_time])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> TemporalSort
  -> Calc
  -> Collect(result)

SELECT sensor_id FROM sensor_data ORDER BY current_temperature DESC LIMIT 2;
----
== Optimized Physical Plan ==
Calc(select=[$0 AS sensor_id])
+- Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=2], partitionBy=[], orderBy=[current_temperature DESC], select=[sensor_id, current_temperature, w0$o0])
   +- Calc(select=[$0 AS sensor_id, $1 AS current_temperature])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> Rank
  -> Calc
  -> Collect(result)

# LIMIT over an updating input: a rank with no sort key (all changes).
SELECT status, n FROM (SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status) LIMIT 1;
----
== Optimized Physical Plan ==
Limit(offset=[0], fetch=[1])
+- GroupAggregate(groupBy=[status], select=[COUNT(*)])
   +- Calc(select=[$2 AS status])
      +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Limit
  -> Collect(result)
