//! JSON functions (Flink's reference, "json"): querying a JSON text with a path (JSON_VALUE,
//! JSON_QUERY, JSON_EXISTS, IS JSON) and building one from SQL values (JSON_STRING,
//! JSON_OBJECT, JSON_ARRAY). JSON_QUOTE and JSON_UNQUOTE are string functions (`string.rs`).
//!
//! The behaviour is Flink's runtime class `SqlJsonUtils` (Calcite's `JsonFunctions`) and
//! `JsonGenerateUtils`: the text is read as Jackson reads it into Java objects
//! ([`document`]), the path is a Jayway JsonPath with Flink's lax/strict mode ([`path`]), and
//! results are written as Jackson writes them (object keys sorted, `BigDecimal` numbers).
//!
//! The clauses (`RETURNING`, `… ON EMPTY`, `WITH WRAPPER`, `ABSENT ON NULL`) are read by
//! `sql/json.rs`, which turns every call into a fixed shape of arguments: see each entry's
//! typing.

pub(crate) mod document;
mod path;

use super::typing::{check, str_value, text, Arg};
use super::{Eval, Family, FunctionDef};
use crate::plan::bind::cast_if_needed;
use crate::plan::expr::{Expr, ExprKind};
use crate::types::{format_timestamp, DataType, SqlType, Value, STRING_LENGTH};
use document::{BigDecimal, Json};
use path::Found;

const J: Family = Family::Json;

fn string_type() -> DataType {
    DataType::Varchar(STRING_LENGTH)
}

/// The text of a string literal argument the parser put there (a clause's behaviour).
fn literal_text(a: &Expr) -> Option<&str> {
    match &a.kind {
        ExprKind::Literal(Value::Str(s)) => Some(s),
        _ => None,
    }
}

fn set_literal(a: &mut Expr, text: String) {
    *a = Expr::literal(str_value(text), SqlType::not_null(string_type()));
}

