# What the binder and planner refuse, with a place and a hint.

CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '/plan/sensor_input.jsonl', 'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601');
----
Table `sensor_data` has been created.

# Unknown names, with a suggestion.
SELECT sensor, status FROM sensor_data;
----
error: 1:8: column `sensor` not found
  hint: did you mean `sensor_id`?

SELECT s.sensor_id FROM sensor_data AS d;
----
error: 1:8: table or alias `s` is not in the FROM clause

SELECT * FROM sensor_date;
----
error: 1:15: table `sensor_date` not found
  hint: did you mean `sensor_data`?

SELECT UNKNOWN_FN(sensor_id) FROM sensor_data;
----
error: 1:8: no function named UNKNOWN_FN
  hint: SHOW FUNCTIONS lists the functions Sluice knows

# Type errors.
SELECT status + 1 FROM sensor_data;
----
error: 1:8: cannot apply `+` to VARCHAR(6) and INT NOT NULL

SELECT SUM(status) FROM sensor_data;
----
error: 1:8: SUM needs a numeric argument, not VARCHAR(6)

SELECT sensor_id FROM sensor_data WHERE status;
----
error: 1:41: WHERE must be a boolean condition, not VARCHAR(6)

# Grouping errors.
SELECT sensor_id, COUNT(*) FROM sensor_data GROUP BY status;
----
error: 1:8: expression `sensor_id` is not being grouped
  hint: add it to GROUP BY, or aggregate it (e.g. MAX(…))

SELECT sensor_id FROM sensor_data WHERE COUNT(*) > 1;
----
error: 1:41: aggregate COUNT is not allowed here
  hint: aggregates belong in the SELECT list or HAVING of a grouped query

# Shapes a streaming query cannot have.
SELECT * FROM sensor_data ORDER BY current_temperature;
----
error: 1:36: Sort on a non-time-attribute field is not supported.
  hint: order by an event-time attribute ascending first, or add LIMIT n (a Top-N)

# LIMIT was refused here until it was planned as Flink plans it (a first-n Limit); kept as a plan.
SELECT * FROM sensor_data LIMIT 10;
----
== Optimized Physical Plan ==
Limit(offset=[0], fetch=[10])
+- TableSourceScan(table=[sensor_data], fields=[sensor_id, current_temperature, status, event_time], watermark=[event_time: event_time - INTERVAL '5' SECOND])
.
== Physical Execution Plan ==
Source: TableSourceScan(sensor_data)
  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)
  -> Limit
  -> Collect(result)

CREATE VIEW latest AS SELECT status, MAX(event_time) AS event_time FROM sensor_data GROUP BY status;
----
View `latest` has been created.

# A window over an updating result.
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;
----
error: 1:79: the window's time column must be a time attribute, but `event_time` is TIMESTAMP(3)
  hint: declare event time with WATERMARK FOR in CREATE TABLE, or processing time with a `pt AS PROCTIME()` column

SELECT status, COUNT(*) AS n FROM latest GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE), status;
----
error: 1:58: the window's time column must be a time attribute, but `event_time` is TIMESTAMP(3)
  hint: declare event time with WATERMARK FOR in CREATE TABLE, or processing time with a `pt AS PROCTIME()` column

CREATE VIEW last_reading AS SELECT sensor_id, status, event_time FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn FROM sensor_data) WHERE rn = 1;
----
View `last_reading` has been created.

# A window aggregate over an updating result (keep-last deduplication keeps its time attribute).
# Flink refuses it at planning (a window aggregate cannot consume updates); so does lowering to the
# physical plan, at the GROUP BY.
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE last_reading, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;
----
error: 1:129: a window aggregation cannot consume an updating result (e.g. the output of a GROUP BY without a window)
  hint: window the aggregation below, or read the table directly

# A subquery as a window's table argument.
SELECT * FROM TABLE(TUMBLE(TABLE (SELECT * FROM sensor_data), DESCRIPTOR(event_time), INTERVAL '1' MINUTE));
----
error: 1:35: TUMBLE(TABLE (SELECT …)) is not Flink SQL: a table argument must be a table or view name
  hint: name the query: WITH w AS (SELECT …) SELECT … FROM TABLE(TUMBLE(TABLE w, …)), or CREATE VIEW

SELECT status, TUMBLE_START(event_time, INTERVAL '1' MINUTE) FROM sensor_data GROUP BY status;
----
error: 1:16: TUMBLE_START needs a GROUP BY TUMBLE(…) window

