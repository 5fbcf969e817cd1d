//! Collection functions (Flink's reference, "collection" and the value constructors): building
//! ARRAY, MAP and ROW values, reading an element (`arr[i]`, `map[k]`), and the ARRAY_* / MAP_*
//! family. Each copies Flink's runtime class (`functions/scalar/Array*Function`,
//! `SqlFunctionUtils`) as checked by `tests/functions/collection.jsonl`: arrays index from 1, an
//! index out of range is NULL, and elements compare with Java's `Objects.equals` (a NULL
//! element equals a NULL needle).
//!
//! Collections are [`Value::Array`] / [`Value::Map`] rows of a `ColumnData::Values` column;
//! these evaluators work on one row's values and never recurse into them.

use std::cmp::Ordering;

use super::typing::{any_nullable, check, str_value, text, unify, Arg};
use super::{Eval, Family, FunctionDef};
use crate::plan::bind::{cast_if_needed, expect_boolean};
use crate::plan::expr::Expr;
use crate::types::{DataType, Field, SqlType, Value, STRING_LENGTH};

const F: Family = Family::Collection;

/// The element type of an ARRAY argument.
fn element(d: &FunctionDef, a: &Expr, i: usize) -> Result<SqlType, String> {
    match &a.ty.data_type {
        DataType::Array(t) => Ok((**t).clone()),
        DataType::Null => Ok(SqlType::nullable(DataType::Null)),
        _ => Err(format!("{} needs an ARRAY as argument {}, not {}: {}", d.name, i + 1, a.ty, d.syntax)),
    }
}

fn array_of(element: SqlType, nullable: bool) -> SqlType {
    SqlType::nullable(DataType::Array(Box::new(element))).with_nullable(nullable)
}

fn items(a: &[Value], i: usize) -> &[Value] {
    match a.get(i) {
        Some(Value::Array(v)) => v,
        _ => &[],
    }
}

fn entries(a: &[Value], i: usize) -> &[(Value, Value)] {
    match a.get(i) {
        Some(Value::Map(v)) => v,
        _ => &[],
    }
}

/// Two elements in SQL order; NULL sorts before everything (the caller places NULLs).
fn order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Double(x), Value::Double(y)) => x.total_cmp(y),
        (Value::Decimal(x, _), Value::Decimal(y, _)) => x.cmp(y),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) | (Value::Time(x), Value::Time(y)) => x.cmp(y),
        (Value::Timestamp(x), Value::Timestamp(y)) => x.cmp(y),
        (Value::Bytes(x), Value::Bytes(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// A value's identity for deduplication: values of one SQL type are equal exactly when these
/// are (as Java's `equals`, NaN equals NaN). Hashing it keeps arrays and maps read from outside
/// (a million elements) linear.
fn identity(v: &Value) -> String {
    format!("{v:?}")
}

/// The distinct values of `values`, first occurrences in order.
fn distinct<'a>(values: impl Iterator<Item = &'a Value>) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    values.filter(|v| seen.insert(identity(v))).cloned().collect()
}

/// Whether `haystack` holds `needle`, each compared by [`identity`], for many needles at once.
fn holder(haystack: &[Value]) -> std::collections::HashSet<String> {
    haystack.iter().map(identity).collect()
}

/// Map entries with distinct keys, a repeated key keeping its last value at its first place.
fn map_of(pairs: impl Iterator<Item = (Value, Value)>) -> Value {
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut m: Vec<(Value, Value)> = Vec::new();
    for (k, v) in pairs {
        match index.entry(identity(&k)) {
            std::collections::hash_map::Entry::Occupied(e) => m[*e.get()].1 = v,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(m.len());
                m.push((k, v));
            }
        }
    }
    Value::Map(m)
}

/// `fn(array, element)`: the element cast to the array's element type.
fn array_and_element(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    let el = element(d, &a[0], 0)?;
    if el.data_type != DataType::Null {
        a[1] = cast_if_needed(a[1].clone(), &el.data_type).map_err(|m| format!("{}: {m}", d.name))?;
    }
    Ok(el)
}

