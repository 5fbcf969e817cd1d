SELECT sensor_id, current_temperature, event_time FROM sensor_data s
WHERE NOT EXISTS (SELECT 1 FROM sensor_data e WHERE e.sensor_id = s.sensor_id AND e.status = 'ERROR' AND e.current_temperature > 178)
  AND s.sensor_id < 30
