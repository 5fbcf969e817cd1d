//! A note as the studio keeps it: its name and its paragraphs' text and view settings, never
//! their results. The page autosaves these ([`storage`]), and they travel as Zeppelin notes
//! ([`zeppelin`]) and as Flink SQL scripts ([`script`]); whatever leaves the tab is redacted
//! first ([`redact`]), whatever comes in is bounded ([`limits`]), and a save from another tab is
//! merged ([`merge`]). Plain Rust, so the formats are tested
//! natively.

pub mod limits;
pub mod merge;
pub mod redact;
pub mod script;
pub mod seed;
pub mod share;
pub mod storage;
pub mod zeppelin;

use serde::{Deserialize, Serialize};

use super::chart::{Aggregate, ChartKind};

/// How a paragraph shows its result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewKind {
    #[default]
    Table,
    Bar,
    Line,
    Area,
    Pie,
    Scatter,
    /// Every change as it arrived: `+I`, `-U`, `+U`, `-D`.
    Changelog,
    /// The running job's plan as a graph of stages with live counts.
    Plan,
    /// The running job's records, watermark and windows against the clock.
    Timeline,
}

impl ViewKind {
    /// The chart this view draws, if it is a chart.
    pub fn chart(self) -> Option<ChartKind> {
        match self {
            ViewKind::Bar => Some(ChartKind::Bar),
            ViewKind::Line => Some(ChartKind::Line),
            ViewKind::Area => Some(ChartKind::Area),
            ViewKind::Pie => Some(ChartKind::Pie),
            ViewKind::Scatter => Some(ChartKind::Scatter),
            ViewKind::Table | ViewKind::Changelog | ViewKind::Plan | ViewKind::Timeline => None,
        }
    }

    pub fn of_chart(kind: ChartKind) -> Self {
        match kind {
            ChartKind::Bar => ViewKind::Bar,
            ChartKind::Line => ViewKind::Line,
            ChartKind::Area => ViewKind::Area,
            ChartKind::Pie => ViewKind::Pie,
            ChartKind::Scatter => ViewKind::Scatter,
        }
    }
}

/// A chart's columns, by name (a result's column order is only known once it runs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartColumns {
    pub keys: String,
    pub values: String,
    #[serde(with = "aggregate_name")]
    pub aggregate: Aggregate,
    /// Zeppelin's "groups": a series per value of this column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<String>,
}

/// What a paragraph remembers besides its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewSettings {
    #[serde(default)]
    pub view: ViewKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<ChartColumns>,
    /// Editor and output hidden (a `%md` paragraph keeps its rendered text).
    #[serde(default)]
    pub collapsed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphDoc {
    /// Zeppelin-style id (`paragraph_<ms>_<n>`), stable across saves and exports.
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub settings: ViewSettings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDoc {
    pub name: String,
    pub paragraphs: Vec<ParagraphDoc>,
}

impl ParagraphDoc {
    pub fn new(id: String, text: impl Into<String>) -> Self {
        ParagraphDoc { id, text: text.into(), settings: ViewSettings::default() }
    }
}

pub use crate::session::paragraph::{interpreter, paragraph_kind, ParagraphKind};

/// Whether a paragraph is markdown (`%md`), which renders instead of running SQL.
pub fn is_markdown(text: &str) -> bool {
    interpreter(text) == Some("md")
}

/// Whether a paragraph is Python (`%flink.pyflink`, `%flink.ipyflink`), which the page runs
/// with Pyodide.
pub fn is_python(text: &str) -> bool {
    paragraph_kind(text) == ParagraphKind::Python
}

/// A paragraph's text after its interpreter line.
pub fn body(text: &str) -> &str {
    let trimmed = text.trim_start();
    if trimmed.starts_with('%') {
        match trimmed.find('\n') {
            Some(i) => &trimmed[i + 1..],
            None => "",
        }
    } else {
        text
    }
}

mod aggregate_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::views::chart::Aggregate;

    pub fn serialize<S: Serializer>(a: &Aggregate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(a.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Aggregate, D::Error> {
        let name = String::deserialize(d)?;
        Aggregate::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not an aggregate (avg, sum, count, min, max)")))
    }
}

/// Paragraph ids `paragraph_1`, `paragraph_2`, … for the tests of the note formats.
#[cfg(test)]
pub(crate) fn test_ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("paragraph_{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpreter_lines_name_the_interpreter() {
        assert_eq!(interpreter("%flink.ssql(type=update)\n\nSELECT 1"), Some("flink.ssql"));
        assert_eq!(interpreter("\n  %md\n# Title"), Some("md"));
        assert_eq!(interpreter("SELECT 1"), None);
        assert!(is_markdown("%md\nhello"));
        assert!(!is_markdown("%flink.ssql\nSELECT 1"));
        assert_eq!(body("%md\n# Title\ntext"), "# Title\ntext");
        assert_eq!(body("%md"), "");
        assert_eq!(body("SELECT 1"), "SELECT 1");
    }
}
