CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status STRING, event_time TIMESTAMP(3))
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='json', 'json.timestamp-format.standard'='ISO-8601',
        'json.ignore-parse-errors'='true')
