SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY event_time
    MEASURES FIRST(A.event_time) AS a_time, LAST(C.event_time) AS c_time, COUNT(B.sensor_id) AS nb, MATCH_ROWTIME() AS mt
    AFTER MATCH SKIP TO NEXT ROW
    PATTERN (A B*? C) WITHIN INTERVAL '40' SECOND
    DEFINE A AS A.status = 'ERROR', B AS B.status <> 'ERROR', C AS C.status = 'ERROR'
  )
