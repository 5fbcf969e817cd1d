SELECT status, sensor_id / 25 AS band, COUNT(*) AS n, AVG(current_temperature) AS avg_temp,
  GROUPING_ID(sensor_id / 25, status) AS gid
FROM sensor_data GROUP BY CUBE (status, sensor_id / 25) HAVING COUNT(*) > 500
