//! A Kafka table's `WITH` options, read and checked as Flink 2.3's `KafkaDynamicTableFactory`,
//! `UpsertKafkaDynamicTableFactory` and `KafkaConnectorOptionsUtil` check them, with their
//! messages: the topic (`topic`, a `;` list, or `topic-pattern`), where reading starts and stops,
//! how the record key and value map to columns (`key.format`, `key.fields`, `key.fields-prefix`,
//! `value.format`/`format`, `value.fields-include`), the sink's partitioner and delivery
//! guarantee, and the metadata columns.

use std::collections::BTreeMap;

use super::metadata::{metadata_columns, MetadataColumn};
use super::partitioner::SinkPartitioner;
use super::topic::{TopicEnd, TopicStart};
use crate::plan::catalog::TableDef;

/// Flink's class names, as its messages print them.
pub const KAFKA_SOURCE_CLASS: &str = "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicSource";
pub const KAFKA_SINK_CLASS: &str = "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicSink";

/// Which topics a table reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Topics {
    /// `topic`: one or more names (`'a;b'`).
    Names(Vec<String>),
    /// `topic-pattern`: every topic whose whole name matches the Java regular expression.
    Pattern(String),
}

/// A format of the key or the value, with its options named as the format reads them
/// (`value.json.ignore-parse-errors` → `json.ignore-parse-errors`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    pub name: String,
    pub options: Vec<(String, String)>,
}

/// `sink.delivery-guarantee`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryGuarantee {
    None,
    AtLeastOnce,
    ExactlyOnce,
}

/// A Kafka or upsert-kafka table's options, checked.
#[derive(Clone, Debug)]
pub struct KafkaTable {
    /// `'connector' = 'upsert-kafka'`: read as an upsert changelog on the key, deletes written
    /// as tombstones.
    pub upsert: bool,
    pub topics: Topics,
    pub bootstrap_servers: String,
    pub group_id: Option<String>,
    /// Where reading starts; `group-offsets` (Flink's default) starts at the group's committed
    /// offsets, which a local topic has none of, so it starts at the earliest
    /// (`auto.offset.reset`'s default for Flink's source is `earliest` when no offset is committed).
    pub start: TopicStart,
    pub end: Option<TopicEnd>,
    pub key: Option<FormatSpec>,
    /// Positions among the physical columns of the key's fields, in key order.
    pub key_fields: Vec<usize>,
    /// `key.fields-prefix`: stripped from key field names in the key format.
    pub key_prefix: String,
    pub value: FormatSpec,
    /// Positions among the physical columns of the value's fields.
    pub value_fields: Vec<usize>,
    pub partitioner: SinkPartitioner,
    pub delivery: DeliveryGuarantee,
    /// `scan.watermark.idle-timeout`: a partition without records this long stops holding the
    /// table's watermark back.
    pub idle_timeout_ms: Option<i64>,
    pub metadata: Vec<MetadataColumn>,
}

const KAFKA_OPTIONS: &[&str] = &[
    "connector",
    "delivery-guarantee",
    "format",
    "key.fields",
    "key.fields-prefix",
    "key.format",
    "properties.bootstrap.servers",
    "properties.group.id",
    "property-version",
    "scan.bounded.mode",
    "scan.bounded.specific-offsets",
    "scan.bounded.timestamp-millis",
    "scan.parallelism",
    "scan.startup.mode",
    "scan.startup.specific-offsets",
    "scan.startup.timestamp-millis",
    "scan.topic-partition-discovery.interval",
    "scan.watermark.alignment.group",
    "scan.watermark.alignment.max-drift",
    "scan.watermark.alignment.update-interval",
    "scan.watermark.emit.strategy",
    "scan.watermark.idle-timeout",
    "sink.delivery-guarantee",
    "sink.parallelism",
    "sink.partitioner",
    "sink.semantic",
    "sink.transaction-naming-strategy",
    "sink.transactional-id-prefix",
    "topic",
    "topic-pattern",
    "value.fields-include",
    "value.format",
];

const UPSERT_KAFKA_OPTIONS: &[&str] = &[
    "connector",
    "key.fields-prefix",
    "key.format",
    "properties.bootstrap.servers",
    "property-version",
    "scan.bounded.mode",
    "scan.bounded.specific-offsets",
    "scan.bounded.timestamp-millis",
    "scan.parallelism",
    "scan.topic-partition-discovery.interval",
    "scan.watermark.alignment.group",
    "scan.watermark.alignment.max-drift",
    "scan.watermark.alignment.update-interval",
    "scan.watermark.emit.strategy",
    "scan.watermark.idle-timeout",
    "sink.buffer-flush.interval",
    "sink.buffer-flush.max-rows",
    "sink.delivery-guarantee",
    "sink.parallelism",
    "sink.transaction-naming-strategy",
    "sink.transactional-id-prefix",
    "topic",
    "topic-pattern",
    "value.fields-include",
    "value.format",
];

