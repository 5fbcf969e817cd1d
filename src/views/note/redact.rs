//! Credentials never leave the tab: every way a note goes out — a share or embed link, a
//! `.zpln` or Flink `.sql` download, the copy the page saves in `localStorage` — first passes
//! through [`redact`], the one place that decides what a secret is.
//!
//! A secret is the value of an option whose key names one (`'aws.credentials.…'`, or a key
//! holding `secret`, `password`, `token`, `credential`, an access or private key, a JAAS
//! config): in `'key' = 'value'` the value becomes `'<redacted>'`. The text is read without a
//! SQL tokenizer, so nothing elsewhere in the paragraph (a stray quote, an unclosed comment,
//! text that is not SQL at all) can make it lose its place: every quote is tried as the start
//! of a key, keys may be split from `=` and the value by whitespace and comments, and values
//! may hold `''`.
//!
//! It fails closed. When a key names a secret and is followed by `=` but its value cannot be
//! told apart (not quoted, an unclosed quote, an unclosed comment or a long gap before it), the
//! text from that key on is left out as a whole, and [`Redacted::unsure`] says where and why:
//! links and downloads refuse the note with that reason ([`for_sharing`]), the saved copy keeps
//! the text before the key ([`for_storage`]).

use super::NoteDoc;

/// What a credential's value becomes.
pub const REDACTED: &str = "<redacted>";
/// A quoted key longer than this is not an option key (keeps trying every quote linear).
const MAX_KEY_BYTES: usize = 256;
/// Whitespace and comments allowed between a key, its `=` and its value.
const MAX_GAP_BYTES: usize = 4096;

/// A text with its credential values replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Redacted {
    pub text: String,
    /// How many values were replaced.
    pub count: usize,
    /// A credential whose value could not be told apart: the text from its key on was left out.
    pub unsure: Option<Unsure>,
}

/// Where [`redact`] could not find a credential's value, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unsure {
    /// 1-based line of the key.
    pub line: usize,
    pub key: String,
    pub why: &'static str,
}

impl std::fmt::Display for Unsure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: the value of credential option `{}` {}, so it cannot be left out safely", self.line, self.key, self.why)
    }
}

/// Whether an option key names a secret.
pub fn is_credential(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("aws.credentials.")
        || [
            "secret",
            "password",
            "token",
            "credential",
            "accesskey",
            "access-key",
            "access_key",
            "privatekey",
            "private-key",
            "private_key",
            "jaas.config",
        ]
        .iter()
        .any(|w| key.contains(w))
}

/// The end (exclusive, after the closing quote) of a run quoted by `bytes[start]`, with the
/// quote doubled inside; `None` if it does not close within `max` bytes.
fn quoted_end(bytes: &[u8], start: usize, max: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() && i - start <= max {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// Past whitespace and comments from `at`: `Ok(next)`, or why the gap cannot be read.
fn skip_gap(text: &str, at: usize) -> Result<usize, &'static str> {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        if i - at > MAX_GAP_BYTES {
            return Err("is too far from its key");
        }
        if bytes[i].is_ascii_whitespace() {
            i += 1;
        } else if text[i..].starts_with("--") {
            i += text[i..].find('\n').unwrap_or(text.len() - i);
        } else if text[i..].starts_with("/*") {
            match text[i + 2..].find("*/") {
                Some(end) => i += end + 4,
                None => return Err("follows an unclosed /* comment"),
            }
        } else {
            break;
        }
    }
    Ok(i)
}

/// What follows a credential key ending at `after`: the byte range of its value's text (inside
/// the quotes), `Ok(None)` when no `=` follows (not an option), or why the value is unclear.
fn value_of(text: &str, after: usize) -> Result<Option<(usize, usize)>, &'static str> {
    let bytes = text.as_bytes();
    let eq = skip_gap(text, after)?;
    if bytes.get(eq) != Some(&b'=') {
        return Ok(None);
    }
    let start = skip_gap(text, eq + 1)?;
    match bytes.get(start) {
        Some(b'\'' | b'"') => match quoted_end(bytes, start, usize::MAX) {
            Some(end) => Ok(Some((start + 1, end - 1))),
            None => Err("has no closing quote"),
        },
        _ => Err("is not a quoted string ('…')"),
    }
}

