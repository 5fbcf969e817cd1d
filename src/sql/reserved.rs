//! Flink's reserved words: the words Flink 2.3's parser refuses as an unquoted name (a column, a
//! table, a view, an alias, a named argument …), so a script Sluice runs also parses on Flink.
//! `CREATE TABLE t (value INT)` fails on Flink ("Incorrect syntax near the keyword 'value'"); in
//! backquotes (`` `value` ``) any word is a name.
//!
//! Which words, and where, is Flink's parser's answer, not its documentation's list (which mixes
//! reserved and non-reserved words): tests/flink/reserved_words.py asked PyFlink 2.3 for every
//! word of that list and every keyword of its parser in each kind of place, and
//! tests/flink/reserved_words.tsv keeps the answers, which tests/reserved_words.rs replays here.
//! Two kinds of place differ: where a name is declared or qualified, every reserved word is
//! refused; where an expression reads a column, Flink takes the words it reads as a value there
//! (`CURRENT_DATE`, `USER`, `TRUE`, …), so only the others are refused ([`VALUE_WORDS`]).
//!
//! Names are checked where they are read: [`name`] for those Sluice's DDL reader reads
//! (`ddl.rs`), [`tree`] for those in what sqlparser reads (queries, expressions, INSERT, DROP).

use std::collections::HashSet;

use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectNamePart, TableFactor, VisitMut};
use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};

use super::walk::{self, Node};
use super::{Location, SqlError};

/// Refuses `ident` if it is a reserved word written without backquotes, standing as a name.
pub(super) fn name(ident: &Ident) -> Result<(), SqlError> {
    if typed_bare(ident) && is_reserved_word(&ident.value) {
        return Err(refusal(ident));
    }
    Ok(())
}

/// [`name`] for a column read in an expression, where Flink takes the words of [`VALUE_WORDS`]
/// (as the values they stand for).
fn column_reference(ident: &Ident) -> Result<(), SqlError> {
    if typed_bare(ident) && is_reserved_word(&ident.value) && !contains(VALUE_WORDS, &ident.value) {
        return Err(refusal(ident));
    }
    Ok(())
}

/// Whether `ident` was typed without backquotes. A name on line 0 was made up by Sluice's dialect
/// (a CAST's type, `MAP`), not typed.
fn typed_bare(ident: &Ident) -> bool {
    ident.quote_style.is_none() && ident.span.start.line > 0
}

/// Refuses the reserved words standing as names in `node`, a tree sqlparser read: every name but
/// the names of functions (`COUNT(*)`, `CURRENT_DATE`), the time unit of `TIMESTAMPADD` /
/// `TIMESTAMPDIFF` and a `DEFAULT` argument (keywords there, which sqlparser reads as columns); a
/// column read in an expression by [`column_reference`]. The first refused name, in the walk's
/// order, is reported.
pub(super) fn tree<N: VisitMut + ?Sized>(node: &mut N) -> Result<(), SqlError> {
    // The spans of the names an expression entered already answered for: sqlparser's walk shows
    // an expression's names after the expression.
    let mut answered: HashSet<(u64, u64)> = HashSet::new();
    let at = |i: &Ident| (i.span.start.line, i.span.start.column);
    walk::rewrite(node, |n| match n {
        // A function's argument it answered for (a time unit, DEFAULT) is entered after it.
        Node::Enter(Expr::Identifier(ident)) if answered.insert(at(ident)) => column_reference(ident),
        Node::Enter(Expr::CompoundIdentifier(parts)) => {
            answered.extend(parts.iter().map(at));
            // `t.a`: the first part is read as an expression is (`USER.a` is USER's field to
            // Flink); the others name fields or columns.
            let mut parts = parts.iter();
            parts.next().map_or(Ok(()), column_reference)?;
            parts.try_for_each(name)
        }
        Node::Enter(Expr::Function(f)) => {
            answered.extend(f.name.0.iter().filter_map(ObjectNamePart::as_ident).map(at));
            let FunctionArguments::List(list) = &f.args else { return Ok(()) };
            let unit_first = matches!(f.name.0.as_slice(), [ObjectNamePart::Identifier(i)]
                if i.value.eq_ignore_ascii_case("TIMESTAMPADD") || i.value.eq_ignore_ascii_case("TIMESTAMPDIFF"));
            for (n, arg) in list.args.iter().enumerate() {
                let (FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(word)))
                | FunctionArg::Named { arg: FunctionArgExpr::Expr(Expr::Identifier(word)), .. }) = arg
                else {
                    continue;
                };
                // An argument may be `DEFAULT` (Calcite's: the parameter's default value).
                let default = word.quote_style.is_none() && word.value.eq_ignore_ascii_case("DEFAULT");
                if default || (unit_first && n == 0) {
                    answered.insert(at(word));
                }
            }
            Ok(())
        }
        // `FROM UNNEST(a)`, `FROM late_records('1')`: a function's name where a table's may stand.
        Node::TableFactor(TableFactor::Table { name, args: Some(_), .. } | TableFactor::Function { name, .. }) => {
            answered.extend(name.0.iter().filter_map(ObjectNamePart::as_ident).map(at));
            Ok(())
        }
        Node::Ident(ident) if !answered.contains(&at(ident)) => name(ident),
        _ => Ok(()),
    })
}

