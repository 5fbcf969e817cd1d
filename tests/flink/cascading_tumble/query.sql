WITH ten_seconds AS (
    SELECT window_time AS wt, COUNT(*) AS num
    FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end, window_time
)
SELECT window_start, window_end, SUM(num) AS total, MAX(num) AS busiest
FROM TABLE(TUMBLE(TABLE ten_seconds, DESCRIPTOR(wt), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end
