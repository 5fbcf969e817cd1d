SELECT DISTINCT status FROM sensor_data