/// The formats a Kafka key or value can be here, with the options each takes.
fn format_options(format: &str) -> Option<&'static [&'static str]> {
    match format {
        "json" => Some(&[
            "json.encode.decimal-as-plain-number",
            "json.encode.ignore-null-fields",
            "json.fail-on-missing-field",
            "json.ignore-parse-errors",
            "json.map-null-key.literal",
            "json.map-null-key.mode",
            "json.timestamp-format.standard",
        ]),
        "csv" => Some(&[
            "csv.allow-comments",
            "csv.array-element-delimiter",
            "csv.disable-quote-character",
            "csv.escape-character",
            "csv.field-delimiter",
            "csv.ignore-parse-errors",
            "csv.null-literal",
            "csv.quote-character",
            "csv.write-bigdecimal-in-scientific-notation",
        ]),
        "raw" => Some(&["raw.charset", "raw.endianness"]),
        "avro" => Some(crate::connectors::format::avro::OPTIONS),
        "debezium-json" => Some(&[
            "debezium-json.encode.decimal-as-plain-number",
            "debezium-json.encode.ignore-null-fields",
            "debezium-json.ignore-parse-errors",
            "debezium-json.map-null-key.literal",
            "debezium-json.map-null-key.mode",
            "debezium-json.schema-include",
            "debezium-json.timestamp-format.standard",
        ]),
        _ => None,
    }
}

fn option<'a>(table: &'a TableDef, key: &str) -> Option<&'a str> {
    table.option(key)
}

