//! The benchmark workload, shared by `sluice bench` (native) and the wasm benchmark: the
//! walkthrough's Q1 (HOP 10 s / 1 min by status) over generated sensor records whose event time
//! advances 1,000 records per second with the reference input's disorder (30 % up to 3 s
//! back, 0.25 % 6–120 s back, which are late).

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

/// Issue 4's benchmark lines: each ERROR reading with the same sensor's readings in the
/// following second (an interval self-join), and the three hottest readings per status (Top-N).
pub const INTERVAL_JOIN: &str =
    "SELECT a.sensor_id, a.event_time, b.event_time AS later, b.current_temperature - a.current_temperature AS delta
  FROM (SELECT * FROM sensor_data WHERE status = 'ERROR') a JOIN sensor_data b
    ON a.sensor_id = b.sensor_id AND b.event_time BETWEEN a.event_time AND a.event_time + INTERVAL '1' SECOND";

pub const TOP_N: &str = "SELECT * FROM (
    SELECT sensor_id, current_temperature, status, event_time,
      ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS rownum
    FROM sensor_data)
  WHERE rownum <= 3";

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

impl WorkloadRecord {
    /// The record as the walkthrough's sender writes it: one JSON line, newline included.
    pub fn write_json_line(&self, line: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(
            line,
            "{{\"sensor_id\":{},\"current_temperature\":{:?},\"status\":\"{}\",\"event_time\":\"",
            self.sensor_id, self.current_temperature, self.status
        );
        crate::types::write_timestamp(line, self.event_time_ms);
        line.push_str("\"}\n");
    }
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

pub fn sensor_fields() -> Vec<Field> {
    [
        ("sensor_id", DataType::Int),
        ("current_temperature", DataType::Double),
        ("status", DataType::Varchar(6)),
        ("event_time", DataType::Timestamp(3)),
    ]
    .into_iter()
    .map(|(n, t)| Field { name: n.into(), ty: SqlType::nullable(t) })
    .collect()
}

pub fn q1_pipeline() -> Result<Pipeline, String> {
    pipeline_for(Q1)
}

/// A pipeline for `query` over the workload's `sensor_data` table.
pub fn pipeline_for(query: &str) -> Result<Pipeline, String> {
    let mut session = Session::empty();
    session.execute(&SENSOR_TABLE.replace("{path}", "/dev/null"), 0).map_err(|e| e.to_string())?;
    let plan = session.plan_query(query).map_err(|e| e.to_string())?;
    let plan =
        crate::plan::physical::lower(&plan, crate::plan::physical::changelog::RootReader::NeedsUpdateBefore).map_err(|e| e.to_string())?;
    Pipeline::new(&plan).map_err(|e| e.0)
}

/// Q1 with the temperature converted by a user function (`c_to_f`, Celsius → Fahrenheit): what
/// a Python UDF in the walkthrough's query costs the engine besides Python itself.
pub const Q1_USER_FUNCTION: &str = "SELECT sensor_data.status,
       COUNT(*) AS num,
       AVG(c_to_f(sensor_data.current_temperature)) AS avg_temperature_f,
       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
  FROM sensor_data
 GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status";

/// `c_to_f` computed in Rust: a host with no Python behind it, so a benchmark over it measures
/// the seam (a batch's argument column to values and back, one call per batch).
pub struct FahrenheitHost;

impl crate::plan::functions::user::UserFunctionHost for FahrenheitHost {
    fn describe(&self, _: &str) -> Result<crate::plan::functions::user::UserSignature, String> {
        use crate::plan::functions::user::{UserFunctionKind, UserSignature};
        Ok(UserSignature {
            kind: UserFunctionKind::Scalar,
            params: Some(vec![DataType::Double]),
            result: DataType::Double,
            deterministic: true,
        })
    }
    fn call_scalar(
        &self,
        _: &crate::plan::functions::user::UserFunction,
        args: &[Vec<Value>],
        rows: usize,
    ) -> Result<Vec<Value>, crate::plan::functions::user::UserFunctionError> {
        Ok((0..rows)
            .map(|r| match args.first().and_then(|a| a.get(r)) {
                Some(Value::Double(c)) => Value::Double(c * 9.0 / 5.0 + 32.0),
                _ => Value::Null,
            })
            .collect())
    }
    fn call_table(
        &self,
        f: &crate::plan::functions::user::UserFunction,
        _: &[Vec<Value>],
        _: usize,
    ) -> Result<Vec<Vec<Vec<Value>>>, crate::plan::functions::user::UserFunctionError> {
        Err(crate::plan::functions::user::UserFunctionError::new(format!("{} is not a table function", f.name)))
    }
}

/// [`Q1_USER_FUNCTION`] over `batches`, `c_to_f` run by [`FahrenheitHost`].
pub fn run_user_function_query(batches: &[Batch], clock: &dyn Fn() -> f64) -> Result<EngineRun, String> {
    let host: std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost> = std::rc::Rc::new(FahrenheitHost);
    let mut session = Session::empty();
    session.set_user_function_host(host.clone());
    session.execute(&SENSOR_TABLE.replace("{path}", "/dev/null"), 0).map_err(|e| e.to_string())?;
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'udfs.c_to_f' LANGUAGE PYTHON", 0).map_err(|e| e.to_string())?;
    let plan = session.plan_query(Q1_USER_FUNCTION).map_err(|e| e.to_string())?;
    let plan =
        crate::plan::physical::lower(&plan, crate::plan::physical::changelog::RootReader::NeedsUpdateBefore).map_err(|e| e.to_string())?;
    let mut pipeline = Pipeline::new(&plan).map_err(|e| e.0)?;
    pipeline.set_user_functions(&host);
    timed_run(&mut pipeline, batches.iter().cloned(), clock)
}

/// The workload's first `records` records as decoded batches of `batch_rows`.
pub fn decoded_batches(records: u64, batch_rows: usize) -> Vec<Batch> {
    let types: Vec<DataType> = sensor_fields().iter().map(|f| f.ty.data_type.clone()).collect();
    let mut batches = Vec::new();
    let mut builder = BatchBuilder::new(&types);
    let mut in_batch = 0;
    for r in Workload::new(42).take(records as usize) {
        let row = [
            Value::Int(r.sensor_id as i64),
            Value::Double(r.current_temperature),
            Value::Str(r.status.into()),
            Value::Timestamp(r.event_time_ms),
        ];
        builder.push(RowKind::Insert, &row, i64::MIN);
        in_batch += 1;
        if in_batch == batch_rows {
            batches.push(std::mem::replace(&mut builder, BatchBuilder::new(&types)).finish());
            in_batch = 0;
        }
    }
    if in_batch > 0 {
        batches.push(builder.finish());
    }
    batches
}

/// The workload's first `records` records as JSON lines, in memory (the decoder benchmark's input
/// in the page, where there are no files).
pub fn json_lines(records: u64) -> Vec<u8> {
    let mut text = String::with_capacity(records as usize * 110);
    for r in Workload::new(42).take(records as usize) {
        r.write_json_line(&mut text);
    }
    text.into_bytes()
}

/// Decodes JSON lines into columns as a `'format' = 'json'` table with ISO-8601 timestamps does,
/// in batches of `batch_rows`; returns the seconds taken, timed with `clock` (seconds).
pub fn decode_json_lines(data: &[u8], batch_rows: usize, clock: &dyn Fn() -> f64) -> Result<f64, String> {
    use crate::connectors::format::json::{JsonDecoder, JsonOptions, TimestampStandard};
    let options = JsonOptions { timestamp_standard: TimestampStandard::Iso8601, ..JsonOptions::default() };
    let mut decoder = JsonDecoder::new(&sensor_fields(), options);
    let start = clock();
    let mut n = 0;
    for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        decoder.decode(line).map_err(|e| e.to_string())?;
        n += 1;
        if n % batch_rows == 0 {
            std::hint::black_box(decoder.finish());
        }
    }
    std::hint::black_box(decoder.finish());
    Ok(clock() - start)
}

