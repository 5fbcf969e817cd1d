CREATE TABLE readings (sensor_id INT, status STRING, temperature DOUBLE, note STRING)
  WITH ('connector'='print')