/// `text` with the value of every credential option replaced by `'<redacted>'`; never fails
/// (see the module's comment for what happens when unsure).
pub fn redact(text: &str) -> Redacted {
    let bytes = text.as_bytes();
    let mut values: Vec<(usize, usize)> = Vec::new();
    let mut unsure = None;
    for start in 0..bytes.len() {
        if !matches!(bytes[start], b'\'' | b'"') {
            continue;
        }
        let Some(end) = quoted_end(bytes, start, MAX_KEY_BYTES) else { continue };
        let key = &text[start + 1..end - 1];
        if !is_credential(key) {
            continue;
        }
        match value_of(text, end) {
            Ok(None) => {}
            Ok(Some((from, to))) => {
                if &text[from..to] != REDACTED {
                    values.push((from, to));
                }
            }
            Err(why) => {
                let line = text[..start].matches('\n').count() + 1;
                unsure = Some((start, Unsure { line, key: key.replace("''", "'").replace('\n', " "), why }));
                break;
            }
        }
    }
    // Every value before the unsure key (if any), merged where readings overlap.
    let cut = unsure.as_ref().map_or(text.len(), |(start, _)| *start);
    values.retain(|&(from, _)| from < cut);
    values.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (from, to) in values {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(from, to) in &merged {
        let to = to.min(cut);
        out.push_str(&text[at..from]);
        out.push_str(REDACTED);
        at = to;
    }
    out.push_str(&text[at.min(cut)..cut]);
    if cut < text.len() {
        out.push_str(REDACTED);
    }
    Redacted { text: out, count: merged.len() + usize::from(cut < text.len()), unsure: unsure.map(|(_, u)| u) }
}

/// The note as a link or a download may carry it, with how many values were left out; refused
/// (with the paragraph, line and why) when a credential's value cannot be told apart.
pub fn for_sharing(note: &NoteDoc) -> Result<(NoteDoc, usize), String> {
    let mut out = note.clone();
    let mut count = 0;
    for (i, p) in out.paragraphs.iter_mut().enumerate() {
        let r = redact(&p.text);
        if let Some(unsure) = r.unsure {
            return Err(format!("paragraph {}, {unsure}; quote the value or remove it first", i + 1));
        }
        count += r.count;
        p.text = r.text;
    }
    out.name = redact(&out.name).text;
    Ok((out, count))
}

/// The note as the page saves it: credential values replaced, and, for a paragraph where a
/// value could not be told apart, its text from that key on left out (each such case is
/// described in the second value, for a notice).
pub fn for_storage(note: &NoteDoc) -> (NoteDoc, Vec<String>) {
    let mut out = note.clone();
    let mut unsure = Vec::new();
    for (i, p) in out.paragraphs.iter_mut().enumerate() {
        let r = redact(&p.text);
        if let Some(u) = r.unsure {
            unsure.push(format!("“{}” paragraph {}, {u}; the paragraph is saved without the text from that key on", note.name, i + 1));
        }
        p.text = r.text;
    }
    out.name = redact(&out.name).text;
    (out, unsure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(text: &str) -> String {
        let r = redact(text);
        assert!(r.unsure.is_none(), "{text:?}: {:?}", r.unsure);
        r.text
    }

    #[test]
    fn credential_values_are_replaced_and_the_rest_kept() {
        let sql = "CREATE TABLE t (a INT) WITH (\n  'connector' = 'kinesis',\n  'aws.credentials.basic.secretkey' = 'wJalrXUt',\n  'aws.credentials.basic.accesskeyid' = 'AKIA123',\n  'stream' = 'secret-stream'\n)";
        let r = redact(sql);
        assert_eq!(r.count, 2);
        assert_eq!(
            r.text,
            "CREATE TABLE t (a INT) WITH (\n  'connector' = 'kinesis',\n  'aws.credentials.basic.secretkey' = '<redacted>',\n  'aws.credentials.basic.accesskeyid' = '<redacted>',\n  'stream' = 'secret-stream'\n)"
        );
        assert_eq!(redact(&r.text).count, 0, "already redacted");
        assert_eq!(redacted("SELECT 1"), "SELECT 1");
        assert_eq!(redacted("WHERE kind = 'token' AND b = 'x'"), "WHERE kind = 'token' AND b = 'x'", "a value named like a key");
    }

    #[test]
    fn a_stray_quote_elsewhere_does_not_hide_a_secret() {
        // sqlparser's tokenizer refused this text, and the secret went out as written.
        let sql = "SELECT 'it's broken;\nCREATE TABLE t WITH ('aws.credentials.basic.secretkey' = 'wJalrXUt')";
        assert!(!redacted(sql).contains("wJalrXUt"));
        let sql = "SELECT \"x;\nCREATE TABLE t WITH ('password' = 'hunter2')";
        assert!(!redacted(sql).contains("hunter2"));
    }

    #[test]
    fn keys_split_from_their_values_and_odd_spellings_are_found() {
        for sql in [
            "'AWS.Credentials.Basic.SecretKey'\n  =\n  'S3CRET'",
            "'password' /* the = here */ = -- set me\n 'S3CRET'",
            "'password'='S3CRET'",
            "'password' = 'S3''CRET'",
            "\"password\" = \"S3CRET\"",
            "'properties.sasl.jaas.config' = 'PlainLoginModule required password=\"S3CRET\";'",
            "-- 'password' = 'S3CRET' (commented out)",
        ] {
            assert!(!redacted(sql).contains("S3CRET"), "{sql:?} → {}", redacted(sql));
        }
    }

    #[test]
    fn an_unclear_value_fails_closed() {
        for (sql, why) in [
            ("WITH ('password' = hunter2, 'a' = 'b')", "is not a quoted string ('…')"),
            ("WITH ('password' = 'hunter2", "has no closing quote"),
            ("WITH ('password' /* = 'hunter2'", "follows an unclosed /* comment"),
        ] {
            let r = redact(sql);
            assert!(!r.text.contains("hunter2"), "{sql:?} → {}", r.text);
            assert_eq!(r.text, "WITH (<redacted>");
            let unsure = r.unsure.unwrap();
            assert_eq!((unsure.line, unsure.key.as_str(), unsure.why), (1, "password", why));
        }
        let note = NoteDoc { name: "n".into(), paragraphs: vec![super::super::ParagraphDoc::new("p".into(), "SELECT 1\n'token' = x")] };
        assert_eq!(
            for_sharing(&note).unwrap_err(),
            "paragraph 1, line 2: the value of credential option `token` is not a quoted string ('…'), so it cannot be left out safely; quote the value or remove it first"
        );
        let (saved, notes) = for_storage(&note);
        assert_eq!(saved.paragraphs[0].text, "SELECT 1\n<redacted>");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn a_key_without_equals_is_not_an_option() {
        assert_eq!(redacted("SELECT 'password' AS label, 'token'"), "SELECT 'password' AS label, 'token'");
        assert_eq!(redacted(&"'".repeat(10_000)), "'".repeat(10_000));
    }
}
