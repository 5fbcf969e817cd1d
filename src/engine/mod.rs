//! Streaming operators: watermarks, windows, aggregates, state and changelogs.
//!
//! A [`pipeline::Pipeline`] is a running query: its source stage stamps rows with watermarks,
//! then [`calc`], [`group_aggregate`], [`over_aggregate`] and [`window`] operators turn batches of changes into
//! result changes. Everything here is plain Rust: it runs natively and in the page alike.

pub mod accumulator;
pub mod calc;
pub mod cep;
pub mod changelog_normalize;
pub mod correlate;
pub mod eval;
pub mod expand;
pub mod group_aggregate;
pub mod group_table;
pub mod join;
pub mod like;
pub mod limit;
pub mod operator;
pub mod over_aggregate;
pub mod pipeline;
pub mod rank;
pub mod regex;
pub mod similar;
pub mod sink_upsert_materializer;
pub mod split_watermark;
pub mod temporal_sort;
pub mod union;
pub mod user_function;
pub mod watermark;
pub mod watermark_compacting_materializer;
pub mod window;

pub use pipeline::Pipeline;
