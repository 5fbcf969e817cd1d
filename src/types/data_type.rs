//! SQL types with Flink's names, nullability and the event-time (`*ROWTIME*`) marker.
//!
//! `Display` prints a type exactly as Flink's `DESCRIBE` and result headers do (`INT`,
//! `VARCHAR(6)`, `BIGINT NOT NULL`, `TIMESTAMP(3) *ROWTIME*`), because users compare the two.

use std::fmt;

/// A logical SQL type without nullability.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DataType {
    Boolean,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Double,
    Decimal {
        precision: u8,
        scale: u8,
    },
    Char(u32),
    /// `VARCHAR(n)`; `STRING` is `VARCHAR(2147483647)`, as in Flink.
    Varchar(u32),
    Date,
    /// `TIME(p)`; stored as milliseconds of the day.
    Time(u8),
    /// `TIMESTAMP(p)`: a local date-time without zone, stored as milliseconds since the epoch.
    Timestamp(u8),
    /// `TIMESTAMP_LTZ(p)`: an instant, stored as milliseconds since the epoch (shown in UTC).
    TimestampLtz(u8),
    Row(Vec<Field>),
    /// `BINARY(n)`: bytes of a fixed length.
    Binary(u32),
    /// `VARBINARY(n)`; `BYTES` is `VARBINARY(2147483647)`, as in Flink.
    Varbinary(u32),
    /// `ARRAY<T>` (or `T ARRAY`): an ordered list; Flink indexes it from 1.
    Array(Box<SqlType>),
    /// `MAP<K, V>`: entries in insertion order, keys distinct.
    Map(Box<SqlType>, Box<SqlType>),
    /// `MULTISET<T>`: each distinct element with its count (Flink's `MAP<T, INT NOT NULL>`).
    Multiset(Box<SqlType>),
    /// A day-time interval (`INTERVAL '5' SECOND`), stored as milliseconds.
    Interval,
    /// The type of a bare `NULL` literal before it meets a context.
    Null,
}

pub const STRING_LENGTH: u32 = i32::MAX as u32;

#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub name: String,
    pub ty: SqlType,
}

/// A column's full type: the logical type, whether it may be NULL, and whether it is an
/// event-time attribute (a rowtime column that windows and watermarks can use).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SqlType {
    pub data_type: DataType,
    pub nullable: bool,
    pub rowtime: bool,
    pub proctime: bool,
}

impl SqlType {
    pub fn nullable(data_type: DataType) -> Self {
        SqlType { data_type, nullable: true, rowtime: false, proctime: false }
    }
    pub fn not_null(data_type: DataType) -> Self {
        SqlType { data_type, nullable: false, rowtime: false, proctime: false }
    }
    pub fn with_nullable(mut self, nullable: bool) -> Self {
        self.nullable = nullable;
        self
    }
    pub fn as_rowtime(mut self) -> Self {
        self.rowtime = true;
        self
    }
    /// The same type without time-attribute markers (what a value computed from it has).
    pub fn plain(&self) -> Self {
        SqlType { rowtime: false, proctime: false, ..self.clone() }
    }
    pub fn is_time_attribute(&self) -> bool {
        self.rowtime || self.proctime
    }
}

