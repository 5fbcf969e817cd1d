//! Ranking a stream: Top-N and deduplication without windows, as Flink's
//! `AppendOnlyTopNFunction`, `RetractableTopNFunction`, `RowTimeDeduplicate…Function`s and `ProcTimeDeduplicate…Function`s
//! compute them. Their per-window
//! forms live in [`super::window::rank`].

pub mod buffer;
pub mod deduplicate;
pub mod proctime_deduplicate;
pub mod retract;
pub mod top_n;

pub use deduplicate::Deduplicate;
pub use proctime_deduplicate::ProcTimeDeduplicate;
pub use retract::RetractableTopN;
pub use top_n::AppendOnlyTopN;

/// Flink's deduplication rule, for a row whose time compares to the kept row's as `order`:
/// keeping the last row, one at or after the kept one replaces it (a tie goes to the later
/// arrival); keeping the first, only an earlier one does.
pub fn replaces_kept(keep_last: bool, order: std::cmp::Ordering) -> bool {
    if keep_last {
        order.is_ge()
    } else {
        order.is_lt()
    }
}
