SELECT sensor_id, current_temperature,
  (SELECT COUNT(*) * 10 + 1 FROM sensor_data t WHERE t.sensor_id = s.sensor_id AND t.status = 'ERROR' AND t.current_temperature > 179) AS hot_score
FROM sensor_data s
WHERE sensor_id < 6 AND (SELECT COUNT(*) + 1 FROM sensor_data u WHERE u.sensor_id = s.sensor_id AND u.current_temperature > 179.5) >= 1
