SELECT sensor_id, status, current_temperature FROM sensor_data s
WHERE EXISTS (SELECT * FROM sensor_data w WHERE w.sensor_id = s.sensor_id AND w.status = s.status AND w.current_temperature > s.current_temperature + 100)