/// Arrays of one element type (ARRAY_UNION, ARRAY_CONCAT, …): the array type they share.
fn same_arrays(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    let mut ty: Option<SqlType> = None;
    for (i, x) in a.iter().enumerate() {
        let el = element(d, x, i)?;
        if el.data_type == DataType::Null {
            continue;
        }
        ty = Some(match ty {
            None => el,
            Some(t) if t.data_type == el.data_type => {
                let nullable = t.nullable || el.nullable;
                t.with_nullable(nullable)
            }
            Some(t) if t.data_type.is_string() && el.data_type.is_string() => SqlType::nullable(DataType::Varchar(STRING_LENGTH)),
            Some(t) => return Err(format!("{} needs arrays of one element type, not ARRAY<{t}> and ARRAY<{el}>", d.name)),
        });
    }
    Ok(array_of(ty.unwrap_or(SqlType::nullable(DataType::Null)), any_nullable(a)))
}

fn map_types(d: &FunctionDef, a: &Expr, i: usize) -> Result<(SqlType, SqlType), String> {
    match &a.ty.data_type {
        DataType::Map(k, v) => Ok(((**k).clone(), (**v).clone())),
        _ => Err(format!("{} needs a MAP as argument {}, not {}: {}", d.name, i + 1, a.ty, d.syntax)),
    }
}

fn slice(a: &[Value]) -> Value {
    let v = items(a, 0);
    let len = v.len() as i64;
    let position = |p: i64| if p < 0 { len + p + 1 } else { p.max(1) };
    let start = match a.get(1) {
        Some(Value::Int(s)) => position(*s),
        _ => return Value::Null,
    };
    let end = match a.get(2) {
        None => len,
        Some(Value::Int(e)) => position(*e).min(len),
        _ => return Value::Null,
    };
    if start > end || start > len || end < 1 {
        return Value::Array(Vec::new());
    }
    Value::Array(v[(start.max(1) - 1) as usize..end as usize].to_vec())
}

fn sort(a: &[Value]) -> Value {
    let ascending = !matches!(a.get(1), Some(Value::Bool(false)));
    let nulls_first = match a.get(2) {
        Some(Value::Bool(b)) => *b,
        _ => ascending,
    };
    if a.get(1).is_some_and(Value::is_null) || a.get(2).is_some_and(Value::is_null) {
        return Value::Null;
    }
    let mut present: Vec<Value> = items(a, 0).iter().filter(|v| !v.is_null()).cloned().collect();
    present.sort_by(|x, y| if ascending { order(x, y) } else { order(y, x) });
    let nulls = items(a, 0).len() - present.len();
    let mut out = Vec::with_capacity(items(a, 0).len());
    if nulls_first {
        out.extend(std::iter::repeat_n(Value::Null, nulls));
    }
    out.extend(present);
    if !nulls_first {
        out.extend(std::iter::repeat_n(Value::Null, nulls));
    }
    Value::Array(out)
}

fn extreme(a: &[Value], want: Ordering) -> Value {
    let mut best: Option<&Value> = None;
    for v in items(a, 0).iter().filter(|v| !v.is_null()) {
        if best.is_none_or(|b| order(v, b) == want) {
            best = Some(v);
        }
    }
    best.cloned().unwrap_or(Value::Null)
}

/// `text` cut at each `delimiter`; `java` drops the empty strings at the end, as Java's
/// `String.split` (STR_TO_MAP) does and Flink's SPLIT does not.
fn split(text: &str, delimiter: &str, java: bool) -> Vec<Value> {
    if delimiter.is_empty() {
        return text.chars().map(|c| str_value(c.to_string())).collect();
    }
    let mut parts: Vec<&str> = text.split(delimiter).collect();
    while java && parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    parts.into_iter().map(str_value).collect()
}

fn constructor_array(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    if a.is_empty() {
        return Err(format!("{} needs at least one element: {}", d.name, d.syntax));
    }
    let ty = unify(a).map_err(|m| format!("{}: {m}", d.name))?;
    Ok(array_of(ty, false))
}

fn constructor_map(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    if a.is_empty() || !a.len().is_multiple_of(2) {
        return Err(format!("{} needs keys and values in pairs: {}", d.name, d.syntax));
    }
    let mut keys: Vec<Expr> = a.iter().step_by(2).cloned().collect();
    let mut values: Vec<Expr> = a.iter().skip(1).step_by(2).cloned().collect();
    let k = unify(&mut keys).map_err(|m| format!("{} keys: {m}", d.name))?;
    let v = unify(&mut values).map_err(|m| format!("{} values: {m}", d.name))?;
    for (i, e) in keys.into_iter().enumerate() {
        a[2 * i] = e;
    }
    for (i, e) in values.into_iter().enumerate() {
        a[2 * i + 1] = e;
    }
    Ok(SqlType::not_null(DataType::Map(Box::new(k), Box::new(v))))
}

