//! User-defined functions through the seam the page's Python uses (`plan/functions/user.rs`),
//! driven here by a Rust host: a scalar function in the walkthrough's HOP query, a table
//! function in LATERAL TABLE, errors, and one host call per batch.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use sluice::plan::functions::user::{UserFunction, UserFunctionError, UserFunctionHost, UserFunctionKind, UserSignature};
use sluice::session::{Outcome, Session};
use sluice::types::{DataType, Field, SqlType, Value};

/// The host of these tests: `conv.c_to_f` (Celsius → Fahrenheit, raising on temperatures
/// above 1000 as a Python function would), `words.split` (a table function), and a count of
/// calls per function.
#[derive(Default)]
struct TestHost {
    calls: RefCell<Vec<(String, usize)>>,
}

impl UserFunctionHost for TestHost {
    fn describe(&self, target: &str) -> Result<UserSignature, String> {
        match target {
            "conv.c_to_f" => Ok(UserSignature {
                kind: UserFunctionKind::Scalar,
                params: Some(vec![DataType::Double]),
                result: DataType::Double,
                deterministic: true,
            }),
            "words.split" => Ok(UserSignature {
                kind: UserFunctionKind::Table,
                params: Some(vec![DataType::Varchar(i32::MAX as u32)]),
                result: DataType::Row(vec![
                    Field { name: "word".into(), ty: SqlType::nullable(DataType::Varchar(i32::MAX as u32)) },
                    Field { name: "len".into(), ty: SqlType::nullable(DataType::Int) },
                ]),
                deterministic: true,
            }),
            other => Err(format!("ModuleNotFoundError: No module named '{}'", other.split('.').next().unwrap_or(other))),
        }
    }

