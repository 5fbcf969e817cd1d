//! A note with Python in it as a PyFlink program: one `.py` script that real PyFlink 2.3 runs
//! unchanged (`python note.py`, or `flink run --python note.py`).
//!
//! The script opens as Kinesis Data Analytics Studio's Python interpreter does: PyFlink's
//! names imported, one `TableEnvironment` bound to the names a Studio paragraph uses
//! (`st_env`, `bt_env`), and a `z` whose `z.show(table)` prints the table's rows. Then each
//! paragraph in order:
//! - `%flink.pyflink` / `%flink.ipyflink`: its code, as written (its `@udf`s and its
//!   `st_env.create_temporary_function(…)` calls register the functions with PyFlink itself);
//! - SQL paragraphs: each statement as `t_env.execute_sql("…")`, rewritten as the SQL export
//!   rewrites it (`export_statement`); `CREATE FUNCTION f AS 'mod.func' LANGUAGE PYTHON` over
//!   a function the note's Python defines becomes `t_env.create_temporary_function("f", func)`,
//!   since that function lives in this script, not in an importable module; an `INSERT`'s job
//!   is awaited at the end, as a deployed job runs until cancelled;
//! - `%md`: comments; `%flink` (Scala): left out, with a comment.

use std::fmt::Write;

use super::{export_statement, follow_python, header, redacted_paragraph, scratch_session, ExportError, ExportOptions, Exported};
use crate::session::paragraph::{blank_interpreter_line, paragraph_kind, ParagraphKind};
use crate::sql::{Location, SqlError, Statement};
use crate::views::note::body;

/// Whether a note needs a PyFlink program rather than a SQL script: it has a Python paragraph
/// or a `CREATE FUNCTION … LANGUAGE PYTHON`.
pub fn has_python(paragraphs: &[&str]) -> bool {
    paragraphs.iter().any(|p| {
        paragraph_kind(p) == ParagraphKind::Python
            || crate::sql::parse_script(&blank_interpreter_line(p))
                .is_ok_and(|s| s.iter().any(|l| matches!(&l.statement, Statement::CreateFunction(f) if f.language == "PYTHON")))
    })
}

const PRELUDE: &str = r#"from pyflink.common import *
from pyflink.datastream import *
from pyflink.table import *
from pyflink.table.expressions import *
from pyflink.table.udf import *
from pyflink.table.window import *

t_env = TableEnvironment.create(EnvironmentSettings.MODE())
# The names a Kinesis Data Analytics Studio paragraph gives its TableEnvironment.
st_env = t_env
bt_env = t_env


class _Z:
    """Zeppelin's `z` in a script: z.show(table) prints the table's rows (a streaming table's
    changes as they come)."""

    def show(self, table, stream_type="update", **kwargs):
        if isinstance(table, str):
            table = t_env.sql_query(table)
        table.execute().print()


z = _Z()
# INSERT jobs, awaited at the end.
_jobs = []
"#;

