//! Record formats: how bytes on a stream become rows and back.

pub mod csv;
pub mod json;
pub mod raw;