/// Flink's `ConfigOption<List<String>>` reading: `;`-separated, blanks trimmed away.
fn list(value: &str) -> Vec<String> {
    value.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl KafkaTable {
    /// Reads and checks `table`'s options as Flink does when it makes the source or sink.
    pub fn from_table(table: &TableDef) -> Result<Self, String> {
        let upsert = table.connector() == "upsert-kafka";
        let connector = table.connector();
        // Formats first: the options they take are known only then.
        let (value, value_prefix) = if upsert {
            let Some(v) = option(table, "value.format") else {
                return Err(missing_required(
                    connector,
                    &missing_of(table, &["key.format", "properties.bootstrap.servers", "value.format"]),
                ));
            };
            (v, "value.")
        } else {
            match (option(table, "format"), option(table, "value.format")) {
                (Some(f), None) => (f, ""),
                (None, Some(v)) => (v, "value."),
                (Some(_), Some(_)) => {
                    return Err("Option 'format' and 'value.format' shouldn't be set together; 'format' is a short form of 'value.format'".into())
                }
                (None, None) => {
                    return Err(format!(
                        "Could not find required scan table source format 'value.format'.\n\nSet 'format' (or 'value.format') of the '{connector}' table to one of: json, csv, raw, debezium-json"
                    ))
                }
            }
        };
        let key_format = option(table, "key.format");
        if upsert && key_format.is_none() {
            return Err(missing_required(connector, &missing_of(table, &["key.format", "properties.bootstrap.servers"])));
        }
        let mut supported: Vec<String> =
            (if upsert { UPSERT_KAFKA_OPTIONS } else { KAFKA_OPTIONS }).iter().map(|s| s.to_string()).collect();
        let known_format = |name: &str| -> Result<&'static [&'static str], String> {
            if matches!(name, "avro-confluent" | "debezium-avro-confluent") {
                return Err(format!(
                    "format '{name}' needs a Confluent Schema Registry (each record carries a schema id), which Sluice does not reach; use 'avro' (Avro binary of the schema Flink derives from the columns, no registry)"
                ));
            }
            if matches!(name, "canal-json" | "maxwell-json" | "ogg-json" | "protobuf") {
                return Err(format!(
                    "format '{name}' is one of Flink's but Sluice does not read or write it yet (it has json, csv, raw, avro and debezium-json)"
                ));
            }
            format_options(name).ok_or_else(|| {
                format!(
                    "Could not find any factory for identifier '{name}' that implements 'org.apache.flink.table.factories.DeserializationFormatFactory' in the classpath.\n\nAvailable factory identifiers are:\n\navro\ncsv\ndebezium-json\njson\nraw"
                )
            })
        };
        let value_keys = known_format(value)?;
        let changelog_value = crate::plan::physical::changelog::is_changelog_format(value);
        // `UpsertKafkaDynamicTableFactory.validateFormat`.
        if upsert && changelog_value {
            return Err(format!(
                "'upsert-kafka' connector doesn't support '{value}' as value format, because '{value}' is not in insert-only mode."
            ));
        }
        supported.extend(value_keys.iter().map(|k| format!("{value_prefix}{k}")));
        if let Some(key) = key_format {
            supported.extend(known_format(key)?.iter().map(|k| format!("key.{k}")));
            if crate::plan::physical::changelog::is_changelog_format(key) {
                return Err(format!(
                    "A key format should only deal with INSERT-only records. But {key} has a changelog mode of [I,UB,UA,D]."
                ));
            }
        }
        // `helper.validateExcept("properties.")`.
        let unsupported: Vec<&str> = table
            .options
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !k.starts_with("properties.") && !supported.iter().any(|s| s == k))
            .collect();
        if !unsupported.is_empty() {
            supported.sort();
            return Err(format!(
                "Unsupported options found for '{connector}'.\n\nUnsupported options:\n\n{}\n\nSupported options:\n\n{}",
                unsupported.join("\n"),
                supported.join("\n")
            ));
        }
        let Some(bootstrap_servers) = option(table, "properties.bootstrap.servers") else {
            return Err(missing_required(connector, &["properties.bootstrap.servers".to_string()]));
        };
        // validateTopic.
        let topics = match (option(table, "topic"), option(table, "topic-pattern")) {
            (Some(_), Some(_)) => return Err("Option 'topic' and 'topic-pattern' shouldn't be set together.".into()),
            (None, None) => return Err("Either 'topic' or 'topic-pattern' must be set.".into()),
            (Some(t), None) => Topics::Names(list(t)),
            (None, Some(p)) => {
                crate::engine::regex::Regex::new(p).map_err(|e| format!("'topic-pattern' = '{p}' is not a regular expression: {e}"))?;
                Topics::Pattern(p.to_string())
            }
        };
        let single_topic = matches!(&topics, Topics::Names(n) if n.len() == 1);
        let start = if upsert { TopicStart::Earliest } else { startup(table, single_topic)? };
        let end = bounded(table, single_topic)?;
        let physical: Vec<String> = table.physical_columns().map(|(_, c)| c.name.clone()).collect();
        let key_prefix = option(table, "key.fields-prefix").unwrap_or("").to_string();
        let key_fields =
            if upsert { upsert_key_fields(table, &physical, &key_prefix)? } else { key_projection(table, &physical, &key_prefix)? };
        let value_fields = value_projection(table, &physical, &key_fields, &key_prefix)?;
        let partitioner = match option(table, "sink.partitioner") {
            None => SinkPartitioner::Default,
            Some("") => return Err("Option 'sink.partitioner' should be a non-empty string.".into()),
            Some("round-robin") if option(table, "key.fields").is_some() => {
                return Err("Currently 'round-robin' partitioner only works when option 'key.fields' is not specified.".into())
            }
            Some(p) => SinkPartitioner::parse(p)?,
        };
        let delivery = delivery_guarantee(table)?;
        let idle_timeout_ms = match option(table, "scan.watermark.idle-timeout") {
            None => None,
            Some(text) => Some(
                crate::types::parse_duration(text)
                    .ok_or_else(|| format!("Could not parse value '{text}' for key 'scan.watermark.idle-timeout'."))?,
            ),
        };
        // `validatePKConstraints`: a key means nothing to an insert-only format.
        if !upsert && !changelog_value && !table.primary_key.is_empty() {
            return Err(format!(
                "The Kafka table '{}' with '{value}' format doesn't support defining PRIMARY KEY constraint on the table, because it can't guarantee the semantic of primary key.",
                summary_name(table)
            ));
        }
        let metadata = metadata_columns(table, KAFKA_SOURCE_CLASS)?;
        let strip = |prefix: &str| -> Vec<(String, String)> {
            table.options.iter().filter_map(|(k, v)| k.strip_prefix(prefix).map(|k| (k.to_string(), v.clone()))).collect()
        };
        let value_options = if value_prefix.is_empty() { table.options.clone() } else { strip(value_prefix) };
        if changelog_value {
            crate::connectors::format::debezium::check_options(&value_options)?;
        }
        Ok(KafkaTable {
            upsert,
            topics,
            bootstrap_servers: bootstrap_servers.to_string(),
            group_id: option(table, "properties.group.id").map(str::to_string),
            start,
            end,
            key: key_format.map(|k| FormatSpec { name: k.to_string(), options: strip("key.") }),
            key_fields,
            key_prefix,
            value: FormatSpec { name: value.to_string(), options: value_options },
            value_fields,
            partitioner,
            delivery,
            idle_timeout_ms,
            metadata,
        })
    }

    /// The topic names this table names (none for a pattern).
    pub fn topic_names(&self) -> &[String] {
        match &self.topics {
            Topics::Names(names) => names,
            Topics::Pattern(_) => &[],
        }
    }
}

