SELECT 1 AS n, CAST('2021-05-19 11:20:00' AS TIMESTAMP(3)) AS ts, 'a' || 'b' AS s, 7 / 2 AS half
