//! Exercises that check themselves: a note format for a teacher. An exercise is three
//! paragraphs of a note — a `%md` task, a `%flink.ssql` starting query the learner edits, and
//! an `%exercise` paragraph holding what the learner does not edit:
//!
//! ```text
//! %exercise
//! id: tumble
//! title: Count readings in tumbling windows
//! [records readings.jsonl]
//! {"sensor_id": 1, "event_time": "2021-05-19T11:20:01"}
//! [setup]
//! CREATE TABLE readings (…) WITH ('connector' = 'filesystem', 'path' = 'readings.jsonl', …)
//! [expect rows]
//! window_start        | readings
//! 2021-05-19 11:20:00 | 3
//! [expect]
//! late: 0
//! [solution]
//! SELECT …
//! ```
//!
//! [`check`] runs the learner's query over the same records in a session of its own and says
//! pass or fail, with a hint naming the first difference. Rows compare as a set with repeats, in
//! any order; a cell compares by value (`2021-05-19 11:20:00` equals `2021-05-19T11:20:00.000`,
//! `2.50` equals `2.5`). Plain Rust, so the course's exercises are tested natively.

pub mod check;
pub mod course;

pub use check::{check, Verdict};

/// The interpreter line that makes a paragraph an exercise.
pub const INTERPRETER: &str = "exercise";
/// Most files, expected rows and characters an exercise may hold.
pub const MAX_FILES: usize = 8;
pub const MAX_EXPECTED_ROWS: usize = 10_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exercise {
    /// Stable name, for progress kept in the browser.
    pub id: String,
    pub title: String,
    /// Files the setup's tables read: name and content.
    pub files: Vec<(String, String)>,
    /// Statements run before the learner's query (tables over the files).
    pub setup: String,
    pub expect_rows: Option<ExpectedRows>,
    pub assertions: Vec<Assertion>,
    /// The teacher's answer (the course's tests check it passes).
    pub solution: Option<String>,
}

/// The rows the query must produce, in any order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExpectedRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A statement about the run besides its rows.
#[derive(Clone, Debug, PartialEq)]
pub enum Assertion {
    /// `late: N`: records the query dropped as late.
    Late(u64),
    /// `rows: N`: rows in the final result.
    Rows(usize),
}

/// Whether a paragraph is an exercise (`%exercise`).
pub fn is_exercise(text: &str) -> bool {
    super::note::interpreter(text) == Some(INTERPRETER)
}

