SELECT status, sensor_id, COUNT(*) AS n, SUM(sensor_id) AS ids, GROUPING(sensor_id) AS g_sensor
FROM sensor_data WHERE sensor_id < 12 GROUP BY ROLLUP (status, sensor_id)
