INSERT INTO status_latest
SELECT sensor_id, status, COUNT(*) FROM sensor_data WHERE sensor_id < 3 GROUP BY sensor_id, status
ON CONFLICT DO NOTHING