fn refusal(ident: &Ident) -> SqlError {
    let word = &ident.value;
    SqlError::new(format!("`{word}` is a reserved word in Flink SQL: it cannot be a name without backquotes"))
        .at(Location { line: ident.span.start.line as u32, column: ident.span.start.column as u32 })
        .hint(format!("write `{word}` in backquotes, as Flink asks (Flink 2.3: \"Incorrect syntax near the keyword '{word}'\")"))
}

/// Whether Flink 2.3 refuses `word` (any case) as an unquoted name: what DDL Sluice writes
/// backquotes.
pub fn is_reserved_word(word: &str) -> bool {
    contains(RESERVED, word)
}

/// Whether Flink reserves the word sqlparser read as `keyword` ([`Keyword::NoKeyword`]: none).
/// `ALL_KEYWORDS_INDEX` lists the keywords in their declaration order, which is their `Ord`, and
/// `ALL_KEYWORDS` their words in the same order.
pub(super) fn is_reserved_keyword(keyword: Keyword) -> bool {
    ALL_KEYWORDS_INDEX.binary_search(&keyword).is_ok_and(|i| ALL_KEYWORDS.get(i).is_some_and(|w| is_reserved_word(w)))
}

/// Whether the upper-cased, sorted `words` hold `word` (in any case).
fn contains(words: &[&str], word: &str) -> bool {
    // Reserved words are short ASCII; a longer or non-ASCII word is none of them.
    if word.len() > 40 || !word.is_ascii() {
        return false;
    }
    let upper = word.to_ascii_uppercase();
    words.binary_search(&upper.as_str()).is_ok()
}

