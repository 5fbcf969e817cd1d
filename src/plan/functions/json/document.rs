//! A JSON document as Flink's JSON functions see it: the Java objects Jackson reads a text into
//! (`SqlJsonUtils`' mapper: `Map`, `List`, `Integer`/`Long`/`BigInteger`, `BigDecimal` for
//! every number with a fraction or exponent — `USE_BIG_DECIMAL_FOR_FLOATS` — `String`,
//! `Boolean`, `null`), and those objects written back as Jackson writes them (object keys
//! sorted — `ORDER_MAP_ENTRIES_BY_KEYS` — no spaces, `BigDecimal.toString()` numbers).
//!
//! The text is a SQL value, so outside input: [`parse`] never recurses (the open containers are
//! an explicit stack) and stops at Jackson's nesting depth, as Flink's parser does. What Jackson
//! accepts is what this accepts: no comments, single quotes, leading zeros, `NaN` or trailing
//! commas; content after the first value is ignored (Jackson's `readValue` does not look), but a
//! number at the top level must end in white space or the end of the text.

use std::cmp::Ordering;

/// Deepest nesting of arrays and objects: Jackson's `StreamReadConstraints.DEFAULT_MAX_DEPTH`
/// (the same bound as the `json` format's decoder).
pub const MAX_DEPTH: usize = 1000;
/// Longest number literal: Jackson's `DEFAULT_MAX_NUM_LEN`.
const MAX_NUMBER_LENGTH: usize = 1000;

/// One JSON value, as the Java object Jackson reads it into.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// An integer literal (Java `Integer`, `Long` or `BigInteger`): its canonical digits.
    Int(Box<str>),
    /// A literal with a fraction or an exponent (Java `BigDecimal`).
    Decimal(BigDecimal),
    Str(Box<str>),
    Array(Vec<Json>),
    /// Members in first-insertion order; a repeated key keeps its last value (`LinkedHashMap`).
    Object(Vec<(Box<str>, Json)>),
}

/// A `java.math.BigDecimal`: sign, unscaled digits and scale, printed as `toString()` does.
#[derive(Clone, Debug, PartialEq)]
pub struct BigDecimal {
    negative: bool,
    /// The unscaled value's digits, without leading zeros (`"0"` for zero).
    digits: Box<str>,
    scale: i64,
}

impl BigDecimal {
    /// Reads a JSON number literal with a fraction or exponent as `new BigDecimal(text)` does.
    fn parse(text: &str) -> Option<BigDecimal> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
            None => (body, 0),
        };
        let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all: String = int.chars().chain(fraction.chars()).collect();
        let trimmed = all.trim_start_matches('0');
        let digits: Box<str> = if trimmed.is_empty() { "0".into() } else { trimmed.into() };
        let scale = fraction.len() as i64 - exponent;
        // BigDecimal's scale is an int.
        if scale.abs() > i32::MAX as i64 {
            return None;
        }
        let negative = negative && &*digits != "0";
        Some(BigDecimal { negative, digits, scale })
    }

    /// From a plain decimal text (`-1.50`, `3`), as `BigDecimal.valueOf`/`new BigDecimal` read it.
    pub fn from_plain(text: &str) -> Option<BigDecimal> {
        BigDecimal::parse(text)
    }

    /// `BigDecimal.toString()`: plain digits unless the scale is negative or the number is
    /// smaller than 10^-6, then scientific (`1E+2`, `1.5E-7`).
    pub fn java_string(&self) -> String {
        let coeff = &*self.digits;
        let mut out = String::with_capacity(coeff.len() + 8);
        if self.negative {
            out.push('-');
        }
        let adjusted = coeff.len() as i64 - 1 - self.scale;
        if self.scale >= 0 && adjusted >= -6 {
            let scale = self.scale as usize;
            if scale == 0 {
                out.push_str(coeff);
            } else if coeff.len() > scale {
                out.push_str(&coeff[..coeff.len() - scale]);
                out.push('.');
                out.push_str(&coeff[coeff.len() - scale..]);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', scale - coeff.len()));
                out.push_str(coeff);
            }
        } else {
            out.push_str(&coeff[..1]);
            if coeff.len() > 1 {
                out.push('.');
                out.push_str(&coeff[1..]);
            }
            out.push('E');
            if adjusted > 0 {
                out.push('+');
            }
            out.push_str(&adjusted.to_string());
        }
        out
    }
}

impl Json {
    /// Not an array or object (Flink's `isScalarObject`; JSON null counts as a scalar).
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Json::Array(_) | Json::Object(_))
    }

    /// A scalar as Java's `toString()` prints it: the text of a string, `true`, `12`, `1E+2`.
    pub fn scalar_text(&self) -> Option<String> {
        Some(match self {
            Json::Bool(b) => b.to_string(),
            Json::Int(d) => d.to_string(),
            Json::Decimal(d) => d.java_string(),
            Json::Str(s) => s.to_string(),
            Json::Null | Json::Array(_) | Json::Object(_) => return None,
        })
    }

    /// The value as Jackson writes it: `{"a":1,"b":[true,null]}`, keys sorted.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write(self, &mut out);
        out
    }
}

