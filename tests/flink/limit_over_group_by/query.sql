SELECT status, num FROM (SELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status) LIMIT 2
