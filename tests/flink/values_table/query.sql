SELECT * FROM (VALUES (1, 'a', 1.5), (2, 'bb', 2.25), (3, 'a', -0.5)) AS t(id, name, score)
