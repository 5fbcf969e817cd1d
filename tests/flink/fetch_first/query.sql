SELECT sensor_id, current_temperature FROM sensor_data WHERE sensor_id < 5 FETCH FIRST 4 ROWS ONLY
