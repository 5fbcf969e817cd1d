CREATE TABLE readings (id INT, ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3))
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='json', 'json.timestamp-format.standard'='SQL',
        'json.ignore-parse-errors'='true')
