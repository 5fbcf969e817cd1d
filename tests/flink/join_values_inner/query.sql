SELECT s.sensor_id, m.room, s.current_temperature, s.event_time
FROM sensor_data AS s JOIN (VALUES (1, 'lab'), (2, 'hall'), (3, 'roof'), (200, 'nowhere')) AS m(id, room)
ON s.sensor_id = m.id
