//! What the studio shows, as plain Rust so the page only draws what these compute: a query's
//! changelog applied to a table, kept as it arrived, and folded into charts; a result's rows
//! as CSV and JSON; a running job's plan as boxes with live counts, and its records, watermark
//! and windows on a timeline; `%md` paragraphs as HTML; the editor's highlighting and
//! completion; the notes themselves with their file formats (Zeppelin `.zpln`, Flink SQL
//! scripts, share links) and their saved form; and what the page's address asks for.

pub mod address;
pub mod changelog;
pub mod chart;
pub mod completion;
pub mod diagnosis;
pub mod download;
pub mod exercise;
pub mod highlight;
pub mod host;
pub mod late_ledger;
pub mod markdown;
pub mod note;
pub mod plan_graph;
pub mod properties;
pub mod sample;
pub mod strategies;
pub mod table;
pub mod timeline;

pub use changelog::Changelog;
pub use chart::{Aggregate, ChartKind, ChartSpec};
pub use table::{ResultMode, ResultTable};
