//! PRINTF's formatter: the common part of Java's `java.util.Formatter` (Locale.US) — `%s %S
//! %d %x %X %o %f %e %E %g %b %B %c %n %%` with the `-`, `0`, `+`, ` `, `,` flags, width,
//! precision and `n$` argument indexes. A format Java would refuse gives `None` (Flink: NULL).

use crate::types::Value;

pub fn format(format: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next_arg = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // %[index$][flags][width][.precision]conversion
        let mut spec = String::new();
        let conversion = loop {
            let c = chars.next()?;
            if c.is_ascii_alphabetic() || c == '%' {
                break c;
            }
            spec.push(c);
        };
        let (index, spec) = match spec.split_once('$') {
            Some((i, rest)) => (Some(i.parse::<usize>().ok()?.checked_sub(1)?), rest.to_string()),
            None => (None, spec),
        };
        let flags: String = spec.chars().take_while(|c| "-#+ 0,(".contains(*c)).collect();
        let rest = &spec[flags.len()..];
        let (width, precision) = match rest.split_once('.') {
            Some((w, p)) => (w, Some(p.parse::<usize>().ok()?)),
            None => (rest, None),
        };
        let width: usize = if width.is_empty() { 0 } else { width.parse().ok()? };
        let text = match conversion {
            '%' => "%".to_string(),
            'n' => "\n".to_string(),
            _ => {
                let i = index.unwrap_or_else(|| {
                    next_arg += 1;
                    next_arg - 1
                });
                convert(conversion, args.get(i)?, &flags, precision)?
            }
        };
        let pad = width.saturating_sub(text.chars().count());
        if flags.contains('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else if flags.contains('0') && !matches!(conversion, 's' | 'S' | 'b' | 'B' | 'c' | 'C') {
            let (sign, digits) = if text.starts_with(['-', '+', ' ']) { text.split_at(1) } else { ("", text.as_str()) };
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', pad));
            out.push_str(digits);
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&text);
        }
    }
    Some(out)
}

fn convert(conversion: char, v: &Value, flags: &str, precision: Option<usize>) -> Option<String> {
    let text = match conversion {
        's' | 'S' => {
            let s = if v.is_null() { "null".to_string() } else { v.to_string() };
            let s = match precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            };
            if conversion == 'S' {
                s.to_uppercase()
            } else {
                s
            }
        }
        'b' | 'B' => {
            let b = !matches!(v, Value::Null | Value::Bool(false));
            let s = b.to_string();
            if conversion == 'B' {
                s.to_uppercase()
            } else {
                s
            }
        }
        _ if v.is_null() => "null".to_string(),
        'd' => {
            let Value::Int(n) = v else { return None };
            let mut s = if flags.contains(',') { group(&n.unsigned_abs().to_string()) } else { n.unsigned_abs().to_string() };
            s.insert_str(0, sign(*n < 0, flags));
            s
        }
        'x' | 'X' | 'o' => {
            let Value::Int(n) = v else { return None };
            let s = match conversion {
                'o' => format!("{n:o}"),
                'x' => format!("{n:x}"),
                _ => format!("{n:X}"),
            };
            s
        }
        'f' | 'e' | 'E' | 'g' | 'G' => {
            // Flink hands DECIMAL arguments over as its internal `DecimalData`, which Java's
            // Formatter refuses for %f and %e: the result is NULL.
            let Value::Double(x) = *v else { return None };
            if !x.is_finite() {
                return Some(if x.is_nan() {
                    "NaN".into()
                } else if x > 0.0 {
                    "Infinity".into()
                } else {
                    "-Infinity".into()
                });
            }
            let p = precision.unwrap_or(6);
            let body = match conversion {
                'f' => {
                    let s = format!("{:.p$}", x.abs());
                    if flags.contains(',') {
                        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
                        if frac.is_empty() {
                            group(int)
                        } else {
                            format!("{}.{frac}", group(int))
                        }
                    } else {
                        s
                    }
                }
                'e' | 'E' => {
                    let s = java_exponent(format!("{:.p$e}", x.abs()));
                    if conversion == 'E' {
                        s.to_uppercase()
                    } else {
                        s
                    }
                }
                _ => return None,
            };
            format!("{}{body}", sign(x < 0.0, flags))
        }
        'c' | 'C' => {
            let Value::Int(n) = v else { return None };
            let c = char::from_u32(u32::try_from(*n).ok()?)?;
            if conversion == 'C' {
                c.to_uppercase().collect()
            } else {
                c.to_string()
            }
        }
        _ => return None,
    };
    Some(text)
}

fn sign(negative: bool, flags: &str) -> &'static str {
    if negative {
        "-"
    } else if flags.contains('+') {
        "+"
    } else if flags.contains(' ') {
        " "
    } else {
        ""
    }
}

/// `1234567` → `1,234,567`.
fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Rust's `1.5e2` → Java's `1.5e+02`.
fn java_exponent(s: String) -> String {
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = if let Some(d) = e.strip_prefix('-') { ('-', d) } else { ('+', e) };
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_javas_formatter() {
        let f = |fmt: &str, args: &[Value]| format(fmt, args);
        assert_eq!(f("%s has %d rows", &[Value::Str("t".into()), Value::Int(3)]).as_deref(), Some("t has 3 rows"));
        assert_eq!(f("%5.2f|%-4d|%04d", &[Value::Double(1.23456), Value::Int(7), Value::Int(-7)]).as_deref(), Some(" 1.23|7   |-007"));
        assert_eq!(f("%e", &[Value::Double(1234.5)]).as_deref(), Some("1.234500e+03"));
        assert_eq!(f("%s", &[Value::Null]).as_deref(), Some("null"));
        assert_eq!(f("%d", &[Value::Str("x".into())]), None);
        assert_eq!(f("%", &[]), None);
    }
}
