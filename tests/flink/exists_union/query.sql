SELECT sensor_id, status, event_time FROM sensor_data
WHERE sensor_id < 3 AND EXISTS (
  SELECT sensor_id FROM sensor_data WHERE current_temperature > 179.9 UNION SELECT sensor_id FROM sensor_data WHERE status = 'NONE')
