//! Python paragraphs (`%flink.pyflink`, `%flink.ipyflink`), run by Pyodide on the thread that
//! holds the session (the engine's Web Worker, or the page's thread with `?engine=page`).
//!
//! Nothing of Python loads until the first Python paragraph runs: then `python/runtime.mjs`
//! (copied into dist/ by Trunk) imports Pyodide from `dist/pyodide/` and `python/studio.py`
//! (`st_env`, `z`, the Table API, `@udf`), and the session gets a [`PyodideHost`] that runs the
//! paragraphs' functions for its jobs, a batch per call.
//!
//! Python reaches the session through a JS module `sluice_bridge` made here: `execute(sql, show)`
//! runs statements as a SQL paragraph would (`show`, from `z.show`, makes the query the
//! paragraph's result), `columns(sql)` plans a query for its schema, `stop(job)` stops a job.
//! Values cross as JSON, tagged where JSON has no type (`{"$t": "ts", "v": ms}`), in both
//! directions; see `python/studio.py`.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value as Json};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::plan::functions::user::{parse_data_type, UserFunction, UserFunctionError, UserFunctionHost, UserFunctionKind, UserSignature};
use crate::session::paragraph::{paragraph_kind, ParagraphKind};
use crate::session::{ColumnInfo, Outcome};
use crate::sql::Location;
use crate::types::{DataType, Value};
use crate::views::host::protocol::{ExecError, PythonRun, SessionReply, SessionRequest};
use crate::views::host::server::SessionServer;

/// Runs `f` with the session's server, if it is not in use (a Python function the engine calls
/// in the middle of a tick cannot run statements); whether it ran.
pub type WithServer = fn(&mut dyn FnMut(&mut SessionServer)) -> bool;

/// Where Python runs: the address dist/ is served at, and the session it works on.
#[derive(Clone)]
pub struct Edge {
    pub base: String,
    pub with_server: WithServer,
}

/// Whether `text` is a Python paragraph (`%flink.pyflink`, `%flink.ipyflink`).
pub fn is_python(text: &str) -> bool {
    paragraph_kind(text) == ParagraphKind::Python
}

/// The paragraph's code with its interpreter line blanked, so Python's line numbers are the
/// text's.
pub fn code_of(text: &str) -> String {
    match text.split_once('\n') {
        Some((first, rest)) if first.trim_start().starts_with('%') => format!("\n{rest}"),
        _ if text.trim_start().starts_with('%') => String::new(),
        _ => text.to_string(),
    }
}

/// What the run in progress made the paragraph show.
#[derive(Default)]
struct Shown {
    outcomes: Vec<Outcome>,
    stream_type: Option<String>,
}

thread_local! {
    /// Python, once asked for: a promise of `python/runtime.mjs`'s functions.
    static RUNTIME: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// Whether the session has its host yet.
    static HOSTED: RefCell<bool> = const { RefCell::new(false) };
    static SHOWN: RefCell<Shown> = RefCell::new(Shown::default());
    static EDGE: RefCell<Option<Edge>> = const { RefCell::new(None) };
}

