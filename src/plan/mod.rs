//! Plans: typed, resolved queries ([`logical`]), and what runs them ([`physical`]).
//!
//! [`planner`] turns statements into [`logical::Plan`]s over the [`catalog`], binding names and
//! types with [`bind`]; expressions are [`expr::Expr`]. [`physical::lower`] picks the operators,
//! infers each one's changelog mode and refuses what cannot run.

pub mod alter_schema;
pub mod bind;
pub mod catalog;
pub mod expr;
pub mod functions;
pub mod grouping;
pub mod join;
pub mod local_time_zone;
pub mod logical;
pub mod match_recognize;
pub mod physical;
pub mod planner;
pub mod rank;
pub mod sink;
pub mod table_as;
pub mod table_ddl;
pub mod table_like;
pub mod unnest;

pub use catalog::{Catalog, TableDef};
pub use expr::Expr;
pub use logical::{Node, Plan, Schema};
pub use physical::PhysicalPlan;
pub use planner::Planner;
