SELECT sensor_id, current_temperature,
  (SELECT MAX(current_temperature) FROM sensor_data t WHERE t.sensor_id = s.sensor_id AND t.status = 'ERROR') AS hottest_error
FROM sensor_data s WHERE sensor_id < 4
