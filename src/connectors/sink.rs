//! Sinks an `INSERT INTO` job writes to: local streams (JSON records, partition key from
//! `PARTITIONED BY`) and, natively, files.

use super::format::json::JsonEncoder;
use super::local_stream::LocalStreams;
use crate::plan::catalog::TableDef;
use crate::types::{Batch, DataType, Field, RowKind};

pub struct Sink {
    target: Target,
    encoder: JsonEncoder,
    /// Positions of the `PARTITIONED BY` columns among the written columns.
    partition_columns: Vec<usize>,
    buffer: Vec<u8>,
}

enum Target {
    Local(String),
    #[cfg(not(target_arch = "wasm32"))]
    File(super::filesystem::FileSink),
}

pub fn open_sink(table: &TableDef, streams: &mut LocalStreams) -> Result<Sink, String> {
    let fields: Vec<Field> = table.physical_columns().map(|(_, c)| Field { name: c.name.clone(), ty: c.ty.plain() }).collect();
    let partition_columns = table.partitioned_by.iter().filter_map(|p| fields.iter().position(|f| &f.name == p)).collect();
    let target = match table.connector() {
        "kinesis" => {
            let name = super::table::local_stream_name(table).ok_or("the table names no stream")?;
            streams.get_or_create(&name);
            Target::Local(name)
        }
        #[cfg(not(target_arch = "wasm32"))]
        "filesystem" => Target::File(super::filesystem::FileSink::create(table.option("path").ok_or("a filesystem table needs 'path'")?)?),
        other => return Err(format!("connector '{other}' cannot be written to yet")),
    };
    let options = super::format::json::JsonOptions::from_table_options(&table.options)?;
    Ok(Sink { target, encoder: JsonEncoder::new(&fields, options), partition_columns, buffer: Vec::with_capacity(256) })
}

impl Sink {
    pub fn write(&mut self, batches: &[Batch], types: &[DataType], streams: &mut LocalStreams, now_ms: i64) -> Result<(), String> {
        for b in batches {
            for i in 0..b.len() {
                let kind = b.kind(i);
                if kind != RowKind::Insert {
                    return Err(format!(
                        "the sink is append-only but the query produces updates ({}); write a windowed aggregation, or an upsert sink (not supported yet)",
                        kind.short()
                    ));
                }
                let row = b.row(i, types);
                self.buffer.clear();
                self.encoder.encode(&row, &mut self.buffer);
                match &mut self.target {
                    Target::Local(name) => {
                        let key: String = if self.partition_columns.is_empty() {
                            format!("{}", now_ms.wrapping_add(i as i64))
                        } else {
                            self.partition_columns.iter().map(|&c| row[c].to_string()).collect::<Vec<_>>().join("|")
                        };
                        let stream = streams.get_mut(name).ok_or_else(|| format!("local stream `{name}` is gone"))?;
                        stream.put_record(&key, self.buffer.clone(), now_ms);
                    }
                    #[cfg(not(target_arch = "wasm32"))]
                    Target::File(f) => f.write_line(&self.buffer)?,
                }
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Target::File(f) = &mut self.target {
            f.flush()?;
        }
        Ok(())
    }
}
