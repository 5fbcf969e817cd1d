VALUES (1, 'a'), (2, 'bb'), (3, 'a')
