SELECT window_start, window_end, status, COUNT(*) AS n, MAX(current_temperature) AS hottest,
  GROUPING(status) AS g_status
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, GROUPING SETS ((status), ())
