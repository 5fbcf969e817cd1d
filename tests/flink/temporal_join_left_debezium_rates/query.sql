SELECT o.order_id, o.currency, o.order_time, r.rate, r.update_time
FROM orders AS o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency
