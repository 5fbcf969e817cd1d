SELECT o.order_id, o.order_time, o.amount * r.rate AS converted, r.rate, r.update_time
FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency
