SELECT * FROM sensor_data LIMIT 10
