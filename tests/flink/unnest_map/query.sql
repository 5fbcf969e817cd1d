SELECT id, k, v FROM orders CROSS JOIN UNNEST(attrs) AS t(k, v) WHERE v IS NOT NULL
