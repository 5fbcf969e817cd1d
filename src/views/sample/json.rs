//! One sampled JSON record as a small tree that keeps what type inference needs and
//! `serde_json::Value` loses: the order of an object's keys (the columns' order) and a number's
//! text (how many digits it has, so a value a DOUBLE cannot hold becomes a DECIMAL).
//!
//! Records come from strangers, so the reader is a loop over an explicit stack, nesting is
//! bounded by [`MAX_DEPTH`], and every error names the byte where reading stopped.

/// Deepest nesting of objects and arrays a sampled record may have (the record counts as 1).
pub const MAX_DEPTH: usize = 64;

/// A JSON value, objects keeping their keys in the record's order (a repeated key keeps its
/// last value, as Flink's reader does).
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    Str(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// What a container being read is waiting for.
enum Open {
    Array(Vec<Node>),
    /// An object's entries so far and the key whose value comes next.
    Object(Vec<(String, Node)>, String),
}

/// Reads one record; `Err` says at which byte and why.
pub fn parse(record: &[u8]) -> Result<Node, String> {
    let mut r = Reader { s: record, i: 0 };
    if r.s.starts_with(b"\xef\xbb\xbf") {
        r.i = 3;
    }
    let mut stack: Vec<Open> = Vec::new();
    loop {
        // Read one value; containers push and come back here for their first element.
        r.ws();
        let value = match r.peek() {
            Some(b'{') => {
                r.i += 1;
                if stack.len() + 1 > MAX_DEPTH {
                    return Err(r.fail(&format!("nested deeper than {MAX_DEPTH} levels")));
                }
                r.ws();
                if r.peek() == Some(b'}') {
                    r.i += 1;
                    Node::Object(Vec::new())
                } else {
                    let key = r.key()?;
                    stack.push(Open::Object(Vec::new(), key));
                    continue;
                }
            }
            Some(b'[') => {
                r.i += 1;
                if stack.len() + 1 > MAX_DEPTH {
                    return Err(r.fail(&format!("nested deeper than {MAX_DEPTH} levels")));
                }
                r.ws();
                if r.peek() == Some(b']') {
                    r.i += 1;
                    Node::Array(Vec::new())
                } else {
                    stack.push(Open::Array(Vec::new()));
                    continue;
                }
            }
            Some(b'"') => Node::Str(r.string()?),
            Some(b't') => r.word("true", Node::Bool(true))?,
            Some(b'f') => r.word("false", Node::Bool(false))?,
            Some(b'n') => r.word("null", Node::Null)?,
            Some(b'-' | b'0'..=b'9') => Node::Number(r.number()?),
            Some(_) => return Err(r.fail("expected a value")),
            None => return Err(r.fail("the record ends where a value was expected")),
        };
        // Hand the value to the containers it closes.
        let mut value = value;
        loop {
            let Some(open) = stack.last_mut() else {
                r.ws();
                if r.i != r.s.len() {
                    return Err(r.fail("unexpected text after the value"));
                }
                return Ok(value);
            };
            r.ws();
            match open {
                Open::Array(items) => {
                    items.push(value);
                    match r.next() {
                        Some(b',') => break,
                        Some(b']') => {}
                        _ => return Err(r.fail_before("expected `,` or `]`")),
                    }
                }
                Open::Object(entries, key) => {
                    let done = std::mem::take(key);
                    match entries.iter_mut().find(|(k, _)| *k == done) {
                        Some(entry) => entry.1 = value,
                        None => entries.push((done, value)),
                    }
                    match r.next() {
                        Some(b',') => {
                            *key = r.key()?;
                            break;
                        }
                        Some(b'}') => {}
                        _ => return Err(r.fail_before("expected `,` or `}`")),
                    }
                }
            }
            // The container closed: it is the value for the one around it.
            value = match stack.pop() {
                Some(Open::Array(items)) => Node::Array(items),
                Some(Open::Object(entries, _)) => Node::Object(entries),
                None => unreachable!("the loop above returned when the stack was empty"),
            };
        }
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.i += 1;
        b
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn fail(&self, what: &str) -> String {
        format!("at byte {}: {what}", self.i.min(self.s.len()))
    }

    fn fail_before(&self, what: &str) -> String {
        format!("at byte {}: {what}", self.i.saturating_sub(1).min(self.s.len()))
    }

    /// `"key"` and the `:` after it.
    fn key(&mut self) -> Result<String, String> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(self.fail("expected a key in quotes"));
        }
        let key = self.string()?;
        self.ws();
        if self.next() != Some(b':') {
            return Err(self.fail_before("expected `:` after a key"));
        }
        Ok(key)
    }

    fn word(&mut self, word: &str, node: Node) -> Result<Node, String> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(node)
        } else {
            Err(self.fail("expected a value"))
        }
    }

    fn number(&mut self) -> Result<String, String> {
        let start = self.i;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| self.fail("not a number"))?;
        // JSON's grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?
        let b = text.as_bytes();
        let mut p = usize::from(b.first() == Some(&b'-'));
        let digits = |p: &mut usize| {
            let from = *p;
            while b.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p - from
        };
        let int = digits(&mut p);
        let mut ok = int > 0 && !(int > 1 && b[p - int] == b'0');
        if ok && b.get(p) == Some(&b'.') {
            p += 1;
            ok = digits(&mut p) > 0;
        }
        if ok && matches!(b.get(p), Some(b'e' | b'E')) {
            p += 1;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            ok = digits(&mut p) > 0;
        }
        if !ok || p != b.len() {
            self.i = start;
            return Err(self.fail(&format!("`{text}` is not a JSON number")));
        }
        Ok(text.to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // the opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.fail("a string is not closed")),
                Some(b'"') => break,
                Some(b'\\') => match self.next() {
                    Some(b'"') => out.push(b'"'),
                    Some(b'\\') => out.push(b'\\'),
                    Some(b'/') => out.push(b'/'),
                    Some(b'b') => out.push(8),
                    Some(b'f') => out.push(12),
                    Some(b'n') => out.push(b'\n'),
                    Some(b'r') => out.push(b'\r'),
                    Some(b't') => out.push(b'\t'),
                    Some(b'u') => {
                        let first = self.hex4()?;
                        let c = if (0xD800..0xDC00).contains(&first) && self.s[self.i..].starts_with(b"\\u") {
                            self.i += 2;
                            let second = self.hex4()?;
                            char::decode_utf16([first, second]).next().and_then(Result::ok)
                        } else {
                            char::decode_utf16([first]).next().and_then(Result::ok)
                        };
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes());
                    }
                    _ => return Err(self.fail_before("an unknown escape")),
                },
                Some(b) if b < 0x20 => return Err(self.fail_before("a control character inside a string")),
                Some(b) => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.fail("a string is not UTF-8"))
    }

    fn hex4(&mut self) -> Result<u16, String> {
        let digits = self.s.get(self.i..self.i + 4).ok_or_else(|| self.fail("a \\u escape needs four hex digits"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.fail("a \\u escape needs four hex digits"))?;
        let n = u16::from_str_radix(text, 16).map_err(|_| self.fail("a \\u escape needs four hex digits"))?;
        self.i += 4;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_key_order_and_numbers_their_text() {
        let node = parse(br#"{"z": 1.50, "a": [true, null, {"k": "v\u00e9"}], "e": {}}"#).unwrap();
        assert_eq!(
            node,
            Node::Object(vec![
                ("z".into(), Node::Number("1.50".into())),
                ("a".into(), Node::Array(vec![Node::Bool(true), Node::Null, Node::Object(vec![("k".into(), Node::Str("vé".into()))])])),
                ("e".into(), Node::Object(vec![])),
            ])
        );
    }

    #[test]
    fn bad_records_say_where() {
        assert!(parse(b"{\"a\": 01}").unwrap_err().contains("byte 6"));
        assert!(parse(b"{\"a\": 1").unwrap_err().contains("expected `,` or `}`"));
        assert!(parse(b"{\"a\": 1} x").unwrap_err().contains("after the value"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(deep.as_bytes()).unwrap_err().contains("deeper than 64"));
    }
}
