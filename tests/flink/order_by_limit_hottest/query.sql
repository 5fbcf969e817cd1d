SELECT sensor_id, current_temperature, event_time FROM sensor_data
ORDER BY current_temperature DESC, event_time LIMIT 5
