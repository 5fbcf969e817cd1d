SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    ORDER BY event_time
    MEASURES FIRST(A.sensor_id) AS first_a, COUNT(A.sensor_id) AS na, B.sensor_id AS b_id,
      LAST(C.event_time) AS c_time, SUM(C.current_temperature) AS c_sum
    AFTER MATCH SKIP PAST LAST ROW
    PATTERN (A*? B C{3})
    DEFINE A AS A.current_temperature > 150, B AS B.current_temperature < 20, C AS C.status = 'OK'
  )
