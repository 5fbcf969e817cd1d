SELECT COUNT(*) AS n FROM sensor_data
