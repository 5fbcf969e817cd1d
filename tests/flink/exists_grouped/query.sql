SELECT sensor_id, status, event_time FROM sensor_data s
WHERE sensor_id < 20 AND EXISTS (
  SELECT status FROM sensor_data e WHERE e.sensor_id = s.sensor_id AND e.status = 'ERROR' GROUP BY status HAVING COUNT(*) > 27)