/// Runs a Python paragraph's `code`, starting Python first if this is the first.
pub async fn run(code: String, edge: Edge) -> PythonRun {
    let failed = |message: String| PythonRun {
        printed: String::new(),
        outcomes: Vec::new(),
        stream_type: None,
        error: Some(ExecError { message, location: None }),
    };
    let runtime = match runtime(&edge).await {
        Ok(r) => r,
        Err(e) => return failed(format!("Python could not start: {e}")),
    };
    if !HOSTED.with(|h| *h.borrow()) {
        match PyodideHost::from_runtime(&runtime) {
            Ok(host) => {
                let host: Rc<dyn UserFunctionHost> = Rc::new(host);
                if (edge.with_server)(&mut |server| server.set_user_function_host(host.clone())) {
                    HOSTED.with(|h| *h.borrow_mut() = true);
                }
            }
            Err(e) => return failed(e),
        }
    }
    SHOWN.with(|s| *s.borrow_mut() = Shown::default());
    let answer = method(&runtime, "run").and_then(|run| run.call1(&JsValue::NULL, &code.into()).map_err(|e| js_error(&e)));
    let shown = SHOWN.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let answer = match answer.and_then(|a| a.as_string().ok_or_else(|| "Python answered no text".to_string())) {
        Ok(a) => a,
        Err(e) => {
            stop_jobs(&edge, &shown.outcomes);
            return failed(e);
        }
    };
    let parsed: Json = serde_json::from_str(&answer).unwrap_or(Json::Null);
    let printed = parsed["printed"].as_str().unwrap_or("").to_string();
    let error = parsed.get("error").filter(|e| !e.is_null()).map(|e| {
        let line = e["line"].as_u64().and_then(|l| u32::try_from(l).ok());
        let column = e["column"].as_u64().and_then(|c| u32::try_from(c).ok()).unwrap_or(1);
        ExecError {
            message: e["traceback"].as_str().unwrap_or("Python failed").to_string(),
            location: line.map(|line| Location { line, column }),
        }
    });
    if error.is_some() {
        // As a failed SQL paragraph: what it started goes with it.
        stop_jobs(&edge, &shown.outcomes);
        return PythonRun { printed, outcomes: Vec::new(), stream_type: None, error };
    }
    PythonRun { printed, outcomes: shown.outcomes, stream_type: shown.stream_type, error: None }
}

fn stop_jobs(edge: &Edge, outcomes: &[Outcome]) {
    for o in outcomes {
        if let Outcome::Query { job, .. } | Outcome::Insert { job, .. } = o {
            let job = *job;
            (edge.with_server)(&mut |server| {
                server.handle(SessionRequest::StopJob { job }, &mut super::remotes::PageRemotes);
            });
        }
    }
}

/// Python's functions, loading it the first time (a failed start is tried again next time).
async fn runtime(edge: &Edge) -> Result<JsValue, String> {
    EDGE.with(|e| *e.borrow_mut() = Some(edge.clone()));
    let promise = RUNTIME.with(|r| r.borrow().clone());
    let promise = match promise {
        Some(p) => p,
        None => {
            let p = start(&edge.base)?;
            RUNTIME.with(|r| *r.borrow_mut() = Some(p.clone()));
            p
        }
    };
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(runtime) => Ok(runtime),
        Err(e) => {
            RUNTIME.with(|r| *r.borrow_mut() = None);
            Err(js_error(&e))
        }
    }
}

/// `import(base + "python/runtime.mjs")` and its `start`, with the bridge.
fn start(base: &str) -> Result<js_sys::Promise, String> {
    let url = web_sys::Url::new_with_base("python/runtime.mjs", base).map_err(|e| js_error(&e))?.href();
    let import =
        js_sys::Function::new_with_args("url, base, bridge, progress", "return import(url).then((m) => m.start(base, bridge, progress));");
    let progress =
        Closure::<dyn Fn(String)>::new(|text: String| web_sys::console::info_1(&format!("Sluice: {text}").into())).into_js_value();
    let args = js_sys::Array::of4(&url.into(), &base.into(), &bridge()?, &progress);
    let answer = import.apply(&JsValue::NULL, &args).map_err(|e| js_error(&e))?;
    answer.dyn_into::<js_sys::Promise>().map_err(|_| "python/runtime.mjs gave no promise".to_string())
}

/// The `sluice_bridge` module Python imports.
fn bridge() -> Result<JsValue, String> {
    let object = js_sys::Object::new();
    let set = |name: &str, f: JsValue| js_sys::Reflect::set(&object, &name.into(), &f).map(|_| ()).map_err(|e| js_error(&e));
    set(
        "execute",
        Closure::<dyn Fn(String, JsValue) -> String>::new(|sql: String, show: JsValue| execute(&sql, show.as_string())).into_js_value(),
    )?;
    set("columns", Closure::<dyn Fn(String) -> String>::new(|sql: String| columns(&sql)).into_js_value())?;
    set("stop", Closure::<dyn Fn(u32)>::new(|job: u32| stop(job)).into_js_value())?;
    Ok(object.into())
}

