//! What a table's `WITH` options mean: which connector, which stream, and whether Sluice can
//! run it. Checked at `CREATE TABLE`, so mistakes show where they were typed.

use crate::plan::catalog::TableDef;

/// The connectors Sluice knows, as `'connector' = '…'` spells them.
pub const CONNECTORS: &[&str] = &["kinesis", "kafka", "upsert-kafka", "filesystem", "datagen", "print", "blackhole"];

/// Checks a table's options; returns warnings (options accepted but without effect).
pub fn validate_table(table: &TableDef) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    let connector = match table.option("connector") {
        Some(c) => c,
        None => {
            return Err("the table has no 'connector' option".to_string()
                + &format!("; add e.g. 'connector' = 'kinesis' (Sluice knows: {})", CONNECTORS.join(", ")))
        }
    };
    match connector {
        "kinesis" => {
            if table.option("stream").is_none() && table.option("stream.arn").is_none() {
                return Err("a kinesis table needs 'stream' (or 'stream.arn')".into());
            }
            if let Some(pos) = table.option("scan.stream.initpos").or(table.option("source.init.position")) {
                if !matches!(pos.to_ascii_uppercase().as_str(), "LATEST" | "TRIM_HORIZON" | "AT_TIMESTAMP") {
                    return Err(format!("'scan.stream.initpos' = '{pos}' is not one of LATEST, TRIM_HORIZON, AT_TIMESTAMP"));
                }
            }
        }
        "filesystem" => {
            if table.option("path").is_none() {
                return Err("a filesystem table needs 'path'".into());
            }
        }
        // These make or take rows without a format, and Flink rejects options they do not know.
        "datagen" => {
            super::datagen::DatagenOptions::from_table(table)?;
            return Ok(warnings);
        }
        "print" | "blackhole" => {
            super::sink::check_sink_options(table)?;
            return Ok(warnings);
        }
        // Kafka checks its options, formats and metadata columns as Flink's factories do.
        "kafka" | "upsert-kafka" => {
            super::kafka::options::KafkaTable::from_table(table)?;
            return Ok(warnings);
        }
        other => {
            return Err(format!("connector '{other}' is not supported yet (Sluice knows: {})", CONNECTORS.join(", ")));
        }
    }
    match table.option("format") {
        Some("json") => {
            super::format::json::JsonOptions::from_table_options(&table.options)?;
        }
        Some("csv") => {
            super::format::csv::CsvOptions::from_table_options(&table.options)?;
        }
        Some("raw") => {
            let fields: Vec<crate::types::Field> =
                table.physical_columns().map(|(_, c)| crate::types::Field { name: c.name.clone(), ty: c.ty.plain() }).collect();
            super::format::raw::check(&fields, &table.options)?;
        }
        Some("debezium-json") => {
            let fields: Vec<crate::types::Field> =
                table.physical_columns().map(|(_, c)| crate::types::Field { name: c.name.clone(), ty: c.ty.plain() }).collect();
            super::format::debezium::DebeziumDecoder::new(&fields, &table.options)?;
        }
        Some(other) => return Err(format!("format '{other}' is not supported yet (use 'json', 'csv', 'raw' or 'debezium-json')")),
        None => return Err("the table has no 'format' option; add 'format' = 'json' (or 'csv', 'raw')".into()),
    }
    for (k, _) in &table.options {
        let known = matches!(
            k.as_str(),
            "connector"
                | "stream"
                | "stream.arn"
                | "aws.region"
                | "aws.endpoint"
                | "scan.stream.initpos"
                | "scan.stream.initpos-timestamp"
                | "source.init.position"
                | "source.init.timestamp"
                | "path"
                | "format"
        ) || k.starts_with("json.")
            || k.starts_with("debezium-json.")
            || k.starts_with("csv.")
            || k.starts_with("raw.")
            || k.starts_with("aws.")
            || k.starts_with("scan.")
            || k.starts_with("sink.");
        if !known {
            warnings.push(format!("option '{k}' is not used by Sluice"));
        }
    }
    Ok(warnings)
}

/// The local topics a Kafka table names (none for a `topic-pattern`).
pub fn local_topic_names(table: &TableDef) -> Vec<String> {
    if !matches!(table.connector(), "kafka" | "upsert-kafka") {
        return Vec::new();
    }
    table.option("topic").map(|t| t.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()).unwrap_or_default()
}

/// The local stream a Kinesis table reads or writes: its `stream` option, or the name at the
/// end of its `stream.arn`.
pub fn local_stream_name(table: &TableDef) -> Option<String> {
    if table.connector() != "kinesis" {
        return None;
    }
    table
        .option("stream")
        .map(str::to_string)
        .or_else(|| table.option("stream.arn").and_then(|arn| arn.rsplit('/').next()).map(str::to_string))
}
