//! Ranking a stream: Top-N and deduplication without windows, as Flink's
//! `AppendOnlyTopNFunction`, `RetractableTopNFunction` and `RowTimeDeduplicate…Function`s
//! compute them. Their per-window
//! forms live in [`super::window::rank`].

pub mod buffer;
pub mod deduplicate;
pub mod retract;
pub mod top_n;

pub use deduplicate::Deduplicate;
pub use retract::RetractableTopN;
pub use top_n::AppendOnlyTopN;
