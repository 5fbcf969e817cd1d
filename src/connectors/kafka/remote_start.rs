//! Where reading a real Kafka topic starts (Flink's `scan.startup.mode`, resolved against the
//! real topic by whoever reads it: natively `mirror.rs`, in the page `proxy_reader.rs` through
//! `sluice proxy`), and which topics a table names. Local topics read from `TopicStart` instead:
//! a local topic has no committed group offsets.

use std::collections::BTreeMap;

use crate::plan::catalog::TableDef;

/// ListOffsets' special timestamps (Kafka's `ListOffsetsRequest.EARLIEST_TIMESTAMP` and
/// `LATEST_TIMESTAMP`).
pub const LATEST: i64 = -1;
pub const EARLIEST: i64 = -2;

/// Where reading a real topic starts (`scan.startup.mode`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoteStart {
    Earliest,
    Latest,
    Timestamp(i64),
    /// `specific-offsets`: the partitions not named start at the earliest.
    Offsets(BTreeMap<i32, i64>),
    /// `group-offsets`: the group's committed offsets; without one, `auto.offset.reset`
    /// (`None`: Flink's default `none`, an error).
    Group {
        group: String,
        reset: Option<i64>,
    },
}

impl RemoteStart {
    pub fn from_table(table: &TableDef) -> Result<RemoteStart, String> {
        let mode = table.option("scan.startup.mode").unwrap_or("group-offsets");
        let millis = |key: &str| -> Result<i64, String> {
            let v = table.option(key).ok_or_else(|| format!("'{key}' is required in '{mode}' startup mode but missing."))?;
            v.trim().parse().map_err(|_| format!("Could not parse value '{v}' for key '{key}'."))
        };
        Ok(match mode {
            "earliest-offset" => RemoteStart::Earliest,
            "latest-offset" => RemoteStart::Latest,
            "timestamp" => RemoteStart::Timestamp(millis("scan.startup.timestamp-millis")?),
            "specific-offsets" => {
                let text = table
                    .option("scan.startup.specific-offsets")
                    .ok_or("'scan.startup.specific-offsets' is required in 'specific-offsets' startup mode but missing.")?;
                let mut offsets = BTreeMap::new();
                for part in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    let bad = || {
                        format!("Invalid properties 'scan.startup.specific-offsets' should follow the format 'partition:0,offset:42;partition:1,offset:300', but is '{text}'.")
                    };
                    let (p, o) = part.split_once(',').ok_or_else(bad)?;
                    let p = p.trim().strip_prefix("partition:").and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
                    let o = o.trim().strip_prefix("offset:").and_then(|o| o.trim().parse().ok()).ok_or_else(bad)?;
                    offsets.insert(p, o);
                }
                RemoteStart::Offsets(offsets)
            }
            "group-offsets" => {
                let group = table.option("properties.group.id").ok_or(
                    "'scan.startup.mode' = 'group-offsets' (the default) reads the committed offsets of 'properties.group.id', which is not set",
                )?;
                let reset = match table.option("properties.auto.offset.reset").map(str::to_ascii_lowercase).as_deref() {
                    None | Some("none") => None,
                    Some("earliest") => Some(EARLIEST),
                    Some("latest") => Some(LATEST),
                    Some(other) => return Err(format!("'properties.auto.offset.reset': `{other}` is not earliest, latest or none")),
                };
                RemoteStart::Group { group: group.to_string(), reset }
            }
            other => return Err(format!("Could not parse value '{other}' for key 'scan.startup.mode'.")),
        })
    }

    pub fn describe(&self) -> String {
        match self {
            RemoteStart::Earliest => "earliest-offset".into(),
            RemoteStart::Latest => "latest-offset".into(),
            RemoteStart::Timestamp(ms) => format!("timestamp {ms}"),
            RemoteStart::Offsets(_) => "specific-offsets".into(),
            RemoteStart::Group { group, .. } => format!("group `{group}`'s offsets"),
        }
    }
}

/// The topics a table names (`topic`, a `;` list). `topic-pattern` is matched against a real
/// cluster's topics natively (`mirror.rs`), not through `sluice proxy`.
pub fn table_topics(table: &TableDef) -> Result<Vec<String>, String> {
    if table.option("topic-pattern").is_some() {
        return Err("'topic-pattern' is read from a real Kafka cluster by `sluice run` only, not through `sluice proxy`; name the topics in 'topic'".into());
    }
    let topics: Vec<String> =
        table.option("topic").unwrap_or("").split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    if topics.is_empty() {
        return Err("the table names no topic".into());
    }
    Ok(topics)
}

/// A columnless table `t` with `options`: what the Kafka connector reads of a table is its options
/// alone, so its tests (here, the session's offset commits, tests/kafka_mirror.rs) build tables
/// with this.
pub fn options_table(options: &[(&str, &str)]) -> TableDef {
    TableDef {
        name: "t".into(),
        columns: vec![],
        watermark: None,
        primary_key: vec![],
        primary_key_name: None,
        partitioned_by: vec![],
        options: options.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        comment: None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A columnless table with `options` (the Kafka modules' tests read only options).
    pub(in crate::connectors::kafka) fn table(options: &[(&str, &str)]) -> TableDef {
        options_table(options)
    }

    #[test]
    fn group_offsets_is_the_default_and_needs_a_group() {
        let e = RemoteStart::from_table(&table(&[("connector", "kafka")])).unwrap_err();
        assert!(e.contains("'properties.group.id'"), "{e}");
        let s = RemoteStart::from_table(&table(&[("properties.group.id", "g"), ("properties.auto.offset.reset", "latest")]));
        assert_eq!(s.unwrap(), RemoteStart::Group { group: "g".into(), reset: Some(LATEST) });
        let s = RemoteStart::from_table(&table(&[
            ("scan.startup.mode", "specific-offsets"),
            ("scan.startup.specific-offsets", "partition:0,offset:42;partition:1,offset:300"),
        ]));
        assert_eq!(s.unwrap(), RemoteStart::Offsets([(0, 42), (1, 300)].into()));
    }
}
