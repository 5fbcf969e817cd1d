SELECT sensor_id, status, event_time FROM sensor_data WHERE sensor_id < 40
ORDER BY event_time, sensor_id DESC
