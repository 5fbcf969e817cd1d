//! Flink's reserved words are refused as unquoted names where Flink 2.3 refuses them, and taken
//! where it takes them: every word and place of tests/flink/reserved_words.tsv, which
//! tests/flink/reserved_words.py made by asking PyFlink 2.3 (R: Flink's parser refused the
//! statement; A: Flink ran it; V: Flink parsed it and refused it later, for another reason).
//!
//! Sluice reads each statement as Flink did: refused (R), it must fail with the reserved-word
//! error at the word; otherwise it must not name the word reserved (it may refuse for its own
//! reasons, as Flink did for V). Backquoted, every word is a name everywhere.

use sluice::sql::{parse_script, ErrorKind, Location};

const DATA: &str = include_str!("flink/reserved_words.tsv");

/// The cases Flink takes and sqlparser cannot read as Flink does (DIFFERENCES.md): `FROM t
/// before` starts Snowflake's `BEFORE (…)` time travel, which the temporal join's `FOR
/// SYSTEM_TIME AS OF` brings with it.
const SQLPARSER_LIMITS: &[(&str, &str)] = &[("table_alias_bare", "BEFORE")];

struct Data {
    /// Each position's name and statement, with `{w}`, `{W}`, `{t}` and `{n}` to fill.
    positions: Vec<(String, String)>,
    /// Each word, its source (docs or parser) and Flink's answer per position.
    words: Vec<(String, Vec<char>)>,
}

fn data() -> Data {
    let mut positions = Vec::new();
    let mut words = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for line in DATA.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        if let Some(position) = cells[0].strip_prefix('@') {
            positions.push((position.to_string(), cells[1].to_string()));
        } else if cells[0] == "word" {
            header = Some(cells[2..].iter().map(|c| c.to_string()).collect());
        } else {
            let answers: Vec<char> = cells[2..].iter().map(|c| c.chars().next().expect("an answer")).collect();
            assert_eq!(answers.len(), positions.len(), "{line}");
            words.push((cells[0].to_string(), answers));
        }
    }
    let header = header.expect("a header line");
    assert_eq!(header, positions.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), "the header names the positions in order");
    assert!(words.len() > 700, "the TSV holds the docs' list and the parser's keywords");
    Data { positions, words }
}

/// The statement of `template` for `word` (lower-cased, as people write names), and where its
/// first unquoted `{w}` starts.
fn statement(template: &str, word: &str) -> (String, Location) {
    let word = word.to_ascii_lowercase();
    let before = &template[..template.find("{w}").expect("a {w}")];
    let fill = |t: &str| t.replace("{t}", &format!("`{word}`")).replace("{W}", &word).replace("{n}", "fresh").replace("{w}", &word);
    let column = fill(before).chars().count() as u32 + 1;
    (fill(template), Location { line: 1, column })
}

fn is_refusal(e: &sluice::sql::SqlError, word: &str) -> bool {
    e.message.contains(&format!("`{word}` is a reserved word"))
}

#[test]
fn reserved_words_are_refused_where_flink_refuses_them_and_taken_where_it_takes_them() {
    let Data { positions, words } = data();
    let mut wrong = Vec::new();
    // Refusals with the reserved-word message; the others are sqlparser's own (the word is a
    // keyword of its grammar too: `SELECT case FROM t` is a CASE missing its WHEN).
    let (mut named, mut syntax) = (0, 0);
    for (word, answers) in &words {
        for ((position, template), &answer) in positions.iter().zip(answers) {
            let (sql, at) = statement(template, word);
            let lower = word.to_ascii_lowercase();
            if SQLPARSER_LIMITS.contains(&(position.as_str(), word.as_str())) {
                assert!(parse_script(&sql).is_err(), "{sql} parses now: take it off SQLPARSER_LIMITS and DIFFERENCES.md");
                continue;
            }
            match (answer, parse_script(&sql)) {
                ('R', Err(e)) if is_refusal(&e, &lower) && e.location == Some(at) => named += 1,
                ('R', Err(e)) if e.kind == ErrorKind::Parse => syntax += 1,
                ('R', Err(e)) => wrong.push(format!("{position}: {sql}\n    Flink refuses {word}; Sluice: {e}")),
                ('R', Ok(_)) => wrong.push(format!("{position}: {sql}\n    Flink refuses {word}; Sluice took it")),
                ('A', Err(e)) => wrong.push(format!("{position}: {sql}\n    Flink takes {word}; Sluice refused it: {e}")),
                ('V', Err(e)) if is_refusal(&e, &lower) => {
                    wrong.push(format!("{position}: {sql}\n    Flink parses {word} (and refuses the statement later); Sluice: {e}"))
                }
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{} of the cases differ from Flink 2.3:\n{}", wrong.len(), wrong.join("\n"));
    assert!(named > 10 * syntax, "most refusals name the reserved word: {named} do, {syntax} are sqlparser's");
}

#[test]
fn backquoted_every_word_is_a_name_everywhere() {
    let Data { positions, words } = data();
    let mut wrong = Vec::new();
    for (word, _) in &words {
        for (position, template) in &positions {
            let (sql, _) = statement(&template.replace("{w}", "`{w}`"), word);
            if let Err(e) = parse_script(&sql) {
                if e.message.contains("reserved word") {
                    wrong.push(format!("{position}: {sql}: {e}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_refusal_says_where_which_word_and_how_to_write_it() {
    let e = parse_script("CREATE TABLE t (\n  id INT,\n  value STRING\n) WITH ('connector' = 'datagen')").unwrap_err();
    assert_eq!(e.location, Some(Location { line: 3, column: 3 }));
    assert_eq!(e.message, "`value` is a reserved word in Flink SQL: it cannot be a name without backquotes");
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("write `value` in backquotes")), "{e}");
    assert!(
        parse_script("SELECT id, user, CURRENT_DATE FROM t").is_ok(),
        "USER and CURRENT_DATE are values where a column is read, to Flink"
    );
    let e = parse_script("SELECT `timestamp`, TIMESTAMPADD(MINUTE, 1, `timestamp`) AS `minute` FROM t WHERE value > 1").unwrap_err();
    assert_eq!(e.location, Some(Location { line: 1, column: 83 }), "{e}");
}
