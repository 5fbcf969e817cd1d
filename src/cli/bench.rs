//! `sluice gen` and `sluice bench`: the benchmark workload and the figures it prints.
//!
//! The workload is the walkthrough's Q1 (HOP 10 s / 1 min by status) over generated sensor
//! records: event time advances 1,000 records per second, with the reference input's disorder
//! (30 % up to 3 s back, 0.25 % 6–120 s back, which are late).

use std::io::{BufWriter, Write};
use std::time::Instant;

use crate::connectors::format::json::{JsonDecoder, JsonOptions, TimestampStandard};
use crate::connectors::SensorGenerator;
use crate::engine::Pipeline;
use crate::session::Session;
use crate::types::{Batch, BatchBuilder, DataType, Field, RowKind, SqlType, Value};

/// 2021-05-19T11:20:00, where the reference input starts.
const START_MS: i64 = 1_621_423_200_000;

pub const SENSOR_TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";

pub const Q1: &str = "SELECT sensor_data.status,
       COUNT(*) AS num,
       AVG(sensor_data.current_temperature) AS avg_current_temperature,
       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
  FROM sensor_data
 GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status";

/// Deterministic sensor records with the reference input's disorder.
pub struct Workload {
    generator: SensorGenerator,
    state: u64,
    next: i64,
}

pub struct WorkloadRecord {
    pub sensor_id: u32,
    pub current_temperature: f64,
    pub status: &'static str,
    pub event_time_ms: i64,
}

impl Workload {
    pub fn new(seed: u64) -> Self {
        Workload { generator: SensorGenerator::new(seed), state: seed ^ 0x5EED, next: 0 }
    }

    fn rand(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl Iterator for Workload {
    type Item = WorkloadRecord;

    fn next(&mut self) -> Option<WorkloadRecord> {
        let i = self.next;
        self.next += 1;
        let on_time = START_MS + i;
        let r = self.rand() % 10_000;
        let shift = if r < 25 {
            6_000 + (self.rand() % 114_000) as i64
        } else if r < 3_025 {
            (self.rand() % 3_000) as i64
        } else {
            0
        };
        let reading = self.generator.reading(0);
        Some(WorkloadRecord {
            sensor_id: reading.sensor_id,
            current_temperature: reading.current_temperature,
            status: reading.status,
            event_time_ms: on_time - shift,
        })
    }
}

fn sensor_fields() -> Vec<Field> {
    [("sensor_id", DataType::Int), ("current_temperature", DataType::Double), ("status", DataType::Varchar(6)), ("event_time", DataType::Timestamp(3))]
        .into_iter()
        .map(|(n, t)| Field { name: n.into(), ty: SqlType::nullable(t) })
        .collect()
}

/// `sluice gen N FILE`: the workload as JSON lines, as the reference input writes them.
pub fn generate(records: u64, path: &str) -> i32 {
    let file = match std::fs::File::create(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot write {path}: {e}");
            return 1;
        }
    };
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut line = String::with_capacity(128);
    for r in Workload::new(42).take(records as usize) {
        line.clear();
        use std::fmt::Write as _;
        let _ = write!(line, "{{\"sensor_id\":{},\"current_temperature\":{:?},\"status\":\"{}\",\"event_time\":\"", r.sensor_id, r.current_temperature, r.status);
        crate::types::write_timestamp(&mut line, r.event_time_ms);
        line.push_str("\"}\n");
        if let Err(e) = out.write_all(line.as_bytes()) {
            eprintln!("error: writing {path}: {e}");
            return 1;
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("error: writing {path}: {e}");
        return 1;
    }
    0
}

fn q1_pipeline() -> Result<Pipeline, String> {
    let mut session = Session::empty();
    session.execute(&SENSOR_TABLE.replace("{path}", "/dev/null"), 0).map_err(|e| e.to_string())?;
    let plan = session.plan_query(Q1).map_err(|e| e.to_string())?;
    Pipeline::new(&plan).map_err(|e| e.0)
}

/// `sluice bench [N]`: prints throughput figures for the engine and the JSON decoder.
pub fn bench(records: u64) -> i32 {
    match run_bench(records) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn run_bench(records: u64) -> Result<(), String> {
    const BATCH: usize = 8192;
    let fields = sensor_fields();
    let types: Vec<DataType> = fields.iter().map(|f| f.ty.data_type.clone()).collect();

    // (a) Decoded records through the engine.
    let mut batches: Vec<Batch> = Vec::new();
    let mut builder = BatchBuilder::new(&types);
    let mut in_batch = 0;
    for r in Workload::new(42).take(records as usize) {
        let row = [Value::Int(r.sensor_id as i64), Value::Double(r.current_temperature), Value::Str(r.status.into()), Value::Timestamp(r.event_time_ms)];
        builder.push(RowKind::Insert, &row, i64::MIN);
        in_batch += 1;
        if in_batch == BATCH {
            batches.push(std::mem::replace(&mut builder, BatchBuilder::new(&types)).finish());
            in_batch = 0;
        }
    }
    if in_batch > 0 {
        batches.push(builder.finish());
    }
    let mut best = f64::INFINITY;
    let mut rows_out = 0;
    let mut late = 0;
    for _ in 0..3 {
        let mut pipeline = q1_pipeline()?;
        let input = batches.clone();
        let start = Instant::now();
        let mut out = Vec::new();
        for b in input {
            pipeline.push(b, &mut out).map_err(|e| e.to_string())?;
            rows_out += out.iter().map(Batch::len).sum::<usize>();
            out.clear();
        }
        pipeline.end_of_input(&mut out).map_err(|e| e.to_string())?;
        best = best.min(start.elapsed().as_secs_f64());
        rows_out += out.iter().map(Batch::len).sum::<usize>();
        late = pipeline.late_records_dropped();
    }
    println!(
        "engine   Q1 over {records} decoded records: {:.3} s, {:.1} M records/s (best of 3; {} result rows, {late} late dropped per run)",
        best,
        records as f64 / best / 1e6,
        rows_out / 3
    );

    // The JSON decoder on the same records.
    let path = std::env::temp_dir().join(format!("sluice-bench-{}.jsonl", std::process::id()));
    let path_text = path.to_string_lossy().to_string();
    if generate(records, &path_text) != 0 {
        return Err("could not write the benchmark input".into());
    }
    let data = std::fs::read(&path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&path);
    let options = JsonOptions { timestamp_standard: TimestampStandard::Iso8601, ..JsonOptions::default() };
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let mut decoder = JsonDecoder::new(&fields, options.clone());
        let start = Instant::now();
        let mut n = 0;
        for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            decoder.decode(line).map_err(|e| e.to_string())?;
            n += 1;
            if n % BATCH == 0 {
                std::hint::black_box(decoder.finish());
            }
        }
        std::hint::black_box(decoder.finish());
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "decoder  JSON lines → columns, {records} records ({:.0} MB): {:.3} s, {:.1} M records/s, {:.0} MB/s (best of 3)",
        data.len() as f64 / 1e6,
        best,
        records as f64 / best / 1e6,
        data.len() as f64 / best / 1e6
    );
    Ok(())
}