/// Writes `value` without recursion: a stack of what is left to write.
pub fn write(value: &Json, out: &mut String) {
    enum Step<'a> {
        Value(&'a Json),
        Key(&'a str),
        Text(&'static str),
    }
    let mut stack = vec![Step::Value(value)];
    while let Some(step) = stack.pop() {
        let value = match step {
            Step::Text(t) => {
                out.push_str(t);
                continue;
            }
            Step::Key(k) => {
                write_string(k, out);
                out.push(':');
                continue;
            }
            Step::Value(v) => v,
        };
        match value {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(d) => out.push_str(d),
            Json::Decimal(d) => out.push_str(&d.java_string()),
            Json::Str(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                stack.push(Step::Text("]"));
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push(Step::Value(item));
                    if i > 0 {
                        stack.push(Step::Text(","));
                    }
                }
            }
            Json::Object(members) => {
                out.push('{');
                stack.push(Step::Text("}"));
                let mut sorted: Vec<&(Box<str>, Json)> = members.iter().collect();
                sorted.sort_by(|a, b| java_order(&a.0, &b.0));
                for (i, (key, v)) in sorted.into_iter().enumerate().rev() {
                    stack.push(Step::Value(v));
                    stack.push(Step::Key(key));
                    if i > 0 {
                        stack.push(Step::Text(","));
                    }
                }
            }
        }
    }
}

/// Java's `String.compareTo`: UTF-16 code units in order (what a `TreeMap` of keys sorts by).
pub fn java_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A string literal as Jackson writes it: `"` and `\` escaped, `\b \t \n \f \r` short, other
/// control characters `\u00XX`; everything else (`/`, non-ASCII) as it is.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at character {}", self.message, self.offset + 1)
    }
}

fn fail<T>(offset: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError { offset, message: message.into() })
}

/// An open container while parsing.
enum Frame {
    Array(Vec<Json>),
    /// Members so far and the key whose value comes next.
    Object(Vec<(Box<str>, Json)>, Option<Box<str>>),
}

/// Reads the first JSON value of `text`, as Flink's `SqlJsonUtils` (Jackson) does.
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut p = Cursor { s: text.as_bytes(), i: 0 };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        p.ws();
        // Read a value (or open a container).
        let value = match p.peek() {
            None => return fail(p.i, if stack.is_empty() { "no content" } else { "unexpected end of input" }),
            Some(b'{') => {
                p.i += 1;
                if stack.len() >= MAX_DEPTH {
                    return fail(p.i - 1, format!("nesting deeper than {MAX_DEPTH} arrays and objects"));
                }
                p.ws();
                if p.peek() == Some(b'}') {
                    p.i += 1;
                    Json::Object(Vec::new())
                } else {
                    let key = p.key()?;
                    stack.push(Frame::Object(Vec::new(), Some(key)));
                    continue;
                }
            }
            Some(b'[') => {
                p.i += 1;
                if stack.len() >= MAX_DEPTH {
                    return fail(p.i - 1, format!("nesting deeper than {MAX_DEPTH} arrays and objects"));
                }
                p.ws();
                if p.peek() == Some(b']') {
                    p.i += 1;
                    Json::Array(Vec::new())
                } else {
                    stack.push(Frame::Array(Vec::new()));
                    continue;
                }
            }
            Some(b'"') => Json::Str(p.string()?.into()),
            Some(b't') => p.word("true", Json::Bool(true))?,
            Some(b'f') => p.word("false", Json::Bool(false))?,
            Some(b'n') => p.word("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => {
                let n = p.number()?;
                if stack.is_empty() && !matches!(p.peek(), None | Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    return fail(p.i, "expected white space after a top-level number");
                }
                n
            }
            Some(c) => return fail(p.i, format!("unexpected character `{}`", char::from(c))),
        };
        // Place the value, closing containers that end after it.
        let mut value = value;
        loop {
            let Some(top) = stack.last_mut() else { return Ok(value) };
            p.ws();
            match top {
                Frame::Array(items) => {
                    items.push(value);
                    match p.bump() {
                        Some(b',') => break,
                        Some(b']') => {
                            let Some(Frame::Array(items)) = stack.pop() else { unreachable!("the top frame is this array") };
                            value = Json::Array(items);
                        }
                        _ => return fail(p.i.saturating_sub(1), "expected `,` or `]`"),
                    }
                }
                Frame::Object(members, key) => {
                    let k = key.take().unwrap_or_default();
                    members.push((k, value));
                    match p.bump() {
                        Some(b',') => {
                            p.ws();
                            *key = Some(p.key()?);
                            break;
                        }
                        Some(b'}') => {
                            let Some(Frame::Object(members, _)) = stack.pop() else { unreachable!("the top frame is this object") };
                            value = Json::Object(last_value_wins(members));
                        }
                        _ => return fail(p.i.saturating_sub(1), "expected `,` or `}`"),
                    }
                }
            }
        }
    }
}

/// A `LinkedHashMap` built by `put`: each key where it first came, with its last value.
fn last_value_wins(mut members: Vec<(Box<str>, Json)>) -> Vec<(Box<str>, Json)> {
    if members.len() < 2 {
        return members;
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| members[a].0.cmp(&members[b].0).then(a.cmp(&b)));
    let mut drop = vec![false; members.len()];
    let mut run = 0;
    while run < order.len() {
        let mut end = run + 1;
        while end < order.len() && members[order[end]].0 == members[order[run]].0 {
            end += 1;
        }
        if end - run > 1 {
            let (first, last) = (order[run], order[end - 1]);
            let value = std::mem::replace(&mut members[last].1, Json::Null);
            members[first].1 = value;
            for &i in &order[run + 1..end] {
                drop[i] = true;
            }
        }
        run = end;
    }
    members.into_iter().zip(drop).filter(|(_, d)| !d).map(|(m, _)| m).collect()
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek();
        self.i += 1;
        b
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, ParseError> {
        let end = self.i + word.len();
        let whole = self.s.get(self.i..end) == Some(word.as_bytes())
            && !matches!(self.s.get(end), Some(c) if c.is_ascii_alphanumeric() || *c == b'_');
        if !whole {
            return fail(self.i, "unrecognized token");
        }
        self.i = end;
        Ok(value)
    }

    fn key(&mut self) -> Result<Box<str>, ParseError> {
        if self.peek() != Some(b'"') {
            return fail(self.i, "expected a double-quoted field name");
        }
        let key = self.string()?;
        self.ws();
        if self.bump() != Some(b':') {
            return fail(self.i - 1, "expected `:` after a field name");
        }
        Ok(key.into())
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.i;
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(b) = self.bump() else { return fail(start, "the string is not closed") };
            match b {
                b'"' => break,
                b'\\' => {
                    let at = self.i - 1;
                    let c = match self.bump() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    self.i = save;
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        _ => return fail(at, "unrecognized character escape"),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return fail(self.i - 1, "unescaped control character in a string"),
                _ => out.push(b),
            }
        }
        // The input was a &str and escapes add whole characters.
        String::from_utf8(out).or_else(|_| fail(start, "the string is not UTF-8"))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let at = self.i;
        let digits = self.s.get(at..at + 4).and_then(|d| std::str::from_utf8(d).ok());
        let Some(v) = digits.and_then(|d| u32::from_str_radix(d, 16).ok()) else { return fail(at, "bad \\u escape") };
        self.i += 4;
        Ok(v)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as Jackson reads it.
    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        self.digits();
        let int_len = self.i - int_start;
        if int_len == 0 {
            return fail(start, "expected a digit");
        }
        if int_len > 1 && self.s[int_start] == b'0' {
            return fail(int_start, "leading zeroes are not allowed");
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return fail(self.i, "the decimal point is not followed by a digit");
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return fail(self.i, "the exponent has no digits");
            }
            float = true;
        }
        if self.i - start > MAX_NUMBER_LENGTH {
            return fail(start, format!("a number longer than {MAX_NUMBER_LENGTH} characters"));
        }
        // Only ASCII digits and signs were read.
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("0");
        if float {
            return BigDecimal::parse(text)
                .map(Json::Decimal)
                .ok_or(ParseError { offset: start, message: "the exponent is too large".into() });
        }
        Ok(Json::Int(if text == "-0" { "0".into() } else { text.into() }))
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_java_reads_them() {
        let text = |s: &str| parse(s).unwrap().to_json();
        assert_eq!(
            text("[1.10, 1e2, 1E-7, -0.0, -0, 0.05, 1.5E3, 12345678901234567890]"),
            "[1.10,1E+2,1E-7,0.0,0,0.05,1.5E+3,12345678901234567890]"
        );
    }

    #[test]
    fn keys_are_sorted_and_the_last_duplicate_wins() {
        assert_eq!(parse(r#"{"b": 1, "a": {"d": 2, "c": [3]}, "b": 4}"#).unwrap().to_json(), r#"{"a":{"c":[3],"d":2},"b":4}"#);
    }

    #[test]
    fn strings_escape_as_jackson_writes_them() {
        assert_eq!(parse(r#""\u0001\t\u00e9\/\"""#).unwrap().to_json(), "\"\\u0001\\t\u{e9}/\\\"\"");
    }

    #[test]
    fn what_jackson_refuses_is_refused() {
        for bad in ["", " ", "01", "[1,]", "{a: 1}", "{'a': 1}", "NaN", "1.", ".5", "1x", "[1 2]", "\"\u{1}\"", "tru"] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(parse("1 2").unwrap(), Json::Int("1".into()));
        assert_eq!(parse("{\"a\": 1}x").unwrap().to_json(), "{\"a\":1}");
    }

    #[test]
    fn deep_nesting_stops_without_recursion() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(parse(&ok).unwrap().to_json(), ok);
    }
}
