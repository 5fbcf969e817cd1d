//! Notes as plain Flink SQL scripts (`.sql`), for the Flink SQL client or `sluice run`. Each
//! paragraph is preceded by its interpreter line as a comment (`-- %flink.ssql(type=update)`),
//! which Flink skips and which lets Sluice read the script back paragraph by paragraph; `%md`
//! paragraphs become comments. A script without such lines (one written by hand) is read as
//! one paragraph per statement.

use super::{body, interpreter, is_markdown, NoteDoc, ParagraphDoc};

const MARKER: &str = "-- %";

/// The note as a SQL script: every statement ends with `;`.
pub fn to_sql(note: &NoteDoc) -> String {
    let mut out = format!("-- Sluice note: {}\n", one_line(&note.name));
    for p in &note.paragraphs {
        let header = p.text.trim_start().lines().next().filter(|l| l.trim_start().starts_with('%')).map(str::trim).unwrap_or("%flink.ssql");
        let body = body(&p.text).trim_matches(|c: char| c == '\n' || c == '\r' || c == ' ' || c == '\t');
        if body.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str("-- ");
        out.push_str(header);
        out.push('\n');
        if is_markdown(&p.text) || (interpreter(&p.text).is_some() && !interpreter(&p.text).is_some_and(|i| i.starts_with("flink"))) {
            // Not SQL: keep it, commented out.
            for line in body.lines() {
                out.push_str(if line.is_empty() { "--" } else { "-- " });
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        out.push_str(body);
        if !body.ends_with(';') {
            out.push(';');
        }
        out.push('\n');
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Reads a script back into a note named after the file (`Sensors.sql` → `Sensors`); `new_id`
/// gives each paragraph its id.
pub fn from_sql(text: &str, file_name: &str, mut new_id: impl FnMut() -> String) -> Result<NoteDoc, String> {
    let text = text.replace("\r\n", "\n");
    let paragraphs = if text.lines().any(|l| l.starts_with(MARKER)) { by_markers(&text) } else { by_statements(&text) };
    if paragraphs.is_empty() {
        return Err(format!("{file_name} holds no SQL statement"));
    }
    let name = match file_name.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem,
        _ if !file_name.trim().is_empty() => file_name,
        _ => "Imported script",
    };
    Ok(NoteDoc { name: name.to_string(), paragraphs: paragraphs.into_iter().map(|t| ParagraphDoc::new(new_id(), t)).collect() })
}

fn by_markers(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let flush = |p: Option<(String, Vec<&str>)>, out: &mut Vec<String>| {
        let Some((header, lines)) = p else { return };
        let markdown = interpreter(&header).is_some_and(|i| !i.starts_with("flink"));
        let lines: Vec<String> = if markdown {
            lines.iter().map(|l| l.strip_prefix("-- ").or_else(|| l.strip_prefix("--")).unwrap_or(l).to_string()).collect()
        } else {
            lines.iter().map(|l| l.to_string()).collect()
        };
        let body = lines.join("\n");
        let body = body.trim_matches('\n').trim_end();
        if markdown {
            out.push(format!("{header}\n{body}"));
        } else {
            out.push(format!("{header}\n\n{body}"));
        }
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("-- ") {
            if rest.starts_with('%') {
                flush(current.take(), &mut paragraphs);
                current = Some((rest.trim().to_string(), Vec::new()));
                continue;
            }
        }
        if let Some((_, lines)) = &mut current {
            lines.push(line);
        }
    }
    flush(current.take(), &mut paragraphs);
    paragraphs
}

/// Splits a script at top-level `;` (not inside quotes or comments).
fn by_statements(text: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' | b'`' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                has_code = true;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b';' => {
                if has_code {
                    statements.push(format!("%flink.ssql\n\n{}", text[start..=i].trim()));
                }
                start = i + 1;
                has_code = false;
            }
            c if !c.is_ascii_whitespace() => has_code = true,
            _ => {}
        }
        i += 1;
    }
    if has_code {
        statements.push(format!("%flink.ssql\n\n{}", text[start.min(text.len())..].trim()));
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::seed;

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("paragraph_{n}")
        }
    }

    /// What survives a script: the text, with every statement ending in `;`.
    fn normalized(note: &NoteDoc) -> Vec<String> {
        note.paragraphs.iter().map(|p| p.text.trim_end().trim_end_matches(';').to_string()).collect()
    }

    #[test]
    fn a_note_goes_to_a_script_and_back() {
        let mut note = seed::sensors(ids());
        note.paragraphs.insert(0, ParagraphDoc::new("md".into(), "%md\n# Sensors\n\nThe *tour*."));
        let sql = to_sql(&note);
        assert!(sql.starts_with("-- Sluice note: Sensors\n\n-- %md\n-- # Sensors\n--\n-- The *tour*.\n\n-- %flink.ssql\nCREATE TABLE sensor_data ("));
        assert!(sql.contains("\n-- %flink.ssql(type=update)\nSELECT * FROM sensor_data;\n"));
        assert!(sql.contains("    'json.timestamp-format.standard' = 'ISO-8601'\n);\n"));
        let back = from_sql(&sql, "Sensors.sql", ids()).unwrap();
        assert_eq!(back.name, "Sensors");
        assert_eq!(normalized(&back), normalized(&note));
    }

    #[test]
    fn a_hand_written_script_is_one_paragraph_per_statement() {
        let sql = "-- setup\nCREATE TABLE t (a INT, s STRING) WITH ('connector' = 'datagen');\n/* ; */ SELECT ';' AS x, a FROM t -- trailing ;\n;\n\n";
        let note = from_sql(sql, "script", ids()).unwrap();
        let texts: Vec<_> = note.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "%flink.ssql\n\n-- setup\nCREATE TABLE t (a INT, s STRING) WITH ('connector' = 'datagen');",
                "%flink.ssql\n\n/* ; */ SELECT ';' AS x, a FROM t -- trailing ;\n;"
            ]
        );
        assert_eq!(from_sql("SELECT 1", "s", ids()).unwrap().paragraphs[0].text, "%flink.ssql\n\nSELECT 1");
        assert_eq!(from_sql("-- nothing\n", "empty.sql", ids()).unwrap_err(), "empty.sql holds no SQL statement");
    }
}
