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
//! windows: 3 by 11:21; late: none
//! [solution]
//! SELECT …
//! ```
//!
//! `[expect]` lines (several on one line, split by `;`):
//! - `late: N` (or `late: none`): records the query dropped as late.
//! - `rows: N`: rows in the final result.
//! - `windows: N by T` (or `windows: N`): the result holds N distinct windows (its
//!   `window_start`/`window_end` pairs, or `window_end` alone) whose `window_end` is at or before
//!   `T`, an event time: `HH:MM[:SS]` on the day of the result's first `window_end`, or a whole
//!   `YYYY-MM-DD HH:MM:SS`. Checked over the exercise's own records run to their end, so a window
//!   that has fired is one in the final result — the same every run (no wall clock; the session
//!   clock starts at 2021-05-19 11:20:00). Without `by`, every window counts.
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
    /// `windows: N by T`: distinct windows in the final result ending at or before `by`.
    Windows { count: usize, by: Option<EventTime> },
}

/// The `T` of `windows: N by T`: a whole timestamp, or a time of day on the day of the
/// result's first window end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventTime {
    /// Milliseconds since the epoch.
    At(i64),
    /// Milliseconds of the day.
    OfDay(i32),
}

impl EventTime {
    fn parse(text: &str) -> Option<EventTime> {
        let text = text.trim();
        if let Some(ms) = crate::types::parse_timestamp(text) {
            return Some(EventTime::At(ms));
        }
        crate::types::parse_time(text).map(EventTime::OfDay)
    }
}

/// Reads one `[expect]` clause (`late: N`, `rows: N`, `windows: N [by T]`).
fn parse_assertion(clause: &str) -> Result<Assertion, String> {
    const FORMS: &str = "`late: N`, `rows: N` or `windows: N by HH:MM`";
    let (key, value) = clause.split_once(':').ok_or_else(|| format!("`{clause}` is not {FORMS}"))?;
    let value = value.trim();
    let count = |text: &str| text.trim().parse::<u64>().map_err(|_| format!("`{}` is not a count", text.trim()));
    match key.trim() {
        "late" if value.eq_ignore_ascii_case("none") => Ok(Assertion::Late(0)),
        "late" => Ok(Assertion::Late(count(value)?)),
        "rows" => Ok(Assertion::Rows(count(value)? as usize)),
        "windows" => {
            let (n, by) = match value.split_once(" by ") {
                Some((n, by)) => {
                    let at = EventTime::parse(by)
                        .ok_or_else(|| format!("`{}` is not an event time (HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM:SS)", by.trim()))?;
                    (n, Some(at))
                }
                None => (value, None),
            };
            Ok(Assertion::Windows { count: count(n)? as usize, by })
        }
        other => Err(format!("`{other}` is not something an exercise can expect (late, rows, windows)")),
    }
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
                for clause in trimmed.split(';').map(str::trim).filter(|c| !c.is_empty()) {
                    ex.assertions.push(parse_assertion(clause).map_err(at)?);
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
        assert!(parse("%exercise\nid: t\n[expect]\nwindows: 3 by noon\n").unwrap_err().contains("line 4: `noon` is not an event time"));
        assert!(parse("%exercise\nid: t\n[expect]\nwindows: three\n").unwrap_err().contains("`three` is not a count"));
    }

    #[test]
    fn windows_by_a_time_and_none_late_read_as_the_issue_writes_them() {
        let ex =
            parse("%exercise\nid: t\n[expect]\nwindows: 3 by 11:21; late: none\nwindows: 2 by 2021-05-19 11:20:20\nwindows: 9\n").unwrap();
        assert_eq!(
            ex.assertions,
            [
                Assertion::Windows { count: 3, by: Some(EventTime::OfDay(40_860_000)) },
                Assertion::Late(0),
                Assertion::Windows { count: 2, by: Some(EventTime::At(1_621_423_220_000)) },
                Assertion::Windows { count: 9, by: None },
            ]
        );
    }

    #[test]
    fn the_learner_query_is_the_nearest_sql_paragraph_above() {
        let texts = ["%md\ntask", "%flink.ssql\nSELECT 1", "%md\nmore", "%exercise\nid: x"];
        assert_eq!(learner_query(&texts, 3), Some("%flink.ssql\nSELECT 1"));
        assert_eq!(learner_query(&texts, 1), None);
    }
}
