//! Sluice: a streaming-SQL studio whose Flink-dialect engine runs in the browser tab.
//!
//! The data path runs one way, and the modules follow it:
//! SQL text → [`sql`] (AST, Flink dialect over sqlparser) → [`plan`] (typed logical plan) →
//! [`engine`] (streaming operators: watermarks, windows, state, changelog) → result changes →
//! views ([`ui`] in the page, [`cli`] natively). [`connectors`] feed sources and take sinks;
//! [`session`] ties a catalog, local streams and running jobs together for both front ends;
//! natively, [`proxy`] lets the page reach real Kinesis streams without holding AWS keys.

pub mod connectors;
pub mod engine;
pub mod export;
pub mod plan;
pub mod session;
pub mod sql;
pub mod types;
pub mod views;
pub mod workload;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod proxy;
#[cfg(target_arch = "wasm32")]
pub mod ui;
