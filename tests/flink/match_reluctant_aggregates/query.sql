SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY event_time
    MEASURES MATCH_ROWTIME() AS mt, FIRST(A.event_time) AS start_time, LAST(B.event_time) AS last_b,
      AVG(B.current_temperature) AS avg_b, COUNT(B.sensor_id) AS nb, SUM(A.current_temperature) AS s,
      MIN(B.current_temperature) AS min_b, MAX(current_temperature) AS max_all, C.status AS c_status
    PATTERN (A B+? C)
    DEFINE A AS A.status = 'OK', B AS B.status <> 'OK' AND AVG(B.current_temperature) < 150, C AS C.status = 'OK'
  )
