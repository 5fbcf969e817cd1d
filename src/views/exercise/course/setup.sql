CREATE TABLE readings (
    sensor_id INT,
    temperature DOUBLE,
    status STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '10' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'readings.jsonl',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
CREATE TABLE sensors (
    sensor_id INT,
    location STRING
) WITH (
    'connector' = 'filesystem',
    'path' = 'sensors.jsonl',
    'format' = 'json'
);
