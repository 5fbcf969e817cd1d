SELECT status, sensor_id, hottest FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY hottest DESC, sensor_id) AS rn
  FROM (SELECT status, sensor_id, MAX(current_temperature) AS hottest FROM sensor_data GROUP BY status, sensor_id))
WHERE rn <= 2
