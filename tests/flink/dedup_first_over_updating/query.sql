SELECT sensor_id, status, event_time FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY event_time ASC) AS rn2 FROM (
    SELECT sensor_id, status, event_time FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn FROM sensor_data)
    WHERE rn = 1))
WHERE rn2 = 1