SELECT * FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(status), INTERVAL '1' MINUTE));
----
error: 1:58: the window's time column must be a time attribute, but `status` is VARCHAR(6)
  hint: declare event time with WATERMARK FOR in CREATE TABLE, or processing time with a `pt AS PROCTIME()` column

# Syntax errors carry the place too.
SELECT sensor_id FROM sensor_data WHERE;
----
error: 1:40: expected an expression, found ;

SELEC 1;
----
error: 1:1: expected an SQL statement, found SELEC

# Grouping sets: a set listed twice whose second copy alone leaves a key out (Flink 2.3's
# union of aggregates cannot run that copy's aggregate), and GROUPING of an expression that is
# not grouped.
SELECT status, sensor_id, COUNT(*) FROM sensor_data GROUP BY GROUPING SETS ((status, sensor_id), (status), (), (status));
----
error: 1:78: GROUPING SETS are currently not supported.
  hint: Flink groups a set listed twice in a second aggregate, which must group by every key or by several sets

SELECT status, GROUPING(sensor_id) FROM sensor_data GROUP BY ROLLUP (status);
----
error: 1:25: Argument to GROUPING operator must be a grouped expression
  hint: pass an expression of the GROUP BY clause

SELECT status, COUNT(*) FILTER (WHERE sensor_id) FROM sensor_data GROUP BY status;
----
error: 1:39: FILTER must be a boolean condition, not INT

