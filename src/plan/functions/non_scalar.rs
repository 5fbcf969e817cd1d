//! The functions that are not scalar — aggregates, OVER-window functions, window table
//! functions and the group-window auxiliaries — described for SHOW FUNCTIONS, DESCRIBE
//! FUNCTION and the editor. The binder and planner implement them (`bind.rs`'s
//! `aggregate_function`, `planner.rs`); this table only names and explains them.

/// A non-scalar function's name, kind and help text.
pub struct NonScalar {
    pub name: &'static str,
    /// `AGGREGATE`, `OVER WINDOW`, `TABLE` or `GROUP WINDOW`, as DESCRIBE FUNCTION prints it.
    pub kind: &'static str,
    pub syntax: &'static str,
    pub description: &'static str,
}

const fn agg(name: &'static str, syntax: &'static str, description: &'static str) -> NonScalar {
    NonScalar { name, kind: "AGGREGATE", syntax, description }
}

const fn window(name: &'static str, kind: &'static str, syntax: &'static str, description: &'static str) -> NonScalar {
    NonScalar { name, kind, syntax, description }
}

pub static NON_SCALAR: &[NonScalar] = &[
    agg("COUNT", "COUNT(*) | COUNT([DISTINCT] expression)", "The number of rows, or of non-NULL values."),
    agg("SUM", "SUM([DISTINCT] expression)", "The sum of the values."),
    agg("AVG", "AVG([DISTINCT] expression)", "The average of the values, in their type."),
    agg("MIN", "MIN(expression)", "The least value."),
    agg("MAX", "MAX(expression)", "The greatest value."),
    agg("VAR_POP", "VAR_POP(expression)", "The population variance."),
    agg("VAR_SAMP", "VAR_SAMP(expression)", "The sample variance."),
    agg("VARIANCE", "VARIANCE(expression)", "The sample variance (VAR_SAMP)."),
    agg("STDDEV_POP", "STDDEV_POP(expression)", "The population standard deviation."),
    agg("STDDEV_SAMP", "STDDEV_SAMP(expression)", "The sample standard deviation."),
    agg("STDDEV", "STDDEV(expression)", "The sample standard deviation (STDDEV_SAMP)."),
    agg("FIRST_VALUE", "FIRST_VALUE(expression)", "The first value seen."),
    agg("LAST_VALUE", "LAST_VALUE(expression)", "The last value seen."),
    agg("LISTAGG", "LISTAGG(expression[, separator])", "The strings joined by separator (',' by default)."),
    agg(
        "ARRAY_AGG",
        "ARRAY_AGG([DISTINCT] expression [RESPECT NULLS | IGNORE NULLS])",
        "The values as an ARRAY in arrival order (NULL elements kept unless IGNORE NULLS); NULL when there are none.",
    ),
    agg("COLLECT", "COLLECT([DISTINCT] expression)", "The non-NULL values as a MULTISET."),
    agg(
        "PERCENTILE",
        "PERCENTILE(expression, percentage [, frequency]) | PERCENTILE(expression, ARRAY[percentage, …] [, frequency])",
        "The exact percentile (0.0 to 1.0) of the non-NULL values, interpolated linearly; an ARRAY of percentiles for an ARRAY of percentages; each value counted frequency times.",
    ),
    agg(
        "JSON_ARRAYAGG",
        "JSON_ARRAYAGG(expression [NULL | ABSENT ON NULL])",
        "The values as a JSON array text; NULLs left out unless NULL ON NULL.",
    ),
    agg(
        "JSON_OBJECTAGG",
        "JSON_OBJECTAGG([KEY] key VALUE value [NULL | ABSENT ON NULL])",
        "The key/value pairs as a JSON object text, keys sorted; a NULL value is null unless ABSENT ON NULL.",
    ),
    agg(
        "GROUPING",
        "GROUPING(expression[, expression …])",
        "With GROUPING SETS, ROLLUP or CUBE: a bit per argument, 1 where the row's grouping set leaves it out.",
    ),
    agg("GROUPING_ID", "GROUPING_ID(expression[, expression …])", "The same bits as GROUPING, read as one number."),
    agg("GROUP_ID", "GROUP_ID()", "Which copy of a repeated grouping set the row comes from (0 for the first)."),
    window(
        "ROW_NUMBER",
        "OVER WINDOW",
        "ROW_NUMBER() OVER (PARTITION BY … ORDER BY …)",
        "Each row's number in its partition, from 1 (Top-N and deduplication).",
    ),
    window(
        "LAG",
        "OVER WINDOW",
        "LAG(expression[, offset[, default]]) OVER (PARTITION BY … ORDER BY rowtime)",
        "The value offset rows back in the partition (1 by default), or default (NULL) when there is none.",
    ),
    window("RANK", "OVER WINDOW", "RANK() OVER (PARTITION BY … ORDER BY …)", "Each row's rank in its partition, with gaps after ties."),
    window("DENSE_RANK", "OVER WINDOW", "DENSE_RANK() OVER (PARTITION BY … ORDER BY …)", "Each row's rank in its partition, without gaps."),
    // Flink documents these and its streaming planner refuses them ("… Function is not
    // supported in stream mode."), as Sluice does: listed so their names are known.
    window(
        "LEAD",
        "OVER WINDOW",
        "LEAD(expression[, offset[, default]]) OVER (PARTITION BY … ORDER BY …)",
        "The value offset rows ahead in the partition; Flink runs it in batch mode only (a stream's later rows are not known yet).",
    ),
    window("CUME_DIST", "OVER WINDOW", "CUME_DIST() OVER (PARTITION BY … ORDER BY …)", "The cumulative distribution of each row; Flink runs it in batch mode only."),
    window("PERCENT_RANK", "OVER WINDOW", "PERCENT_RANK() OVER (PARTITION BY … ORDER BY …)", "Each row's relative rank; Flink runs it in batch mode only."),
    window("NTILE", "OVER WINDOW", "NTILE(n) OVER (PARTITION BY … ORDER BY …)", "The bucket (1 to n) of each row; Flink runs it in batch mode only."),
    window("TUMBLE", "TABLE", "TUMBLE(TABLE t, DESCRIPTOR(ts), size) | GROUP BY TUMBLE(ts, size)", "Fixed-size, non-overlapping windows."),
    window(
        "HOP",
        "TABLE",
        "HOP(TABLE t, DESCRIPTOR(ts), slide, size) | GROUP BY HOP(ts, slide, size)",
        "Fixed-size windows that overlap by slide.",
    ),
    window("CUMULATE", "TABLE", "CUMULATE(TABLE t, DESCRIPTOR(ts), step, size)", "Windows that grow by step up to size."),
    window(
        "SESSION",
        "TABLE",
        "SESSION(TABLE t [PARTITION BY k], DESCRIPTOR(ts), gap) | GROUP BY SESSION(ts, gap)",
        "Windows that close after a gap without rows.",
    ),
    window("TUMBLE_START", "GROUP WINDOW", "TUMBLE_START(ts, size)", "The start of a GROUP BY TUMBLE window."),
    window("TUMBLE_END", "GROUP WINDOW", "TUMBLE_END(ts, size)", "The end of a GROUP BY TUMBLE window."),
    window("TUMBLE_ROWTIME", "GROUP WINDOW", "TUMBLE_ROWTIME(ts, size)", "The rowtime (end − 1 ms) of a GROUP BY TUMBLE window."),
    window("HOP_START", "GROUP WINDOW", "HOP_START(ts, slide, size)", "The start of a GROUP BY HOP window."),
    window("HOP_END", "GROUP WINDOW", "HOP_END(ts, slide, size)", "The end of a GROUP BY HOP window."),
    window("HOP_ROWTIME", "GROUP WINDOW", "HOP_ROWTIME(ts, slide, size)", "The rowtime (end − 1 ms) of a GROUP BY HOP window."),
    window("SESSION_START", "GROUP WINDOW", "SESSION_START(ts, gap)", "The start of a GROUP BY SESSION window."),
    window("SESSION_END", "GROUP WINDOW", "SESSION_END(ts, gap)", "The end of a GROUP BY SESSION window."),
    window("SESSION_ROWTIME", "GROUP WINDOW", "SESSION_ROWTIME(ts, gap)", "The rowtime (end − 1 ms) of a GROUP BY SESSION window."),
    window("CAST", "CONVERSION", "CAST(value AS type)", "value converted to type; a value that does not convert fails the query."),
    window("TRY_CAST", "CONVERSION", "TRY_CAST(value AS type)", "value converted to type; NULL when it does not convert."),
];
