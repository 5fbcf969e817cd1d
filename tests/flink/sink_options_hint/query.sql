INSERT INTO hot_readings /*+ OPTIONS('print-identifier'='hinted') */
SELECT sensor_id, current_temperature FROM sensor_data WHERE sensor_id = 3 AND current_temperature > 170
