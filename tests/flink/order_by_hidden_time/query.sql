SELECT sensor_id, status FROM sensor_data ORDER BY event_time