/// The decode pool's hand-over of `batches` (each a decoded chunk): encoded to bytes in the decode
/// worker, decoded back in the engine's worker — what sharing memory (SharedArrayBuffer) could
/// save at most. Returns seconds, timed with `clock`.
pub fn batch_codec_round_trip(batches: &[Batch], clock: &dyn Fn() -> f64) -> Result<f64, String> {
    let types: Vec<DataType> = sensor_fields().iter().map(|f| f.ty.data_type.clone()).collect();
    let start = clock();
    for batch in batches {
        let bytes = crate::types::encode_batch(batch);
        std::hint::black_box(crate::types::decode_batch(&bytes, &types)?);
    }
    Ok(clock() - start)
}

/// What one run of Q1 over decoded batches did.
pub struct EngineRun {
    pub seconds: f64,
    pub result_rows: usize,
    pub late_dropped: u64,
}

/// Runs Q1 over `batches` (cloned, so the caller can repeat), timed with `clock` (seconds).
pub fn run_q1(batches: &[Batch], clock: &dyn Fn() -> f64) -> Result<EngineRun, String> {
    run_query(Q1, batches, clock)
}

/// Runs `query` over `batches` (cloned, so the caller can repeat), timed with `clock` (seconds).
pub fn run_query(query: &str, batches: &[Batch], clock: &dyn Fn() -> f64) -> Result<EngineRun, String> {
    let mut pipeline = pipeline_for(query)?;
    timed_run(&mut pipeline, batches.to_vec(), clock)
}