/// Serves `request` on the session, or says why it cannot now.
fn serve(request: SessionRequest) -> Result<SessionReply, String> {
    let Some(edge) = EDGE.with(|e| e.borrow().clone()) else { return Err("Python has no session".into()) };
    let mut reply = None;
    let free = (edge.with_server)(&mut |server| reply = Some(server.handle(request.clone(), &mut super::remotes::PageRemotes)));
    match reply {
        Some(r) if free => Ok(r),
        _ => Err("the session is busy: a Python function that a query calls cannot run statements".into()),
    }
}

fn error_json(message: &str, location: Option<Location>) -> String {
    json!({"error": {"message": message, "line": location.map(|l| l.line), "column": location.map(|l| l.column)}}).to_string()
}

/// `sluice_bridge.execute`: runs statements; with `show` (`z.show`'s stream type) the query is
/// the paragraph's result.
fn execute(sql: &str, show: Option<String>) -> String {
    let outcomes = match serve(SessionRequest::Execute { sql: sql.to_string() }) {
        Ok(SessionReply::Executed(Ok(o))) => o,
        Ok(SessionReply::Executed(Err(e))) => return error_json(&e.message, e.location),
        Ok(other) => return error_json(&format!("the session answered {other:?}"), None),
        Err(e) => return error_json(&e, None),
    };
    let mut answers = Vec::new();
    for outcome in outcomes {
        answers.push(outcome_json(&outcome));
        match &outcome {
            Outcome::Query { .. } if show.is_some() => SHOWN.with(|s| {
                let mut s = s.borrow_mut();
                // A paragraph shows one result: a second z.show replaces the first.
                let earlier: Vec<Outcome> = s.outcomes.extract_if(.., |o| matches!(o, Outcome::Query { .. })).collect();
                for o in earlier {
                    if let Outcome::Query { job, .. } = o {
                        stop(job);
                    }
                }
                s.outcomes.push(outcome.clone());
                s.stream_type = show.clone();
            }),
            // A query nobody shows (Python asked only whether it plans).
            Outcome::Query { job, .. } => stop(*job),
            Outcome::Insert { .. } => SHOWN.with(|s| s.borrow_mut().outcomes.push(outcome.clone())),
            _ => {}
        }
    }
    json!({ "ok": answers }).to_string()
}

/// `sluice_bridge.columns`: a query's columns, planned but not run.
fn columns(sql: &str) -> String {
    match serve(SessionRequest::QueryColumns { sql: sql.to_string() }) {
        Ok(SessionReply::Columns(Ok(columns))) => json!({ "ok": columns_json(&columns) }).to_string(),
        Ok(SessionReply::Columns(Err(e))) => error_json(&e.message, e.location),
        Ok(other) => error_json(&format!("the session answered {other:?}"), None),
        Err(e) => error_json(&e, None),
    }
}

fn stop(job: u32) {
    let _ = serve(SessionRequest::StopJob { job });
}

fn columns_json(columns: &[ColumnInfo]) -> Json {
    Json::Array(columns.iter().map(|c| json!({"name": c.name, "type": c.ty.to_string()})).collect())
}

fn outcome_json(outcome: &Outcome) -> Json {
    match outcome {
        Outcome::Done { message, .. } => json!({"kind": "done", "message": message}),
        Outcome::Table { columns, rows } => json!({
            "kind": "table",
            "columns": columns_json(columns),
            "rows": rows.iter().map(|r| Json::Array(r.iter().map(value_json).collect())).collect::<Vec<_>>(),
        }),
        Outcome::Text(text) => json!({"kind": "text", "text": text}),
        Outcome::Diagnosis(d) => json!({"kind": "text", "text": crate::views::diagnosis::render(d)}),
        Outcome::Query { job, columns, .. } => json!({"kind": "query", "job": job, "columns": columns_json(columns)}),
        Outcome::Insert { job, target, .. } => json!({"kind": "insert", "job": job, "target": target}),
    }
}

