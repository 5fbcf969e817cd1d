INSERT INTO status_latest
SELECT sensor_id, status, COUNT(*) FROM sensor_data WHERE sensor_id < 6 GROUP BY sensor_id, status HAVING COUNT(*) <= 3
ON CONFLICT DO DEDUPLICATE
