//! Record formats: how bytes on a stream become rows and back.

pub mod json;
