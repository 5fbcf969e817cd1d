SELECT sensor_id, current_temperature, status, event_time FROM (
  SELECT sensor_id, current_temperature, status, event_time,
    ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS rownum
  FROM sensor_data)
WHERE rownum <= 3
