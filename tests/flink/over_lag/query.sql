SELECT sensor_id, event_time, current_temperature,
  LAG(current_temperature) OVER (PARTITION BY sensor_id ORDER BY event_time) AS before_t,
  LAG(status, 2, 'none') OVER (PARTITION BY sensor_id ORDER BY event_time) AS status_2_back,
  COUNT(*) OVER (PARTITION BY sensor_id ORDER BY event_time) AS seen
FROM sensor_data WHERE sensor_id < 10
