SELECT id, tag, pos FROM orders LEFT JOIN UNNEST(tags) WITH ORDINALITY AS t(tag, pos) ON TRUE
