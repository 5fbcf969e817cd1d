SELECT L.sensor_id AS l_id, R.sensor_id AS r_id, L.window_start AS l_start, R.window_start AS r_start,
  L.current_temperature AS l_temp, R.current_temperature AS r_temp
FROM (SELECT * FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) WHERE status = 'ERROR') L
  FULL JOIN (SELECT * FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) WHERE status = 'WARNING') R
  ON L.sensor_id = R.sensor_id AND L.window_start = R.window_start AND L.window_end = R.window_end