/// A value as Python reads it (`studio.py`'s `_decode_tagged`).
fn value_json(v: &Value) -> Json {
    let tagged = |t: &str, v: Json| json!({"$t": t, "v": v});
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Double(d) if d.is_finite() => json!(d),
        Value::Double(d) => tagged(
            "f",
            json!(if d.is_nan() {
                "nan"
            } else if *d > 0.0 {
                "inf"
            } else {
                "-inf"
            }),
        ),
        Value::Decimal(..) => tagged("dec", json!(v.to_string())),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Date(d) => tagged("date", json!(d)),
        Value::Time(t) => tagged("time", json!(t)),
        Value::Timestamp(t) => tagged("ts", json!(t)),
        Value::Row(fields) => tagged("row", Json::Array(fields.iter().map(value_json).collect())),
        Value::Bytes(b) => tagged("bytes", json!(b.as_ref())),
        Value::Array(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Map(entries) => {
            tagged("map", Json::Array(entries.iter().map(|(k, x)| Json::Array(vec![value_json(k), value_json(x)])).collect()))
        }
    }
}

/// A value Python gave (`studio.py`'s `_encode_value`); `ty`, when known, says whether a list is
/// a ROW or an ARRAY. The engine casts numbers to the declared type and checks the rest.
fn value_from_json(j: &Json, ty: Option<&DataType>) -> Result<Value, String> {
    Ok(match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) if !matches!(ty, Some(DataType::Double | DataType::Float)) => Value::Int(i),
            _ => Value::Double(n.as_f64().ok_or_else(|| format!("{n} is not a number SQL holds"))?),
        },
        Json::String(s) => Value::Str(s.as_str().into()),
        Json::Array(items) => match ty {
            Some(DataType::Row(fields)) => Value::Row(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| value_from_json(x, fields.get(i).map(|f| &f.ty.data_type)))
                    .collect::<Result<_, _>>()?,
            ),
            Some(DataType::Array(element)) => {
                Value::Array(items.iter().map(|x| value_from_json(x, Some(&element.data_type))).collect::<Result<_, _>>()?)
            }
            _ => Value::Array(items.iter().map(|x| value_from_json(x, None)).collect::<Result<_, _>>()?),
        },
        Json::Object(o) => {
            let v = o.get("v").unwrap_or(&Json::Null);
            let int = || v.as_i64().ok_or_else(|| format!("{j} has no whole number"));
            match o.get("$t").and_then(Json::as_str) {
                Some("ts") => Value::Timestamp(int()?),
                Some("date") => Value::Date(i32::try_from(int()?).map_err(|_| format!("{j} is out of DATE's range"))?),
                Some("time") => Value::Time(i32::try_from(int()?).map_err(|_| format!("{j} is out of TIME's range"))?),
                Some("f") => Value::Double(match v.as_str() {
                    Some("nan") => f64::NAN,
                    Some("inf") => f64::INFINITY,
                    _ => f64::NEG_INFINITY,
                }),
                Some("dec") => decimal(v.as_str().unwrap_or(""))?,
                Some("bytes") => Value::Bytes(
                    v.as_array()
                        .map(|b| b.iter().map(|x| x.as_u64().and_then(|x| u8::try_from(x).ok()).unwrap_or(0)).collect::<Vec<u8>>())
                        .unwrap_or_default()
                        .into(),
                ),
                Some("map") => Value::Map(
                    v.as_array()
                        .map(|entries| {
                            entries
                                .iter()
                                .map(|e| Ok((value_from_json(&e[0], None)?, value_from_json(&e[1], None)?)))
                                .collect::<Result<Vec<_>, String>>()
                        })
                        .transpose()?
                        .unwrap_or_default(),
                ),
                _ => return Err(format!("{j} is no value SQL holds")),
            }
        }
    })
}

/// `12.340` as a DECIMAL value (its digits and scale).
fn decimal(text: &str) -> Result<Value, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{fraction}");
    let unscaled: i128 = digits.parse().map_err(|_| format!("`{text}` is not a decimal number"))?;
    let scale = u8::try_from(fraction.len()).map_err(|_| format!("`{text}` has too many decimal places"))?;
    Ok(Value::Decimal(unscaled, scale))
}

fn method(object: &JsValue, name: &str) -> Result<js_sys::Function, String> {
    js_sys::Reflect::get(object, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("Python's runtime has no `{name}`"))
}

