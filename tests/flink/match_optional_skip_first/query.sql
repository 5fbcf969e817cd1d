SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY event_time
    MEASURES A.event_time AS a_time, B.event_time AS b_time, C.event_time AS c_time, D.event_time AS d_time
    AFTER MATCH SKIP TO FIRST D
    PATTERN (A B? C{1,2}? D)
    DEFINE A AS A.status = 'WARNING', B AS B.status = 'WARNING', C AS C.status = 'OK', D AS D.current_temperature > C.current_temperature
  )
