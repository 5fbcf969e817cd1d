SELECT sensor_id, status, event_time FROM sensor_data
WHERE sensor_id < 30 AND sensor_id NOT IN (SELECT sensor_id FROM sensor_data WHERE status = 'ERROR' AND current_temperature > 179)