/// The chosen paragraphs (each with its number in the note) as a PyFlink program.
pub fn pyflink_program(note_name: &str, paragraphs: &[(usize, &str)], options: &ExportOptions) -> Result<String, ExportError> {
    let (mut scratch, python) = scratch_session(paragraphs);
    let mut out = String::new();
    let note_name = crate::views::note::redact::redact(note_name).text;
    let _ = writeln!(out, "# PyFlink program exported by Sluice from the note \"{}\".", note_name.replace('\n', " "));
    let _ = writeln!(
        out,
        "# Apache Flink runs it as is: `python <this file>` with apache-flink 2.3 installed, or `flink run --python <this file>`."
    );
    // One mode for the program: batch when every SQL paragraph is `%flink.bsql`.
    let sql_kinds: Vec<ParagraphKind> = paragraphs
        .iter()
        .map(|(_, t)| paragraph_kind(t))
        .filter(|k| matches!(k, ParagraphKind::StreamingSql | ParagraphKind::BatchSql))
        .collect();
    let batch = !sql_kinds.is_empty() && sql_kinds.iter().all(|k| *k == ParagraphKind::BatchSql);
    out.push_str(&PRELUDE.replace("MODE()", if batch { "in_batch_mode()" } else { "in_streaming_mode()" }));
    let mut parallelism: Option<String> = None;
    for &(number, text) in paragraphs {
        let fail = |error: SqlError| ExportError { paragraph: number, error };
        let redacted = redacted_paragraph(number, text)?;
        let text = redacted.as_str();
        let head = header(text).map_err(|e| fail(SqlError::new(e).at(Location { line: 1, column: 1 })))?;
        let first_line = text.trim_start().lines().next().unwrap_or("").trim();
        let _ = writeln!(out, "\n# Paragraph {number}{}", head.as_ref().map(|_| format!(" ({first_line})")).unwrap_or_default());
        let kind = paragraph_kind(text);
        match kind {
            ParagraphKind::Python => {
                let code = body(text);
                follow_python(&mut scratch, &python, code);
                let _ = writeln!(out, "{}", code.trim_end());
                continue;
            }
            ParagraphKind::Markdown => {
                body(text).lines().for_each(|l| {
                    let _ = writeln!(out, "# {l}");
                });
                continue;
            }
            ParagraphKind::Scala => {
                let _ = writeln!(out, "# (a %flink paragraph: Scala, which Sluice does not run; left out)");
                continue;
            }
            ParagraphKind::Other => {
                let _ = writeln!(out, "# (a {first_line} paragraph: neither SQL nor Python; left out)");
                continue;
            }
            ParagraphKind::StreamingSql | ParagraphKind::BatchSql => {}
        }
        if (kind == ParagraphKind::BatchSql) != batch {
            let _ = writeln!(out, "# (this paragraph ran in {} mode in the studio)", if batch { "streaming" } else { "batch" });
        }
        if let Some(p) = head.as_ref().and_then(|h| h.properties.iter().find(|(k, _)| k == "parallelism")).map(|(_, v)| v.clone()) {
            if parallelism.as_ref() != Some(&p) {
                let _ = writeln!(out, "t_env.get_config().set(\"parallelism.default\", {})", python_string(&p));
                parallelism = Some(p);
            }
        }
        let statements = crate::sql::parse_script(&blank_interpreter_line(text)).map_err(fail)?;
        for located in &statements {
            if let Statement::CreateFunction(f) = &located.statement {
                if f.language == "PYTHON" && python.defines(&f.class) {
                    scratch.execute_one(located).map_err(fail)?;
                    let python_name = f.class.rsplit('.').next().unwrap_or(&f.class);
                    let method = if f.system { "create_temporary_system_function" } else { "create_temporary_function" };
                    let _ = writeln!(out, "t_env.{method}({}, {python_name})", python_string(&f.name));
                    continue;
                }
            }
            let mut notes = Vec::new();
            let exported = export_statement(&mut scratch, located, options, &mut notes).map_err(fail)?;
            for note in notes {
                let _ = writeln!(out, "# sluice: {note}");
            }
            match exported {
                Exported::Query(sql) if !options.include_queries => {
                    let _ = writeln!(out, "# An interactive query (the studio shows its result; a deployed job has no one to show it to):");
                    sql.lines().for_each(|l| {
                        let _ = writeln!(out, "# {l}");
                    });
                }
                Exported::Query(sql) => {
                    let _ = writeln!(out, "t_env.execute_sql({}).print()", python_string(&sql));
                }
                Exported::Statement(sql) if located.statement.writes_a_table() => {
                    let _ = writeln!(out, "_jobs.append(t_env.execute_sql({}))", python_string(&sql));
                }
                Exported::Statement(sql) => {
                    let _ = writeln!(out, "t_env.execute_sql({})", python_string(&sql));
                }
            }
        }
    }
    out.push_str("\n# The INSERT jobs run until they end (a streaming one until it is cancelled).\nfor _job in _jobs:\n    _job.wait()\n");
    Ok(out)
}

