SELECT sensor_id, status, event_time, RANK() OVER w AS r, DENSE_RANK() OVER w AS dr, SUM(current_temperature) OVER w AS total
FROM sensor_data WHERE sensor_id < 10 WINDOW w AS (PARTITION BY status ORDER BY event_time)
