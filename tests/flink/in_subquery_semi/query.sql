SELECT sensor_id, current_temperature, event_time FROM sensor_data
WHERE sensor_id IN (SELECT sensor_id FROM sensor_data WHERE current_temperature > 175) AND status = 'OK'
