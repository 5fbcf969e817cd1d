//! How much a note may hold when it comes from outside: a `#share=`/`#embed=` link, a `.zpln`
//! or a `.sql` import. A hostile or damaged note is refused with an error that names the limit,
//! and the page keeps what it had. (JSON nesting is bounded by serde_json's recursion limit,
//! 128 levels, which stays on: the crate is built without `unbounded_depth`.)

use super::NoteDoc;

/// An imported `.zpln` or `.sql` file, in bytes.
pub const MAX_IMPORT_BYTES: usize = 5 << 20;
/// Paragraphs in one note.
pub const MAX_PARAGRAPHS: usize = 1000;
/// One paragraph's text, in bytes.
pub const MAX_PARAGRAPH_BYTES: usize = 256 << 10;
/// A note's name, in bytes.
pub const MAX_NAME_BYTES: usize = 1 << 10;

/// Refuses a file too large to be a note, before it is read.
pub fn check_import_size(file_name: &str, bytes: usize) -> Result<(), String> {
    if bytes > MAX_IMPORT_BYTES {
        return Err(format!("{file_name} is {:.1} MB; a note file is at most {} MB", bytes as f64 / 1_048_576.0, MAX_IMPORT_BYTES >> 20));
    }
    Ok(())
}

/// Refuses a note with too many paragraphs, or a name or paragraph too long; `what` names where
/// the note came from ("this link's note", "Sensors.zpln").
pub fn check_note(what: &str, note: &NoteDoc) -> Result<(), String> {
    check_paragraph_count(what, note.paragraphs.len())?;
    if note.name.len() > MAX_NAME_BYTES {
        return Err(format!("{what} has a name of {} bytes; a note's name is at most {MAX_NAME_BYTES}", note.name.len()));
    }
    for (i, p) in note.paragraphs.iter().enumerate() {
        if p.text.len() > MAX_PARAGRAPH_BYTES {
            return Err(format!(
                "{what}: paragraph {} holds {} KB of text; a paragraph holds at most {} KB",
                i + 1,
                p.text.len() >> 10,
                MAX_PARAGRAPH_BYTES >> 10
            ));
        }
    }
    Ok(())
}

/// Refuses more than [`MAX_PARAGRAPHS`] paragraphs (checked before they are built).
pub fn check_paragraph_count(what: &str, n: usize) -> Result<(), String> {
    if n > MAX_PARAGRAPHS {
        return Err(format!("{what} has {n} paragraphs; a note has at most {MAX_PARAGRAPHS}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::ParagraphDoc;

    #[test]
    fn each_limit_is_named() {
        let note = |n: usize, text: &str, name: &str| NoteDoc {
            name: name.into(),
            paragraphs: (0..n).map(|i| ParagraphDoc::new(format!("p{i}"), text)).collect(),
        };
        assert!(check_note("x", &note(MAX_PARAGRAPHS, "a", "n")).is_ok());
        assert_eq!(check_note("x", &note(MAX_PARAGRAPHS + 1, "", "n")).unwrap_err(), "x has 1001 paragraphs; a note has at most 1000");
        assert_eq!(
            check_note("x", &note(1, &"a".repeat(MAX_PARAGRAPH_BYTES + 1), "n")).unwrap_err(),
            "x: paragraph 1 holds 256 KB of text; a paragraph holds at most 256 KB"
        );
        assert!(check_note("x", &note(1, "", &"n".repeat(2000))).unwrap_err().contains("a note's name is at most 1024"));
        assert_eq!(check_import_size("a.zpln", 6 << 20).unwrap_err(), "a.zpln is 6.0 MB; a note file is at most 5 MB");
    }
}
