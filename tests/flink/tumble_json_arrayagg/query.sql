SELECT window_start, status, JSON_ARRAYAGG(sensor_id) AS ids, ARRAY_AGG(current_temperature) AS temps
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND))
WHERE sensor_id < 6
GROUP BY window_start, window_end, status
