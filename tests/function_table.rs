//! What users see of the function table (`src/plan/functions/`): SHOW FUNCTIONS lists Flink's
//! names and aliases, DESCRIBE FUNCTION explains one, errors and EXPLAIN use SQL names (never
//! Rust's), and an unknown name's error suggests the closest ones.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

fn table(session: &mut Session, sql: &str) -> Vec<Vec<String>> {
    match session.execute(sql, 0).unwrap_or_else(|e| panic!("{sql}: {e}")).pop() {
        Some(Outcome::Table { rows, .. }) => rows.iter().map(|r| r.iter().map(ToString::to_string).collect()).collect(),
        other => panic!("{sql} gave {other:?}"),
    }
}

fn error(session: &mut Session, sql: &str) -> String {
    match session.execute(sql, 0) {
        Ok(o) => panic!("{sql} should fail, gave {o:?}"),
        Err(e) => format!("{e} {}", e.hint.clone().unwrap_or_default()),
    }
}

#[test]
fn show_functions_lists_every_name_and_alias() {
    let mut session = Session::empty();
    let names: Vec<String> = table(&mut session, "SHOW FUNCTIONS").into_iter().map(|r| r[0].clone()).collect();
    for n in ["CEIL", "CEILING", "CHARACTER_LENGTH", "SUBSTR", "CURRENT_ROW_TIMESTAMP", "LPAD", "SHA256", "GREATEST", "COUNT", "HOP"] {
        assert!(names.iter().any(|x| x == n), "SHOW FUNCTIONS lacks {n}");
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn describe_function_prints_flinks_rows_and_the_help() {
    let mut session = Session::empty();
    let rows = table(&mut session, "DESCRIBE FUNCTION EXTENDED lpad");
    let get = |k: &str| rows.iter().find(|r| r[0] == k).map(|r| r[1].clone());
    assert_eq!(get("is system function").as_deref(), Some("true"));
    assert_eq!(get("kind").as_deref(), Some("SCALAR"));
    assert_eq!(get("is deterministic").as_deref(), Some("true"));
    assert_eq!(get("signature").as_deref(), Some("LPAD(string, length, pad)"));
    assert!(get("example").is_some_and(|e| e.contains("'??hi'")));
    let rand = table(&mut session, "DESC FUNCTION EXTENDED RAND");
    assert!(rand.iter().any(|r| r[0] == "is deterministic" && r[1] == "false"));
    assert!(table(&mut session, "DESCRIBE FUNCTION COUNT").iter().any(|r| r[0] == "description"));
    let err = error(&mut session, "DESCRIBE FUNCTION lpadd");
    assert!(err.contains("does not exist") && err.contains("LPAD"), "{err}");
}

#[test]
fn errors_and_explain_use_sql_names() {
    let mut session = Session::empty();
    let err = error(&mut session, "SELECT CHAR_LENGTH(x, 'b') FROM (VALUES ('a')) AS t(x)");
    assert!(err.contains("CHAR_LENGTH takes 1 argument, got 2"), "{err}");
    let err = error(&mut session, "SELECT UPPPER(x) FROM (VALUES ('a')) AS t(x)");
    assert!(err.contains("no function named UPPPER") && err.contains("did you mean UPPER"), "{err}");
    let Some(Outcome::Text(plan)) =
        session.execute("EXPLAIN SELECT TO_TIMESTAMP(x), CHAR_LENGTH(x) FROM (VALUES ('2021-05-19 11:20:00')) AS t(x)", 0).unwrap().pop()
    else {
        panic!("EXPLAIN gives text")
    };
    assert!(plan.contains("TO_TIMESTAMP(") && plan.contains("CHAR_LENGTH("), "{plan}");
    assert!(!plan.contains("TOTIMESTAMP") && !plan.contains("CHARLENGTH"), "{plan}");
}

#[test]
fn create_function_refuses_jvm_languages_and_keeps_python_ones() {
    let mut session = Session::empty();
    // Flink's default language is JAVA; the error is at the function's name.
    let e = session.execute("SELECT 1;\n  CREATE FUNCTION myfn AS 'com.example.Missing'", 0).unwrap_err();
    assert!(e.message.contains("'myfn'") && e.message.contains("JAVA") && e.message.contains("com.example.Missing"), "{e}");
    assert_eq!(e.location.map(|l| (l.line, l.column)), Some((2, 19)), "{e}");
    let err = error(&mut session, "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS cat.db.f AS 'x.Y' LANGUAGE scala USING JAR '/a.jar'");
    assert!(err.contains("'cat.db.f'") && err.contains("SCALA") && err.contains("SQL expression"), "{err}");
    // A Python function is registered even where no Python runs (natively), so a script goes
    // on; calling it says where Python runs.
    session.execute("CREATE TEMPORARY FUNCTION py AS 'mod.fn' LANGUAGE PYTHON", 0).unwrap();
    let err = error(&mut session, "SELECT py(1)");
    assert!(err.contains("Python functions run in the page (Pyodide); `sluice run` cannot call `py`"), "{err}");
    assert_eq!(table(&mut session, "SHOW USER FUNCTIONS"), [["py".to_string()]]);
    session.execute("DROP TEMPORARY FUNCTION py", 0).unwrap();
    let err = error(&mut session, "CREATE FUNCTION f AS 'x.Y' LANGUAGE RUST");
    assert!(err.contains("JAVA, SCALA or PYTHON"), "{err}");
    // No user function can exist, so DROP finds none, in Flink's words.
    let err = error(&mut session, "DROP TEMPORARY SYSTEM FUNCTION nope");
    assert!(err.contains("Could not drop temporary system function. A function named 'nope' doesn't exist."), "{err}");
    let err = error(&mut session, "DROP FUNCTION `upper`");
    assert!(err.contains("does not exist") && err.contains("built-in"), "{err}");
    assert!(matches!(session.execute("DROP TEMPORARY FUNCTION IF EXISTS nope", 0).unwrap().pop(), Some(Outcome::Done { .. })));
    // Other DROPs and SHOW FUNCTIONS are untouched; SHOW USER FUNCTIONS lists none.
    session.execute("CREATE VIEW v AS SELECT 1 AS x FROM (VALUES (1)) AS t(y); DROP VIEW v", 0).unwrap();
    assert!(table(&mut session, "SHOW USER FUNCTIONS").is_empty());
    assert!(table(&mut session, "SHOW FUNCTIONS").iter().any(|r| r[0] == "UPPER"));
}

/// SHOW FUNCTIONS speaks Flink's names: it lists every named function of Flink 2.3's reference
/// (`tests/functions/flink_functions.txt`), and each name it lists is one Flink knows — in what
/// Flink 2.3's own SHOW FUNCTIONS printed (`tests/functions/show_functions.txt`, written by
/// `generate.py`) or in the reference. An unknown name's error offers the closest of them.
#[test]
fn show_functions_lists_flinks_names_and_no_others() {
    let read = |f: &str| std::fs::read_to_string(format!("{}/tests/functions/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let listed = |text: &str| -> std::collections::BTreeSet<String> {
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(|l| l.to_uppercase()).collect()
    };
    let (reference, flinks_show) = (listed(&read("flink_functions.txt")), listed(&read("show_functions.txt")));
    let mut session = Session::empty();
    let ours: std::collections::BTreeSet<String> = table(&mut session, "SHOW FUNCTIONS").into_iter().map(|r| r[0].to_uppercase()).collect();
    let missing: Vec<&String> = reference.iter().filter(|n| !ours.contains(*n)).collect();
    assert!(missing.is_empty(), "SHOW FUNCTIONS lacks Flink's {missing:?}");
    // Flink's window syntax, documented on its window pages rather than in the function list.
    let windows = ["TUMBLE", "HOP", "SESSION", "CUMULATE"];
    let window_syntax = |n: &str| windows.iter().any(|w| n == *w || ["_START", "_END", "_ROWTIME"].iter().any(|s| n == format!("{w}{s}")));
    // Calcite's standard name Flink accepts without listing it (checked with Flink 2.3).
    let unlisted = ["STDDEV"];
    let invented: Vec<&String> = ours
        .iter()
        .filter(|n| !reference.contains(*n) && !flinks_show.contains(*n) && !window_syntax(n) && !unlisted.contains(&n.as_str()))
        .collect();
    assert!(invented.is_empty(), "SHOW FUNCTIONS lists names Flink does not know: {invented:?}");
    for (typo, meant) in [
        ("JSON_VALU", "JSON_VALUE"),
        ("PERCENTIL", "PERCENTILE"),
        ("ARRAY_CONTAIN", "ARRAY_CONTAINS"),
        ("CURRENT_WATERMAK", "CURRENT_WATERMARK"),
    ] {
        let err = error(&mut session, &format!("SELECT {typo}(x) FROM (VALUES ('a')) AS t(x)"));
        assert!(err.contains(&format!("no function named {typo}")) && err.contains(meant), "{typo}: {err}");
    }
}

/// `SHOW [USER] FUNCTIONS [FROM|IN db] [NOT] LIKE|ILIKE 'pattern'`, as Flink 2.3 reads it (PyFlink:
/// any database name lists the same functions; ILIKE ignores case, LIKE does not; SHOW TABLES
/// takes no ILIKE). Sluice spells every name in capitals where Flink lists some in lower case
/// (`abs`), so a LIKE pattern in lower case finds what Flink's would in capitals (DIFFERENCES.md).
#[test]
fn show_functions_filters_by_like_and_ilike() {
    let mut session = Session::empty();
    let names = |s: &mut Session, sql: &str| table(s, sql).into_iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    assert_eq!(names(&mut session, "SHOW FUNCTIONS LIKE 'AB%'"), ["ABS"]);
    assert_eq!(names(&mut session, "SHOW FUNCTIONS ILIKE 'ab%'"), ["ABS"]);
    assert_eq!(names(&mut session, "SHOW FUNCTIONS FROM default_database LIKE 'AB_'"), ["ABS"]);
    assert_eq!(names(&mut session, "SHOW FUNCTIONS IN default_catalog.default_database LIKE 'AB%'"), ["ABS"]);
    assert!(names(&mut session, "SHOW FUNCTIONS LIKE 'ab%'").is_empty());
    let all = names(&mut session, "SHOW FUNCTIONS").len();
    let without_a = names(&mut session, "SHOW FUNCTIONS NOT ILIKE '%a%'");
    assert!(!without_a.is_empty() && without_a.len() < all && without_a.iter().all(|n| !n.contains('A')), "{without_a:?}");
    assert!(names(&mut session, "SHOW USER FUNCTIONS LIKE 'x%'").is_empty());
    assert!(error(&mut session, "SHOW TABLES ILIKE 'x'").contains("found `ILIKE`"));
    assert!(error(&mut session, "SHOW FUNCTIONS NOT 'x'").contains("expected LIKE or ILIKE"));
}
