CREATE TABLE status_counts WITH ('connector'='print')
AS SELECT status, COUNT(*) AS n, MAX(event_time) AS last_time FROM sensor_data WHERE sensor_id < 3 GROUP BY status
