SELECT sensor_id, event_time, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time) AS rn FROM sensor_data
