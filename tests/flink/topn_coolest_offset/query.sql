SELECT sensor_id, current_temperature, event_time FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY current_temperature) AS rn
  FROM sensor_data WHERE status <> 'OK')
WHERE rn BETWEEN 2 AND 3
