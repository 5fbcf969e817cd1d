INSERT INTO status_counts SELECT status, COUNT(*) FROM sensor_data WHERE sensor_id < 3 GROUP BY status
