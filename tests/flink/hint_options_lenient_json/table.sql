CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status STRING, event_time TIMESTAMP(3),
    warmer AS current_temperature + 1)
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='json', 'json.timestamp-format.standard'='ISO-8601',
        'json.fail-on-missing-field'='true')
