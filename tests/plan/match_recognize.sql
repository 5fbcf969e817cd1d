# MATCH_RECOGNIZE: the Match node, and what Flink 2.3 refuses (its own words, checked on it).

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

# The alert of the issue: an OK reading followed by an ERROR one hotter by 80 degrees.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS ok_time, B.current_temperature AS hot ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (A B) DEFINE A AS A.status = 'OK', B AS B.status = 'ERROR' AND B.current_temperature > A.current_temperature + 80);
----
== Optimized Physical Plan ==
Match(partitionBy=[sensor_id], orderBy=[event_time ASC], measures=[FINAL(A.event_time) AS ok_time, FINAL(B.current_temperature) AS hot], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP PAST LAST ROW], pattern=[(A B)], define=[{A AS A.status = 'OK', B AS B.status = 'ERROR' AND B.current_temperature > A.current_temperature + 80}])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Match
  -> Collect(result)

# Quantifiers, WITHIN, and the default AFTER MATCH SKIP TO NEXT ROW.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES MATCH_ROWTIME() AS mt, COUNT(B.sensor_id) AS nb PATTERN (A B{2,}? C? D) WITHIN INTERVAL '1' MINUTE DEFINE A AS A.status = 'OK', D AS D.status = 'ERROR');
----
== Optimized Physical Plan ==
Match(partitionBy=[sensor_id], orderBy=[event_time ASC], measures=[FINAL(MATCH_ROWTIME()) AS mt, FINAL(COUNT(B.sensor_id)) AS nb], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP TO NEXT ROW], pattern=[(A B{2,}? C? D) WITHIN 60000 ms], define=[{A AS A.status = 'OK', D AS D.status = 'ERROR'}])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Match
  -> Collect(result)

# Alternation and groups are not translated to CEP.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A | B) DEFINE A AS A.status = 'OK');
----
error: 1:15: Expression not supported: A | B. Currently, CEP doesn't support branching patterns.
  hint: write the pattern as a sequence of variables, each with an optional quantifier

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN ((A B)+ C) DEFINE A AS A.status = 'OK');
----
error: 1:15: Expression not supported: ( A B ) Group patterns are not supported yet.
  hint: write the pattern as a sequence of variables, each with an optional quantifier

# A greedy quantifier cannot end the pattern; a reluctant optional one is not supported.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A B+) DEFINE A AS A.status = 'OK');
----
error: 1:15: Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with either a simple variable or reluctant quantifier.

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A?? B) DEFINE A AS A.status = 'OK');
----
error: 1:15: Reluctant optional variables are not supported yet.

# Variables are unique.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A B A) DEFINE A AS A.status = 'OK');
----
error: 1:15: Pattern variables must be unique. That might change in the future.
  hint: `A` appears twice in the pattern

# Physical offsets are not supported, in DEFINE or MEASURES.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A B) DEFINE B AS B.current_temperature > PREV(B.current_temperature));
----
error: 1:164: Flink does not support physical offsets within partition.
  hint: read earlier rows of a variable with LAST(A.col, n) or FIRST(A.col, n)

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES PREV(B.current_temperature) AS t PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:96: Cannot use PREV/NEXT in MEASURE 'PREV(B.current_temperature)'

# ORDER BY a time attribute, ascending.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY current_temperature MEASURES A.event_time AS t PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:76: You must specify either rowtime or proctime for order by as the first one.

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time DESC MEASURES A.event_time AS t PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:76: Primary sort order of a streaming table must be ascending on time.

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id MEASURES A.event_time AS t PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:15: You must specify either rowtime or proctime for order by.
  hint: ORDER BY the table's event-time attribute (its WATERMARK FOR column)

# ONE ROW PER MATCH only; skip targets and navigated variables must be in the pattern.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t ALL ROWS PER MATCH PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:15: All rows per match mode is not supported yet.
  hint: use ONE ROW PER MATCH

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t AFTER MATCH SKIP TO LAST Z PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:15: Unknown pattern 'Z'

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES Z.event_time AS t PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:96: Unknown pattern 'Z'
  hint: the pattern's variables are: A, B