/// Pushes `input` through `pipeline` and ends it, timed with `clock` from the first batch taken
/// (an iterator that clones as it goes times the clones too).
fn timed_run(pipeline: &mut Pipeline, input: impl IntoIterator<Item = Batch>, clock: &dyn Fn() -> f64) -> Result<EngineRun, String> {
    let mut result_rows = 0;
    let start = clock();
    let mut out = Vec::new();
    for b in input {
        pipeline.push(b, &mut out).map_err(|e| e.to_string())?;
        result_rows += out.iter().map(Batch::len).sum::<usize>();
        out.clear();
    }
    pipeline.end_of_input(&mut out).map_err(|e| e.to_string())?;
    let seconds = clock() - start;
    result_rows += out.iter().map(Batch::len).sum::<usize>();
    Ok(EngineRun { seconds, result_rows, late_dropped: pipeline.late_records_dropped() })
}

/// The page's path end to end, on the session's clock run as fast as the work allows: the
/// sensor generator (at `rate` records/s of the clock) writes JSON records into the local
/// stream, and Q1 reads, decodes and aggregates them. Returns (records read, seconds).
pub fn run_page_path(rate: f64, clock_seconds: i64, clock: &dyn Fn() -> f64) -> Result<(u64, f64), String> {
    run_page_path_recording(rate, clock_seconds, true, clock)
}

/// [`run_page_path`] with the what-if recording on or off (its cost, for `sluice bench`).
pub fn run_page_path_recording(rate: f64, clock_seconds: i64, record: bool, clock: &dyn Fn() -> f64) -> Result<(u64, f64), String> {
    use crate::session::Outcome;
    const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
        event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
      WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";
    let mut session = Session::new();
    session.set_what_if_recording(record);
    session.execute(TABLE, 0).map_err(|e| e.to_string())?;
    let Some(Outcome::Query { job, .. }) = session.execute(Q1, 0).map_err(|e| e.to_string())?.pop() else {
        return Err("Q1 started no job".into());
    };
    session.set_generator(crate::session::DEFAULT_INPUT_STREAM, true, rate);
    let start = clock();
    for step in 1..=clock_seconds * 10 {
        session.advance(step * 100);
        session.take_changes(job);
    }
    let seconds = clock() - start;
    let read = session.job(job).map_or(0, |j| j.records_in);
    Ok((read, seconds))
}
