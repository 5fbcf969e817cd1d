SELECT sensor_id, event_time, window_start, window_end, window_time
FROM TABLE(HOP(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
WHERE sensor_id < 10
