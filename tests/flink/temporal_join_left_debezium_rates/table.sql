CREATE TABLE orders (order_id INT, currency STRING, amount DOUBLE, order_time TIMESTAMP(3),
    WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND)
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='json');
CREATE TABLE rates (currency STRING, rate DOUBLE, update_time TIMESTAMP(3),
    WATERMARK FOR update_time AS update_time - INTERVAL '5' SECOND, PRIMARY KEY (currency) NOT ENFORCED)
  WITH ('connector'='filesystem', 'path'='{dir}/rates.jsonl', 'format'='debezium-json')
