SELECT id, name, weight FROM products
