//! Notes from SQL scripts (`.sql`). The page exports a note for Flink with
//! `crate::export::flink_script` (statements as written, the narrowing `CAST`s Flink needs,
//! `%md` as comments), which marks each paragraph with a `-- Paragraph N (%flink.ssql…)`
//! comment; reading such a script gives the note back paragraph by paragraph, its name from the
//! script's first line. A script without those marks (one written by hand) is read as one
//! paragraph per statement.

use super::{interpreter, NoteDoc, ParagraphDoc};

const NAME_LINE: &str = "-- Flink SQL script exported by Sluice from the note \"";
/// The start of comment lines an export writes on its own (not the note's text), so reading
/// the script back as a note leaves them out. Defined here, where it is read, so the export
/// (a layer above) depends on the note and not the other way.
pub const DERIVED: &str = "-- sluice: ";
const PARAGRAPH_MARK: &str = "-- Paragraph ";

/// Reads a script into a note named as the script says, else after the file (`Sensors.sql` →
/// `Sensors`); `new_id` gives each paragraph its id.
pub fn from_sql(text: &str, file_name: &str, mut new_id: impl FnMut() -> String) -> Result<NoteDoc, String> {
    super::limits::check_import_size(file_name, text.len())?;
    let text = text.replace("\r\n", "\n");
    let marked = text.lines().any(|l| paragraph_header(l).is_some());
    let paragraphs = if marked { by_marks(&text) } else { by_statements(&text) };
    if paragraphs.is_empty() {
        return Err(format!("{file_name} holds no SQL statement"));
    }
    let named =
        text.lines().next().and_then(|l| l.strip_prefix(NAME_LINE)).and_then(|l| l.strip_suffix("\".")).filter(|n| !n.trim().is_empty());
    let name = match (named, file_name.rsplit_once('.')) {
        (Some(name), _) => name,
        (None, Some((stem, _))) if !stem.trim().is_empty() => stem,
        _ if !file_name.trim().is_empty() => file_name,
        _ => "Imported script",
    };
    super::limits::check_paragraph_count(file_name, paragraphs.len())?;
    let note = NoteDoc { name: name.to_string(), paragraphs: paragraphs.into_iter().map(|t| ParagraphDoc::new(new_id(), t)).collect() };
    super::limits::check_note(file_name, &note)?;
    Ok(note)
}

/// `-- Paragraph 2 (%flink.ssql(type=update))` → `Some("%flink.ssql(type=update)")`;
/// `-- Paragraph 2` → `Some("%flink.ssql")`.
fn paragraph_header(line: &str) -> Option<String> {
    let rest = line.strip_prefix(PARAGRAPH_MARK)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    match rest[digits..].trim() {
        "" => Some("%flink.ssql".into()),
        header => header.strip_prefix('(').and_then(|h| h.strip_suffix(')')).filter(|h| h.starts_with('%')).map(str::to_string),
    }
}

fn by_marks(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let finish = |p: Option<(String, Vec<&str>)>, out: &mut Vec<String>| {
        let Some((header, lines)) = p else { return };
        let sql = interpreter(&header).is_some_and(|i| i.starts_with("flink") && i != "flink.md");
        if sql {
            // SET lines the export derives from paragraph properties; the header keeps them.
            let body: Vec<&str> = lines
                .into_iter()
                .filter(|l| !(l.starts_with("SET 'execution.runtime-mode'") || l.starts_with("SET 'parallelism.default'")))
                .filter(|l| !l.starts_with(DERIVED))
                .collect();
            out.push(format!("{header}\n\n{}", body.join("\n").trim_matches('\n').trim_end()));
        } else {
            // Markdown and other text came out as comments.
            let body: Vec<&str> = lines.into_iter().map(|l| l.strip_prefix("-- ").or_else(|| l.strip_prefix("--")).unwrap_or(l)).collect();
            out.push(format!("{header}\n{}", body.join("\n").trim_matches('\n').trim_end()));
        }
    };
    for line in text.lines() {
        if let Some(header) = paragraph_header(line) {
            finish(current.take(), &mut paragraphs);
            current = Some((header, Vec::new()));
        } else if let Some((_, lines)) = &mut current {
            lines.push(line);
        }
    }
    finish(current.take(), &mut paragraphs);
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
    use crate::views::note::test_ids as ids;

    #[test]
    fn a_hand_written_script_is_one_paragraph_per_statement() {
        let sql = "-- setup\nCREATE TABLE t (a INT, s STRING) WITH ('connector' = 'datagen');\n/* ; */ SELECT ';' AS x, a FROM t -- trailing ;\n;\n\n";
        let note = from_sql(sql, "script.sql", ids()).unwrap();
        assert_eq!(note.name, "script");
        let texts: Vec<_> = note.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "%flink.ssql\n\n-- setup\nCREATE TABLE t (a INT, s STRING) WITH ('connector' = 'datagen');",
                "%flink.ssql\n\n/* ; */ SELECT ';' AS x, a FROM t -- trailing ;\n;"
            ]
        );
        assert_eq!(from_sql("SELECT 1", "s.sql", ids()).unwrap().paragraphs[0].text, "%flink.ssql\n\nSELECT 1");
        assert_eq!(from_sql("-- nothing\n", "empty.sql", ids()).unwrap_err(), "empty.sql holds no SQL statement");
    }

    #[test]
    fn paragraph_marks_carry_their_interpreter_line() {
        assert_eq!(paragraph_header("-- Paragraph 12 (%flink.ssql(type=update))").as_deref(), Some("%flink.ssql(type=update)"));
        assert_eq!(paragraph_header("-- Paragraph 3").as_deref(), Some("%flink.ssql"));
        assert_eq!(paragraph_header("-- Paragraph of text"), None);
        assert_eq!(paragraph_header("-- Paragraph 3 (not a header)"), None);
    }
}
