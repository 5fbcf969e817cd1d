CREATE TABLE products (id INT, name STRING, weight DOUBLE, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='debezium-json')