/// Flink names tables `catalog.database.table` in its messages.
pub fn summary_name(table: &TableDef) -> String {
    format!("default_catalog.default_database.{}", table.name)
}

fn missing_of(table: &TableDef, required: &[&str]) -> Vec<String> {
    required.iter().filter(|k| table.option(k).is_none()).map(|k| k.to_string()).collect()
}

fn missing_required(connector: &str, missing: &[String]) -> String {
    format!("One or more required options are missing.\n\nMissing required options are:\n\n{}", missing.join("\n"))
        + &format!("\n\n(for the '{connector}' connector)")
}

fn parse_millis(table: &TableDef, key: &str) -> Result<Option<i64>, String> {
    match option(table, key) {
        None => Ok(None),
        Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| format!("Could not parse value '{v}' for key '{key}'.")),
    }
}

fn startup(table: &TableDef, single_topic: bool) -> Result<TopicStart, String> {
    let mode = option(table, "scan.startup.mode").unwrap_or("group-offsets");
    Ok(match mode {
        "earliest-offset" | "group-offsets" => TopicStart::Earliest,
        "latest-offset" => TopicStart::Latest,
        "timestamp" => {
            let ms = parse_millis(table, "scan.startup.timestamp-millis")?
                .ok_or("'scan.startup.timestamp-millis' is required in 'timestamp' startup mode but missing.")?;
            TopicStart::Timestamp(ms)
        }
        "specific-offsets" => {
            let text = option(table, "scan.startup.specific-offsets")
                .ok_or("'scan.startup.specific-offsets' is required in 'specific-offsets' startup mode but missing.")?;
            if !single_topic {
                return Err("Currently Kafka source only supports specific offset for single topic.".into());
            }
            TopicStart::Offsets(parse_specific_offsets(text, "scan.startup.specific-offsets")?)
        }
        other => {
            return Err(enum_error(
                other,
                "scan.startup.mode",
                &["earliest-offset", "latest-offset", "group-offsets", "timestamp", "specific-offsets"],
            ))
        }
    })
}

fn bounded(table: &TableDef, single_topic: bool) -> Result<Option<TopicEnd>, String> {
    let mode = option(table, "scan.bounded.mode").unwrap_or("unbounded");
    Ok(Some(match mode {
        "unbounded" => return Ok(None),
        // A local topic has no committed offsets: the group's are where it ends now.
        "latest-offset" | "group-offsets" => TopicEnd::Latest,
        "timestamp" => {
            let ms = parse_millis(table, "scan.bounded.timestamp-millis")?
                .ok_or("'scan.bounded.timestamp-millis' is required in 'timestamp' bounded mode but missing.")?;
            TopicEnd::Timestamp(ms)
        }
        "specific-offsets" => {
            let text = option(table, "scan.bounded.specific-offsets")
                .ok_or("'scan.bounded.specific-offsets' is required in 'specific-offsets' bounded mode but missing.")?;
            if !single_topic {
                return Err("Currently Kafka source only supports specific offset for single topic.".into());
            }
            TopicEnd::Offsets(parse_specific_offsets(text, "scan.bounded.specific-offsets")?)
        }
        other => {
            return Err(enum_error(
                other,
                "scan.bounded.mode",
                &["unbounded", "latest-offset", "group-offsets", "timestamp", "specific-offsets"],
            ))
        }
    }))
}

fn enum_error(value: &str, key: &str, allowed: &[&str]) -> String {
    format!("Could not parse value '{value}' for key '{key}'.\nExpected one of: [{}]", allowed.join(", "))
}

