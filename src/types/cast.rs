//! Casting one value between SQL types, with Flink's rules for the common cases. `None` means
//! the cast fails (CAST raises an error, TRY_CAST gives NULL).

use super::{time, DataType, Value};

/// A DOUBLE as Java's `Double.toString` writes it (Flink's CAST to STRING): plain digits from
/// 0.001 up to 10^7 (`100.0`), else scientific (`1.0E10`, `1.5E-4`); the shortest digits that
/// read back as the same number.
pub fn java_double_text(d: f64) -> String {
    java_text(d.is_nan(), d.is_infinite(), d < 0.0, d == 0.0, d.abs() >= 1e-3 && d.abs() < 1e7, format!("{d}"), format!("{d:e}"))
}

/// A FLOAT as Java's `Float.toString` writes it.
pub fn java_float_text(f: f32) -> String {
    java_text(f.is_nan(), f.is_infinite(), f < 0.0, f == 0.0, f.abs() >= 1e-3 && f.abs() < 1e7, format!("{f}"), format!("{f:e}"))
}

fn java_text(nan: bool, infinite: bool, negative: bool, zero: bool, plain_range: bool, plain: String, scientific: String) -> String {
    if nan {
        return "NaN".into();
    }
    if infinite {
        return if negative { "-Infinity".into() } else { "Infinity".into() };
    }
    if zero || plain_range {
        return if plain.contains('.') { plain } else { format!("{plain}.0") };
    }
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{mantissa}E{exponent}")
}

pub fn cast_value(v: &Value, from: &DataType, to: &DataType) -> Option<Value> {
    use DataType as T;
    if v.is_null() {
        return Some(Value::Null);
    }
    if from == to {
        return Some(v.clone());
    }
    match (cast_plain(v, from, to)?, to) {
        (Value::Timestamp(ms), T::Timestamp(p) | T::TimestampLtz(p)) => Some(Value::Timestamp(time::truncate_to_precision(ms, *p))),
        (v, _) => Some(v),
    }
}