# Flink refuses FILTER on an OVER aggregate.
SELECT sensor_id, COUNT(*) FILTER (WHERE status = 'OK') OVER (PARTITION BY sensor_id ORDER BY event_time ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS c FROM sensor_data;
----
error: 1:19: OVER must be applied to aggregate function
  hint: Flink takes no FILTER (WHERE …) in an OVER aggregate: use CASE WHEN … THEN x END as its argument

# OVER functions Flink refuses on a stream, and LAG's rules (no frame, a default of the value's kind).
SELECT sensor_id, LEAD(current_temperature) OVER (PARTITION BY sensor_id ORDER BY event_time) AS next_t FROM sensor_data;
----
error: 1:19: LEAD Function is not supported in stream mode.
  hint: LAG(x) OVER (PARTITION BY k ORDER BY event_time) looks back; a later row is not known when a row is emitted

SELECT sensor_id, CUME_DIST() OVER (PARTITION BY sensor_id ORDER BY event_time) AS c FROM sensor_data;
----
error: 1:19: CUME_DIST Function is not supported in stream mode.
  hint: Flink runs no distribution function over a stream

SELECT sensor_id, NTILE(4) OVER (PARTITION BY sensor_id ORDER BY event_time) AS c FROM sensor_data;
----
error: 1:19: NTILE Function is not supported in stream mode.
  hint: Flink runs no distribution function over a stream

SELECT sensor_id, PERCENT_RANK() OVER (PARTITION BY sensor_id ORDER BY event_time) AS c FROM sensor_data;
----
error: 1:19: PERCENT_RANK Function is not supported in stream mode.
  hint: Flink runs no distribution function over a stream

SELECT sensor_id, LAG(current_temperature) OVER (PARTITION BY sensor_id ORDER BY event_time ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS before_t FROM sensor_data;
----
error: 1:19: ROW/RANGE not allowed with RANK, DENSE_RANK or ROW_NUMBER functions
  hint: LAG reads the partition's earlier rows: leave out the frame, OVER (PARTITION BY k ORDER BY event_time)

SELECT sensor_id, LAG(current_temperature, 2, 0.0) OVER (PARTITION BY sensor_id ORDER BY event_time) AS before_t FROM sensor_data;
----
error: 1:19: Please explicitly cast default value DECIMAL(2, 1) NOT NULL to INT NOT NULL.
  hint: CAST the default AS DOUBLE

SELECT status, LAG(sensor_id) FROM sensor_data GROUP BY status;
----
error: 1:16: OVER clause is necessary for window functions
  hint: LAG(x) OVER (PARTITION BY k ORDER BY event_time)

# Subqueries Sluice does not decorrelate yet: a correlated set operation, a correlation other than by equality.
SELECT sensor_id FROM sensor_data s WHERE EXISTS (SELECT sensor_id FROM sensor_data t WHERE t.sensor_id = s.sensor_id UNION SELECT 1);
----
error: 1:51: EXISTS over a correlated aggregate without GROUP BY, set operation or WITH is not supported yet: table or alias `s` is not in the FROM clause
  hint: correlate a grouped subquery by equalities in its WHERE: EXISTS (SELECT g FROM t WHERE t.k = s.k GROUP BY g HAVING …)

SELECT sensor_id FROM sensor_data s WHERE current_temperature > (SELECT MAX(current_temperature) FROM sensor_data t WHERE t.sensor_id < s.sensor_id);
----
error: 1:66: this scalar subquery is not supported yet: a condition on the outer query must be an equality inner = outer
  hint: a scalar subquery here is SELECT agg(…) FROM t WHERE t.k = outer.k [AND …]

# The expand id keeps a bit per key in a BIGINT: at most 63 keys under grouping sets.
SELECT COUNT(*) AS n FROM sensor_data GROUP BY ROLLUP (sensor_id + 0, sensor_id + 1, sensor_id + 2, sensor_id + 3, sensor_id + 4, sensor_id + 5, sensor_id + 6, sensor_id + 7, sensor_id + 8, sensor_id + 9, sensor_id + 10, sensor_id + 11, sensor_id + 12, sensor_id + 13, sensor_id + 14, sensor_id + 15, sensor_id + 16, sensor_id + 17, sensor_id + 18, sensor_id + 19, sensor_id + 20, sensor_id + 21, sensor_id + 22, sensor_id + 23, sensor_id + 24, sensor_id + 25, sensor_id + 26, sensor_id + 27, sensor_id + 28, sensor_id + 29, sensor_id + 30, sensor_id + 31, sensor_id + 32, sensor_id + 33, sensor_id + 34, sensor_id + 35, sensor_id + 36, sensor_id + 37, sensor_id + 38, sensor_id + 39, sensor_id + 40, sensor_id + 41, sensor_id + 42, sensor_id + 43, sensor_id + 44, sensor_id + 45, sensor_id + 46, sensor_id + 47, sensor_id + 48, sensor_id + 49, sensor_id + 50, sensor_id + 51, sensor_id + 52, sensor_id + 53, sensor_id + 54, sensor_id + 55, sensor_id + 56, sensor_id + 57, sensor_id + 58, sensor_id + 59, sensor_id + 60, sensor_id + 61, sensor_id + 62, sensor_id + 63);
----
error: 1:56: GROUPING SETS, ROLLUP and CUBE group by at most 63 expressions

# window-tvf.md's `OFFSET => INTERVAL …`: Flink's parser takes OFFSET for the keyword and refuses
# it (a reserved word); `` `OFFSET` => … `` or the offset by position is the argument.
SELECT * FROM TABLE(TUMBLE(DATA => TABLE sensor_data, TIMECOL => DESCRIPTOR(event_time), SIZE => INTERVAL '10' MINUTES, OFFSET => INTERVAL '1' MINUTES));
----
error: 1:121: `OFFSET` is a reserved word in Flink SQL: it cannot be a name without backquotes
  hint: write `OFFSET` in backquotes, as Flink asks (Flink 2.3: "Incorrect syntax near the keyword 'OFFSET'")

# insert.md's INSERT OVERWRITE: Flink runs it only on a sink that can overwrite (a filesystem
# table in batch mode) and refuses it on the others; Sluice's sinks only append.
INSERT OVERWRITE sensor_data SELECT * FROM sensor_data;
----
error: 1:1: INSERT OVERWRITE is not supported: Flink 2.3 runs it only on a sink that can overwrite (a filesystem table, in batch mode), and Sluice's sinks only append
  hint: INSERT INTO appends

# TABLESAMPLE: Flink 2.3 parses it and plans a Sample it has no operator for, streaming and
# batch alike (PyFlink: "Cannot generate a valid execution plan for the given query").
SELECT * FROM sensor_data TABLESAMPLE SYSTEM(10);
----
error: 1:15: Cannot generate a valid execution plan for the given query: TABLESAMPLE (Flink plans a Sample it cannot run). This exception indicates that the query uses an unsupported SQL feature.

# Other dialects' syntax sqlparser reads and Flink 2.3's parser refuses ("SQL parse failed.
# Encountered …" in PyFlink): refused, never ignored.
SELECT TOP 1 sensor_id FROM sensor_data;
----
error: 1:1: SELECT TOP n is not Flink SQL
  hint: write LIMIT n

SELECT sensor_id::BIGINT FROM sensor_data;
----
error: 1:8: `x::type` is not Flink SQL
  hint: write CAST(x AS type)

SELECT status FROM sensor_data CLUSTER BY status;
----
error: 1:40: expected ';' or the end of the statement, found `BY`
