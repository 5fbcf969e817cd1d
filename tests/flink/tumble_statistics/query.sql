SELECT window_start, status, STDDEV_POP(current_temperature) AS sd, VAR_SAMP(current_temperature) AS var_s,
  FIRST_VALUE(sensor_id) AS first_id, LAST_VALUE(sensor_id) AS last_id, COUNT(DISTINCT sensor_id) AS sensors
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, status
