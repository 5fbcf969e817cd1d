WITH d AS (
  SELECT sensor_id, CAST(current_temperature AS DECIMAL(10, 2)) AS temp, status, event_time FROM sensor_data)
SELECT * FROM d
  MATCH_RECOGNIZE (
    PARTITION BY sensor_id
    ORDER BY event_time
    MEASURES SUM(B.temp) AS s, AVG(B.temp) AS a, MIN(B.temp) AS mn, MAX(B.temp * 2) AS mx2, A.temp AS a_temp,
      LAST(B.temp, 1) AS before_last
    AFTER MATCH SKIP TO NEXT ROW
    PATTERN (A B{2,4}? C)
    DEFINE A AS A.status = 'ERROR', B AS B.status <> 'ERROR' AND AVG(B.temp) > A.temp - 120, C AS C.status = 'ERROR'
  )
