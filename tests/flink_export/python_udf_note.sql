%flink.pyflink
# A watermark after every record, on one task, as the reference outputs were produced
# (tests/flink/README.md); and a bundle of one record for the Python worker, which otherwise
# holds the watermark back while a bundle is out, so records late by the watermark before them
# would not be late.
st_env.get_config().set("parallelism.default", "1")
st_env.get_config().set("pipeline.auto-watermark-interval", "0")
st_env.get_config().set("python.fn-execution.bundle.size", "1")


@udf(result_type=DataTypes.DOUBLE())
def c_to_f(celsius):
    return celsius * 9.0 / 5.0 + 32.0


st_env.create_temporary_function("c_to_f", c_to_f)
%flink.ssql
CREATE TABLE sensor_data (
    sensor_id INTEGER,
    current_temperature DOUBLE,
    status VARCHAR(6),
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
)
WITH (
    'connector' = 'filesystem',
    'path' = '{input}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
%flink.ssql
CREATE TABLE sensor_state_f (
    status VARCHAR(6),
    num INTEGER,
    avg_temperature_f DOUBLE,
    hop_time TIMESTAMP(3)
)
WITH (
    'connector' = 'filesystem',
    'path' = '{output}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
%flink.ssql(type=update)
INSERT INTO sensor_state_f
SELECT sensor_data.status,
    COUNT(*) AS num,
    AVG(c_to_f(sensor_data.current_temperature)) AS avg_temperature_f,
    HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
FROM sensor_data
GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;
