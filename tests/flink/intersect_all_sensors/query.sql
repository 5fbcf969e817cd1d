SELECT sensor_id FROM sensor_data WHERE status = 'ERROR'
INTERSECT ALL
SELECT sensor_id FROM sensor_data WHERE status = 'WARNING' AND current_temperature > 140
