SELECT s.sensor_id, s.current_temperature, s.warmer FROM sensor_data /*+ OPTIONS('json.ignore-parse-errors'='true', 'json.fail-on-missing-field'='false') */ AS s
