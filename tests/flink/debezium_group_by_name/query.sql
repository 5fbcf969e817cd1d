SELECT name, COUNT(*) AS n, SUM(weight) AS total FROM products GROUP BY name