/// Reads the document and the path of a call: Flink's `jsonApiCommonSyntax`. `Ok` holds what
/// the path found (a lax path over a text that is not JSON finds nothing); `Err` the strict
/// failure the ON ERROR clause handles.
fn query<R>(json: &str, spec: &str, then: impl FnOnce(path::Mode, Found<'_>) -> R) -> Result<R, String> {
    let path = path::compile(spec)?;
    let doc = match document::parse(json) {
        Ok(doc) => doc,
        Err(e) if path.mode == path::Mode::Strict => return Err(format!("the text is not JSON: {e}")),
        Err(_) => return Ok(then(path.mode, Found::One(None))),
    };
    let found = path.find(&doc)?;
    Ok(then(path.mode, found))
}

// ---- JSON_VALUE ------------------------------------------------------------------------

/// `JSON_VALUE(json, path, 'empty;error', CAST(NULL AS returning), default_on_empty,
/// default_on_error)`.
fn json_value_typing(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    check(d, &mut a[..2], &[Arg::Str, Arg::Str])?;
    let ty = a[3].ty.data_type.clone();
    // Flink's `JsonValueCallGen` converts to these four and refuses the rest.
    let tag = match ty {
        DataType::Varchar(n) => format!("V{n}"),
        DataType::Boolean => "B".into(),
        DataType::Int => "I".into(),
        DataType::Double => "D".into(),
        _ => return Err(format!("Unsupported type '{ty}' for RETURNING in JSON_VALUE()")),
    };
    set_literal(&mut a[3], tag);
    for i in [4, 5] {
        a[i] = cast_if_needed(a[i].clone(), &ty)?;
    }
    Ok(SqlType::nullable(ty))
}

fn json_value(a: &[Value]) -> Result<Value, String> {
    let (Value::Str(json), Value::Str(spec)) = (&a[0], &a[1]) else { return Ok(Value::Null) };
    let (empty, error) = text(a, 2).split_once(';').unwrap_or(("NULL", "NULL"));
    let tag = text(a, 3);
    let outcome = query(json, spec, |mode, found| {
        let value = match found {
            // Strict mode finds JSON null as a failure (Flink's DEFAULT … ON ERROR applies).
            Found::One(Some(Json::Null)) if mode == path::Mode::Strict => return Err("No results for path: the value is null".to_string()),
            Found::One(v) => v,
            Found::Many(_) if mode == path::Mode::Lax => None,
            Found::Many(_) => return Err("Strict jsonpath mode requires scalar value, and the actual value is a list".to_string()),
        };
        match value {
            None | Some(Json::Null) => Ok(None),
            Some(v) if !v.is_scalar() && mode == path::Mode::Lax => Ok(None),
            Some(v) if !v.is_scalar() => {
                Err(format!("Strict jsonpath mode requires scalar value, and the actual value is: '{}'", v.to_json()))
            }
            Some(v) => Ok(Some(v.clone())),
        }
    });
    let (kind, length) = tag.split_at(tag.len().min(1));
    let length = length.parse::<usize>().ok();
    let (behaviour, default) = match outcome {
        Ok(Ok(Some(found))) => return convert(&found, kind, length),
        Ok(Ok(None)) if empty == "ERROR" => return Err("Empty result of JSON_VALUE function is not allowed".into()),
        Ok(Ok(None)) => (empty, &a[4]),
        Ok(Err(e)) | Err(e) if error == "ERROR" => return Err(e),
        Ok(Err(_)) | Err(_) => (error, &a[5]),
    };
    match (behaviour, default) {
        (_, Value::Null) => Ok(Value::Null),
        // Flink casts a DOUBLE result to `BigDecimal`, which the default (a Double) is not.
        ("DEFAULT", Value::Double(_)) => Err("class java.lang.Double cannot be cast to class java.math.BigDecimal".into()),
        ("DEFAULT", Value::Str(s)) => Ok(match length {
            Some(n) if s.chars().count() > n => str_value(s.chars().take(n).collect::<String>()),
            _ => default.clone(),
        }),
        ("DEFAULT", v) => Ok(v.clone()),
        _ => Ok(Value::Null),
    }
}

/// The value JSON_VALUE returns as its RETURNING type, converted as Flink's generated code
/// does (`JsonValueCallGen`): any scalar as its Java text for a string; otherwise a Java cast
/// that fails the query (outside ON ERROR) when the JSON value is of another kind — an INT
/// must be a JSON integer that fits, a DOUBLE a JSON number with a fraction or exponent.
fn convert(v: &Json, tag: &str, length: Option<usize>) -> Result<Value, String> {
    let wrong = |java: &str| Err(format!("{} cannot be cast to {java}", v.to_json()));
    match (tag, v) {
        ("B", Json::Bool(b)) => Ok(Value::Bool(*b)),
        ("B", _) => wrong("java.lang.Boolean"),
        ("I", Json::Int(d)) => d.parse::<i32>().map(|i| Value::Int(i64::from(i))).or_else(|_| wrong("java.lang.Integer")),
        ("I", _) => wrong("java.lang.Integer"),
        ("D", Json::Decimal(d)) => Ok(Value::Double(d.java_string().parse::<f64>().unwrap_or(f64::NAN))),
        ("D", _) => wrong("java.math.BigDecimal"),
        (_, v) => Ok(v.scalar_text().map_or(Value::Null, |t| match length {
            Some(n) if t.chars().count() > n => str_value(t.chars().take(n).collect::<String>()),
            _ => str_value(t),
        })),
    }
}

// ---- JSON_QUERY ------------------------------------------------------------------------

fn json_query(a: &[Value]) -> Result<Value, String> {
    let (Value::Str(json), Value::Str(spec)) = (&a[0], &a[1]) else { return Ok(Value::Null) };
    let mut parts = text(a, 2).split(';');
    let (wrapper, empty, error) = (parts.next().unwrap_or("WITHOUT"), parts.next().unwrap_or("NULL"), parts.next().unwrap_or("NULL"));
    let returns_array = parts.next() == Some("ARRAY");
    let outcome = query(json, spec, |mode, found| {
        // The value with its wrapper, as Java objects: a list found by an indefinite path
        // counts as an array.
        let value: Option<Json> = match found {
            Found::One(None) | Found::One(Some(Json::Null)) => None,
            Found::One(Some(v)) => Some(v.clone()),
            Found::Many(vs) => Some(Json::Array(vs.into_iter().cloned().collect())),
        };
        let value = value.map(|v| match wrapper {
            "UNCONDITIONAL" => Json::Array(vec![v]),
            "CONDITIONAL" if !matches!(v, Json::Array(_)) => Json::Array(vec![v]),
            _ => v,
        });
        match value {
            None => Ok(None),
            Some(v) if v.is_scalar() && mode == path::Mode::Lax => Ok(None),
            Some(v) if v.is_scalar() => Err(format!(
                "Strict jsonpath mode requires array or object value, and the actual value is: '{}'",
                v.scalar_text().unwrap_or_default()
            )),
            Some(Json::Object(_)) if returns_array => Err("The result of JSON_QUERY is not an array".to_string()),
            Some(v) => Ok(Some(v)),
        }
    });
    let behaviour = match outcome {
        Ok(Ok(Some(found))) if returns_array => return Ok(string_array(found)),
        Ok(Ok(Some(found))) => return Ok(str_value(found.to_json())),
        Ok(Ok(None)) => match empty {
            "ERROR" => return Err("Empty result of JSON_QUERY function is not allowed".into()),
            other => other,
        },
        Ok(Err(e)) | Err(e) => match error {
            "ERROR" => return Err(e),
            other => other,
        },
    };
    Ok(match behaviour {
        "EMPTY ARRAY" if returns_array => Value::Array(Vec::new()),
        "EMPTY ARRAY" => str_value("[]"),
        "EMPTY OBJECT" if !returns_array => str_value("{}"),
        _ => Value::Null,
    })
}

/// `JSON_QUERY … RETURNING ARRAY<STRING>`: each element of the array found as its text — a
/// string unquoted, JSON null as NULL, an array or object as JSON text (Flink's conversion).
fn string_array(found: Json) -> Value {
    let Json::Array(items) = found else { return Value::Null };
    Value::Array(
        items
            .into_iter()
            .map(|item| match item {
                Json::Null => Value::Null,
                Json::Str(s) => str_value(s.as_ref()),
                other => str_value(other.scalar_text().unwrap_or_else(|| other.to_json())),
            })
            .collect(),
    )
}

// ---- JSON_EXISTS -----------------------------------------------------------------------

fn json_exists(a: &[Value]) -> Result<Value, String> {
    let (Value::Str(json), Value::Str(spec)) = (&a[0], &a[1]) else { return Ok(Value::Null) };
    let outcome = query(json, spec, |_, found| match found {
        Found::One(v) => !matches!(v, None | Some(Json::Null)),
        Found::Many(_) => true,
    });
    match outcome {
        Ok(exists) => Ok(Value::Bool(exists)),
        Err(e) => match text(a, 2) {
            "TRUE" => Ok(Value::Bool(true)),
            "UNKNOWN" => Ok(Value::Null),
            "ERROR" => Err(e),
            _ => Ok(Value::Bool(false)),
        },
    }
}

// ---- IS JSON ---------------------------------------------------------------------------

fn is_json(a: &[Value]) -> Result<Value, String> {
    let Value::Str(s) = &a[0] else { return Ok(Value::Bool(false)) };
    let Ok(doc) = document::parse(s) else { return Ok(Value::Bool(false)) };
    Ok(Value::Bool(match text(a, 1) {
        "OBJECT" => matches!(doc, Json::Object(_)),
        "ARRAY" => matches!(doc, Json::Array(_)),
        "SCALAR" => doc.is_scalar(),
        _ => true,
    }))
}

// ---- JSON_STRING, JSON_OBJECT, JSON_ARRAY ----------------------------------------------

/// How a SQL value becomes a JSON node (`JsonGenerateUtils.createNodeTerm`), by its type: one
/// letter per argument, decided when the call is planned.
fn node_kind(a: &Expr) -> Result<char, String> {
    if let ExprKind::Call { func, .. } = &a.kind {
        if matches!(func.name(), "JSON_OBJECT" | "JSON_ARRAY") {
            // Another JSON constructor's text goes in as it is (a raw node).
            return Ok('r');
        }
    }
    Ok(match &a.ty.data_type {
        DataType::Null => 'n',
        DataType::Char(_) | DataType::Varchar(_) => 's',
        DataType::Boolean => 'b',
        DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => 'i',
        DataType::Float => 'f',
        DataType::Double => 'd',
        DataType::Decimal { .. } => 'm',
        DataType::Timestamp(_) => 't',
        DataType::TimestampLtz(_) => 'z',
        other => return Err(format!("Type '{other}' is not scalar or cannot be converted into JSON.")),
    })
}

/// A value as JSON text, by its node kind.
fn node_text(v: &Value, kind: char, out: &mut String) {
    match (v, kind) {
        (Value::Null, _) => out.push_str("null"),
        (Value::Str(s), 'r') => out.push_str(s),
        (Value::Str(s), _) => document::write_string(s, out),
        (Value::Bool(b), _) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Int(i), _) => out.push_str(&i.to_string()),
        (Value::Double(d), 'f') => out.push_str(&java_decimal_of_double(f64::from(*d as f32))),
        (Value::Double(d), _) => out.push_str(&java_decimal_of_double(*d)),
        (Value::Decimal(..), _) => match BigDecimal::from_plain(&v.to_string()) {
            Some(d) => out.push_str(&d.java_string()),
            None => out.push_str(&v.to_string()),
        },
        (Value::Timestamp(ms), k) => {
            let mut s = iso_local_date_time(*ms);
            if k == 'z' {
                s.push('Z');
            }
            document::write_string(&s, out);
        }
        (other, _) => document::write_string(&other.to_string(), out),
    }
}

