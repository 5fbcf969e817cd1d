SELECT a.sensor_id AS error_sensor, a.errors, b.sensor_id AS warning_sensor, b.warnings FROM
  (SELECT sensor_id, COUNT(*) AS errors FROM sensor_data WHERE status = 'ERROR' AND sensor_id < 40 GROUP BY sensor_id) a
  FULL JOIN (SELECT sensor_id, COUNT(*) AS warnings FROM sensor_data WHERE status = 'WARNING' AND sensor_id > 20 GROUP BY sensor_id) b
  ON a.sensor_id = b.sensor_id
