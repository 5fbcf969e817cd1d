WITH p AS (SELECT sensor_id, current_temperature, status, event_time, PROCTIME() AS pt FROM sensor_data)
SELECT * FROM p
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY pt
    MEASURES A.event_time AS ok_time, B.event_time AS error_time,
      A.current_temperature AS ok_temp, B.current_temperature AS error_temp, MATCH_PROCTIME() IS NOT NULL AS has_proctime
    AFTER MATCH SKIP PAST LAST ROW
    PATTERN (A B)
    DEFINE A AS A.status = 'OK', B AS B.status = 'ERROR' AND B.current_temperature > A.current_temperature + 80
  )
