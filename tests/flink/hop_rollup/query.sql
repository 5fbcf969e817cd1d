SELECT window_start, status, sensor_id, COUNT(*) AS n
FROM TABLE(HOP(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND, INTERVAL '30' SECOND))
WHERE sensor_id < 5
GROUP BY window_start, window_end, status, ROLLUP (sensor_id)
