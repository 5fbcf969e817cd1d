SELECT id, name FROM products WHERE weight > 1
