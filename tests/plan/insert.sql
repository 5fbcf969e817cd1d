# INSERT INTO: the sink's columns checked and fitted.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

CREATE TABLE sensor_state (status VARCHAR(6), num INTEGER, avg_current_temperature DOUBLE, hop_time TIMESTAMP(3))
WITH ('connector' = 'blackhole');
----
Table `sensor_state` has been created.

# The walkthrough's INSERT: COUNT(*) is a BIGINT narrowed into an INTEGER column.
INSERT INTO sensor_state
SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature,
  HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
FROM sensor_data
GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status;
----
warning: sink column `num` is INT but the query gives BIGINT NOT NULL: values are narrowed (Flink 2.3 rejects this; the Flink export writes CAST(… AS INT))
== Optimized Physical Plan ==
Sink(table=[sensor_state], fields=[status, num, avg_current_temperature, hop_time])
+- Calc(select=[$0 AS status, CAST($1 AS INT NOT NULL) AS num, $2 AS avg_current_temperature, $3 AS hop_time])
   +- Calc(select=[$0 AS status, $1 AS num, $2 AS avg_current_temperature, $5 AS hop_time])
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
  -> Calc
  -> Sink(sensor_state)

# Too few columns.
INSERT INTO sensor_state SELECT status, COUNT(*) FROM sensor_data GROUP BY status;
----
error: 1:1: the query gives 2 columns but sink `sensor_state` has 4 (status, num, avg_current_temperature, hop_time)

# A type that does not fit.
INSERT INTO sensor_state SELECT event_time, 1, 2.0, event_time FROM sensor_data;
----
error: 1:1: column types of query result and sink `sensor_state` do not match: sink column `status` is VARCHAR(6) but the query gives TIMESTAMP(3) *ROWTIME*
  hint: CAST the value to VARCHAR(6)

# An updating result: blackhole takes updates, as in Flink.
INSERT INTO sensor_state SELECT status, CAST(COUNT(*) AS INTEGER), AVG(current_temperature), MAX(event_time) FROM sensor_data GROUP BY status;
----
== Optimized Physical Plan ==
Sink(table=[sensor_state], fields=[status, num, avg_current_temperature, hop_time])
+- Calc(select=[$0 AS status, CAST($1 AS INT NOT NULL) AS num, $2 AS avg_current_temperature, $3 AS hop_time])
   +- GroupAggregate(groupBy=[status], select=[COUNT(*), AVG($f1), MAX($f2)])
      +- Calc(select=[$2 AS status, $1 AS $f1, $3 AS $f2])
         +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> GroupAggregate
  -> Calc
  -> Sink(sensor_state)

INSERT INTO no_such_table SELECT * FROM sensor_data;
----
error: 1:1: sink table `no_such_table` not found

# A source-only connector.
CREATE TABLE gen (x INT) WITH ('connector' = 'datagen');
----
Table `gen` has been created.

INSERT INTO gen SELECT sensor_id FROM sensor_data;
----
error: 1:1: Connector 'datagen' can only be used as a source. It cannot be used as a sink.
