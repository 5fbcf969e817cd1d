SELECT window_start, status, LISTAGG(CAST(sensor_id AS STRING)) AS ids
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND))
WHERE sensor_id < 8
GROUP BY window_start, window_end, status
