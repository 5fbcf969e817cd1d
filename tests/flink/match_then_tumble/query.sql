WITH alerts AS (
  SELECT sensor_id, mt, error_temp - ok_temp AS jump FROM sensor_data
    MATCH_RECOGNIZE (
      PARTITION BY sensor_id
      ORDER BY event_time
      MEASURES MATCH_ROWTIME() AS mt, A.current_temperature AS ok_temp, B.current_temperature AS error_temp
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B)
      DEFINE A AS A.status = 'OK', B AS B.status = 'ERROR' AND B.current_temperature > A.current_temperature + 80
    ))
SELECT window_start, window_end, COUNT(*) AS alerts, MAX(jump) AS biggest_jump
FROM TABLE(TUMBLE(TABLE alerts, DESCRIPTOR(mt), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end
