SELECT sensor_id, current_temperature,
  (SELECT COUNT(*) FROM sensor_data t WHERE t.sensor_id = s.sensor_id AND t.status = 'ERROR' AND t.current_temperature > 179) AS hot_errors
FROM sensor_data s WHERE sensor_id < 6