/// Reads an `%exercise` paragraph; errors name the line.
pub fn parse(text: &str) -> Result<Exercise, String> {
    let body = super::note::body(text);
    let mut ex = Exercise::default();
    enum Section {
        Head,
        Records(usize),
        Setup,
        ExpectRows,
        Expect,
        Solution,
    }
    let mut section = Section::Head;
    let mut setup = Vec::new();
    let mut solution = Vec::new();
    let mut rows: Option<ExpectedRows> = None;
    for (n, line) in body.lines().enumerate() {
        let at = |what: String| format!("exercise line {}: {what}", n + 2);
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = match name.trim() {
                "setup" => Section::Setup,
                "expect rows" => {
                    rows = Some(ExpectedRows::default());
                    Section::ExpectRows
                }
                "expect" => Section::Expect,
                "solution" => Section::Solution,
                other => match other.strip_prefix("records ") {
                    Some(file) if !file.trim().is_empty() => {
                        if ex.files.len() == MAX_FILES {
                            return Err(at(format!("an exercise holds at most {MAX_FILES} files")));
                        }
                        ex.files.push((file.trim().to_string(), String::new()));
                        Section::Records(ex.files.len() - 1)
                    }
                    _ => {
                        return Err(at(format!(
                            "`[{other}]` is not a section: the sections are [records FILE], [setup], [expect rows], [expect], [solution]"
                        )))
                    }
                },
            };
            continue;
        }
        match section {
            Section::Head => {
                if trimmed.is_empty() || trimmed.starts_with("--") {
                    continue;
                }
                match trimmed.split_once(':') {
                    Some(("id", v)) => ex.id = v.trim().to_string(),
                    Some(("title", v)) => ex.title = v.trim().to_string(),
                    _ => return Err(at(format!("`{trimmed}` is not `id: …` or `title: …`"))),
                }
            }
            Section::Records(i) => {
                if !trimmed.is_empty() {
                    ex.files[i].1.push_str(line);
                    ex.files[i].1.push('\n');
                }
            }
            Section::Setup => setup.push(line),
            Section::Solution => solution.push(line),
            Section::ExpectRows => {
                if trimmed.is_empty() {
                    continue;
                }
                let cells: Vec<String> = trimmed.split('|').map(|c| c.trim().to_string()).collect();
                let Some(rows) = rows.as_mut() else { continue };
                if rows.columns.is_empty() {
                    rows.columns = cells;
                } else if cells.len() != rows.columns.len() {
                    return Err(at(format!("this row has {} cells, the header {}", cells.len(), rows.columns.len())));
                } else if rows.rows.len() == MAX_EXPECTED_ROWS {
                    return Err(at(format!("an exercise expects at most {MAX_EXPECTED_ROWS} rows")));
                } else {
                    rows.rows.push(cells);
                }
            }
            Section::Expect => {
                if trimmed.is_empty() {
                    continue;
                }
                let (key, value) = trimmed.split_once(':').ok_or_else(|| at(format!("`{trimmed}` is not `late: N` or `rows: N`")))?;
                let value = value.trim();
                let number = || value.parse::<u64>().map_err(|_| at(format!("`{value}` is not a count")));
                match key.trim() {
                    "late" => ex.assertions.push(Assertion::Late(number()?)),
                    "rows" => ex.assertions.push(Assertion::Rows(number()? as usize)),
                    other => return Err(at(format!("`{other}` is not something an exercise can expect (late, rows)"))),
                }
            }
        }
    }
    if ex.id.is_empty() {
        return Err("the exercise has no `id: …` line".into());
    }
    if rows.as_ref().is_some_and(|r| r.columns.is_empty()) {
        return Err("[expect rows] has no header line naming the columns".into());
    }
    if rows.is_none() && ex.assertions.is_empty() {
        return Err("the exercise expects nothing: add [expect rows] or [expect]".into());
    }
    ex.setup = setup.join("\n").trim().to_string();
    let solution = solution.join("\n").trim().to_string();
    ex.solution = (!solution.is_empty()).then_some(solution);
    ex.expect_rows = rows;
    Ok(ex)
}

/// The learner's query for the exercise paragraph at `index`: the nearest SQL paragraph above it.
pub fn learner_query<'a>(texts: &[&'a str], index: usize) -> Option<&'a str> {
    texts[..index.min(texts.len())]
        .iter()
        .rev()
        .find(|t| !super::note::is_markdown(t) && !is_exercise(t) && !super::note::body(t).trim().is_empty())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exercise_paragraph_reads_back_with_its_sections() {
        let ex = parse(
            "%exercise\nid: t\ntitle: T\n[records a.jsonl]\n{\"x\": 1}\n\n{\"x\": 2}\n[setup]\nCREATE TABLE a (x INT)\n[expect rows]\nx\n1\n2\n[expect]\nlate: 0\n[solution]\nSELECT x FROM a",
        )
        .unwrap();
        assert_eq!(ex.id, "t");
        assert_eq!(ex.files, [("a.jsonl".to_string(), "{\"x\": 1}\n{\"x\": 2}\n".to_string())]);
        assert_eq!(ex.setup, "CREATE TABLE a (x INT)");
        assert_eq!(ex.expect_rows.unwrap().rows, [["1"], ["2"]]);
        assert_eq!(ex.assertions, [Assertion::Late(0)]);
        assert_eq!(ex.solution.as_deref(), Some("SELECT x FROM a"));
    }

    #[test]
    fn a_broken_exercise_names_its_line() {
        assert!(parse("%exercise\nid: t\n[expected]\n").unwrap_err().contains("line 3"));
        assert!(parse("%exercise\nid: t\n[expect rows]\na | b\n1\n").unwrap_err().contains("line 5: this row has 1 cells"));
        assert!(parse("%exercise\nid: t\n[expect]\nsoon: 3\n").unwrap_err().contains("`soon`"));
        assert!(parse("%exercise\n[expect]\nlate: 0\n").unwrap_err().contains("no `id"));
    }

    #[test]
    fn the_learner_query_is_the_nearest_sql_paragraph_above() {
        let texts = ["%md\ntask", "%flink.ssql\nSELECT 1", "%md\nmore", "%exercise\nid: x"];
        assert_eq!(learner_query(&texts, 3), Some("%flink.ssql\nSELECT 1"));
        assert_eq!(learner_query(&texts, 1), None);
    }
}
