SELECT s.sensor_id, m.room, s.status, s.event_time
FROM sensor_data AS s LEFT JOIN (VALUES (1, 'lab'), (3, 'roof')) AS m(id, room) ON s.sensor_id = m.id
WHERE s.sensor_id < 6
