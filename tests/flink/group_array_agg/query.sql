SELECT status, ARRAY_AGG(DISTINCT sensor_id) AS sensors, ARRAY_AGG(sensor_id) FILTER (WHERE current_temperature > 120) AS hot
FROM sensor_data GROUP BY status
