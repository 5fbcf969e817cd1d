WITH last_error AS (
  SELECT sensor_id, current_temperature, event_time FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn
    FROM sensor_data WHERE status = 'ERROR')
  WHERE rn = 1)
SELECT o.sensor_id, o.event_time, o.current_temperature,
  e.current_temperature AS error_temperature, e.event_time AS error_time
FROM sensor_data o JOIN last_error FOR SYSTEM_TIME AS OF o.event_time AS e ON o.sensor_id = e.sensor_id
WHERE o.sensor_id < 20
