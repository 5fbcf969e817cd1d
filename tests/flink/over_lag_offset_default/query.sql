SELECT sensor_id, event_time,
  LAG(current_temperature, 3, CAST(-1 AS DOUBLE)) OVER w AS three_back,
  LAG(sensor_id, 0) OVER w AS same_id,
  current_temperature - LAG(current_temperature, 1, current_temperature) OVER w AS delta
FROM sensor_data WHERE status <> 'OK'
WINDOW w AS (PARTITION BY sensor_id ORDER BY event_time)
