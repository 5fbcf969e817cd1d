SELECT a.sensor_id, a.event_time AS first_time, b.event_time AS next_time,
  b.current_temperature - a.current_temperature AS delta
FROM sensor_data a JOIN sensor_data b
  ON a.sensor_id = b.sensor_id AND b.event_time BETWEEN a.event_time + INTERVAL '1' SECOND AND a.event_time + INTERVAL '10' SECOND
