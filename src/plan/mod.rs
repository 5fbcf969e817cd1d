//! Logical plans: typed, resolved queries, independent of how they execute.
//!
//! [`planner`] turns statements into [`logical::Plan`]s over the [`catalog`], binding names and
//! types with [`bind`]; expressions are [`expr::Expr`].

pub mod bind;
pub mod catalog;
pub mod expr;
pub mod functions;
pub mod join;
pub mod logical;
pub mod planner;
pub mod rank;
pub mod sink;

pub use catalog::{Catalog, TableDef};
pub use expr::Expr;
pub use logical::{Node, Plan, Schema};
pub use planner::Planner;
