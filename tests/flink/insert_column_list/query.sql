INSERT INTO readings (temperature, status, sensor_id)
SELECT current_temperature, status, sensor_id FROM sensor_data WHERE sensor_id = 3 AND current_temperature > 150
