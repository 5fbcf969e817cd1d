SELECT status, COUNT(DISTINCT sensor_id) AS sensors FROM sensor_data GROUP BY status
