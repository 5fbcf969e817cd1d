//! String functions (Flink's reference, "string"). Positions and lengths count characters and
//! start at 1, as in Flink; each entry's evaluator follows Flink's `SqlFunctionUtils` /
//! `BinaryStringDataUtil` for the edge cases (negative lengths, empty pads, missing parts).

use base64::Engine as _;

use super::typing::{check, int, returns, returns_nullable, str_value, string, text, unify, Arg};
use super::{Eval, Family, FunctionDef, Kernel};
use crate::types::{DataType, SqlType, Value, STRING_LENGTH};

const S: Family = Family::String;
const STRING: DataType = DataType::Varchar(STRING_LENGTH);

/// Strings in, a STRING out, NULL when any argument is.
fn strings_to_string(d: &FunctionDef, a: &mut [super::Expr]) -> Result<SqlType, String> {
    returns(d, a, &[Arg::Str], STRING)
}

/// The first argument's own type (CHAR(n) stays CHAR(n)): UPPER, LOWER, INITCAP.
fn first_arg_type(d: &FunctionDef, a: &mut [super::Expr]) -> Result<SqlType, String> {
    check(d, a, &[Arg::Str])?;
    let nullable = a.iter().any(|x| x.ty.nullable);
    Ok(match &a[0].ty.data_type {
        DataType::Null => string(true),
        t => SqlType::nullable(t.clone()).with_nullable(nullable),
    })
}

/// `VARCHAR(n)` of the first argument's length n: TRIM and its sides.
fn varchar_of_first(d: &FunctionDef, a: &mut [super::Expr]) -> Result<SqlType, String> {
    check(d, a, &[Arg::Str, Arg::Str, Arg::Int, Arg::Int])?;
    let nullable = a.iter().any(|x| x.ty.nullable);
    Ok(SqlType::nullable(varchar_like(&a[0].ty.data_type)).with_nullable(nullable))
}

/// `VARCHAR(n)` of the first argument's length, always nullable: SUBSTRING, LEFT, RIGHT.
fn nullable_varchar_of_first(d: &FunctionDef, a: &mut [super::Expr]) -> Result<SqlType, String> {
    check(d, a, &[Arg::Str, Arg::Int, Arg::Int])?;
    Ok(SqlType::nullable(varchar_like(&a[0].ty.data_type)))
}

fn varchar_like(t: &DataType) -> DataType {
    match t {
        DataType::Char(n) | DataType::Varchar(n) => DataType::Varchar(*n),
        _ => STRING,
    }
}

/// The most characters REPEAT, LPAD and RPAD build: beyond it a query fails rather than
/// exhausting memory.
const MAX_BUILT: usize = 1 << 24;

fn too_long(name: &str, n: usize) -> Result<(), String> {
    if n > MAX_BUILT {
        return Err(format!("{name} would build a string of {n} characters; the limit is {MAX_BUILT}"));
    }
    Ok(())
}