/// `cast_value` before a timestamp is cut to its precision.
fn cast_plain(v: &Value, from: &DataType, to: &DataType) -> Option<Value> {
    use DataType as T;
    Some(match (v, to) {
        (_, t) if t.is_string() => {
            let s = match (v, from) {
                (Value::Double(d), T::Float) => java_float_text(*d as f32),
                (Value::Double(d), _) => java_double_text(*d),
                // Bytes read as UTF-8 text, as Flink's CAST(bytes AS STRING).
                (Value::Bytes(b), _) => String::from_utf8_lossy(b).into_owned(),
                (Value::Timestamp(ms), _) => time::format_timestamp(*ms).replace('T', " "),
                _ => v.to_string(),
            };
            let s = match t {
                T::Char(n) | T::Varchar(n) if s.chars().count() > *n as usize => s.chars().take(*n as usize).collect(),
                _ => s,
            };
            Value::Str(s.into())
        }
        (Value::Str(s), t) if t.is_binary() => fit_bytes(s.as_bytes(), t),
        (Value::Bytes(b), t) if t.is_binary() => fit_bytes(b, t),
        (Value::Array(items), T::Array(to_elem)) => {
            let T::Array(from_elem) = from else { return None };
            Value::Array(items.iter().map(|v| cast_value(v, &from_elem.data_type, &to_elem.data_type)).collect::<Option<_>>()?)
        }
        (Value::Map(entries), T::Map(kt, vt)) => {
            let T::Map(kf, vf) = from else { return None };
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Some((cast_value(k, &kf.data_type, &kt.data_type)?, cast_value(v, &vf.data_type, &vt.data_type)?)))
                    .collect::<Option<_>>()?,
            )
        }
        (Value::Map(entries), T::Multiset(to_elem)) => {
            let T::Multiset(from_elem) = from else { return None };
            Value::Map(
                entries
                    .iter()
                    .map(|(k, n)| Some((cast_value(k, &from_elem.data_type, &to_elem.data_type)?, n.clone())))
                    .collect::<Option<_>>()?,
            )
        }
        (Value::Str(s), t) => parse_as(s.trim(), t)?,
        (Value::Int(i), t) if t.is_integer() => Value::Int(fit_integer(*i as i128, t)?),
        (Value::Int(i), T::Float | T::Double) => Value::Double(*i as f64),
        (Value::Int(i), T::Decimal { precision, scale }) => {
            Value::Decimal(fit_decimal((*i as i128).checked_mul(10i128.pow(*scale as u32))?, *precision)?, *scale)
        }
        (Value::Int(i), T::Boolean) => Value::Bool(*i != 0),
        (Value::Int(i), T::Timestamp(_) | T::TimestampLtz(_)) => Value::Timestamp(i.checked_mul(1000)?),
        (Value::Double(d), t) if t.is_integer() => {
            if !d.is_finite() {
                return None;
            }
            Value::Int(fit_integer(d.trunc() as i128, t)?)
        }
        (Value::Double(d), T::Float) => Value::Double(*d as f32 as f64),
        (Value::Double(d), T::Double) => Value::Double(*d),
        (Value::Double(d), T::Decimal { precision, scale }) => {
            let scaled = (d * 10f64.powi(*scale as i32)).round();
            if !scaled.is_finite() || scaled.abs() >= 1e38 {
                return None;
            }
            Value::Decimal(fit_decimal(scaled as i128, *precision)?, *scale)
        }
        (Value::Double(d), T::Boolean) => Value::Bool(*d != 0.0),
        (Value::Decimal(u, s), t) if t.is_integer() => Value::Int(fit_integer(u / 10i128.pow(*s as u32), t)?),
        (Value::Decimal(u, s), T::Float | T::Double) => Value::Double(*u as f64 / 10f64.powi(*s as i32)),
        (Value::Decimal(u, s), T::Decimal { precision, scale }) => {
            let rescaled = if scale >= s {
                u.checked_mul(10i128.pow((scale - s) as u32))?
            } else {
                let div = 10i128.pow((s - scale) as u32);
                // Round half up, as Flink does.
                let q = u / div;
                let r = (u % div).abs() * 2;
                q + if r >= div { u.signum() } else { 0 }
            };
            Value::Decimal(fit_decimal(rescaled, *precision)?, *scale)
        }
        (Value::Bool(b), t) if t.is_numeric() => cast_value(&Value::Int(*b as i64), &T::BigInt, t)?,
        (Value::Timestamp(ms), T::Timestamp(_) | T::TimestampLtz(_)) => Value::Timestamp(*ms),
        (Value::Timestamp(ms), T::Date) => Value::Date(ms.div_euclid(86_400_000) as i32),
        (Value::Timestamp(ms), T::Time(_)) => Value::Time(ms.rem_euclid(86_400_000) as i32),
        (Value::Date(d), T::Timestamp(_) | T::TimestampLtz(_)) => Value::Timestamp(*d as i64 * 86_400_000),
        _ => return None,
    })
}

/// The casts between binary strings and collections Flink allows (the scalar rules are the
/// binder's): bytes between binary types, and a collection to one of the same kind whose
/// elements cast. Recurses once per level of the types, which the type reader bounds.
pub fn castable(from: &DataType, to: &DataType) -> bool {
    use DataType as T;
    match (from, to) {
        _ if from == to || *from == T::Null => true,
        (f, t) if f.is_binary() && t.is_binary() => true,
        (f, t) if f.is_string() && t.is_binary() => true,
        (T::Array(a), T::Array(b)) | (T::Multiset(a), T::Multiset(b)) => element_castable(&a.data_type, &b.data_type),
        (T::Map(ka, va), T::Map(kb, vb)) => {
            element_castable(&ka.data_type, &kb.data_type) && element_castable(&va.data_type, &vb.data_type)
        }
        _ => false,
    }
}

