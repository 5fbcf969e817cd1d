-- Q1 (the walkthrough's HOP 10 s / 1 min by status) for DuckDB with Flink's streaming semantics
-- spelled out: the watermark before each record is the largest event time so far minus 5 s, in
-- file order, and a record is left out of each window that had fired when it came. Windows of
-- 60 s every 10 s: a record at `ms` is in the windows starting at its 10 s slice and the five
-- before it; late: the window's last millisecond is at or behind the watermark.
-- The records CTE is the caller's SELECT of (status, t, ms, i): each record's status, temperature,
-- event time in ms and place in the file (scripts/bench_peers.py, tests/e2e/file_bench.mjs).
WITH records AS (
{records}
), stamped AS (
  SELECT status, t, ms - ms % 10000 AS slice,
         max(ms) OVER (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) - 5000 AS wm
    FROM records
)
SELECT status, count(*) AS num, avg(t) AS avg_t, slice - back + 60000 - 1 AS hop_ms
  FROM stamped, range(0, 60000, 10000) AS hops(back)
 WHERE wm IS NULL OR slice - back + 60000 - 1 > wm
 GROUP BY status, slice - back