/// `partition:0,offset:42;partition:1,offset:300`, as `KafkaConnectorOptionsUtil.parseSpecificOffsets`.
pub fn parse_specific_offsets(text: &str, key: &str) -> Result<BTreeMap<i32, i64>, String> {
    let error =
        || format!("Invalid properties '{key}' should follow the format 'partition:0,offset:42;partition:1,offset:300', but is '{text}'.");
    let mut out = BTreeMap::new();
    // Java's String.split drops trailing empty strings.
    let pairs: Vec<&str> = text.trim_end_matches(';').split(';').collect();
    if text.trim_end_matches(';').is_empty() {
        return Err(error());
    }
    for pair in pairs {
        let Some((p, o)) = pair.split_once(',') else { return Err(error()) };
        if o.contains(',') {
            return Err(error());
        }
        let (Some(p), Some(o)) = (p.strip_prefix("partition:"), o.strip_prefix("offset:")) else { return Err(error()) };
        let partition: i32 = p.parse().map_err(|_| error())?;
        let offset: i64 = o.parse().map_err(|_| error())?;
        out.insert(partition, offset);
    }
    Ok(out)
}

/// `createKeyFormatProjection`.
fn key_projection(table: &TableDef, physical: &[String], prefix: &str) -> Result<Vec<usize>, String> {
    let fields = option(table, "key.fields").map(list);
    match (option(table, "key.format"), fields) {
        (None, Some(_)) => Err("The option 'key.fields' can only be declared if a key format is defined using 'key.format'.".into()),
        (Some(_), None) => {
            Err("A key format 'key.format' requires the declaration of one or more of key fields using 'key.fields'.".into())
        }
        (Some(_), Some(f)) if f.is_empty() => {
            Err("A key format 'key.format' requires the declaration of one or more of key fields using 'key.fields'.".into())
        }
        (None, None) => Ok(Vec::new()),
        (Some(_), Some(fields)) => fields.iter().map(|f| key_field_position(f, physical, prefix)).collect(),
    }
}

fn key_field_position(field: &str, physical: &[String], prefix: &str) -> Result<usize, String> {
    let Some(pos) = physical.iter().position(|p| p == field) else {
        return Err(format!(
            "Could not find the field '{field}' in the table schema for usage in the key format. A key field must be a regular, physical column. The following columns can be selected in the 'key.fields' option:\n[{}]",
            physical.join(", ")
        ));
    };
    if !field.starts_with(prefix) {
        return Err(format!(
            "All fields in 'key.fields' must be prefixed with '{prefix}' when option 'key.fields-prefix' is set but field '{field}' is not prefixed."
        ));
    }
    Ok(pos)
}

/// upsert-kafka's key is the PRIMARY KEY (`createKeyValueProjections`).
fn upsert_key_fields(table: &TableDef, physical: &[String], prefix: &str) -> Result<Vec<usize>, String> {
    if table.primary_key.is_empty() {
        return Err("'upsert-kafka' tables require to define a PRIMARY KEY constraint. The PRIMARY KEY specifies which columns should be read from or write to the Kafka message key. The PRIMARY KEY also defines records in the 'upsert-kafka' table should update or delete on which keys.".into());
    }
    table.primary_key.iter().map(|k| key_field_position(k, physical, prefix)).collect()
}

/// `createValueFormatProjection`.
fn value_projection(table: &TableDef, physical: &[String], key: &[usize], prefix: &str) -> Result<Vec<usize>, String> {
    match option(table, "value.fields-include").unwrap_or("ALL") {
        "ALL" => {
            if !prefix.is_empty() {
                return Err("A key prefix is not allowed when option 'value.fields-include' is set to 'ALL'. Set it to 'EXCEPT_KEY' instead to avoid field overlaps.".into());
            }
            Ok((0..physical.len()).collect())
        }
        "EXCEPT_KEY" => Ok((0..physical.len()).filter(|p| !key.contains(p)).collect()),
        other => Err(enum_error(other, "value.fields-include", &["ALL", "EXCEPT_KEY"])),
    }
}

fn delivery_guarantee(table: &TableDef) -> Result<DeliveryGuarantee, String> {
    let value = match (option(table, "sink.semantic"), option(table, "sink.delivery-guarantee")) {
        (Some(s), _) => s.to_ascii_lowercase().replace('_', "-"),
        (None, Some(d)) => d.to_string(),
        (None, None) => "at-least-once".to_string(),
    };
    let guarantee = match value.as_str() {
        "none" => DeliveryGuarantee::None,
        "at-least-once" => DeliveryGuarantee::AtLeastOnce,
        "exactly-once" => DeliveryGuarantee::ExactlyOnce,
        other => return Err(enum_error(other, "sink.delivery-guarantee", &["exactly-once", "at-least-once", "none"])),
    };
    if guarantee == DeliveryGuarantee::ExactlyOnce && option(table, "sink.transactional-id-prefix").is_none() {
        return Err("sink.transactional-id-prefix must be specified when using DeliveryGuarantee.EXACTLY_ONCE.".into());
    }
    Ok(guarantee)
}
