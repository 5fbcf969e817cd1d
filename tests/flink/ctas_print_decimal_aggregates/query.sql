CREATE TABLE status_money WITH ('connector'='print')
AS SELECT status, SUM(t) AS total, AVG(t) AS mean, MAX(t * 1.5) AS top, SUM(t / 7) AS sevenths, MIN(t - 100) AS low
FROM (SELECT status, CAST(current_temperature AS DECIMAL(10, 2)) AS t FROM sensor_data WHERE sensor_id < 3)
GROUP BY status
