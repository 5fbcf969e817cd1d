SELECT id, ts, CAST(ltz AS STRING) AS ltz_utc FROM readings
