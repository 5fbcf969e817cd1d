SELECT id, tags, attrs, loc, loc.lat AS lat, tags[1] AS first_tag, attrs['a'] AS a, CARDINALITY(tags) AS n FROM orders WHERE CARDINALITY(tags) >= 1
