//! Views of a continuous query's result: the changelog applied to a table, and the table
//! folded into a bar chart's bars. Plain Rust, so the page only draws what these compute.

pub mod chart;
pub mod table;

pub use chart::{Bar, BarAggregate, BarChart};
pub use table::{ResultMode, ResultTable};
