//! Event-time window aggregation.
//!
//! Tumbling, hopping and cumulating windows are computed over *slices*, as Flink's slicing
//! window operator does: each record updates exactly one slice, and a window's result merges
//! its slices when the watermark passes the window's end. Session windows merge per key
//! instead ([`session`]). Both fire once, with final results, and free their state as they go.

pub mod late;
mod open_sessions;
pub mod rank;
pub mod session;
pub mod session_table_function;
pub mod slice_aggregate;
pub mod slicing;
pub mod table_function;

pub use session::SessionWindowAggregate;
pub use session_table_function::SessionTableFunction;
pub use slice_aggregate::SliceWindowAggregate;
