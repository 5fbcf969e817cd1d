SELECT sensor_id, status, event_time, window_start, window_end, window_time
FROM TABLE(SESSION(TABLE sensor_data PARTITION BY sensor_id, DESCRIPTOR(event_time), INTERVAL '20' SECOND))
WHERE sensor_id < 10