/// A DOUBLE as Jackson writes it once it has been read back as a `BigDecimal`
/// (`BigDecimal.valueOf(d)`, i.e. `new BigDecimal(Double.toString(d))`).
fn java_decimal_of_double(d: f64) -> String {
    if !d.is_finite() {
        return format!(
            "\"{}\"",
            if d.is_nan() {
                "NaN"
            } else if d > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }
        );
    }
    BigDecimal::from_plain(&java_double_text(d)).map_or_else(|| d.to_string(), |b| b.java_string())
}

/// Java's `Double.toString`: `100.0`, `1.0E10`, `1.5E-4`.
fn java_double_text(d: f64) -> String {
    let abs = d.abs();
    if abs == 0.0 || (1e-3..1e7).contains(&abs) {
        return if d.fract() == 0.0 { format!("{d:.1}") } else { format!("{d}") };
    }
    let sci = format!("{d:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exp}")
    } else {
        format!("{mantissa}.0E{exp}")
    }
}

/// `DateTimeFormatter.ISO_LOCAL_DATE_TIME`: seconds always, the fraction only when not zero
/// and without trailing zeros.
fn iso_local_date_time(ms: i64) -> String {
    let text = format_timestamp(ms);
    let (main, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let main = main.replace(' ', "T");
    if fraction.is_empty() {
        main
    } else {
        format!("{main}.{fraction}")
    }
}

/// JSON_OBJECT/JSON_ARRAY: `'NULL'` or `'ABSENT'`, then the values; the first argument is
/// rewritten to `NULL|<kinds>` with one node kind per value.
fn mark_kinds(a: &mut [Expr], values: impl Iterator<Item = usize>) -> Result<(), String> {
    let behaviour = literal_text(&a[0]).unwrap_or("NULL").to_string();
    let kinds: String = values.map(|i| node_kind(&a[i])).collect::<Result<_, _>>()?;
    set_literal(&mut a[0], format!("{behaviour}|{kinds}"));
    Ok(())
}

fn json_object_typing(_: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    if a.len().is_multiple_of(2) {
        return Err("JSON_OBJECT takes KEY … VALUE … pairs".into());
    }
    for k in (1..a.len()).step_by(2) {
        if !a[k].ty.data_type.is_string() {
            return Err(format!("JSON_OBJECT keys must be strings, not {}", a[k].ty));
        }
        if a[k].ty.nullable {
            return Err("JSON_OBJECT keys must not be NULL".into());
        }
    }
    mark_kinds(a, (2..a.len()).step_by(2))?;
    Ok(SqlType::not_null(string_type()))
}

fn json_array_typing(_: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    mark_kinds(a, 1..a.len())?;
    Ok(SqlType::not_null(string_type()))
}

fn json_object(a: &[Value]) -> Result<Value, String> {
    let (behaviour, kinds) = text(a, 0).split_once('|').unwrap_or(("NULL", ""));
    let mut members: Vec<(&str, String)> = Vec::new();
    for ((key, value), kind) in a[1..].chunks(2).map(|p| (&p[0], &p[1])).zip(kinds.chars()) {
        let Value::Str(key) = key else { return Err("JSON_OBJECT keys must not be NULL".into()) };
        if value.is_null() && behaviour == "ABSENT" {
            continue;
        }
        let mut text = String::new();
        node_text(value, kind, &mut text);
        // ObjectNode.set: a repeated key replaces the value.
        match members.iter_mut().find(|(k, _)| *k == &**key) {
            Some(m) => m.1 = text,
            None => members.push((key, text)),
        }
    }
    members.sort_by(|x, y| document::java_order(x.0, y.0));
    let mut out = String::from("{");
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        document::write_string(k, &mut out);
        out.push(':');
        out.push_str(v);
    }
    out.push('}');
    Ok(str_value(out))
}

