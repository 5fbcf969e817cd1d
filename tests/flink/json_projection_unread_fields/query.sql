SELECT sensor_id, status, event_time FROM sensor_data
