SELECT window_start, window_end, COUNT(*) AS n, MAX(current_temperature) AS hottest
FROM TABLE(SESSION(TABLE sensor_data PARTITION BY sensor_id, DESCRIPTOR(event_time), INTERVAL '20' SECOND))
GROUP BY window_start, window_end
