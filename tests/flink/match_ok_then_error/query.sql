SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY event_time
    MEASURES A.event_time AS ok_time, B.event_time AS error_time,
      A.current_temperature AS ok_temp, B.current_temperature AS error_temp
    ONE ROW PER MATCH
    AFTER MATCH SKIP PAST LAST ROW
    PATTERN (A B)
    DEFINE A AS A.status = 'OK', B AS B.status = 'ERROR' AND B.current_temperature > A.current_temperature + 80
  )
