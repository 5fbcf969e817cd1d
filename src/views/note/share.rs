//! A note in a link: its name, its paragraphs' text and view settings, as JSON, deflated and
//! written in base64url, to put after `#share=` (read-only, with "Make a copy") or `#embed=`
//! (one paragraph, run). The fragment never reaches a server, so a link works from any static
//! file host and the note stays between the people who pass it on.
//!
//! Credentials never travel: the note goes through [`super::redact::for_sharing`], which replaces
//! the values of options that name a secret by `'<redacted>'`, and refuses the note when it
//! cannot tell such a value apart. A link that comes in is bounded: at most
//! [`MAX_LINK_BYTES`] of text, inflating to at most [`MAX_NOTE_BYTES`], JSON at most 128 levels
//! deep (serde_json's limit), and a note within [`super::limits`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{limits, redact, NoteDoc, ParagraphDoc, ViewSettings};

/// The payload's format version.
const VERSION: u32 = 1;
/// A link's note inflates to at most this many bytes (a damaged or hostile link cannot make
/// the page allocate without bound).
pub const MAX_NOTE_BYTES: usize = 1 << 20;
/// The text after `#share=` or `#embed=`, in bytes (a deflated note of 1 MiB is far smaller).
pub const MAX_LINK_BYTES: usize = 2 << 20;
pub use redact::REDACTED;

#[derive(Serialize, Deserialize)]
struct SharedNote {
    v: u32,
    name: String,
    paragraphs: Vec<SharedParagraph>,
    /// The paragraph an embed shows (the paragraphs before it run first, unseen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    show: Option<usize>,
}

#[derive(Serialize, Deserialize)]
struct SharedParagraph {
    text: String,
    #[serde(default, skip_serializing_if = "is_default")]
    settings: ViewSettings,
}

fn is_default(s: &ViewSettings) -> bool {
    *s == ViewSettings::default()
}

/// A note read from a link, and which paragraph an embed shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub note: NoteDoc,
    pub show: Option<usize>,
}

/// What [`encode`] made, and how many credential values it left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoded {
    pub fragment_value: String,
    pub redacted: usize,
}

/// The text after `#share=` or `#embed=` for `note` (`show`: the paragraph an embed shows), or
/// why the note cannot be shared (a credential whose value cannot be told apart).
pub fn encode(note: &NoteDoc, show: Option<usize>) -> Result<Encoded, String> {
    let (note, redacted) = redact::for_sharing(note)?;
    let paragraphs = note.paragraphs.into_iter().map(|p| SharedParagraph { text: p.text, settings: p.settings }).collect();
    let shared = SharedNote { v: VERSION, name: note.name, paragraphs, show };
    // Serializing plain structs of strings, numbers and enums cannot fail.
    let json = serde_json::to_vec(&shared).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    Ok(Encoded { fragment_value: URL_SAFE_NO_PAD.encode(deflated), redacted })
}

