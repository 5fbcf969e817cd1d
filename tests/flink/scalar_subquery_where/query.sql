SELECT sensor_id, current_temperature, event_time FROM sensor_data
WHERE sensor_id < 3 AND current_temperature > (SELECT MAX(current_temperature) - 10 FROM sensor_data WHERE sensor_id = 7)