fn trim(a: &[Value], leading: bool, trailing: bool) -> Value {
    let set = if a.len() > 1 { text(a, 1) } else { " " };
    let s = text(a, 0);
    let strip = |c: char| set.contains(c);
    let s = if leading { s.trim_start_matches(strip) } else { s };
    let s = if trailing { s.trim_end_matches(strip) } else { s };
    str_value(s)
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// `haystack`'s first occurrence of `needle` at or after character `from` (0-based), as a
/// 1-based position; 0 when absent.
fn position_from(needle: &str, haystack: &str, from: usize) -> i64 {
    let start = haystack.char_indices().nth(from).map(|(b, _)| b);
    let Some(start) = start.or((from == haystack.chars().count()).then_some(haystack.len())) else { return 0 };
    haystack[start..].find(needle).map_or(0, |b| (from + haystack[start..start + b].chars().count()) as i64 + 1)
}

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "UPPER",
        aliases: &[],
        family: S,
        syntax: "UPPER(string)",
        returns: "STRING",
        description: "string in upper case.",
        example: "UPPER('ok') = 'OK'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: first_arg_type,
        eval: Eval::Strict(|a| Ok(str_value(text(a, 0).to_uppercase()))),
    },
    FunctionDef {
        name: "LOWER",
        aliases: &[],
        family: S,
        syntax: "LOWER(string)",
        returns: "STRING",
        description: "string in lower case.",
        example: "LOWER('OK') = 'ok'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: first_arg_type,
        eval: Eval::Strict(|a| Ok(str_value(text(a, 0).to_lowercase()))),
    },
    FunctionDef {
        name: "CHAR_LENGTH",
        aliases: &["CHARACTER_LENGTH"],
        family: S,
        syntax: "CHAR_LENGTH(string)",
        returns: "INT",
        description: "The number of characters in string.",
        example: "CHAR_LENGTH('Flink') = 5",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Int),
        eval: Eval::Strict(|a| Ok(Value::Int(text(a, 0).chars().count() as i64))),
    },
    FunctionDef {
        name: "TRIM",
        aliases: &[],
        family: S,
        syntax: "TRIM([BOTH | LEADING | TRAILING] [chars FROM] string)",
        returns: "STRING",
        description: "string without the given characters (spaces by default) at both ends.",
        example: "TRIM(BOTH 'x' FROM 'xxhixx') = 'hi'",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: varchar_of_first,
        eval: Eval::Strict(|a| Ok(trim(a, true, true))),
    },
    FunctionDef {
        name: "BTRIM",
        aliases: &[],
        family: S,
        syntax: "BTRIM(string[, chars])",
        returns: "STRING",
        description: "string without the given characters (spaces by default) at both ends.",
        example: "BTRIM('xyhixy', 'xy') = 'hi'",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| Ok(trim(a, true, true))),
    },
    FunctionDef {
        name: "LTRIM",
        aliases: &[],
        family: S,
        syntax: "LTRIM(string[, chars])",
        returns: "STRING",
        description: "string without the given characters (spaces by default) at its start.",
        example: "LTRIM('  hi') = 'hi'",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: varchar_of_first,
        eval: Eval::Strict(|a| Ok(trim(a, true, false))),
    },
    FunctionDef {
        name: "RTRIM",
        aliases: &[],
        family: S,
        syntax: "RTRIM(string[, chars])",
        returns: "STRING",
        description: "string without the given characters (spaces by default) at its end.",
        example: "RTRIM('hi  ') = 'hi'",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: varchar_of_first,
        eval: Eval::Strict(|a| Ok(trim(a, false, true))),
    },
    FunctionDef {
        name: "CONCAT",
        aliases: &[],
        family: S,
        syntax: "CONCAT(string1, string2, ...)",
        returns: "STRING",
        description: "The strings joined; NULL if any is NULL.",
        example: "CONCAT('AA', 'BB', 'CC') = 'AABBCC'",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| Ok(str_value(a.iter().map(|v| v.to_string()).collect::<String>()))),
    },
    FunctionDef {
        name: "CONCAT_WS",
        aliases: &[],
        family: S,
        syntax: "CONCAT_WS(separator, string1, string2, ...)",
        returns: "STRING",
        description: "The non-NULL strings joined by separator; NULL if separator is NULL.",
        example: "CONCAT_WS('~', 'AA', NULL, 'BB') = 'AA~BB'",
        arity: (2, usize::MAX),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Lenient(|a| {
            let Value::Str(sep) = &a[0] else { return Ok(Value::Null) };
            let parts: Vec<String> = a[1..].iter().filter(|v| !v.is_null()).map(|v| v.to_string()).collect();
            Ok(str_value(parts.join(sep)))
        }),
    },
    FunctionDef {
        name: "REPLACE",
        aliases: &[],
        family: S,
        syntax: "REPLACE(string, search, replacement)",
        returns: "STRING",
        description: "string with every (non-overlapping) occurrence of search replaced.",
        example: "REPLACE('hello world', 'world', 'flink') = 'hello flink'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| {
            // An empty search inserts the replacement between characters, as Java's does.
            Ok(str_value(text(a, 0).replace(text(a, 1), text(a, 2))))
        }),
    },
    FunctionDef {
        name: "SUBSTRING",
        aliases: &["SUBSTR"],
        family: S,
        syntax: "SUBSTRING(string FROM start [FOR length]) | SUBSTR(string, start[, length])",
        returns: "STRING",
        description: "The characters of string from position start (1-based), length of them or to the end.",
        example: "SUBSTRING('Flink SQL' FROM 7) = 'SQL'",
        arity: (2, 3),
        deterministic: true,
        listed: true,
        typing: nullable_varchar_of_first,
        eval: Eval::Strict(|a| {
            let cs = chars(text(a, 0));
            let (start, len) = (int(a, 1), if a.len() > 2 { int(a, 2) } else { i64::MAX / 2 });
            if len < 0 {
                return Err("the length must not be negative".into());
            }
            let n = cs.len() as i64;
            // A negative start counts from the end; 0 is 1.
            // (Flink's `substringSQL`: a negative start reaching before the string gives ''.)
            let from = if start > 0 { start - 1 } else if start < 0 { n + start } else { 0 };
            if from < 0 {
                return Ok(str_value(""));
            }
            let to = from.saturating_add(len).min(n);
            Ok(str_value(if from >= n || to <= from { String::new() } else { cs[from as usize..to as usize].iter().collect() }))
        }),
    },
    FunctionDef {
        name: "POSITION",
        aliases: &[],
        family: S,
        syntax: "POSITION(search IN string)",
        returns: "INT",
        description: "The position (from 1) of search's first occurrence in string; 0 if absent.",
        example: "POSITION('SQL' IN 'Flink SQL') = 7",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Int),
        eval: Eval::Strict(|a| Ok(Value::Int(position_from(text(a, 0), text(a, 1), 0)))),
    },
    FunctionDef {
        name: "LOCATE",
        aliases: &[],
        family: S,
        syntax: "LOCATE(search, string[, start])",
        returns: "INT",
        description: "The position of search's first occurrence in string at or after start; 0 if absent.",
        example: "LOCATE('a', 'banana', 3) = 4",
        arity: (2, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str, Arg::Str, Arg::Int], DataType::Int),
        eval: Eval::Strict(|a| {
            // A start below 1 searches from the beginning (Java's `indexOf`).
            let from = if a.len() > 2 { int(a, 2) } else { 1 };
            Ok(Value::Int(position_from(text(a, 0), text(a, 1), (from - 1).max(0) as usize)))
        }),
    },
    FunctionDef {
        name: "INSTR",
        aliases: &[],
        family: S,
        syntax: "INSTR(string, search)",
        returns: "INT",
        description: "The position of search's first occurrence in string; 0 if absent.",
        example: "INSTR('banana', 'na') = 3",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Int),
        eval: Eval::Strict(|a| Ok(Value::Int(position_from(text(a, 1), text(a, 0), 0)))),
    },
    FunctionDef {
        name: "LPAD",
        aliases: &[],
        family: S,
        syntax: "LPAD(string, length, pad)",
        returns: "STRING",
        description: "string left-padded with pad to length characters, or cut to length; a negative length or an empty pad fails the query.",
        example: "LPAD('hi', 4, '??') = '??hi'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str, Arg::Int, Arg::Str], STRING),
        eval: Eval::Strict(|a| pad(a, true)),
    },
    FunctionDef {
        name: "RPAD",
        aliases: &[],
        family: S,
        syntax: "RPAD(string, length, pad)",
        returns: "STRING",
        description: "string right-padded with pad to length characters, or cut to length; a negative length or an empty pad fails the query.",
        example: "RPAD('hi', 4, '??') = 'hi??'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str, Arg::Int, Arg::Str], STRING),
        eval: Eval::Strict(|a| pad(a, false)),
    },
    FunctionDef {
        name: "REPEAT",
        aliases: &[],
        family: S,
        syntax: "REPEAT(string, times)",
        returns: "STRING",
        description: "string repeated times times; empty for times below 1.",
        example: "REPEAT('ab', 3) = 'ababab'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str, Arg::Int], STRING),
        eval: Eval::Strict(|a| {
            let (s, n) = (text(a, 0), int(a, 1).max(0) as usize);
            too_long("REPEAT", s.chars().count().saturating_mul(n))?;
            Ok(str_value(s.repeat(n)))
        }),
    },
    FunctionDef {
        name: "OVERLAY",
        aliases: &[],
        family: S,
        syntax: "OVERLAY(string PLACING replacement FROM start [FOR length])",
        returns: "STRING",
        description: "string with length characters (replacement's length by default) from start replaced by replacement.",
        example: "OVERLAY('xxxxxtest' PLACING 'xxxx' FROM 6) = 'xxxxxxxxx'",
        arity: (3, 4),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str, Arg::Str, Arg::Int, Arg::Int])?;
            let len = |t: &DataType| match t {
                DataType::Char(n) | DataType::Varchar(n) => *n,
                _ => STRING_LENGTH,
            };
            let n = len(&a[0].ty.data_type).saturating_add(len(&a[1].ty.data_type)).min(STRING_LENGTH);
            Ok(SqlType::nullable(DataType::Varchar(n)).with_nullable(a.iter().any(|x| x.ty.nullable)))
        },
        // Flink's `SqlFunctionUtils.overlay`: a start outside the string leaves it as it is, and
        // the text after the replaced part is kept only for a positive length that ends inside
        // the string (`FOR 0` drops it, unlike the SQL standard).
        eval: Eval::Strict(|a| {
            let (s, r) = (chars(text(a, 0)), text(a, 1));
            let start = int(a, 2);
            if start <= 0 || start > s.len() as i64 {
                return Ok(a[0].clone());
            }
            let len = if a.len() > 3 { int(a, 3) as i32 as i64 } else { r.chars().count() as i64 };
            let mut out: String = s[..start as usize - 1].iter().collect();
            out.push_str(r);
            if len > 0 && start + len <= s.len() as i64 {
                out.extend(&s[(start - 1 + len) as usize..]);
            }
            Ok(str_value(out))
        }),
    },
    FunctionDef {
        name: "INITCAP",
        aliases: &[],
        family: S,
        syntax: "INITCAP(string)",
        returns: "STRING",
        description: "string with each word's first letter in upper case and the rest in lower case.",
        example: "INITCAP('hello FLINK') = 'Hello Flink'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: first_arg_type,
        eval: Eval::Strict(|a| {
            // Calcite's `initcap`: words are runs of ASCII letters and digits; anything else
            // (non-ASCII letters included) separates them and is kept as it is.
            let mut start = true;
            let out: String = text(a, 0)
                .chars()
                .map(|c| {
                    let word = c.is_ascii_alphanumeric();
                    let mapped = if !word {
                        c
                    } else if start {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    };
                    start = !word;
                    mapped
                })
                .collect();
            Ok(str_value(out))
        }),
    },
    FunctionDef {
        name: "LEFT",
        aliases: &[],
        family: S,
        syntax: "LEFT(string, length)",
        returns: "STRING",
        description: "The first length characters of string; empty for a negative length.",
        example: "LEFT('Flink', 3) = 'Fli'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: nullable_varchar_of_first,
        eval: Eval::Strict(|a| Ok(str_value(text(a, 0).chars().take(int(a, 1).max(0) as usize).collect::<String>()))),
    },
    FunctionDef {
        name: "RIGHT",
        aliases: &[],
        family: S,
        syntax: "RIGHT(string, length)",
        returns: "STRING",
        description: "The last length characters of string; empty for a negative length.",
        example: "RIGHT('Flink', 3) = 'ink'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: nullable_varchar_of_first,
        eval: Eval::Strict(|a| {
            let cs = chars(text(a, 0));
            let n = (int(a, 1).max(0) as usize).min(cs.len());
            Ok(str_value(cs[cs.len() - n..].iter().collect::<String>()))
        }),
    },
    FunctionDef {
        name: "REVERSE",
        aliases: &[],
        family: S,
        syntax: "REVERSE(string)",
        returns: "STRING",
        description: "string's characters in reverse order.",
        example: "REVERSE('abc') = 'cba'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Str], STRING),
        eval: Eval::Strict(|a| Ok(str_value(text(a, 0).chars().rev().collect::<String>()))),
    },
    FunctionDef {
        name: "SPLIT_INDEX",
        aliases: &[],
        family: S,
        syntax: "SPLIT_INDEX(string, separator, index)",
        returns: "STRING",
        description: "The index-th (from 0) piece of string split at separator; NULL if there is none.",
        example: "SPLIT_INDEX('a,b,c', ',', 1) = 'b'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Str, Arg::Str, Arg::Int], STRING),
        eval: Eval::Strict(|a| {
            let (s, sep, i) = (text(a, 0), text(a, 1), int(a, 2));
            if i < 0 || s.is_empty() {
                return Ok(Value::Null);
            }
            let piece = if sep.is_empty() { s.split_whitespace().nth(i as usize) } else { s.split(sep).nth(i as usize) };
            Ok(piece.map_or(Value::Null, str_value))
        }),
    },
    FunctionDef {
        name: "PARSE_URL",
        aliases: &[],
        family: S,
        syntax: "PARSE_URL(url, part[, key])",
        returns: "STRING",
        description: "A part of url: HOST, PATH, QUERY (or one key of it), REF, PROTOCOL, AUTHORITY, FILE or USERINFO; NULL if absent.",
        example: "PARSE_URL('http://x.org/p?k=v', 'QUERY', 'k') = 'v'",
        arity: (2, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Str], STRING),
        eval: Eval::Strict(|a| Ok(parse_url(text(a, 0), text(a, 1), (a.len() > 2).then(|| text(a, 2))).map_or(Value::Null, str_value))),
    },
    FunctionDef {
        name: "TO_BASE64",
        aliases: &[],
        family: S,
        syntax: "TO_BASE64(string) | TO_BASE64(binary)",
        returns: "STRING",
        description: "string's UTF-8 bytes in base64.",
        example: "TO_BASE64('hello world') = 'aGVsbG8gd29ybGQ='",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        // Of a string's UTF-8 bytes or of BYTES.
        typing: |d, a| {
            if a[0].ty.data_type.is_binary() {
                return Ok(string(a[0].ty.nullable));
            }
            strings_to_string(d, a)
        },
        eval: Eval::Strict(|a| {
            let bytes = match &a[0] {
                Value::Bytes(b) => b,
                _ => text(a, 0).as_bytes(),
            };
            Ok(str_value(base64::engine::general_purpose::STANDARD.encode(bytes)))
        }),
    },
    FunctionDef {
        name: "FROM_BASE64",
        aliases: &[],
        family: S,
        syntax: "FROM_BASE64(string)",
        returns: "STRING",
        description: "The text whose UTF-8 bytes string holds in base64.",
        example: "FROM_BASE64('aGVsbG8gd29ybGQ=') = 'hello world'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| {
            // Java's MIME decoder: characters outside the alphabet are skipped.
            let clean: String = text(a, 0).chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/')).collect();
            let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(clean.as_bytes())
                .map_err(|e| format!("'{}' is not base64: {e}", text(a, 0)))?;
            Ok(str_value(String::from_utf8_lossy(&bytes).into_owned()))
        }),
    },
    FunctionDef {
        name: "ASCII",
        aliases: &[],
        family: S,
        syntax: "ASCII(string)",
        returns: "INT",
        description: "The numeric value of string's first character; 0 for an empty string.",
        example: "ASCII('abc') = 97",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Int),
        eval: Eval::Strict(|a| Ok(Value::Int(text(a, 0).encode_utf16().next().map_or(0, |c| c as i64)))),
    },
    FunctionDef {
        name: "CHR",
        aliases: &[],
        family: S,
        syntax: "CHR(integer)",
        returns: "STRING",
        description: "The character whose code is integer modulo 256; empty for a negative integer.",
        example: "CHR(97) = 'a'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Int], STRING),
        eval: Eval::Strict(|a| {
            let n = int(a, 0);
            Ok(str_value(if n < 0 { String::new() } else { char::from((n % 256) as u8).to_string() }))
        }),
    },
    FunctionDef {
        name: "STARTSWITH",
        aliases: &[],
        family: S,
        syntax: "STARTSWITH(string, prefix)",
        returns: "BOOLEAN",
        description: "Whether string starts with prefix (TRUE for an empty prefix).",
        example: "STARTSWITH('Flink', 'Fl') = TRUE",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Boolean),
        eval: Eval::Strict(|a| Ok(Value::Bool(text(a, 0).starts_with(text(a, 1))))),
    },
    FunctionDef {
        name: "ENDSWITH",
        aliases: &[],
        family: S,
        syntax: "ENDSWITH(string, suffix)",
        returns: "BOOLEAN",
        description: "Whether string ends with suffix (TRUE for an empty suffix).",
        example: "ENDSWITH('Flink', 'nk') = TRUE",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Boolean),
        eval: Eval::Strict(|a| Ok(Value::Bool(text(a, 0).ends_with(text(a, 1))))),
    },
    FunctionDef {
        name: "TRANSLATE",
        aliases: &[],
        family: S,
        syntax: "TRANSLATE(string, from, to)",
        returns: "STRING",
        description: "string with each character of from replaced by the one at the same place in to, or removed when to is shorter.",
        example: "TRANSLATE('hello', 'el', 'ip') = 'hippo'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| {
            let (from, to) = (chars(text(a, 1)), chars(text(a, 2)));
            let out: String = text(a, 0)
                .chars()
                .filter_map(|c| match from.iter().position(|f| *f == c) {
                    Some(i) => to.get(i).copied(),
                    None => Some(c),
                })
                .collect();
            Ok(str_value(out))
        }),
    },
    FunctionDef {
        name: "URL_ENCODE",
        aliases: &[],
        family: S,
        syntax: "URL_ENCODE(string)",
        returns: "STRING",
        description: "string in application/x-www-form-urlencoded form (UTF-8).",
        example: "URL_ENCODE('a b&c') = 'a+b%26c'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Str], STRING),
        eval: Eval::Strict(|a| {
            let mut out = String::new();
            for b in text(a, 0).bytes() {
                match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => out.push(b as char),
                    b' ' => out.push('+'),
                    _ => out.push_str(&format!("%{b:02X}")),
                }
            }
            Ok(str_value(out))
        }),
    },
    FunctionDef {
        name: "URL_DECODE",
        aliases: &[],
        family: S,
        syntax: "URL_DECODE(string)",
        returns: "STRING",
        description: "string decoded from application/x-www-form-urlencoded form; NULL for a bad escape.",
        example: "URL_DECODE('a+b%26c') = 'a b&c'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Str], STRING),
        eval: Eval::Strict(|a| Ok(url_decode(text(a, 0)).map_or(Value::Null, str_value))),
    },
    FunctionDef {
        name: "ELT",
        aliases: &[],
        family: S,
        syntax: "ELT(index, expr1, expr2, ...)",
        returns: "the common type of the expressions",
        description: "The index-th expression (from 1); NULL if index is NULL or out of range.",
        example: "ELT(2, 'a', 'b', 'c') = 'b'",
        arity: (2, usize::MAX),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Int, Arg::Str])?;
            let ty = unify(&mut a[1..])?;
            Ok(ty.with_nullable(true))
        },
        eval: Eval::Lenient(|a| {
            let Value::Int(i) = a[0] else { return Ok(Value::Null) };
            Ok(if i >= 1 && (i as usize) < a.len() { a[i as usize].clone() } else { Value::Null })
        }),
    },
    FunctionDef {
        name: "PRINTF",
        aliases: &[],
        family: S,
        syntax: "PRINTF(format, arg1, ...)",
        returns: "STRING",
        description: "format with its %s, %d, %f, %x, %e, %b, %c and %% conversions filled in, as Java's Formatter does; NULL arguments print as null; NULL for an invalid format.",
        example: "PRINTF('%s has %d rows', 't', 3) = 't has 3 rows'",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str, Arg::Any])?;
            // NULL for a format Java refuses.
            Ok(string(true))
        },
        eval: Eval::Lenient(|a| {
            let Value::Str(format) = &a[0] else { return Ok(Value::Null) };
            Ok(super::printf::format(format, &a[1..]).map_or(Value::Null, str_value))
        }),
    },
    FunctionDef {
        name: "JSON_QUOTE",
        aliases: &[],
        family: S,
        syntax: "JSON_QUOTE(string)",
        returns: "STRING",
        description: "string as a JSON string literal: in double quotes, with special characters escaped.",
        example: "JSON_QUOTE('a\"b') = '\"a\\\"b\"'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| Ok(str_value(json_quote(text(a, 0))))),
    },
    FunctionDef {
        name: "JSON_UNQUOTE",
        aliases: &[],
        family: S,
        syntax: "JSON_UNQUOTE(string)",
        returns: "STRING",
        description: "A JSON string literal's text, unescaped; any other string unchanged.",
        example: "JSON_UNQUOTE('\"a\\\\nb\"') = 'a' || CHR(10) || 'b'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: strings_to_string,
        eval: Eval::Strict(|a| {
            let s = text(a, 0);
            let unquoted = (s.len() >= 2 && s.starts_with('"') && s.ends_with('"')).then(|| serde_json::from_str::<String>(s).ok()).flatten();
            Ok(str_value(unquoted.unwrap_or_else(|| s.to_string())))
        }),
    },
    regexp_def("REGEXP", "REGEXP(string, regex)", "BOOLEAN", "Whether some substring of string matches the Java regular expression regex.", "REGEXP('flink', 'l.n') = TRUE", (2, 2), Kernel::Regexp),
    regexp_def(
        "REGEXP_EXTRACT",
        "REGEXP_EXTRACT(string, regex[, group])",
        "STRING",
        "The text of group (0: the whole match) in regex's first match in string; NULL if none.",
        "REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2) = 'bar'",
        (2, 3),
        Kernel::RegexpExtract,
    ),
    regexp_def(
        "REGEXP_EXTRACT_ALL",
        "REGEXP_EXTRACT_ALL(string, regex[, group])",
        "ARRAY<STRING>",
        "The text of group (default 1; 0: the whole match) in every match of regex in string; NULL if regex has no such group.",
        "REGEXP_EXTRACT_ALL('k1=v1;k2=v2', '(k[0-9])=(v[0-9])', 2) = [v1, v2]",
        (2, 3),
        Kernel::RegexpExtractAll,
    ),
    regexp_def(
        "REGEXP_REPLACE",
        "REGEXP_REPLACE(string, regex, replacement)",
        "STRING",
        "string with every match of regex replaced by replacement.",
        "REGEXP_REPLACE('foobar', 'oo|ar', '') = 'fb'",
        (3, 3),
        Kernel::RegexpReplace,
    ),
    regexp_def(
        "REGEXP_COUNT",
        "REGEXP_COUNT(string, regex)",
        "INT",
        "How many times regex matches in string; NULL for an invalid regex.",
        "REGEXP_COUNT('ababab', 'ab') = 3",
        (2, 2),
        Kernel::RegexpCount,
    ),
    regexp_def(
        "REGEXP_INSTR",
        "REGEXP_INSTR(string, regex)",
        "INT",
        "The position (from 1) of regex's first match in string; 0 if none.",
        "REGEXP_INSTR('hello world', 'o w') = 5",
        (2, 2),
        Kernel::RegexpInstr,
    ),
    regexp_def(
        "REGEXP_SUBSTR",
        "REGEXP_SUBSTR(string, regex)",
        "STRING",
        "regex's first match in string; NULL if none.",
        "REGEXP_SUBSTR('Flink 2.3', '[0-9.]+') = '2.3'",
        (2, 2),
        Kernel::RegexpSubstr,
    ),
];