/// `text` as a Python string literal: triple-quoted when it spans lines, escaped so any text
/// reads back as itself.
fn python_string(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    if text.contains('\n') {
        format!("\"\"\"{escaped}\"\"\"")
    } else {
        format!("\"{escaped}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &[&str] = &[
        "%flink.pyflink\n@udf(result_type=DataTypes.DOUBLE())\ndef c_to_f(c):\n    return c * 9.0 / 5.0 + 32.0\n",
        "%flink.ssql\nCREATE TABLE readings (t DOUBLE) WITH ('connector' = 'filesystem', 'path' = '/r', 'format' = 'json');\nCREATE TABLE out_t (f INT) WITH ('connector' = 'filesystem', 'path' = '/o', 'format' = 'json')",
        "%flink.ssql\nCREATE TEMPORARY FUNCTION c_to_f AS 'udfs.c_to_f' LANGUAGE PYTHON",
        "%flink.ssql(type=update)\nINSERT INTO out_t SELECT COUNT(*) FROM readings WHERE c_to_f(t) > 50",
        "%flink.ipyflink\nz.show(st_env.sql_query(\"SELECT c_to_f(t) AS f FROM readings\"), stream_type='update')",
        "%flink\nval x = 1",
        "%md\nWhy \"quotes\" \\ matter",
    ];

    #[test]
    fn a_note_with_python_becomes_one_pyflink_program() {
        let numbered: Vec<(usize, &str)> = NOTE.iter().enumerate().map(|(i, t)| (i + 1, *t)).collect();
        let program = pyflink_program("Python \"note\"", &numbered, &ExportOptions::default()).unwrap();
        assert!(program.starts_with("# PyFlink program exported by Sluice from the note \"Python \"note\"\"."), "{program}");
        assert!(program.contains("t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())"));
        assert!(program.contains("# Paragraph 1 (%flink.pyflink)\n@udf(result_type=DataTypes.DOUBLE())\ndef c_to_f(c):"), "{program}");
        assert!(
            program.contains(
                "t_env.execute_sql(\"CREATE TABLE out_t (f INT) WITH ('connector' = 'filesystem', 'path' = '/o', 'format' = 'json')\")"
            ),
            "{program}"
        );
        // The function lives in the script: registered from it, not imported from a module.
        assert!(program.contains("t_env.create_temporary_function(\"c_to_f\", c_to_f)"), "{program}");
        // The INSERT is typed through the Python function, and narrowed as Flink needs.
        assert!(
            program.contains(
                "_jobs.append(t_env.execute_sql(\"INSERT INTO out_t SELECT CAST(COUNT(*) AS INT) FROM readings WHERE c_to_f(t) > 50\"))"
            ),
            "{program}"
        );
        assert!(program.contains("z.show(st_env.sql_query(\"SELECT c_to_f(t) AS f FROM readings\"), stream_type='update')"));
        assert!(program.contains("# (a %flink paragraph: Scala, which Sluice does not run; left out)"));
        assert!(program.contains("# Why \"quotes\" \\ matter"));
        assert!(program.trim_end().ends_with("for _job in _jobs:\n    _job.wait()"));
        assert!(has_python(NOTE) && !has_python(&["%flink.ssql\nSELECT 1"]));
        assert!(has_python(&["CREATE FUNCTION f AS 'm.f' LANGUAGE PYTHON"]));
    }

    #[test]
    fn strings_read_back_as_written() {
        assert_eq!(python_string("it's \"x\" \\n"), "\"it's \\\"x\\\" \\\\n\"");
        assert_eq!(python_string("a\nb"), "\"\"\"a\nb\"\"\"");
    }
}
