SELECT status, COUNT(*) AS n FROM (
  SELECT status FROM sensor_data WHERE sensor_id < 30
  UNION ALL
  SELECT status FROM sensor_data WHERE sensor_id > 80
) GROUP BY status
