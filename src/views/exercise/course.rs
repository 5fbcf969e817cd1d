//! The course the Notes panel offers: "Event time, in five exercises" (TUMBLE, HOP, watermarks
//! and late data, a join, MATCH_RECOGNIZE), one note over two small files that come with it.
//! Written once in `course/course.txt`; the records and the tables' DDL are pasted into each
//! exercise, so every exercise checks alone (and travels alone in a share link).

use crate::views::note::{seed, NoteDoc, ParagraphDoc, ViewSettings};

const TEXT: &str = include_str!("course/course.txt");
const READINGS: &str = include_str!("course/readings.jsonl");
const SENSORS: &str = include_str!("course/sensors.jsonl");
const SETUP: &str = include_str!("course/setup.sql");

pub const NAME: &str = "Event time, in five exercises";

/// The files the course's tables read, for the page's session (so its paragraphs run there too).
pub fn files() -> [(&'static str, &'static str); 2] {
    [("readings.jsonl", READINGS), ("sensors.jsonl", SENSORS)]
}

/// The course's paragraphs' texts, in order.
pub fn paragraphs() -> Vec<String> {
    let text =
        TEXT.replace("{{readings}}", READINGS.trim_end()).replace("{{sensors}}", SENSORS.trim_end()).replace("{{setup}}", SETUP.trim_end());
    seed::paragraphs(&text).into_iter().map(str::to_string).collect()
}

/// The course as a note; exercise paragraphs start collapsed (they hold the answers).
pub fn note(mut new_id: impl FnMut() -> String) -> NoteDoc {
    NoteDoc {
        name: NAME.into(),
        paragraphs: paragraphs()
            .into_iter()
            .map(|text| {
                let collapsed = super::is_exercise(&text);
                ParagraphDoc { id: new_id(), text, settings: ViewSettings { collapsed, ..ViewSettings::default() } }
            })
            .collect(),
    }
}
