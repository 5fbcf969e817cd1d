CREATE TABLE orders (id INT, tags ARRAY<STRING>, attrs MAP<STRING, INT>, loc ROW<lat DOUBLE, lon DOUBLE>)
  WITH ('connector'='filesystem', 'path'='{input}', 'format'='json')
