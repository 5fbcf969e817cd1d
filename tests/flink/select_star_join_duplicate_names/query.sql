SELECT *, s.status AS room
FROM sensor_data AS s JOIN (VALUES (1, 'lab'), (3, 'roof')) AS m(sensor_id, room) ON s.sensor_id = m.sensor_id
WHERE s.sensor_id < 4
