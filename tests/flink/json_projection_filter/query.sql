SELECT status FROM sensor_data WHERE sensor_id > 1
