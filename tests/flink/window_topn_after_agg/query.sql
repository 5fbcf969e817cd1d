SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY num DESC, hottest DESC) AS rn
  FROM (
    SELECT window_start, window_end, sensor_id, COUNT(*) AS num, MAX(current_temperature) AS hottest
    FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end, sensor_id))
WHERE rn <= 3
