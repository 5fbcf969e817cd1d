SELECT * FROM sensor_data s
WHERE EXISTS (SELECT 1 FROM sensor_data e WHERE e.sensor_id = s.sensor_id AND e.status = 'ERROR' AND e.current_temperature > 179)
  AND s.status = 'OK'
