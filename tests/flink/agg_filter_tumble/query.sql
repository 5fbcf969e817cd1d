SELECT window_start, status, COUNT(*) FILTER (WHERE current_temperature > 100) AS hot,
  AVG(current_temperature) FILTER (WHERE sensor_id < 10) AS avg_low, MIN(sensor_id) FILTER (WHERE status <> 'OK') AS first_bad
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, status