fn json_array(a: &[Value]) -> Result<Value, String> {
    let (behaviour, kinds) = text(a, 0).split_once('|').unwrap_or(("ABSENT", ""));
    let mut out = String::from("[");
    let mut first = true;
    for (value, kind) in a[1..].iter().zip(kinds.chars()) {
        if value.is_null() && behaviour == "ABSENT" {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        node_text(value, kind, &mut out);
    }
    out.push(']');
    Ok(str_value(out))
}

/// JSON_STRING's bound form: the value and its node kind.
static JSON_STRING_OF: FunctionDef = FunctionDef {
    name: "JSON_STRING",
    aliases: &[],
    family: J,
    syntax: "JSON_STRING(value)",
    returns: "STRING",
    description: "value as a JSON text.",
    example: "JSON_STRING(1) = '1'",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| Ok(SqlType::nullable(string_type()).with_nullable(a[0].ty.nullable)),
    eval: Eval::Strict(|a| {
        let mut out = String::new();
        node_text(&a[0], text(a, 1).chars().next().unwrap_or('s'), &mut out);
        Ok(str_value(out))
    }),
};

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "JSON_VALUE",
        aliases: &[],
        family: J,
        syntax: "JSON_VALUE(json, path [RETURNING type] [{NULL | ERROR | DEFAULT value} ON EMPTY] [{NULL | ERROR | DEFAULT value} ON ERROR])",
        returns: "the RETURNING type (STRING by default)",
        description: "The scalar at path in the JSON text json; NULL (or the ON EMPTY choice) when there is none or it is JSON null, NULL (or the ON ERROR choice) when the text is not JSON or, in strict mode, the path finds nothing or a non-scalar.",
        example: "JSON_VALUE('{\"a\": [1, 2]}', '$.a[1]' RETURNING INT) = 2",
        arity: (6, 6),
        deterministic: true,
        listed: true,
        typing: json_value_typing,
        eval: Eval::Lenient(json_value),
    },
    FunctionDef {
        name: "JSON_QUERY",
        aliases: &[],
        family: J,
        syntax: "JSON_QUERY(json, path [RETURNING STRING | ARRAY<STRING>] [WITHOUT | WITH [CONDITIONAL | UNCONDITIONAL] [ARRAY] WRAPPER] [{NULL | ERROR | EMPTY ARRAY | EMPTY OBJECT} ON EMPTY] [… ON ERROR])",
        returns: "STRING, or ARRAY<STRING> with RETURNING ARRAY<STRING>",
        description: "The array or object at path in the JSON text json, as JSON text (keys sorted), or an array's elements as texts; WITH WRAPPER puts what was found in an array.",
        example: "JSON_QUERY('{\"a\": {\"b\": 1}}', '$.a') = '{\"b\":1}'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, &mut a[..2], &[Arg::Str, Arg::Str])?;
            // The parser marks `RETURNING ARRAY<STRING>` at the end of the clauses' text.
            let returns_array = matches!(&a[2].kind, ExprKind::Literal(Value::Str(s)) if s.ends_with(";ARRAY"));
            Ok(match returns_array {
                true => SqlType::nullable(DataType::Array(Box::new(SqlType::nullable(string_type())))),
                false => SqlType::nullable(string_type()),
            })
        },
        eval: Eval::Lenient(json_query),
    },
    FunctionDef {
        name: "JSON_EXISTS",
        aliases: &[],
        family: J,
        syntax: "JSON_EXISTS(json, path [{TRUE | FALSE | UNKNOWN | ERROR} ON ERROR])",
        returns: "BOOLEAN",
        description: "Whether path finds a value (not JSON null) in the JSON text json.",
        example: "JSON_EXISTS('{\"a\": true}', '$.a') = TRUE",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, &mut a[..2], &[Arg::Str, Arg::Str])?;
            Ok(SqlType::nullable(DataType::Boolean))
        },
        eval: Eval::Lenient(json_exists),
    },
    FunctionDef {
        name: "IS_JSON",
        aliases: &[],
        family: J,
        syntax: "IS_JSON(string, kind), written string IS [NOT] JSON [VALUE | SCALAR | ARRAY | OBJECT]",
        returns: "BOOLEAN NOT NULL",
        description: "Whether string is a JSON text (of the kind asked for); FALSE for NULL.",
        example: "'[1]' IS JSON ARRAY = TRUE",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str, Arg::Str])?;
            Ok(SqlType::not_null(DataType::Boolean))
        },
        eval: Eval::Lenient(is_json),
    },
    FunctionDef {
        name: "JSON_STRING",
        aliases: &[],
        family: J,
        syntax: "JSON_STRING(value)",
        returns: "STRING",
        description: "value as a JSON text: strings quoted, numbers and booleans as they are, timestamps as ISO-8601 strings.",
        example: "JSON_STRING('a\"b') = '\"a\\\"b\"'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |_, a| Ok(SqlType::nullable(string_type()).with_nullable(a[0].ty.nullable)),
        eval: Eval::Rewrite(|mut a| {
            let kind = node_kind(&a[0])?;
            a.push(Expr::literal(str_value(kind.to_string()), SqlType::not_null(string_type())));
            super::bind_call(super::Function::of(&JSON_STRING_OF), a)
        }),
    },
    FunctionDef {
        name: "JSON_OBJECT",
        aliases: &[],
        family: J,
        syntax: "JSON_OBJECT([[KEY] key VALUE value, …] [{NULL | ABSENT} ON NULL])",
        returns: "STRING NOT NULL",
        description: "A JSON object of the pairs (keys sorted); a NULL value is null, or left out with ABSENT ON NULL; JSON_OBJECT and JSON_ARRAY values nest as JSON.",
        example: "JSON_OBJECT('a' VALUE 1) = '{\"a\":1}'",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: json_object_typing,
        eval: Eval::Lenient(json_object),
    },
    FunctionDef {
        name: "JSON_ARRAY",
        aliases: &[],
        family: J,
        syntax: "JSON_ARRAY([value, …] [{NULL | ABSENT} ON NULL])",
        returns: "STRING NOT NULL",
        description: "A JSON array of the values; NULLs are left out unless NULL ON NULL; JSON_OBJECT and JSON_ARRAY values nest as JSON.",
        example: "JSON_ARRAY(1, 'a') = '[1,\"a\"]'",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: json_array_typing,
        eval: Eval::Lenient(json_array),
    },
];
