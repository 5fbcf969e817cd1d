SELECT status, COUNT(*) FILTER (WHERE current_temperature > 100) AS hot,
  SUM(sensor_id) FILTER (WHERE sensor_id < 10) AS low_ids, COUNT(DISTINCT sensor_id) FILTER (WHERE current_temperature < 20) AS cold_sensors,
  MAX(current_temperature) FILTER (WHERE sensor_id = 7) AS max7, COUNT(*) AS n
FROM sensor_data GROUP BY status
