CREATE TABLE LeftTable (row_time TIMESTAMP(3), num INT, id STRING, WATERMARK FOR row_time AS row_time - INTERVAL '1' SECOND)
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='json');
CREATE TABLE RightTable (row_time TIMESTAMP(3), num INT, id STRING, WATERMARK FOR row_time AS row_time - INTERVAL '1' SECOND)
  WITH ('connector'='filesystem', 'path'='{dir}/right.jsonl', 'format'='json')
