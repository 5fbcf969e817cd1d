SELECT name, SUM(id) AS total, COUNT(*) AS n
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a')) AS t(id, name) GROUP BY name
