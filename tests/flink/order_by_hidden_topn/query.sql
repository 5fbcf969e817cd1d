SELECT sensor_id, status FROM sensor_data ORDER BY current_temperature DESC, event_time LIMIT 5
