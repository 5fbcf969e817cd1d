CREATE TABLE status_latest (sensor_id INT, status STRING, n BIGINT, PRIMARY KEY (status) NOT ENFORCED)
  WITH ('connector'='print')