fn constructor_row(_: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    let fields = a.iter().enumerate().map(|(i, e)| Field { name: format!("EXPR${i}"), ty: e.ty.plain() }).collect();
    Ok(SqlType::not_null(DataType::Row(fields)))
}

/// `arr[i]` and `map[k]` (Calcite's ITEM operator).
fn item_type(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    match a[0].ty.data_type.clone() {
        DataType::Array(t) => {
            check(d, &mut a[1..], &[Arg::Int])?;
            Ok(t.as_ref().clone().with_nullable(true))
        }
        DataType::Map(k, v) => {
            let key = k.data_type;
            a[1] = cast_if_needed(a[1].clone(), &key).map_err(|m| format!("the key of `[…]`: {m}"))?;
            Ok(v.as_ref().clone().with_nullable(true))
        }
        _ => Err(format!("`[…]` reads an element of an ARRAY or a MAP, not of {}", a[0].ty)),
    }
}

fn item(a: &[Value]) -> Result<Value, String> {
    Ok(match (&a[0], &a[1]) {
        (Value::Array(v), Value::Int(i)) => {
            if *i < 1 {
                return Err(format!("the array index {i} is out of bounds: arrays are indexed from 1"));
            }
            v.get(*i as usize - 1).cloned().unwrap_or(Value::Null)
        }
        (Value::Map(m), key) => m.iter().find(|(k, _)| k == key).map_or(Value::Null, |(_, v)| v.clone()),
        _ => Value::Null,
    })
}

macro_rules! def {
    ($name:literal, $syntax:literal, $returns:literal, $description:literal, $example:literal, $arity:expr, $typing:expr, $eval:expr) => {
        FunctionDef {
            name: $name,
            aliases: &[],
            family: F,
            syntax: $syntax,
            returns: $returns,
            description: $description,
            example: $example,
            arity: $arity,
            deterministic: true,
            listed: true,
            typing: $typing,
            eval: $eval,
        }
    };
}

/// `arr[i]`, `map[k]`: bound from the subscript syntax, not listed.
pub static ITEM: FunctionDef = FunctionDef {
    name: "ITEM",
    aliases: &[],
    family: F,
    syntax: "ITEM(array, index) | ITEM(map, key)",
    returns: "the element type, nullable",
    description: "The element at a 1-based index, or a map's value for a key; NULL when there is none.",
    example: "ARRAY[10, 20][2] = 20",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: item_type,
    eval: Eval::Strict(item),
};