/// A JS or Python exception's message.
fn js_error(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Runs the paragraphs' functions for the session's jobs, in Pyodide, a batch per call.
struct PyodideHost {
    call: js_sys::Function,
    describe: js_sys::Function,
}

impl PyodideHost {
    fn from_runtime(runtime: &JsValue) -> Result<PyodideHost, String> {
        Ok(PyodideHost { call: method(runtime, "call")?, describe: method(runtime, "describe")? })
    }

    fn answer(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Json, UserFunctionError> {
        let columns = Json::Array(args.iter().map(|column| Json::Array(column.iter().map(value_json).collect())).collect());
        let answer = self
            .call
            .call3(&JsValue::NULL, &f.target.as_str().into(), &columns.to_string().into(), &JsValue::from(rows as u32))
            .map_err(|e| UserFunctionError::new(js_error(&e)))?;
        let text = answer.as_string().ok_or_else(|| UserFunctionError::new("Python answered no text"))?;
        let json: Json =
            serde_json::from_str(&text).map_err(|e| UserFunctionError::new(format!("Python's answer could not be read: {e}")))?;
        if let Some(error) = json.get("error") {
            let message = error["message"].as_str().unwrap_or("the function failed").to_string();
            return Err(match error["row"].as_u64() {
                Some(row) => UserFunctionError::at_row(row as usize, message),
                None => UserFunctionError::new(message),
            });
        }
        match json {
            Json::Array(_) => Ok(json),
            _ => Err(UserFunctionError::new("Python answered no list of results")),
        }
    }
}

impl UserFunctionHost for PyodideHost {
    fn describe(&self, target: &str) -> Result<UserSignature, String> {
        let answer = self.describe.call1(&JsValue::NULL, &target.into()).map_err(|e| js_error(&e))?;
        let json: Json =
            serde_json::from_str(&answer.as_string().unwrap_or_default()).map_err(|e| format!("Python's answer could not be read: {e}"))?;
        if let Some(e) = json.get("error") {
            return Err(e.as_str().unwrap_or("no such function").to_string());
        }
        let ok = &json["ok"];
        let ty = |text: &str| parse_data_type(text).map_err(|e| format!("`{text}`: {e}"));
        let params = match ok["params"].as_array() {
            Some(p) => Some(p.iter().map(|t| ty(t.as_str().unwrap_or(""))).collect::<Result<Vec<_>, _>>()?),
            None => None,
        };
        Ok(UserSignature {
            kind: if ok["kind"] == "table" { UserFunctionKind::Table } else { UserFunctionKind::Scalar },
            params,
            result: ty(ok["result"].as_str().unwrap_or(""))?,
            deterministic: ok["deterministic"].as_bool().unwrap_or(true),
        })
    }

    fn call_scalar(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Vec<Value>, UserFunctionError> {
        let Json::Array(results) = self.answer(f, args, rows)? else { return Ok(Vec::new()) };
        if results.len() != rows {
            return Err(UserFunctionError::new(format!("`{}` gave {} results for {rows} rows", f.name, results.len())));
        }
        results
            .iter()
            .enumerate()
            .map(|(row, r)| value_from_json(r, Some(&f.result)).map_err(|e| UserFunctionError::at_row(row, e)))
            .collect()
    }

    fn call_table(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Vec<Vec<Vec<Value>>>, UserFunctionError> {
        let Json::Array(results) = self.answer(f, args, rows)? else { return Ok(Vec::new()) };
        if results.len() != rows {
            return Err(UserFunctionError::new(format!("`{}` gave {} results for {rows} rows", f.name, results.len())));
        }
        let fields = f.result_fields();
        let row_type = DataType::Row(fields);
        results
            .iter()
            .enumerate()
            .map(|(row, produced)| {
                let produced = produced.as_array().ok_or_else(|| UserFunctionError::at_row(row, "a table function yields rows"))?;
                produced
                    .iter()
                    .map(|r| match value_from_json(r, Some(&row_type)) {
                        Ok(Value::Row(values)) => Ok(values),
                        Ok(other) => Ok(vec![other]),
                        Err(e) => Err(UserFunctionError::at_row(row, e)),
                    })
                    .collect()
            })
            .collect()
    }
}
