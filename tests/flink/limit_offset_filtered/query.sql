SELECT sensor_id, status, event_time FROM sensor_data WHERE status = 'ERROR' LIMIT 5 OFFSET 3