/// The words Flink 2.3 refuses as an unquoted name, upper-cased and sorted (`R` in
/// tests/flink/reserved_words.tsv's name columns).
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "ABS", "ALL", "ALLOCATE", "ALLOW", "ALTER", "AND", "ANY", "ARE", "ARRAY", "ARRAY_CONCAT_AGG",
    "ARRAY_MAX_CARDINALITY", "AS", "ASENSITIVE", "ASYMMETRIC", "AT", "ATOMIC", "AUTHORIZATION", "AVG", "BEGIN",
    "BEGIN_FRAME", "BEGIN_PARTITION", "BETWEEN", "BIGINT", "BINARY", "BIT", "BITMAP", "BLOB", "BOOLEAN", "BOTH",
    "BUCKETS", "BY", "BYTES", "CALL", "CALLED", "CARDINALITY", "CASCADED", "CASE", "CAST", "CATALOGS", "CEIL",
    "CEILING", "CHAR", "CHARACTER", "CHARACTER_LENGTH", "CHAR_LENGTH", "CHECK", "CLASSIFIER", "CLOB", "CLOSE",
    "COALESCE", "COLLATE", "COLLECT", "COLUMN", "COMMENT", "COMMIT", "CONDITION", "CONNECT", "CONNECTIONS",
    "CONSTRAINT", "CONTAINS", "CONTAINS_SUBSTR", "CONTINUOUS", "CONVERT", "CORR", "CORRESPONDING", "COUNT", "COVAR_POP",
    "COVAR_SAMP", "CREATE", "CROSS", "CUBE", "CUME_DIST", "CURRENT", "CURRENT_CATALOG", "CURRENT_DATE",
    "CURRENT_DEFAULT_TRANSFORM_GROUP", "CURRENT_PATH", "CURRENT_ROLE", "CURRENT_ROW", "CURRENT_SCHEMA", "CURRENT_TIME",
    "CURRENT_TIMESTAMP", "CURRENT_TRANSFORM_GROUP_FOR_TYPE", "CURRENT_USER", "CURSOR", "CYCLE", "DATABASES", "DATE",
    "DATETIME", "DATETIME_TRUNC", "DATE_TRUNC", "DAY", "DEALLOCATE", "DEC", "DECIMAL", "DECLARE", "DEFAULT", "DEFINE",
    "DELETE", "DENSE_RANK", "DEREF", "DESCRIBE", "DETERMINISTIC", "DISALLOW", "DISCONNECT", "DISTINCT", "DISTRIBUTED",
    "DISTRIBUTION", "DOT", "DOUBLE", "DROP", "DYNAMIC", "EACH", "ELEMENT", "ELSE", "EMPTY", "END", "END_FRAME",
    "END_PARTITION", "EQUALS", "ESCAPE", "EVERY", "EXCEPT", "EXEC", "EXECUTE", "EXISTS", "EXP", "EXPLAIN", "EXTEND",
    "EXTENDED", "EXTERNAL", "EXTRACT", "FALSE", "FETCH", "FILTER", "FIRST_VALUE", "FLOAT", "FLOOR", "FOR", "FOREIGN",
    "FRAME_ROW", "FREE", "FRESHNESS", "FRIDAY", "FROM", "FULL", "FUNCTION", "FUNCTIONS", "FUSION", "GET", "GLOBAL",
    "GRANT", "GROUP", "GROUPING", "GROUPS", "GROUP_CONCAT", "HASH", "HAVING", "HOLD", "HOUR", "IDENTITY", "ILIKE",
    "IMPORT", "IN", "INCLUDE", "INDICATOR", "INITIAL", "INNER", "INOUT", "INSENSITIVE", "INSERT", "INT", "INTEGER",
    "INTERSECT", "INTERSECTION", "INTERVAL", "INTO", "IS", "JOIN", "JSON_ARRAY", "JSON_ARRAYAGG", "JSON_EXISTS",
    "JSON_OBJECT", "JSON_OBJECTAGG", "JSON_QUERY", "JSON_SCOPE", "JSON_VALUE", "LAG", "LANGUAGE", "LARGE", "LAST_VALUE",
    "LATERAL", "LEAD", "LEADING", "LEFT", "LIKE", "LIKE_REGEX", "LIMIT", "LN", "LOCAL", "LOCALTIME", "LOCALTIMESTAMP",
    "LOWER", "MATCH", "MATCHES", "MATCH_NUMBER", "MATCH_RECOGNIZE", "MATERIALIZED", "MAX", "MEASURES", "MEMBER",
    "MERGE", "METHOD", "MIN", "MINUS", "MINUTE", "MOD", "MODELS", "MODIFIES", "MODIFY", "MODULE", "MODULES", "MONDAY",
    "MONTH", "MULTISET", "NATIONAL", "NATURAL", "NCHAR", "NCLOB", "NEW", "NEXT", "NO", "NONE", "NORMALIZE", "NOT",
    "NTH_VALUE", "NTILE", "NULL", "NULLIF", "NUMERIC", "OCCURRENCES_REGEX", "OCTET_LENGTH", "OF", "OFFSET", "OLD",
    "OMIT", "ON", "ONE", "ONLY", "OPEN", "OR", "ORDER", "ORDINAL", "OUT", "OUTER", "OVER", "OVERLAPS", "OVERLAY",
    "PARAMETER", "PARTITION", "PATTERN", "PER", "PERCENT", "PERCENTILE_CONT", "PERCENTILE_DISC", "PERCENT_RANK",
    "PERIOD", "PERMUTE", "PIVOT", "PORTION", "POSITION", "POSITION_REGEX", "POWER", "PRECEDES", "PRECISION", "PREPARE",
    "PREV", "PRIMARY", "PROCEDURE", "PROCEDURES", "QUALIFY", "QUARTERS", "RANGE", "RANK", "RAW", "READS", "REAL",
    "RECURSIVE", "REF", "REFERENCES", "REFERENCING", "REFRESH", "REFRESH_MODE", "REGR_AVGX", "REGR_AVGY", "REGR_COUNT",
    "REGR_INTERCEPT", "REGR_R2", "REGR_SLOPE", "REGR_SXX", "REGR_SXY", "REGR_SYY", "RELEASE", "RENAME", "RESET",
    "RESULT", "RESUME", "RETURN", "RETURNS", "REVOKE", "RIGHT", "RLIKE", "ROLLBACK", "ROLLUP", "ROW", "ROWS",
    "ROW_NUMBER", "RUNNING", "SAFE_CAST", "SAFE_OFFSET", "SAFE_ORDINAL", "SATURDAY", "SAVEPOINT", "SCALA", "SCOPE",
    "SCROLL", "SEARCH", "SECOND", "SEEK", "SELECT", "SENSITIVE", "SEPARATOR", "SESSION_USER", "SET", "SHOW", "SIMILAR",
    "SKIP", "SMALLINT", "SOME", "SPECIFIC", "SPECIFICTYPE", "SQL", "SQLEXCEPTION", "SQLSTATE", "SQLWARNING", "SQRT",
    "START", "STATEMENT", "STATIC", "STDDEV_POP", "STDDEV_SAMP", "STREAM", "STRING", "STRING_AGG", "STRUCTURED",
    "SUBMULTISET", "SUBSET", "SUBSTRING", "SUBSTRING_REGEX", "SUCCEEDS", "SUM", "SUNDAY", "SUSPEND", "SYMMETRIC",
    "SYSTEM", "SYSTEM_TIME", "SYSTEM_USER", "TABLE", "TABLES", "TABLESAMPLE", "THEN", "THURSDAY", "TIME", "TIMESTAMP",
    "TIMESTAMP_DIFF", "TIMESTAMP_LTZ", "TIMESTAMP_TRUNC", "TIMEZONE_HOUR", "TIMEZONE_MINUTE", "TIME_DIFF", "TIME_TRUNC",
    "TINYINT", "TO", "TRAILING", "TRANSLATE", "TRANSLATE_REGEX", "TRANSLATION", "TREAT", "TRIGGER", "TRIM",
    "TRIM_ARRAY", "TRUE", "TRUNCATE", "TRY_CAST", "TUESDAY", "UESCAPE", "UNION", "UNIQUE", "UNKNOWN", "UNNEST",
    "UNPIVOT", "UPDATE", "UPPER", "UPSERT", "USE", "USER", "USING", "VALUE", "VALUES", "VALUE_OF", "VARBINARY",
    "VARCHAR", "VARIANT", "VARYING", "VAR_POP", "VAR_SAMP", "VERSIONING", "VIEWS", "WATERMARK", "WATERMARKS",
    "WEDNESDAY", "WEEKS", "WHEN", "WHENEVER", "WHERE", "WIDTH_BUCKET", "WINDOW", "WITH", "WITHIN", "WITHOUT", "YEAR",
];

/// The reserved words Flink 2.3 reads as a value where an expression reads a column (`A` in the
/// TSV's `select_column`): `SELECT CURRENT_DATE FROM t`, `WHERE user IS NULL`.
#[rustfmt::skip]
const VALUE_WORDS: &[&str] = &[
    "CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_DEFAULT_TRANSFORM_GROUP", "CURRENT_PATH", "CURRENT_ROLE",
    "CURRENT_SCHEMA", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "FALSE", "LOCALTIME", "LOCALTIMESTAMP",
    "NULL", "SESSION_USER", "SYSTEM_USER", "TRUE", "UNKNOWN", "USER",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_sorted_upper_case_and_the_value_words_are_reserved() {
        for list in [RESERVED, VALUE_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
            assert!(list.iter().all(|w| w.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')));
        }
        assert!(VALUE_WORDS.iter().all(|w| is_reserved_word(w)));
    }
}
