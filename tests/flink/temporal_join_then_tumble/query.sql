WITH last_error AS (
  SELECT sensor_id, current_temperature, event_time FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn
    FROM sensor_data WHERE status = 'ERROR')
  WHERE rn = 1),
joined AS (
  SELECT o.sensor_id, o.event_time, e.current_temperature AS error_temperature
  FROM sensor_data o JOIN last_error FOR SYSTEM_TIME AS OF o.event_time AS e ON o.sensor_id = e.sensor_id)
SELECT window_start, window_end, COUNT(*) AS n, MAX(error_temperature) AS hottest_error
FROM TABLE(TUMBLE(TABLE joined, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end
