SELECT e.sensor_id, e.status, e.event_time AS reading_time, r.status AS next_status, r.event_time AS next_time
FROM sensor_data e LEFT JOIN sensor_data r
  ON e.sensor_id = r.sensor_id AND r.status <> e.status
  AND r.event_time > e.event_time AND r.event_time <= e.event_time + INTERVAL '30' SECOND