fn element_castable(from: &DataType, to: &DataType) -> bool {
    castable(from, to)
        || (from.is_numeric() && to.is_numeric())
        || (from.is_string() && !to.is_collection() && !matches!(to, DataType::Row(_)))
        || (to.is_string() && !from.is_collection())
}

/// Bytes fitted to `BINARY(n)` (zero-padded or cut) or `VARBINARY(n)` (cut), as Flink's cast.
fn fit_bytes(bytes: &[u8], to: &DataType) -> Value {
    match *to {
        DataType::Binary(n) => {
            let mut v = bytes.to_vec();
            v.resize(n as usize, 0);
            Value::Bytes(v.into())
        }
        DataType::Varbinary(n) if bytes.len() > n as usize => Value::Bytes(bytes[..n as usize].into()),
        _ => Value::Bytes(bytes.into()),
    }
}

fn parse_as(s: &str, to: &DataType) -> Option<Value> {
    use DataType as T;
    Some(match to {
        T::Boolean => match s.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return None,
        },
        t if t.is_integer() => Value::Int(fit_integer(s.parse::<i128>().ok()?, t)?),
        T::Float | T::Double => Value::Double(s.parse().ok()?),
        // Exactly, as Flink's BigDecimal; a form with an exponent through a double.
        T::Decimal { precision, scale } => match parse_decimal(s, *precision, *scale) {
            Some(u) => Value::Decimal(u, *scale),
            None => cast_value(&Value::Double(s.parse().ok()?), &T::Double, to)?,
        },
        T::Date => Value::Date(time::parse_date(s)?),
        T::Time(_) => Value::Time(time::parse_time(s)?),
        T::Timestamp(_) | T::TimestampLtz(_) => Value::Timestamp(time::parse_timestamp(s)?),
        _ => return None,
    })
}

fn fit_integer(v: i128, to: &DataType) -> Option<i64> {
    let (lo, hi) = match to {
        DataType::TinyInt => (i8::MIN as i128, i8::MAX as i128),
        DataType::SmallInt => (i16::MIN as i128, i16::MAX as i128),
        DataType::Int => (i32::MIN as i128, i32::MAX as i128),
        _ => (i64::MIN as i128, i64::MAX as i128),
    };
    (lo..=hi).contains(&v).then_some(v as i64)
}

fn fit_decimal(unscaled: i128, precision: u8) -> Option<i128> {
    (unscaled.unsigned_abs() < 10u128.pow(precision as u32)).then_some(unscaled)
}

/// A plain decimal literal (`-12.345`, no exponent) as an unscaled value of `scale` digits,
/// rounded half up on the first dropped digit as `BigDecimal.setScale(HALF_UP)`; `None` when it
/// is not such a literal or does not fit `precision` digits.
pub fn parse_decimal(text: &str, precision: u8, scale: u8) -> Option<i128> {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut u: i128 = 0;
    for b in int.bytes() {
        u = u.checked_mul(10)?.checked_add((b - b'0') as i128)?;
    }
    let fb = frac.as_bytes();
    for i in 0..scale as usize {
        u = u.checked_mul(10)?.checked_add(fb.get(i).map_or(0, |b| (b - b'0') as i128))?;
    }
    // Round half up on the first dropped digit, as BigDecimal.setScale(HALF_UP).
    if fb.get(scale as usize).is_some_and(|&b| b >= b'5') {
        u += 1;
    }
    if u >= 10i128.checked_pow(precision as u32)? {
        return None;
    }
    Some(if neg { -u } else { u })
}

#[cfg(test)]
mod java_text_tests {
    #[test]
    fn doubles_print_as_java_prints_them() {
        for (d, text) in [
            (1.0e10, "1.0E10"),
            (100.0, "100.0"),
            (0.5, "0.5"),
            (1.5e-4, "1.5E-4"),
            (-2.5e7, "-2.5E7"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1234567.0, "1234567.0"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.001, "0.001"),
        ] {
            assert_eq!(super::java_double_text(d), text);
        }
        assert_eq!(super::java_float_text(1.0e10), "1.0E10");
    }
}
