SELECT sensor_id, current_temperature, event_time FROM sensor_data WHERE sensor_id = 42 ORDER BY event_time