/// The regular-expression functions: evaluated by the engine's matcher.
const fn regexp_def(
    name: &'static str,
    syntax: &'static str,
    returns: &'static str,
    description: &'static str,
    example: &'static str,
    arity: (usize, usize),
    kernel: Kernel,
) -> FunctionDef {
    FunctionDef {
        name,
        aliases: &[],
        family: S,
        syntax,
        returns,
        description,
        example,
        arity,
        deterministic: true,
        listed: true,
        typing: regexp_typing,
        eval: Eval::Kernel(kernel),
    }
}

fn regexp_typing(d: &FunctionDef, a: &mut [super::Expr]) -> Result<SqlType, String> {
    let kinds: &[Arg] = if d.name.starts_with("REGEXP_EXTRACT") { &[Arg::Str, Arg::Str, Arg::Int] } else { &[Arg::Str] };
    check(d, a, kinds)?;
    let nullable = a.iter().any(|x| x.ty.nullable);
    Ok(match d.eval {
        Eval::Kernel(Kernel::Regexp) => SqlType::nullable(DataType::Boolean).with_nullable(nullable),
        Eval::Kernel(Kernel::RegexpCount | Kernel::RegexpInstr) => SqlType::nullable(DataType::Int),
        Eval::Kernel(Kernel::RegexpReplace) => string(nullable),
        Eval::Kernel(Kernel::RegexpExtractAll) => SqlType::nullable(DataType::Array(Box::new(string(true)))),
        // NULL when nothing matches, the group did not take part, or the regex is invalid.
        _ => string(true),
    })
}

