SELECT sensor_id, status FROM sensor_data WHERE sensor_id < 20
EXCEPT ALL
SELECT sensor_id, status FROM sensor_data WHERE current_temperature > 175
