SELECT * FROM sensor_data
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY event_time
    MEASURES FIRST(S.event_time) AS start_time, LAST(S.current_temperature) AS last_s, S.status AS s_status,
      AVG(S.current_temperature) AS avg_s, COUNT(S.sensor_id) AS n_s, SUM(B.current_temperature * 2 + 1) AS b_sum2,
      MAX(CHAR_LENGTH(B.status)) AS b_len, LISTAGG(B.status) AS b_statuses, FIRST_VALUE(B.current_temperature) AS fv,
      LAST_VALUE(S.current_temperature) AS lv, STDDEV_POP(B.current_temperature) AS sd, VAR_SAMP(S.current_temperature) AS vs,
      MIN(C.current_temperature - 1) AS c_min, COUNT(*) AS n
    AFTER MATCH SKIP PAST LAST ROW
    PATTERN (A B+? C)
    SUBSET S = (A, C)
    DEFINE A AS A.status = 'OK', B AS B.status <> 'OK' AND SUM(B.current_temperature * 2) < 800, C AS C.status = 'OK'
  )
