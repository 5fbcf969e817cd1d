CREATE TABLE status_counts (status STRING, n BIGINT, PRIMARY KEY (status) NOT ENFORCED)
  WITH ('connector'='print')
