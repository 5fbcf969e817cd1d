SELECT sensor_id, current_temperature, status, event_time FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time ASC) AS rn
  FROM sensor_data)
WHERE rn = 1
