SELECT sensor_id, status FROM sensor_data
