//! The session served as messages, for a page whose session runs in a Web Worker: the
//! [`protocol`] both sides speak, the [`server`] that holds the session and answers (it also runs
//! the views' own sessions: exercise checks, strategy comparisons, samples), and the page's
//! [`mirror`] of what the server last published. Plain Rust, no web types: natively tested, and
//! served on the page's own thread when no worker can start.

pub mod mirror;
pub mod pacing;
pub mod protocol;
pub mod server;
