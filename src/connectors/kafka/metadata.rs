//! Kafka's metadata columns (`METADATA [FROM 'key'] [VIRTUAL]`), as Flink's
//! `KafkaDynamicSource.ReadableMetadata` and `KafkaDynamicSink.WritableMetadata` define them:
//! which keys exist, their types, and which can be written.

use crate::plan::catalog::{ColumnKind, TableDef};
use crate::types::{DataType, Field, SqlType, Value, STRING_LENGTH};

use super::record::KafkaRecord;

/// One metadata key a Kafka table can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetadataKey {
    Topic,
    Partition,
    Headers,
    LeaderEpoch,
    Offset,
    Timestamp,
    TimestampType,
}

/// Readable keys in the order Flink lists them in its error message.
const READABLE: [(&str, MetadataKey); 7] = [
    ("topic", MetadataKey::Topic),
    ("partition", MetadataKey::Partition),
    ("headers", MetadataKey::Headers),
    ("leader-epoch", MetadataKey::LeaderEpoch),
    ("offset", MetadataKey::Offset),
    ("timestamp", MetadataKey::Timestamp),
    ("timestamp-type", MetadataKey::TimestampType),
];

/// Keys a Kafka sink writes (`KafkaDynamicSink.WritableMetadata`).
const WRITABLE: [&str; 2] = ["headers", "timestamp"];

impl MetadataKey {
    pub fn parse(key: &str) -> Option<Self> {
        READABLE.iter().find(|(k, _)| *k == key).map(|(_, m)| *m)
    }

    /// The type Flink gives the key (what the declared column must be castable from).
    pub fn data_type(self) -> SqlType {
        let not_null = SqlType::not_null;
        match self {
            MetadataKey::Topic | MetadataKey::TimestampType => not_null(DataType::Varchar(STRING_LENGTH)),
            MetadataKey::Partition => not_null(DataType::Int),
            MetadataKey::LeaderEpoch => SqlType::nullable(DataType::Int),
            MetadataKey::Offset => not_null(DataType::BigInt),
            MetadataKey::Timestamp => not_null(DataType::TimestampLtz(3)),
            MetadataKey::Headers => not_null(DataType::Map(
                Box::new(SqlType::nullable(DataType::Varchar(STRING_LENGTH))),
                Box::new(SqlType::nullable(DataType::Varbinary(STRING_LENGTH))),
            )),
        }
    }

    /// The key's value for `record` of `topic`, in [`MetadataKey::data_type`].
    pub fn value(self, topic: &std::sync::Arc<str>, record: &KafkaRecord) -> Value {
        match self {
            MetadataKey::Topic => Value::Str(topic.clone()),
            MetadataKey::Partition => Value::Int(i64::from(record.partition)),
            MetadataKey::LeaderEpoch => record.leader_epoch.map_or(Value::Null, |e| Value::Int(i64::from(e))),
            MetadataKey::Offset => Value::Int(record.offset),
            MetadataKey::Timestamp => Value::Timestamp(record.timestamp_ms),
            MetadataKey::TimestampType => Value::Str(record.timestamp_type.name().into()),
            MetadataKey::Headers => Value::Map(
                record
                    .headers
                    .iter()
                    .map(|(k, v)| (Value::Str(k.as_str().into()), v.as_ref().map_or(Value::Null, |v| Value::Bytes(v.as_slice().into()))))
                    .collect(),
            ),
        }
    }
}

/// A metadata column of a Kafka table: its position among the table's columns, its key and
/// declared type.
#[derive(Clone, Debug)]
pub struct MetadataColumn {
    pub key: MetadataKey,
    pub field: Field,
    pub is_virtual: bool,
}

