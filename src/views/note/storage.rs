//! The notebook as the page saves it in `localStorage`: every note's text and view settings,
//! and which note is open. Results and running jobs are never saved. Reading is defensive: the
//! stored text may come from an older page, another tab or a hand edit, so anything that does
//! not fit gives an error that says what is wrong instead of a broken page. What is written is
//! [`SavedNotebook::for_storage`]: credential values redacted, as for a link.

use serde::{Deserialize, Serialize};

use super::NoteDoc;

/// The `localStorage` key the notebook is saved under.
pub const KEY: &str = "sluice.notebook";
/// The format version this page writes and reads.
pub const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedNotebook {
    pub version: u32,
    /// Index of the open note.
    pub current: usize,
    pub notes: Vec<NoteDoc>,
    /// The fingerprint ([`super::merge::fingerprint`]) of the notes the writing tab last saw
    /// before this save, so another tab knows what to merge it against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<u64>,
}

impl SavedNotebook {
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings, bools and enums cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The notebook as it may be written: every note through [`super::redact::for_storage`],
    /// with a sentence for each paragraph whose text had to be cut.
    pub fn for_storage(&self) -> (SavedNotebook, Vec<String>) {
        let mut cut = Vec::new();
        let notes = self
            .notes
            .iter()
            .map(|n| {
                let (note, why) = super::redact::for_storage(n);
                cut.extend(why);
                note
            })
            .collect();
        (SavedNotebook { version: self.version, current: self.current, notes, based_on: self.based_on }, cut)
    }

    /// Reads what [`SavedNotebook::to_json`] wrote.
    pub fn from_json(text: &str) -> Result<SavedNotebook, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
        let version = value.get("version").and_then(serde_json::Value::as_u64);
        match version {
            Some(v) if v == VERSION as u64 => {}
            Some(v) => return Err(format!("it is format version {v}, and this page reads version {VERSION}")),
            None => return Err("it has no format version".into()),
        }
        let mut saved: SavedNotebook = serde_json::from_value(value).map_err(|e| format!("it does not have the notebook's shape ({e})"))?;
        if saved.notes.is_empty() {
            return Err("it holds no notes".into());
        }
        saved.current = saved.current.min(saved.notes.len() - 1);
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::{seed, ChartColumns, ViewKind};
    use crate::views::Aggregate;

    use crate::views::note::test_ids as ids;

    #[test]
    fn a_saved_notebook_reads_back_the_same() {
        let mut sensors = seed::sensors(ids());
        sensors.paragraphs[1].settings.view = ViewKind::Bar;
        sensors.paragraphs[1].settings.chart =
            Some(ChartColumns { keys: "status".into(), values: "current_temperature".into(), aggregate: Aggregate::Avg, groups: None });
        sensors.paragraphs[2].settings.collapsed = true;
        let saved = SavedNotebook { version: VERSION, current: 1, notes: vec![sensors, seed::blank("Scratch", ids())], based_on: Some(7) };
        assert_eq!(SavedNotebook::from_json(&saved.to_json()).unwrap(), saved);
    }

    #[test]
    fn unreadable_storage_says_why() {
        let err = |text: &str| SavedNotebook::from_json(text).unwrap_err();
        assert!(err("{not json").starts_with("it is not JSON"));
        assert_eq!(err("[]"), "it has no format version");
        assert_eq!(err(r#"{"version": 7}"#), "it is format version 7, and this page reads version 1");
        assert!(err(r#"{"version": 1, "current": 0, "notes": [{"name": 3}]}"#).starts_with("it does not have the notebook's shape"));
        assert_eq!(err(r#"{"version": 1, "current": 0, "notes": []}"#), "it holds no notes");
        let bad_aggregate = r#"{"version":1,"current":0,"notes":[{"name":"n","paragraphs":[{"id":"p","text":"","settings":{"chart":{"keys":"a","values":"b","aggregate":"median"}}}]}]}"#;
        assert!(err(bad_aggregate).contains("`median` is not an aggregate"));
    }

    #[test]
    fn an_out_of_range_current_note_is_clamped() {
        let text = r#"{"version":1,"current":9,"notes":[{"name":"n","paragraphs":[]}]}"#;
        assert_eq!(SavedNotebook::from_json(text).unwrap().current, 0);
    }
}