pub static FUNCTIONS: &[FunctionDef] = &[
    def!(
        "ARRAY",
        "ARRAY[value1, value2, ...]",
        "ARRAY<common type> NOT NULL",
        "An array of the values, of their common type.",
        "ARRAY[1, 2] = [1, 2]",
        (1, usize::MAX),
        constructor_array,
        Eval::Lenient(|a| Ok(Value::Array(a.to_vec())))
    ),
    def!(
        "MAP",
        "MAP[key1, value1, key2, value2, ...]",
        "MAP<common key type, common value type> NOT NULL",
        "A map of the key/value pairs; a repeated key keeps its last value.",
        "MAP['a', 1] = {a=1}",
        (2, usize::MAX),
        constructor_map,
        Eval::Lenient(|a| Ok(map_of(a.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())))))
    ),
    def!(
        "ROW",
        "ROW(value1, value2, ...)",
        "ROW<EXPR$0 …, EXPR$1 …> NOT NULL",
        "A row of the values; its fields are named EXPR$0, EXPR$1, …",
        "ROW(1, 'x') = (1, x)",
        (1, usize::MAX),
        constructor_row,
        Eval::Lenient(|a| Ok(Value::Row(a.to_vec())))
    ),
    def!(
        "CARDINALITY",
        "CARDINALITY(array) | CARDINALITY(map)",
        "INT",
        "The number of elements of an array or entries of a map.",
        "CARDINALITY(ARRAY[1, 2]) = 2",
        (1, 1),
        |d, a| match a[0].ty.data_type {
            DataType::Array(_) | DataType::Map(..) | DataType::Null => Ok(SqlType::nullable(DataType::Int).with_nullable(a[0].ty.nullable)),
            // Flink 2.3 types the call and then fails to generate its code.
            DataType::Multiset(_) => Err(format!("Expect an array or a map: Flink 2.3 cannot compute {} of a {}", d.name, a[0].ty)),
            _ => Err(format!("{} needs an ARRAY or a MAP, not {}: {}", d.name, a[0].ty, d.syntax)),
        },
        Eval::Strict(|a| Ok(match &a[0] {
            Value::Array(v) => Value::Int(v.len() as i64),
            Value::Map(m) => Value::Int(m.len() as i64),
            _ => Value::Null,
        }))
    ),
    def!(
        "ELEMENT",
        "ELEMENT(array)",
        "the element type, nullable",
        "The only element of an array of one element; NULL for an empty array; an error for more.",
        "ELEMENT(ARRAY[5]) = 5",
        (1, 1),
        |d, a| {
            let el = element(d, &a[0], 0)?;
            let nullable = el.nullable || a[0].ty.nullable;
            Ok(el.with_nullable(nullable))
        },
        Eval::Strict(|a| match items(a, 0) {
            [] => Ok(Value::Null),
            [one] => Ok(one.clone()),
            _ => Err("the array has more than one element".into()),
        })
    ),
    def!(
        "ARRAY_APPEND",
        "ARRAY_APPEND(array, element)",
        "ARRAY of the element type",
        "The array with element added at its end.",
        "ARRAY_APPEND(ARRAY[1, 2], 3) = [1, 2, 3]",
        (2, 2),
        |d, a| {
            let el = array_and_element(d, a)?;
            let nullable = el.nullable || a[1].ty.nullable;
            Ok(array_of(el.with_nullable(nullable), any_nullable(a)))
        },
        Eval::Lenient(|a| Ok(match &a[0] {
            Value::Array(v) => Value::Array(v.iter().chain(std::iter::once(&a[1])).cloned().collect()),
            _ => Value::Null,
        }))
    ),
    def!(
        "ARRAY_PREPEND",
        "ARRAY_PREPEND(array, element)",
        "ARRAY of the element type",
        "The array with element added at its start.",
        "ARRAY_PREPEND(ARRAY[1, 2], 0) = [0, 1, 2]",
        (2, 2),
        |d, a| {
            let el = array_and_element(d, a)?;
            let nullable = el.nullable || a[1].ty.nullable;
            Ok(array_of(el.with_nullable(nullable), any_nullable(a)))
        },
        Eval::Lenient(|a| Ok(match &a[0] {
            Value::Array(v) => Value::Array(std::iter::once(&a[1]).chain(v.iter()).cloned().collect()),
            _ => Value::Null,
        }))
    ),
    def!(
        "ARRAY_CONTAINS",
        "ARRAY_CONTAINS(array, element)",
        "BOOLEAN",
        "Whether the array holds element (a NULL element finds a NULL).",
        "ARRAY_CONTAINS(ARRAY[1, 2], 2) = TRUE",
        (2, 2),
        |d, a| {
            array_and_element(d, a)?;
            Ok(SqlType::nullable(DataType::Boolean).with_nullable(a[0].ty.nullable))
        },
        Eval::Lenient(|a| Ok(match &a[0] {
            Value::Array(v) => Value::Bool(v.contains(&a[1])),
            _ => Value::Null,
        }))
    ),
    def!(
        "ARRAY_DISTINCT",
        "ARRAY_DISTINCT(array)",
        "the array's type",
        "The array without repeated elements, first occurrences kept in order.",
        "ARRAY_DISTINCT(ARRAY[1, 2, 1]) = [1, 2]",
        (1, 1),
        |d, a| {
            element(d, &a[0], 0)?;
            Ok(a[0].ty.plain())
        },
        Eval::Strict(|a| Ok(Value::Array(distinct(items(a, 0).iter()))))
    ),
    def!(
        "ARRAY_POSITION",
        "ARRAY_POSITION(array, element)",
        "INT",
        "The 1-based position of element's first occurrence; 0 when absent.",
        "ARRAY_POSITION(ARRAY[1, 2, 1], 1) = 1",
        (2, 2),
        |d, a| {
            array_and_element(d, a)?;
            Ok(SqlType::nullable(DataType::Int).with_nullable(any_nullable(a)))
        },
        Eval::Strict(|a| Ok(Value::Int(items(a, 0).iter().position(|x| *x == a[1]).map_or(0, |p| p as i64 + 1))))
    ),
    def!(
        "ARRAY_REMOVE",
        "ARRAY_REMOVE(array, element)",
        "the array's type",
        "The array without any element equal to element.",
        "ARRAY_REMOVE(ARRAY[1, 2, 1], 1) = [2]",
        (2, 2),
        |d, a| {
            array_and_element(d, a)?;
            Ok(a[0].ty.plain())
        },
        Eval::Lenient(|a| Ok(match &a[0] {
            Value::Array(v) => Value::Array(v.iter().filter(|x| **x != a[1]).cloned().collect()),
            _ => Value::Null,
        }))
    ),
    def!(
        "ARRAY_REVERSE",
        "ARRAY_REVERSE(array)",
        "the array's type",
        "The array in reverse order.",
        "ARRAY_REVERSE(ARRAY[1, 2, 3]) = [3, 2, 1]",
        (1, 1),
        |d, a| {
            element(d, &a[0], 0)?;
            Ok(a[0].ty.plain())
        },
        Eval::Strict(|a| Ok(Value::Array(items(a, 0).iter().rev().cloned().collect())))
    ),
    def!(
        "ARRAY_SLICE",
        "ARRAY_SLICE(array, start[, end])",
        "the array's type",
        "The elements from start to end (1-based, inclusive; negative counts from the end).",
        "ARRAY_SLICE(ARRAY[1, 2, 3, 4], 2, 3) = [2, 3]",
        (2, 3),
        |d, a| {
            element(d, &a[0], 0)?;
            check(d, &mut a[1..], &[Arg::Int])?;
            Ok(a[0].ty.plain().with_nullable(any_nullable(a)))
        },
        Eval::Strict(|a| Ok(slice(a)))
    ),
    def!(
        "ARRAY_SORT",
        "ARRAY_SORT(array[, ascending[, nulls_first]])",
        "the array's type",
        "The array sorted, ascending by default; NULLs first when ascending, last when descending, unless nulls_first says.",
        "ARRAY_SORT(ARRAY[3, 1, 2]) = [1, 2, 3]",
        (1, 3),
        |d, a| {
            element(d, &a[0], 0)?;
            for x in &a[1..] {
                expect_boolean(x, d.name)?;
            }
            Ok(a[0].ty.plain().with_nullable(any_nullable(a)))
        },
        Eval::Lenient(|a| Ok(if a[0].is_null() { Value::Null } else { sort(a) }))
    ),
    def!(
        "ARRAY_UNION",
        "ARRAY_UNION(array1, array2)",
        "ARRAY of the common element type",
        "The distinct elements of both arrays, in order of first occurrence.",
        "ARRAY_UNION(ARRAY[1, 2], ARRAY[2, 3]) = [1, 2, 3]",
        (2, 2),
        same_arrays,
        Eval::Strict(|a| Ok(Value::Array(distinct(items(a, 0).iter().chain(items(a, 1))))))
    ),
    def!(
        "ARRAY_CONCAT",
        "ARRAY_CONCAT(array1, ...)",
        "ARRAY of the common element type",
        "The arrays one after another.",
        "ARRAY_CONCAT(ARRAY[1], ARRAY[2, 3]) = [1, 2, 3]",
        (1, usize::MAX),
        same_arrays,
        Eval::Strict(|a| Ok(Value::Array((0..a.len()).flat_map(|i| items(a, i).iter().cloned()).collect())))
    ),
    def!(
        "ARRAY_EXCEPT",
        "ARRAY_EXCEPT(array1, array2)",
        "the first array's type",
        "The distinct elements of array1 that array2 does not hold.",
        "ARRAY_EXCEPT(ARRAY[1, 2, 2], ARRAY[2]) = [1]",
        (2, 2),
        same_arrays,
        Eval::Strict(|a| {
            let other = holder(items(a, 1));
            Ok(Value::Array(distinct(items(a, 0).iter().filter(|x| !other.contains(&identity(x))))))
        })
    ),
    def!(
        "ARRAY_INTERSECT",
        "ARRAY_INTERSECT(array1, array2)",
        "the first array's type",
        "The distinct elements of array1 that array2 holds too.",
        "ARRAY_INTERSECT(ARRAY[1, 2, 3], ARRAY[2, 3, 4]) = [2, 3]",
        (2, 2),
        same_arrays,
        Eval::Strict(|a| {
            let other = holder(items(a, 1));
            Ok(Value::Array(distinct(items(a, 0).iter().filter(|x| other.contains(&identity(x))))))
        })
    ),
    def!(
        "ARRAY_MAX",
        "ARRAY_MAX(array)",
        "the element type, nullable",
        "The largest element, NULLs left out; NULL for an empty array.",
        "ARRAY_MAX(ARRAY[3, 7, 1]) = 7",
        (1, 1),
        |d, a| Ok(element(d, &a[0], 0)?.with_nullable(true)),
        Eval::Strict(|a| Ok(extreme(a, Ordering::Greater)))
    ),
    def!(
        "ARRAY_MIN",
        "ARRAY_MIN(array)",
        "the element type, nullable",
        "The smallest element, NULLs left out; NULL for an empty array.",
        "ARRAY_MIN(ARRAY[3, 7, 1]) = 1",
        (1, 1),
        |d, a| Ok(element(d, &a[0], 0)?.with_nullable(true)),
        Eval::Strict(|a| Ok(extreme(a, Ordering::Less)))
    ),
    def!(
        "ARRAY_JOIN",
        "ARRAY_JOIN(array, delimiter[, null_replacement])",
        "STRING",
        "The array's strings joined by delimiter; NULL elements left out, or replaced by null_replacement.",
        "ARRAY_JOIN(ARRAY['a', 'b'], ',') = 'a,b'",
        (2, 3),
        |d, a| {
            let el = element(d, &a[0], 0)?;
            if !el.data_type.is_string() && el.data_type != DataType::Null {
                return Err(format!("{} needs an array of strings, not {}: {}", d.name, a[0].ty, d.syntax));
            }
            check(d, &mut a[1..], &[Arg::Str])?;
            Ok(SqlType::nullable(DataType::Varchar(STRING_LENGTH)).with_nullable(any_nullable(a)))
        },
        Eval::Strict(|a| {
            let replacement = (a.len() > 2).then(|| text(a, 2));
            let parts: Vec<&str> = items(a, 0)
                .iter()
                .filter_map(|v| match v {
                    Value::Str(s) => Some(&**s),
                    _ => replacement,
                })
                .collect();
            Ok(str_value(parts.join(text(a, 1))))
        })
    ),
    def!(
        "MAP_KEYS",
        "MAP_KEYS(map)",
        "ARRAY of the key type",
        "The map's keys.",
        "MAP_KEYS(MAP['a', 1]) = [a]",
        (1, 1),
        |d, a| Ok(array_of(map_types(d, &a[0], 0)?.0, a[0].ty.nullable)),
        Eval::Strict(|a| Ok(Value::Array(entries(a, 0).iter().map(|(k, _)| k.clone()).collect())))
    ),
    def!(
        "MAP_VALUES",
        "MAP_VALUES(map)",
        "ARRAY of the value type",
        "The map's values.",
        "MAP_VALUES(MAP['a', 1]) = [1]",
        (1, 1),
        |d, a| Ok(array_of(map_types(d, &a[0], 0)?.1, a[0].ty.nullable)),
        Eval::Strict(|a| Ok(Value::Array(entries(a, 0).iter().map(|(_, v)| v.clone()).collect())))
    ),
    def!(
        "MAP_ENTRIES",
        "MAP_ENTRIES(map)",
        "ARRAY<ROW<key, value>>",
        "The map's entries as rows of key and value.",
        "MAP_ENTRIES(MAP['a', 1]) = [(a, 1)]",
        (1, 1),
        |d, a| {
            let (k, v) = map_types(d, &a[0], 0)?;
            let row = DataType::Row(vec![Field { name: "key".into(), ty: k }, Field { name: "value".into(), ty: v }]);
            Ok(array_of(SqlType::nullable(row), a[0].ty.nullable))
        },
        Eval::Strict(|a| Ok(Value::Array(entries(a, 0).iter().map(|(k, v)| Value::Row(vec![k.clone(), v.clone()])).collect())))
    ),
    def!(
        "MAP_FROM_ARRAYS",
        "MAP_FROM_ARRAYS(keys, values)",
        "MAP<key element type, value element type>",
        "A map pairing the keys with the values; both arrays must be as long.",
        "MAP_FROM_ARRAYS(ARRAY['a'], ARRAY[1]) = {a=1}",
        (2, 2),
        |d, a| {
            let (k, v) = (element(d, &a[0], 0)?, element(d, &a[1], 1)?);
            Ok(SqlType::nullable(DataType::Map(Box::new(k), Box::new(v))).with_nullable(any_nullable(a)))
        },
        Eval::Strict(|a| {
            let (k, v) = (items(a, 0), items(a, 1));
            if k.len() != v.len() {
                return Err(format!("the key array has {} elements and the value array {}", k.len(), v.len()));
            }
            Ok(map_of(k.iter().cloned().zip(v.iter().cloned())))
        })
    ),
    def!(
        "MAP_UNION",
        "MAP_UNION(map1, ...)",
        "the maps' type",
        "The maps' entries together; a key of a later map replaces the same key's value.",
        "MAP_UNION(MAP['a', 1], MAP['a', 2]) = {a=2}",
        (1, usize::MAX),
        |d, a| {
            let first = map_types(d, &a[0], 0)?;
            for (i, x) in a.iter().enumerate().skip(1) {
                let other = map_types(d, x, i)?;
                if other.0.data_type != first.0.data_type || other.1.data_type != first.1.data_type {
                    return Err(format!("{} needs maps of one type, not {} and {}", d.name, a[0].ty, x.ty));
                }
            }
            Ok(a[0].ty.plain().with_nullable(any_nullable(a)))
        },
        Eval::Strict(|a| { Ok(map_of((0..a.len()).flat_map(|i| entries(a, i).iter().cloned()))) })
    ),
    def!(
        "SPLIT",
        "SPLIT(string, delimiter)",
        "ARRAY<STRING>",
        "string cut at each delimiter (an empty delimiter cuts between characters).",
        "SPLIT('a,b', ',') = [a, b]",
        (2, 2),
        |d, a| {
            check(d, a, &[Arg::Str, Arg::Str])?;
            Ok(array_of(SqlType::nullable(DataType::Varchar(STRING_LENGTH)), any_nullable(a)))
        },
        Eval::Strict(|a| Ok(Value::Array(split(text(a, 0), text(a, 1), false))))
    ),
    def!(
        "STR_TO_MAP",
        "STR_TO_MAP(text[, list_delimiter[, key_value_delimiter]])",
        "MAP<STRING, STRING>",
        "text split into entries at list_delimiter (default ','), each into key and value at key_value_delimiter (default '=').",
        "STR_TO_MAP('a=1,b=2') = {a=1, b=2}",
        (1, 3),
        |d, a| {
            check(d, a, &[Arg::Str])?;
            let s = SqlType::nullable(DataType::Varchar(STRING_LENGTH));
            Ok(SqlType::nullable(DataType::Map(Box::new(s.clone()), Box::new(s))))
        },
        Eval::Strict(|a| {
            let list = if a.len() > 1 { text(a, 1) } else { "," };
            let kv = if a.len() > 2 { text(a, 2) } else { "=" };
            Ok(map_of(split(text(a, 0), list, true).into_iter().map(|entry| match &entry {
                Value::Str(s) => match s.split_once(kv) {
                    Some((k, v)) => (str_value(k), str_value(v)),
                    None => (entry.clone(), Value::Null),
                },
                _ => (entry.clone(), Value::Null),
            })))
        })
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Value {
        Value::Array(v.iter().map(|i| Value::Int(*i)).collect())
    }

    #[test]
    fn slices_count_from_one_and_from_the_end() {
        let a = ints(&[1, 2, 3, 4]);
        assert_eq!(slice(&[a.clone(), Value::Int(2), Value::Int(3)]), ints(&[2, 3]));
        assert_eq!(slice(&[a.clone(), Value::Int(-2)]), ints(&[3, 4]));
        assert_eq!(slice(&[a.clone(), Value::Int(3), Value::Int(1)]), ints(&[]));
        assert_eq!(slice(&[a, Value::Int(0), Value::Int(9)]), ints(&[1, 2, 3, 4]));
    }

    #[test]
    fn sorting_places_nulls_as_asked() {
        let a = Value::Array(vec![Value::Int(3), Value::Null, Value::Int(1)]);
        assert_eq!(sort(std::slice::from_ref(&a)), Value::Array(vec![Value::Null, Value::Int(1), Value::Int(3)]));
        assert_eq!(sort(&[a, Value::Bool(false)]), Value::Array(vec![Value::Int(3), Value::Int(1), Value::Null]));
    }
}
