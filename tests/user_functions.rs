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