# SUBSET, aggregates over an expression of one variable's columns, aggregates beyond COUNT/SUM/AVG/MIN/MAX, MATCH_PROCTIME().
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES LAST(S.event_time) AS t, SUM(B.current_temperature * 2) AS s2, LISTAGG(B.status, '|') AS l, MATCH_PROCTIME() AS p PATTERN (A B+? C) SUBSET S = (A, C) DEFINE A AS A.status = 'OK', B AS STDDEV_POP(B.current_temperature - 1) < 10, C AS C.status = 'OK');
----
== Optimized Physical Plan ==
Match(partitionBy=[sensor_id], orderBy=[event_time ASC], measures=[FINAL(LAST(S.event_time)) AS t, FINAL(SUM(B.current_temperature * 2)) AS s2, FINAL(LISTAGG(B.status, '|')) AS l, FINAL(MATCH_PROCTIME()) AS p], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP TO NEXT ROW], pattern=[(A B+? C)], subset=[S = (A, C)], define=[{A AS A.status = 'OK', B AS STDDEV_POP(B.current_temperature - 1) < 10, C AS C.status = 'OK'}])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Match
  -> Collect(result)

# What Flink 2.3 refuses (its words, checked on it): CLASSIFIER(), DISTINCT and FILTER in aggregates, two variables in one aggregate, a SUBSET in DEFINE.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES CLASSIFIER() AS c PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:96: Unsupported call: CLASSIFIER()
  hint: Flink 2.3 cannot translate CLASSIFIER(); a measure per variable (A.col IS NOT NULL) tells which matched

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES COUNT(DISTINCT B.status) AS n PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:96: DISTINCT/ALL not allowed with COUNT(DISTINCT B.status) function
  hint: Flink takes no DISTINCT aggregate in MATCH_RECOGNIZE

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES COUNT(*) FILTER (WHERE current_temperature > 100) AS n PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:96: Unsupported call: FILTER(BIGINT NOT NULL, BOOLEAN)
  hint: Flink takes no FILTER (WHERE …) in MATCH_RECOGNIZE; write the condition into the argument with CASE

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES SUM(B.current_temperature - A.current_temperature) AS d PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:96: Multiple pattern variables in 'SUM(B.current_temperature - A.current_temperature)'
  hint: aggregate the columns of one variable, e.g. SUM(B.temp) - SUM(A.temp)

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A B) SUBSET S = (A, B) DEFINE A AS A.status = 'OK', B AS AVG(S.current_temperature) > 50);
----
error: 1:180: Table 'S' not found
  hint: Flink reads a SUBSET only in MEASURES; name the variables in DEFINE

# ORDER BY a processing-time attribute: rows are taken as they arrive.
CREATE VIEW with_proctime AS SELECT sensor_id, status, event_time, PROCTIME() AS pt FROM sensor_data;
----
View `with_proctime` has been created.

SELECT * FROM with_proctime MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY pt MEASURES A.event_time AS t, MATCH_PROCTIME() AS p PATTERN (A B) DEFINE A AS A.status = 'OK');
----
== Optimized Physical Plan ==
Match(partitionBy=[sensor_id], orderBy=[pt ASC], measures=[FINAL(A.event_time) AS t, FINAL(MATCH_PROCTIME()) AS p], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP TO NEXT ROW], pattern=[(A B)], define=[{A AS A.status = 'OK'}])
+- Calc(select=[$0 AS sensor_id, $2 AS status, $3 AS event_time, PROCTIME() AS pt])
   +- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Calc
  -> Match
  -> Collect(result)

# Flink 2.3 cannot run JSON_OBJECTAGG in MATCH_RECOGNIZE; it takes MATCH_PROCTIME() in DEFINE.
SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES JSON_OBJECTAGG(KEY B.status VALUE B.current_temperature) AS j PATTERN (A B) DEFINE A AS A.status = 'OK');
----
error: 1:115: Could not find an implementation method 'accumulate' in class 'org.apache.flink.table.runtime.functions.aggregate.JsonObjectAggFunction' for function 'JSON_OBJECTAGG_NULL_ON_NULL'
  hint: Flink 2.3 cannot run JSON_OBJECTAGG in MATCH_RECOGNIZE; JSON_ARRAYAGG and LISTAGG work

SELECT * FROM sensor_data MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time MEASURES A.event_time AS t PATTERN (A B) DEFINE A AS MATCH_PROCTIME() IS NOT NULL);
----
== Optimized Physical Plan ==
Match(partitionBy=[sensor_id], orderBy=[event_time ASC], measures=[FINAL(A.event_time) AS t], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP TO NEXT ROW], pattern=[(A B)], define=[{A AS MATCH_PROCTIME() IS NOT NULL}])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Match
  -> Collect(result)
