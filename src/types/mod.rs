//! The data model every layer shares: SQL types as Flink names them, values at the edges, and the
//! columnar batches of changes that flow between streaming operators.

mod batch;
mod batch_codec;
pub mod calendar;
mod cast;
mod data_type;
pub mod decimal;
mod time;
mod time_zone;
mod value;

pub use batch::{Batch, BatchBuilder, Column, ColumnData, RowKind, StrColumn};
pub use batch_codec::{decode_batch, encode_batch};
pub use cast::{cast_value, castable, parse_decimal};
pub use data_type::{DataType, Field, SqlType, STRING_LENGTH};
pub use time::{
    civil_from_days, days_from_civil, format_date, format_time, format_timestamp, parse_date, parse_duration, parse_time, parse_timestamp,
    truncate_to_precision, write_timestamp,
};
pub use time_zone::{instant_of_local, instant_of_local_java_time, is_session_zone, java_time_zone, offset_at};
pub use value::Value;
