SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY num DESC, sensor_id) AS rn
  FROM (SELECT status, sensor_id, COUNT(*) AS num FROM sensor_data GROUP BY status, sensor_id))
WHERE rn <= 3
