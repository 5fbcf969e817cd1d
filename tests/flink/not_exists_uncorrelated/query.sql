SELECT sensor_id, status, event_time FROM sensor_data
WHERE sensor_id < 3 AND NOT EXISTS (SELECT 1 FROM sensor_data WHERE current_temperature > 179.5)
