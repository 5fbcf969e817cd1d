SELECT * FROM sensor_data AS s JOIN (VALUES (1, 'lab'), (3, 'roof')) AS m(sensor_id, room) USING (sensor_id)
