SELECT status, sensor_id / 25 AS band, COUNT(*) AS n, MAX(current_temperature) AS hottest, GROUP_ID() AS g
FROM sensor_data GROUP BY GROUPING SETS ((status), (sensor_id / 25), (status), (sensor_id / 25), ())