impl DataType {
    pub fn is_integer(&self) -> bool {
        matches!(self, DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt)
    }
    pub fn is_approximate(&self) -> bool {
        matches!(self, DataType::Float | DataType::Double)
    }
    pub fn is_numeric(&self) -> bool {
        self.is_integer() || self.is_approximate() || matches!(self, DataType::Decimal { .. })
    }
    pub fn is_string(&self) -> bool {
        matches!(self, DataType::Char(_) | DataType::Varchar(_))
    }
    pub fn is_binary(&self) -> bool {
        matches!(self, DataType::Binary(_) | DataType::Varbinary(_))
    }
    /// ARRAY, MAP and MULTISET: values a column holds as [`crate::types::Value`]s.
    pub fn is_collection(&self) -> bool {
        matches!(self, DataType::Array(_) | DataType::Map(..) | DataType::Multiset(_))
    }
    pub fn is_timestamp(&self) -> bool {
        matches!(self, DataType::Timestamp(_) | DataType::TimestampLtz(_))
    }
    /// Rank of integer types for widening (TINYINT < SMALLINT < INT < BIGINT).
    pub fn integer_rank(&self) -> Option<u8> {
        match self {
            DataType::TinyInt => Some(1),
            DataType::SmallInt => Some(2),
            DataType::Int => Some(3),
            DataType::BigInt => Some(4),
            _ => None,
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::Boolean => f.write_str("BOOLEAN"),
            DataType::TinyInt => f.write_str("TINYINT"),
            DataType::SmallInt => f.write_str("SMALLINT"),
            DataType::Int => f.write_str("INT"),
            DataType::BigInt => f.write_str("BIGINT"),
            DataType::Float => f.write_str("FLOAT"),
            DataType::Double => f.write_str("DOUBLE"),
            DataType::Decimal { precision, scale } => write!(f, "DECIMAL({precision}, {scale})"),
            DataType::Char(n) => write!(f, "CHAR({n})"),
            DataType::Varchar(n) if *n == STRING_LENGTH => f.write_str("STRING"),
            DataType::Varchar(n) => write!(f, "VARCHAR({n})"),
            DataType::Date => f.write_str("DATE"),
            DataType::Time(p) => write!(f, "TIME({p})"),
            DataType::Timestamp(p) => write!(f, "TIMESTAMP({p})"),
            DataType::TimestampLtz(p) => write!(f, "TIMESTAMP_LTZ({p})"),
            DataType::Row(fields) => {
                f.write_str("ROW<")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{}` {}", field.name, field.ty)?;
                }
                f.write_str(">")
            }
            DataType::Binary(n) => write!(f, "BINARY({n})"),
            DataType::Varbinary(n) if *n == STRING_LENGTH => f.write_str("BYTES"),
            DataType::Varbinary(n) => write!(f, "VARBINARY({n})"),
            DataType::Array(t) => write!(f, "ARRAY<{t}>"),
            DataType::Map(k, v) => write!(f, "MAP<{k}, {v}>"),
            DataType::Multiset(t) => write!(f, "MULTISET<{t}>"),
            DataType::Interval => f.write_str("INTERVAL SECOND(3)"),
            DataType::Null => f.write_str("NULL"),
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.data_type)?;
        if !self.nullable && self.data_type != DataType::Null {
            f.write_str(" NOT NULL")?;
        }
        if self.rowtime {
            f.write_str(" *ROWTIME*")?;
        }
        if self.proctime {
            f.write_str(" *PROCTIME*")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_print_as_flink_prints_them() {
        assert_eq!(SqlType::not_null(DataType::BigInt).to_string(), "BIGINT NOT NULL");
        assert_eq!(SqlType::nullable(DataType::Varchar(6)).to_string(), "VARCHAR(6)");
        assert_eq!(SqlType::nullable(DataType::Varchar(STRING_LENGTH)).to_string(), "STRING");
        assert_eq!(SqlType::nullable(DataType::Timestamp(3)).as_rowtime().to_string(), "TIMESTAMP(3) *ROWTIME*");
        assert_eq!(SqlType::not_null(DataType::Timestamp(3)).as_rowtime().to_string(), "TIMESTAMP(3) NOT NULL *ROWTIME*");
        let int = SqlType::not_null(DataType::Int);
        assert_eq!(SqlType::not_null(DataType::Array(Box::new(int.clone()))).to_string(), "ARRAY<INT NOT NULL> NOT NULL");
        let key = Box::new(SqlType::not_null(DataType::Char(1)));
        assert_eq!(SqlType::nullable(DataType::Map(key, Box::new(int))).to_string(), "MAP<CHAR(1) NOT NULL, INT NOT NULL>");
        assert_eq!(SqlType::nullable(DataType::Varbinary(STRING_LENGTH)).to_string(), "BYTES");
    }
}
