SELECT sensor_id, current_temperature, event_time FROM sensor_data s
WHERE sensor_id < 5 AND current_temperature > (SELECT AVG(current_temperature) + 60 FROM sensor_data t WHERE t.sensor_id = s.sensor_id)
