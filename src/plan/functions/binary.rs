//! Functions of binary strings (Flink's reference: UNHEX, ENCODE, DECODE): text to bytes and
//! back. Bytes are `BYTES`/`VARBINARY` values ([`Value::Bytes`]); CAST between them and strings
//! is the binder's. Charsets are the ones every Java runtime has (`StandardCharsets`).

use super::typing::{any_nullable, check, str_value, text, Arg};
use super::{Eval, Family, FunctionDef};
use crate::types::{DataType, SqlType, Value, STRING_LENGTH};

const B: Family = Family::Binary;

fn bytes_type(nullable: bool) -> SqlType {
    SqlType::nullable(DataType::Varbinary(STRING_LENGTH)).with_nullable(nullable)
}

fn bytes(a: &[Value], i: usize) -> &[u8] {
    match a.get(i) {
        Some(Value::Bytes(b)) => b,
        _ => &[],
    }
}

/// `charset` as Java names it (any case, `UTF8` for `UTF-8`).
fn charset(name: &str) -> Result<&'static str, String> {
    Ok(match name.to_ascii_uppercase().replace('_', "-").as_str() {
        "UTF-8" | "UTF8" => "UTF-8",
        "US-ASCII" | "ASCII" => "US-ASCII",
        "ISO-8859-1" | "LATIN1" | "ISO8859-1" => "ISO-8859-1",
        "UTF-16BE" => "UTF-16BE",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16" => "UTF-16",
        other => return Err(format!("unsupported charset {other}: use UTF-8, US-ASCII, ISO-8859-1, UTF-16BE, UTF-16LE or UTF-16")),
    })
}

/// Java's `String.getBytes(charset)`: an unmappable character becomes `?`.
fn encode(s: &str, charset: &str) -> Vec<u8> {
    match charset {
        "US-ASCII" => s.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }).collect(),
        "ISO-8859-1" => s.chars().map(|c| if (c as u32) < 256 { c as u32 as u8 } else { b'?' }).collect(),
        "UTF-16BE" | "UTF-16" => {
            let mut out = if charset == "UTF-16" { vec![0xFE, 0xFF] } else { Vec::new() };
            s.encode_utf16().for_each(|u| out.extend_from_slice(&u.to_be_bytes()));
            out
        }
        "UTF-16LE" => s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
        _ => s.as_bytes().to_vec(),
    }
}

/// Java's `new String(bytes, charset)`: a malformed sequence becomes U+FFFD.
fn decode(b: &[u8], charset: &str) -> String {
    match charset {
        "US-ASCII" => b.iter().map(|&c| if c.is_ascii() { c as char } else { '\u{FFFD}' }).collect(),
        "ISO-8859-1" => b.iter().map(|&c| c as char).collect(),
        "UTF-16BE" | "UTF-16LE" | "UTF-16" => {
            let (little, body) = match (charset, b) {
                ("UTF-16", [0xFF, 0xFE, rest @ ..]) => (true, rest),
                ("UTF-16", [0xFE, 0xFF, rest @ ..]) => (false, rest),
                ("UTF-16LE", _) => (true, b),
                _ => (false, b),
            };
            let units = body.chunks(2).map(|c| match c {
                [x, y] if little => u16::from_le_bytes([*x, *y]),
                [x, y] => u16::from_be_bytes([*x, *y]),
                _ => 0xFFFD,
            });
            char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect()
        }
        _ => String::from_utf8_lossy(b).into_owned(),
    }
}

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "UNHEX",
        aliases: &[],
        family: B,
        syntax: "UNHEX(string)",
        returns: "BYTES",
        description: "The bytes whose hexadecimal digits string holds (with an odd count, the first digit gives a zero byte, as in Flink); NULL when string is not hexadecimal.",
        example: "UNHEX('6869') = x'6869'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str])?;
            Ok(bytes_type(true))
        },
        eval: Eval::Strict(|a| {
            let digits: Vec<u32> = match text(a, 0).chars().map(|c| c.to_digit(16)).collect::<Option<_>>() {
                Some(d) => d,
                None => return Ok(Value::Null),
            };
            // Flink's `unhex` fills pairs from the end and leaves a lone first digit's byte 0.
            let odd = digits.len() % 2;
            let mut out = vec![0u8; odd];
            out.extend(digits[odd..].chunks(2).map(|p| (p[0] * 16 + p[1]) as u8));
            Ok(Value::Bytes(out.into()))
        }),
    },
    FunctionDef {
        name: "ENCODE",
        aliases: &[],
        family: B,
        syntax: "ENCODE(string, charset)",
        returns: "BYTES",
        description: "string's characters as bytes in charset ('UTF-8', 'US-ASCII', 'ISO-8859-1', 'UTF-16BE', 'UTF-16LE', 'UTF-16').",
        example: "ENCODE('hi', 'UTF-8') = x'6869'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str, Arg::Str])?;
            Ok(bytes_type(any_nullable(a)))
        },
        eval: Eval::Strict(|a| Ok(Value::Bytes(encode(text(a, 0), charset(text(a, 1))?).into()))),
    },
    FunctionDef {
        name: "DECODE",
        aliases: &[],
        family: B,
        syntax: "DECODE(binary, charset)",
        returns: "STRING",
        description: "The text binary holds in charset (the charsets of ENCODE).",
        example: "DECODE(UNHEX('6869'), 'UTF-8') = 'hi'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            if !a[0].ty.data_type.is_binary() && a[0].ty.data_type != DataType::Null {
                return Err(format!("{} needs BYTES as argument 1, not {}: {}", d.name, a[0].ty, d.syntax));
            }
            check(d, &mut a[1..], &[Arg::Str])?;
            Ok(SqlType::nullable(DataType::Varchar(STRING_LENGTH)).with_nullable(any_nullable(a)))
        },
        eval: Eval::Strict(|a| Ok(str_value(decode(bytes(a, 0), charset(text(a, 1))?)))),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_round_trip_as_java_does() {
        for cs in ["UTF-8", "ISO-8859-1", "UTF-16BE", "UTF-16LE", "UTF-16"] {
            assert_eq!(decode(&encode("héllo", cs), cs), "héllo", "{cs}");
        }
        assert_eq!(encode("é", "US-ASCII"), b"?");
    }
}