fn pad(a: &[Value], left: bool) -> Result<Value, String> {
    let (s, len, p) = (chars(text(a, 0)), int(a, 1), chars(text(a, 2)));
    // Flink's job fails here (Java's `new char[len]`, a division by the pad's length).
    if len < 0 {
        return Err(format!("the length must not be negative, got {len}"));
    }
    if p.is_empty() {
        return Err("the pad must not be empty".into());
    }
    let len = len as usize;
    too_long(if left { "LPAD" } else { "RPAD" }, len)?;
    let fill = len.saturating_sub(s.len());
    let padding: String = p.iter().cycle().take(fill).collect();
    let kept: String = s.iter().take(len).collect();
    Ok(str_value(if left { padding + &kept } else { kept + &padding }))
}

/// Java's `URLDecoder.decode(s, UTF-8)`: `+` is a space, `%XX` a byte; a bad escape or bytes
/// that are not UTF-8 give `None`.
fn url_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Java's `java.net.URL` parts, for PARSE_URL.
fn parse_url(url: &str, part: &str, key: Option<&str>) -> Option<String> {
    let (protocol, rest) = url.split_once("://")?;
    if protocol.is_empty() || !protocol.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    let (before_ref, reference) = match rest.split_once('#') {
        Some((b, r)) => (b, Some(r)),
        None => (rest, None),
    };
    let authority_end = before_ref.find(['/', '?']).unwrap_or(before_ref.len());
    let (authority, file) = before_ref.split_at(authority_end);
    let (path, query) = match file.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (file, None),
    };
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host_port,
    };
    match (part, key) {
        ("QUERY", Some(k)) => query?.split('&').find_map(|kv| {
            let (name, value) = kv.split_once('=')?;
            (name == k).then(|| value.to_string())
        }),
        ("HOST", _) => Some(host.to_string()),
        ("PATH", _) => Some(path.to_string()),
        ("QUERY", None) => query.map(str::to_string),
        ("REF", _) => reference.map(str::to_string),
        ("PROTOCOL", _) => Some(protocol.to_string()),
        ("AUTHORITY", _) => Some(authority.to_string()),
        ("FILE", _) => Some(file.to_string()),
        ("USERINFO", _) => userinfo.map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_javas_parts() {
        let url = "http://user@facebook.com:80/path1/p.php?k1=v1&k2=v2#Ref1";
        assert_eq!(parse_url(url, "HOST", None).as_deref(), Some("facebook.com"));
        assert_eq!(parse_url(url, "QUERY", Some("k2")).as_deref(), Some("v2"));
        assert_eq!(parse_url(url, "FILE", None).as_deref(), Some("/path1/p.php?k1=v1&k2=v2"));
        assert_eq!(parse_url(url, "USERINFO", None).as_deref(), Some("user"));
        assert_eq!(parse_url("not a url", "HOST", None), None);
    }

    #[test]
    fn url_decoding_refuses_bad_escapes() {
        assert_eq!(url_decode("a+b%26c").as_deref(), Some("a b&c"));
        assert_eq!(url_decode("%zz"), None);
        assert_eq!(url_decode("%4"), None);
    }
}
