SELECT window_end, COUNT(*) FILTER (WHERE status = 'ERROR') AS errors, COUNT(*) AS n,
  MAX(current_temperature) FILTER (WHERE sensor_id = 3) AS max3
FROM TABLE(HOP(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND, INTERVAL '20' SECOND))
GROUP BY window_start, window_end
