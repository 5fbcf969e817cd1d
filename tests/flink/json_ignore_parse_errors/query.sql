SELECT sensor_id, current_temperature, status, event_time FROM sensor_data
