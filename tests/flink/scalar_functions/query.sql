SELECT sensor_id, UPPER(status) AS up, LOWER(status) AS low, CHAR_LENGTH(status) AS len,
  SUBSTRING(status, 1, 2) AS first2, status || '!' AS bang, REPLACE(status, 'O', '0') AS zeroed,
  POSITION('R' IN status) AS r_at, REGEXP_EXTRACT(status, '(W|E)(A|R)', 2) AS rx,
  DATE_FORMAT(event_time, 'yyyy-MM-dd HH:mm') AS minute_text, EXTRACT(SECOND FROM event_time) AS sec,
  TIMESTAMPADD(MINUTE, 5, event_time) AS later, FLOOR(event_time TO MINUTE) AS minute_floor,
  CASE WHEN current_temperature > 150 THEN 'hot' WHEN current_temperature < 30 THEN 'cold' ELSE 'mild' END AS band,
  ROUND(current_temperature, 1) AS rounded, MOD(sensor_id, 7) AS m7, CAST(current_temperature AS INT) AS t_int,
  COALESCE(NULLIF(status, 'OK'), 'fine') AS not_ok
FROM sensor_data WHERE sensor_id < 6