/// The table's metadata columns in table order, each checked as Flink's
/// `DynamicSourceUtils.validateAndApplyMetadata` checks them.
pub fn metadata_columns(table: &TableDef, connector_class: &str) -> Result<Vec<MetadataColumn>, String> {
    let mut out = Vec::new();
    for c in &table.columns {
        let ColumnKind::Metadata { key, is_virtual } = &c.kind else { continue };
        let Some(meta) = MetadataKey::parse(key) else {
            let keys: Vec<&str> = READABLE.iter().map(|(k, _)| *k).collect();
            return Err(format!(
                "Invalid metadata key '{key}' in column '{}' of table '{}'. The DynamicTableSource class '{connector_class}' supports the following metadata keys for reading:\n{}",
                c.name,
                table.name,
                keys.join("\n")
            ));
        };
        let from = meta.data_type();
        if !castable_from_metadata(&from.data_type, &c.ty.data_type) {
            return Err(format!(
                "Invalid data type for metadata column '{}' of table '{}'. The column cannot be declared as '{}' because the type must be castable from metadata type '{}'.",
                c.name, table.name, c.ty, from
            ));
        }
        out.push(MetadataColumn { key: meta, field: Field { name: c.name.clone(), ty: c.ty.plain() }, is_virtual: *is_virtual });
    }
    Ok(out)
}

/// Checks the persisted (not VIRTUAL) metadata columns a Kafka sink must write, as Flink's
/// `DynamicSinkUtils.validateAndApplyMetadata` does.
pub fn check_writable(table: &TableDef, columns: &[MetadataColumn], connector_class: &str) -> Result<(), String> {
    for c in columns.iter().filter(|c| !c.is_virtual) {
        let name = READABLE.iter().find(|(_, k)| *k == c.key).map_or("", |(n, _)| n);
        if !WRITABLE.contains(&name) {
            return Err(format!(
                "Invalid metadata key '{name}' in column '{}' of table '{}'. The DynamicTableSink class '{connector_class}' supports the following metadata keys for writing:\n{}",
                c.field.name,
                table.name,
                WRITABLE.join("\n")
            ));
        }
        let to = c.key.data_type();
        if !castable_from_metadata(&c.field.ty.data_type, &to.data_type) {
            return Err(format!(
                "Invalid data type for metadata column '{}' of table '{}'. The column cannot be declared as '{}' because the type must be castable to metadata type '{}'.",
                c.field.name, table.name, c.field.ty, to
            ));
        }
    }
    Ok(())
}

/// Flink's `LogicalTypeCasts.supportsExplicitCast` for the types metadata has: the same type,
/// numbers among numbers, anything to a string, timestamps among timestamps, and collections
/// whose parts cast.
fn castable_from_metadata(from: &DataType, to: &DataType) -> bool {
    use DataType as T;
    if from == to || crate::types::castable(from, to) {
        return true;
    }
    match (from, to) {
        (f, t) if f.is_numeric() && t.is_numeric() => true,
        (f, t) if t.is_string() && !f.is_collection() => true,
        (f, t) if f.is_string() && !t.is_collection() && !matches!(t, T::Row(_)) => true,
        (T::TimestampLtz(_) | T::Timestamp(_), T::TimestampLtz(_) | T::Timestamp(_) | T::Date | T::Time(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_types_are_flinks() {
        assert_eq!(MetadataKey::parse("timestamp").unwrap().data_type().to_string(), "TIMESTAMP_LTZ(3) NOT NULL");
        assert_eq!(MetadataKey::parse("headers").unwrap().data_type().to_string(), "MAP<STRING, BYTES> NOT NULL");
        assert_eq!(MetadataKey::parse("leader-epoch").unwrap().data_type().to_string(), "INT");
        assert!(MetadataKey::parse("key").is_none());
    }

    #[test]
    fn casts_from_metadata_follow_flinks_explicit_casts() {
        assert!(castable_from_metadata(&DataType::Int, &DataType::BigInt));
        assert!(castable_from_metadata(&DataType::TimestampLtz(3), &DataType::Timestamp(3)));
        assert!(castable_from_metadata(&DataType::BigInt, &DataType::Varchar(STRING_LENGTH)));
        assert!(castable_from_metadata(&DataType::Varchar(STRING_LENGTH), &DataType::Boolean));
        assert!(!castable_from_metadata(&DataType::TimestampLtz(3), &DataType::Int));
    }
}