    fn call_scalar(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Vec<Value>, UserFunctionError> {
        self.calls.borrow_mut().push((f.target.clone(), rows));
        (0..rows)
            .map(|r| match &args[0][r] {
                Value::Double(c) if *c > 1000.0 => Err(UserFunctionError::at_row(r, "ValueError: hotter than the sun")),
                Value::Double(c) => Ok(Value::Double(c * 9.0 / 5.0 + 32.0)),
                _ => Ok(Value::Null),
            })
            .collect()
    }

    fn call_table(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Vec<Vec<Vec<Value>>>, UserFunctionError> {
        self.calls.borrow_mut().push((f.target.clone(), rows));
        Ok((0..rows)
            .map(|r| match &args[0][r] {
                Value::Str(s) => s.split(' ').map(|w| vec![Value::Str(w.into()), Value::Int(w.len() as i64)]).collect(),
                _ => Vec::new(),
            })
            .collect())
    }
}

fn session_with_host() -> (Session, Rc<TestHost>) {
    let mut session = Session::empty();
    let host = Rc::new(TestHost::default());
    session.set_user_function_host(host.clone());
    (session, host)
}

fn table_rows(outcomes: Vec<Outcome>) -> Vec<String> {
    match outcomes.into_iter().last() {
        Some(Outcome::Table { rows, .. }) => rows.iter().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")).collect(),
        other => panic!("expected a finite table, got {other:?}"),
    }
}

const READINGS: &[u8] = b"{\"sensor_id\": 1, \"current_temperature\": 20.0, \"status\": \"OK\", \"event_time\": \"2024-01-01T00:00:01\"}
{\"sensor_id\": 2, \"current_temperature\": 30.0, \"status\": \"OK\", \"event_time\": \"2024-01-01T00:00:02\"}
{\"sensor_id\": 3, \"current_temperature\": 100.0, \"status\": \"ERROR\", \"event_time\": \"2024-01-01T00:00:03\"}
";

const SENSOR_FILE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '/readings.jsonl', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";

#[test]
fn a_python_scalar_function_converts_celsius_in_a_query() {
    let (mut session, host) = session_with_host();
    session.add_file("/readings.jsonl", READINGS.to_vec());
    session.execute(SENSOR_FILE, 0).unwrap();
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    let rows = table_rows(session.execute("%flink.bsql\nSELECT sensor_id, c_to_f(current_temperature) AS f FROM sensor_data", 0).unwrap());
    assert_eq!(rows, ["1,68.0", "2,86.0", "3,212.0"]);
    assert_eq!(*host.calls.borrow(), [("conv.c_to_f".to_string(), 3)], "one call for the batch of three rows");
}

/// The walkthrough's HOP query with the temperature converted by a Python function: the
/// function runs inside the window's input (before the aggregate) and on its result.
#[test]
fn a_python_function_runs_in_the_walkthroughs_hop_query() {
    let (mut session, host) = session_with_host();
    session.add_file("/readings.jsonl", READINGS.to_vec());
    session.execute(SENSOR_FILE, 0).unwrap();
    session.execute("CREATE TEMPORARY SYSTEM FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    let rows = table_rows(
        session
            .execute(
                "%flink.bsql
                 SELECT status, COUNT(*) AS num, AVG(c_to_f(current_temperature)) AS avg_f,
                        HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
                 FROM sensor_data
                 GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status",
                0,
            )
            .unwrap(),
    );
    // Each reading is in the six windows that hold 00:00:01–00:00:03.
    let mut ok: Vec<&String> = rows.iter().filter(|r| r.starts_with("OK,")).collect();
    ok.sort();
    assert_eq!(ok.len(), 6, "{rows:?}");
    assert!(ok.iter().all(|r| r.starts_with("OK,2,77.0,")), "{rows:?}");
    assert!(rows.iter().filter(|r| r.starts_with("ERROR,")).all(|r| r.starts_with("ERROR,1,212.0,")), "{rows:?}");
    assert_eq!(host.calls.borrow().len(), 1, "one call for the file's one batch: {:?}", host.calls.borrow());
}

#[test]
fn a_python_table_function_joins_each_row_with_the_rows_it_yields() {
    let (mut session, host) = session_with_host();
    session.add_file(
        "/lines.jsonl",
        b"{\"id\": 1, \"line\": \"to be\"}\n{\"id\": 2, \"line\": null}\n{\"id\": 3, \"line\": \"or\"}\n".to_vec(),
    );
    session
        .execute(
            "CREATE TABLE lines (id INT, line STRING) WITH ('connector' = 'filesystem', 'path' = '/lines.jsonl', 'format' = 'json')",
            0,
        )
        .unwrap();
    session.execute("CREATE TEMPORARY FUNCTION split_words AS 'words.split' LANGUAGE PYTHON", 0).unwrap();
    let comma = table_rows(session.execute("%flink.bsql\nSELECT id, word, len FROM lines, LATERAL TABLE(split_words(line))", 0).unwrap());
    assert_eq!(comma, ["1,to,2", "1,be,2", "3,or,2"]);
    let cross = table_rows(
        session
            .execute("%flink.bsql\nSELECT id, w, n FROM lines CROSS JOIN LATERAL TABLE(split_words(line)) AS T(w, n) WHERE n > 1", 0)
            .unwrap(),
    );
    assert_eq!(cross, ["1,to,2", "1,be,2", "3,or,2"]);
    let left = table_rows(
        session.execute("%flink.bsql\nSELECT id, w FROM lines LEFT JOIN LATERAL TABLE(split_words(line)) AS T(w, n) ON TRUE", 0).unwrap(),
    );
    assert_eq!(left, ["1,to", "1,be", "2,NULL", "3,or"]);
    assert!(host.calls.borrow().iter().all(|(f, rows)| f == "words.split" && *rows == 3), "{:?}", host.calls.borrow());

    let err = session.execute("SELECT split_words(line) FROM lines", 0).unwrap_err();
    assert!(err.message.contains("split_words is a table function"), "{err}");
    let err = session.execute("SELECT * FROM lines, LATERAL TABLE(nothing(line))", 0).unwrap_err();
    assert!(err.message.contains("no table function named nothing"), "{err}");
}

/// A streaming job calls its function once per batch the job steps, never per row.
#[test]
fn a_streaming_job_calls_the_host_once_per_batch() {
    let mut session = Session::new();
    let host = Rc::new(TestHost::default());
    session.set_user_function_host(host.clone());
    session.execute(SENSOR_STREAM, 0).unwrap();
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute("SELECT c_to_f(current_temperature) AS f FROM sensor_data", 0).unwrap().pop()
    else {
        panic!("a streaming query starts a job")
    };
    for t in (250..=5_000).step_by(250) {
        session.advance(t);
    }
    let changes = session.take_changes(job);
    let calls = host.calls.borrow();
    let rows: usize = calls.iter().map(|(_, n)| n).sum();
    assert_eq!(rows, changes.len(), "every row went through the host once");
    assert!(changes.len() >= 90, "the generator wrote {} readings", changes.len());
    assert!(calls.len() <= 20 && calls.len() < changes.len() / 4, "{} calls for {} rows", calls.len(), changes.len());
}

const SENSOR_STREAM: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";

/// A function raising on one row fails that job, naming the row; other jobs go on.
#[test]
fn a_raising_function_fails_its_job_only_naming_the_row() {
    let mut session = Session::new();
    session.set_user_function_host(Rc::new(TestHost::default()));
    session.execute(SENSOR_STREAM, 0).unwrap();
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    session.execute("SELECT c_to_f(current_temperature * 1000) AS hot FROM sensor_data", 0).unwrap();
    session.execute("SELECT c_to_f(current_temperature) AS f FROM sensor_data", 0).unwrap();
    for t in (250..=3_000).step_by(250) {
        session.advance(t);
    }
    let jobs = session.jobs();
    let error = jobs[0].error.as_deref().unwrap_or_default();
    assert!(!jobs[0].running && error.contains("c_to_f(") && error.contains("ValueError: hotter than the sun"), "{:?}", jobs[0]);
    assert!(jobs[1].running && jobs[1].error.is_none() && jobs[1].records_out > 0, "{:?}", jobs[1]);
}

#[test]
fn creating_and_dropping_functions_speaks_flinks_words() {
    let (mut session, _) = session_with_host();
    let err = session.execute("CREATE TEMPORARY FUNCTION f AS 'nomod.f' LANGUAGE PYTHON", 0).unwrap_err();
    assert!(
        err.message.contains("Could not register user-defined function 'f'") && err.message.contains("No module named 'nomod'"),
        "{err}"
    );
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    // The same statement again (a paragraph run twice) is no error; another definition is.
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    let err = session.execute("CREATE TEMPORARY FUNCTION C_TO_F AS 'words.split' LANGUAGE PYTHON", 0).unwrap_err();
    assert!(err.message.contains("A function 'default_catalog.default_database.C_TO_F' does already exist"), "{err}");
    let err = session.execute("CREATE FUNCTION j AS 'com.example.F' LANGUAGE JAVA", 0).unwrap_err();
    assert!(err.message.contains("no JVM"), "{err}");
    // Argument types are checked as Flink's implicit casts allow.
    let err = session.execute("SELECT c_to_f('warm')", 0).unwrap_err();
    assert!(err.message.contains("c_to_f takes DOUBLE as argument 1"), "{err}");
    let rows = table_rows(session.execute("SHOW USER FUNCTIONS", 0).unwrap());
    assert_eq!(rows, ["c_to_f"]);
    let rows = table_rows(session.execute("DESCRIBE FUNCTION EXTENDED c_to_f", 0).unwrap());
    assert!(rows.contains(&"signature,c_to_f(DOUBLE) → DOUBLE".to_string()), "{rows:?}");
    session.execute("DROP TEMPORARY FUNCTION c_to_f", 0).unwrap();
    let err = session.execute("DROP TEMPORARY FUNCTION c_to_f", 0).unwrap_err();
    assert!(err.message.contains("Could not drop temporary catalog function. A function 'c_to_f' doesn't exist."), "{err}");
}

/// A user function named like a built-in is found after it, unless it is a SYSTEM function.
#[test]
fn built_ins_win_over_user_functions_unless_system() {
    let (mut session, host) = session_with_host();
    // ABS is a reserved word: a function of that name is backquoted, as Flink asks.
    session.execute("CREATE TEMPORARY FUNCTION `abs` AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    assert_eq!(table_rows(session.execute("%flink.bsql\nSELECT ABS(-10.0E0)", 0).unwrap()), ["10.0"]);
    assert!(host.calls.borrow().is_empty());
    session.execute("DROP TEMPORARY FUNCTION `abs`", 0).unwrap();
    session.execute("CREATE TEMPORARY SYSTEM FUNCTION `abs` AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    assert_eq!(table_rows(session.execute("%flink.bsql\nSELECT ABS(-10.0E0)", 0).unwrap()), ["14.0"]);
}

/// Without a host (`sluice run`), a Python function can be created but not called.
#[test]
fn without_a_host_calling_a_python_function_says_where_python_runs() {
    let mut session = Session::empty();
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    let err = session.execute("SELECT c_to_f(1.0E0)", 0).unwrap_err();
    assert_eq!(err.message, "Python functions run in the page (Pyodide); `sluice run` cannot call `c_to_f`");
    // A host set later describes it, and the call runs.
    session.set_user_function_host(Rc::new(TestHost::default()));
    assert_eq!(table_rows(session.execute("%flink.bsql\nSELECT c_to_f(100.0E0)", 0).unwrap()), ["212.0"]);
}

/// `sluice run` over a note with a Python or a Scala paragraph says so, naming the paragraph.
#[test]
fn sluice_run_says_where_python_and_scala_paragraphs_run() {
    let run = |note: &str| {
        let path = tempfile::Builder::new().prefix("sluice-python-").suffix(".sql").tempfile().unwrap().into_temp_path();
        std::fs::write(&path, note).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice")).arg("run").arg(&path).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) = run("%flink.ssql\nSELECT 1 AS x;\n%flink.pyflink\nst_env.execute_sql('SELECT 1')\n");
    assert_eq!(code, Some(1));
    assert!(
        err.contains(":3:1: Python paragraphs run in the page (Pyodide); `sluice run` cannot run this %flink.pyflink paragraph"),
        "{err}"
    );
    let (code, err) = run("%flink\nval t = stenv.from(\"x\")\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("Scala paragraphs are not supported"), "{err}");
    // The same from the session the page uses.
    let mut session = Session::empty();
    assert_eq!(session.execute("%flink(parallelism=1)\nval x = 1", 0).unwrap_err().message, "Scala paragraphs are not supported");
    let err = session.execute("%flink.ipyflink\nz.show(t)", 0).unwrap_err();
    assert!(err.message.starts_with("Python paragraphs run in the page"), "{err}");
}

/// The flink tier's note (`tests/flink_export/python_udf_note.sql`: Celsius → Fahrenheit with
/// PyFlink's @udf, in the walkthrough's HOP query over the reference input) gives the rows real
/// PyFlink 2.3 wrote running its export (`python_udf_rows.jsonl`, from `check_python.py
/// --write`); the Python paragraph's registration is done here by a Rust host, as the page's
/// worker does it with Pyodide.
#[test]
fn the_python_udf_note_gives_flinks_rows() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flink_export");
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sensor_input.jsonl");
    let note =
        std::fs::read_to_string(format!("{dir}/python_udf_note.sql")).unwrap().replace("{input}", input).replace("{output}", "/nowhere");
    let (_, paragraphs) = sluice::export::read_note("python_udf_note.sql", &note).unwrap();
    let host = Rc::new(TestHost::default());
    let mut session = Session::empty();
    session.set_user_function_host(host.clone());
    let mut rows: Vec<(String, i64, f64, String)> = Vec::new();
    for paragraph in &paragraphs {
        if sluice::views::note::is_python(paragraph) {
            for r in sluice::export::python_udfs::registrations(sluice::views::note::body(paragraph)) {
                let target = format!("conv.{}", r.python_name);
                session.register_user_function(UserFunction::new(&r.sql_name, &target, host.describe(&target).unwrap())).unwrap();
            }
            continue;
        }
        let Some((_, query)) = paragraph.split_once("INSERT INTO sensor_state_f") else {
            session.execute(paragraph, 0).unwrap();
            continue;
        };
        let Some(Outcome::Query { job, .. }) = session.execute(query.trim().trim_end_matches(';'), 0).unwrap().pop() else {
            panic!("the INSERT's query starts a job")
        };
        session
            .run_to_end(job, &mut |changes| {
                for c in changes {
                    let [status, num, avg, hop_time] = &c.row[..] else { panic!("{:?}", c.row) };
                    let (Value::Int(num), Value::Double(avg)) = (num, avg) else { panic!("{:?}", c.row) };
                    rows.push((status.to_string(), *num, *avg, hop_time.to_string()));
                }
            })
            .unwrap();
    }
    let flink: Vec<serde_json::Value> = std::fs::read_to_string(format!("{dir}/python_udf_rows.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), flink.len(), "Sluice gives {} rows, Flink wrote {}", rows.len(), flink.len());
    for f in &flink {
        let (status, num, avg, hop) = (
            f["status"].as_str().unwrap(),
            f["num"].as_i64().unwrap(),
            f["avg_temperature_f"].as_f64().unwrap(),
            f["hop_time"].as_str().unwrap(),
        );
        let found =
            rows.iter().position(|(s, n, a, h)| s == status && *n == num && h == hop && (a - avg).abs() <= 1e-9 * avg.abs().max(1.0));
        assert!(found.map(|i| rows.swap_remove(i)).is_some(), "Flink wrote {f}, Sluice has no such row");
    }
    assert!(host.calls.borrow().len() < 100, "{} host calls for 10,000 records", host.calls.borrow().len());
}

/// SHOW FUNCTIONS lists the user's functions among the built-ins, as Flink does; hosts type
/// their signatures from the text PyFlink prints for a type.
#[test]
fn show_functions_lists_user_functions_and_types_read_as_flink_writes_them() {
    let (mut session, _) = session_with_host();
    session.execute("CREATE TEMPORARY FUNCTION c_to_f AS 'conv.c_to_f' LANGUAGE PYTHON", 0).unwrap();
    let names = table_rows(session.execute("SHOW FUNCTIONS", 0).unwrap());
    assert!(names.contains(&"c_to_f".to_string()) && names.contains(&"UPPER".to_string()));
    use sluice::plan::functions::user::parse_data_type;
    assert_eq!(parse_data_type("DOUBLE"), Ok(DataType::Double));
    assert_eq!(parse_data_type("ROW<word STRING, n INT>").map(|t| t.to_string()), Ok("ROW<`word` STRING, `n` INT>".to_string()));
    assert!(parse_data_type("NOT A TYPE").is_err());
}
