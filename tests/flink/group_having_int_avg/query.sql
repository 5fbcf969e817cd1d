SELECT status, AVG(sensor_id) AS avg_id, SUM(sensor_id) AS sum_id, MIN(current_temperature) AS coldest
FROM sensor_data GROUP BY status HAVING COUNT(*) > 100
