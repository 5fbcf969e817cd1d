SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    PARTITION BY status
    ORDER BY event_time
    MEASURES FIRST(B.current_temperature, 1) AS second_b, LAST(B.current_temperature, 1) AS before_last_b,
      FIRST(A.sensor_id) AS a_id, LAST(C.sensor_id) AS c_id, COUNT(*) AS n
    AFTER MATCH SKIP TO LAST B
    PATTERN (A B{2,} C)
    DEFINE A AS A.current_temperature < 60, B AS B.current_temperature > LAST(B.current_temperature, 1) OR LAST(B.current_temperature, 1) IS NULL,
      C AS C.current_temperature < A.current_temperature + 20
  )