/// Reads what [`encode`] wrote; `new_id` names the paragraphs (ids are not shared). The error
/// says what is wrong with the link, for a sentence like "This link's note cannot be read: …".
pub fn decode(value: &str, new_id: impl FnMut() -> String) -> Result<Shared, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the link holds no note after `share=`".into());
    }
    if value.len() > MAX_LINK_BYTES {
        return Err(format!("it is {} KB long, and a link's note is at most {} KB", value.len() >> 10, MAX_LINK_BYTES >> 10));
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|e| format!("it is not base64url text ({e}); was the link cut short or changed?"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_NOTE_BYTES).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            format!("its note inflates to more than {} KB, the most a link may hold", MAX_NOTE_BYTES >> 10)
        }
        status => format!("its data does not inflate ({status:?}); was the link cut short or changed?"),
    })?;
    let value: serde_json::Value = serde_json::from_slice(&json).map_err(|e| format!("it is not a note ({e})"))?;
    match value.get("v").and_then(serde_json::Value::as_u64) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) => return Err(format!("it is shared-note version {v}, and this page reads version {VERSION}")),
        None => return Err("it is not a note (no version)".into()),
    }
    let shared: SharedNote = serde_json::from_value(value).map_err(|e| format!("it does not have a note's shape ({e})"))?;
    if shared.paragraphs.is_empty() {
        return Err("its note has no paragraphs".into());
    }
    limits::check_paragraph_count("its note", shared.paragraphs.len())?;
    let show = shared.show.map(|i| i.min(shared.paragraphs.len() - 1));
    let mut new_id = new_id;
    let paragraphs = shared.paragraphs.into_iter().map(|p| ParagraphDoc { id: new_id(), text: p.text, settings: p.settings }).collect();
    let note = NoteDoc { name: shared.name, paragraphs };
    limits::check_note("its note", &note)?;
    Ok(Shared { note, show })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::{seed, ChartColumns, ViewKind};
    use crate::views::Aggregate;

    use crate::views::note::test_ids as ids;

    #[test]
    fn a_shared_note_reads_back_with_its_text_and_view_settings() {
        let mut note = seed::sensors(ids());
        note.paragraphs[2].settings.view = ViewKind::Bar;
        note.paragraphs[2].settings.chart =
            Some(ChartColumns { keys: "status".into(), values: "num".into(), aggregate: Aggregate::Sum, groups: Some("hop_time".into()) });
        note.paragraphs[3].settings.collapsed = true;
        let encoded = encode(&note, Some(2)).unwrap();
        assert_eq!(encoded.redacted, 0);
        assert!(encoded.fragment_value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "safe in a URL");
        let json_len = serde_json::to_string(&note).unwrap().len();
        assert!(encoded.fragment_value.len() * 2 < json_len, "deflated: {} vs {json_len} bytes of JSON", encoded.fragment_value.len());
        let shared = decode(&encoded.fragment_value, ids()).unwrap();
        assert_eq!(shared.note, note);
        assert_eq!(shared.show, Some(2));
    }

    #[test]
    fn credentials_never_travel() {
        let sql = "CREATE TABLE t (a INT) WITH (\n  'connector' = 'kinesis',\n  'aws.credentials.basic.secretkey' = 'wJalrXUt',\n  'aws.credentials.basic.accesskeyid' = 'AKIA123',\n  'stream' = 'secret-stream'\n)";
        let note = NoteDoc { name: "n".into(), paragraphs: vec![ParagraphDoc::new("p".into(), sql)] };
        let encoded = encode(&note, None).unwrap();
        assert_eq!(encoded.redacted, 2);
        let back = decode(&encoded.fragment_value, ids()).unwrap();
        assert!(back.note.paragraphs[0].text.contains("'aws.credentials.basic.secretkey' = '<redacted>'"));
        let stray = NoteDoc { name: "n".into(), paragraphs: vec![ParagraphDoc::new("p".into(), format!("SELECT 'x;\n{sql}"))] };
        let link = encode(&stray, None).unwrap().fragment_value;
        assert!(!decode(&link, ids()).unwrap().note.paragraphs[0].text.contains("wJalrXUt"), "a stray quote does not let it through");
        let unquoted = NoteDoc { name: "n".into(), paragraphs: vec![ParagraphDoc::new("p".into(), "'password' = hunter2")] };
        assert!(encode(&unquoted, None).unwrap_err().contains("cannot be left out safely"), "refused rather than leaked");
    }

    #[test]
    fn a_damaged_link_says_what_is_wrong() {
        let err = |v: &str| decode(v, ids()).unwrap_err();
        assert_eq!(err(""), "the link holds no note after `share=`");
        assert!(err("not base64!").starts_with("it is not base64url text"));
        assert!(err("AAAA").starts_with("its data does not inflate"));
        let good = encode(&seed::sensors(ids()), None).unwrap().fragment_value;
        assert!(err(&good[..good.len() / 2]).contains("cut short or changed"));
        let deflate = |json: &str| URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6));
        assert!(err(&deflate("[1, 2")).starts_with("it is not a note"));
        assert_eq!(err(&deflate(r#"{"v": 9}"#)), "it is shared-note version 9, and this page reads version 1");
        assert!(err(&deflate(r#"{"v": 1, "name": 3}"#)).starts_with("it does not have a note's shape"));
        assert_eq!(err(&deflate(r#"{"v": 1, "name": "n", "paragraphs": []}"#)), "its note has no paragraphs");
        let huge = deflate(&format!(r#"{{"v": 1, "name": "{}", "paragraphs": []}}"#, "x".repeat(2 * MAX_NOTE_BYTES)));
        assert_eq!(err(&huge), "its note inflates to more than 1024 KB, the most a link may hold", "a link cannot inflate without bound");
        assert_eq!(err(&"A".repeat(MAX_LINK_BYTES + 1)), "it is 2048 KB long, and a link's note is at most 2048 KB");
        let deep = deflate(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
        assert!(err(&deep).contains("recursion limit exceeded"), "serde_json's depth limit is on: {}", err(&deep));
        let many = format!(r#"{{"v": 1, "name": "n", "paragraphs": [{}{{"text": ""}}]}}"#, r#"{"text": ""},"#.repeat(1000));
        assert_eq!(err(&deflate(&many)), "its note has 1001 paragraphs; a note has at most 1000");
        let long = format!(r#"{{"v": 1, "name": "n", "paragraphs": [{{"text": "{}"}}]}}"#, "x".repeat(300 << 10));
        assert_eq!(err(&deflate(&long)), "its note: paragraph 1 holds 300 KB of text; a paragraph holds at most 256 KB");
    }

    #[test]
    fn an_embedded_paragraph_out_of_range_is_the_last() {
        let note = seed::sensors(ids());
        let n = note.paragraphs.len();
        let shared = decode(&encode(&note, Some(99)).unwrap().fragment_value, ids()).unwrap();
        assert_eq!(shared.show, Some(n - 1));
    }
}
