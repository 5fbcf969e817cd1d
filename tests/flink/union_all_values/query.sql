SELECT sensor_id, status FROM sensor_data WHERE sensor_id < 3
UNION ALL
SELECT id, label FROM (VALUES (500, 'EXTRA'), (501, 'MORE')) AS v(id, label)
