SELECT L.sensor_id, L.window_start, L.window_end, L.errors, R.oks FROM
  (SELECT sensor_id, window_start, window_end, COUNT(*) AS errors
   FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) WHERE status = 'ERROR'
   GROUP BY sensor_id, window_start, window_end) L
  JOIN (SELECT sensor_id, window_start, window_end, COUNT(*) AS oks
   FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) WHERE status = 'OK'
   GROUP BY sensor_id, window_start, window_end) R
  ON L.sensor_id = R.sensor_id AND L.window_start = R.window_start AND L.window_end = R.window_end
