CREATE TABLE hot_readings (sensor_id INT, temperature DOUBLE)
  WITH ('connector'='print', 'print-identifier'='table')
