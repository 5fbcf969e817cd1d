//! SQL/JSON path expressions as Flink evaluates them: an optional `lax`/`strict` mode word
//! (Flink's `SqlJsonUtils`: no word means strict), then a Jayway JsonPath (`PathCompiler`,
//! `PathToken` and friends in `com.jayway.jsonpath.internal.path`).
//!
//! Supported: `$`, `.name`, `['name']`/`["name"]`, `[n]` (negative from the end), `[n, m]`,
//! slices `[a:b]`, `[a:]`, `[:b]`, wildcards `.*`/`[*]`, and a path without `$` (Jayway reads
//! `a.b` as `$.a.b`). Deep scans (`..`), filters (`[?(…)]`), functions (`.length()`) and
//! several bracketed names at once are refused as invalid paths (DIFFERENCES.md).
//!
//! Jayway's rules for what a path finds, which decide Flink's results, are kept: a path of
//! only single names and indexes is *definite* and finds one value or fails ("No results for
//! path"); any other path finds a list, possibly empty. A missing name or a step into the
//! wrong kind of value fails in strict mode while everything before it was definite, and is
//! skipped otherwise; lax mode turns every failure into "nothing" (NULL for a definite path,
//! an empty list for another). Evaluation walks the document with a work list, never
//! recursing; the path itself is bounded by the SQL text it comes from.

use super::document::Json;

/// Longest path text read; a longer one is refused (outside input).
const MAX_PATH_LENGTH: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Lax,
    Strict,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// `.name` or `['name']`.
    Property(Box<str>),
    /// `[n]` or `[n, m, …]`.
    Index(Vec<i64>),
    /// `[a:b]`, either end open.
    Slice(Option<i64>, Option<i64>),
    /// `.*` or `[*]`.
    Wildcard,
}

impl Token {
    fn definite(&self) -> bool {
        match self {
            Token::Property(_) => true,
            Token::Index(i) => i.len() == 1,
            Token::Slice(..) | Token::Wildcard => false,
        }
    }
}

/// A compiled path.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub mode: Mode,
    tokens: Vec<Token>,
}

/// What a path found.
#[derive(Debug, PartialEq)]
pub enum Found<'a> {
    /// A definite path's one value (`None` in lax mode when nothing was found).
    One(Option<&'a Json>),
    /// An indefinite path's values, in document order.
    Many(Vec<&'a Json>),
}

/// Reads `[lax|strict] <jsonpath>` as Flink and Jayway do.
pub fn compile(spec: &str) -> Result<Path, String> {
    if spec.len() > MAX_PATH_LENGTH {
        return Err(format!("the path is longer than {MAX_PATH_LENGTH} characters"));
    }
    let (mode, text) = split_mode(spec);
    let text = text.trim_matches([' ', '\t', '\n', '\r']);
    let owned;
    let text = if text.starts_with('$') || text.starts_with('@') {
        text
    } else {
        owned = format!("$.{text}");
        owned.as_str()
    };
    if text.ends_with('.') {
        return Err("Path must not end with a '.' or '..'".into());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 1;
    if i < chars.len() && chars[i] != '.' && chars[i] != '[' {
        return Err(format!("Illegal character at position {i} expected '.' or '['"));
    }
    while i < chars.len() {
        match chars[i] {
            '.' => {
                if chars.get(i + 1) == Some(&'.') {
                    return Err("deep scan (`..`) is not supported by Sluice".into());
                }
                i += 1;
                match chars.get(i) {
                    Some('[') => continue,
                    Some('*') => {
                        tokens.push(Token::Wildcard);
                        i += 1;
                    }
                    Some(_) => {
                        let start = i;
                        while i < chars.len() && !matches!(chars[i], '.' | '[') {
                            match chars[i] {
                                ' ' => {
                                    return Err(format!(
                                        "Use bracket notion ['my prop'] if your property contains blank characters. position: {start}"
                                    ))
                                }
                                '(' => return Err("path functions such as length() are not supported by Sluice".into()),
                                _ => i += 1,
                            }
                        }
                        tokens.push(Token::Property(chars[start..i].iter().collect::<String>().into()));
                    }
                    None => return Err("Path must not end with a '.'".into()),
                }
            }
            '[' => {
                let close = find_close(&chars, i + 1).ok_or_else(|| format!("Could not parse token starting at position {i}"))?;
                let inner: String = chars[i + 1..close].iter().collect();
                tokens.push(bracket(inner.trim(), i)?);
                i = close + 1;
            }
            c => return Err(format!("Could not parse token starting at position {i}: unexpected `{c}`")),
        }
    }
    Ok(Path { mode, tokens })
}

/// Flink's `^\s*(strict|lax)\s+(.+)$` (any case); without it the path is strict.
fn split_mode(spec: &str) -> (Mode, &str) {
    let trimmed = spec.trim_start();
    for (word, mode) in [("strict", Mode::Strict), ("lax", Mode::Lax)] {
        if trimmed.len() > word.len() && trimmed[..word.len()].eq_ignore_ascii_case(word) {
            let rest = &trimmed[word.len()..];
            let body = rest.trim_start();
            if body.len() < rest.len() && !body.is_empty() {
                return (mode, body);
            }
        }
    }
    (Mode::Strict, spec)
}

/// The `]` closing a bracket that opens before `from`, skipping quoted names.
fn find_close(chars: &[char], from: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (j, &c) in chars.iter().enumerate().skip(from) {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == ']' => return Some(j),
            None => {}
        }
    }
    None
}

/// The inside of `[…]`.
fn bracket(inner: &str, at: usize) -> Result<Token, String> {
    if inner == "*" {
        return Ok(Token::Wildcard);
    }
    if let Some(q) = inner.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let body = &inner[1..];
        let Some(end) = body.rfind(q) else { return Err(format!("Property has not been closed - missing closing {q}")) };
        if !body[end + 1..].trim().is_empty() {
            return Err("several bracketed names (`['a','b']`) are not supported by Sluice".into());
        }
        let name = unescape(&body[..end]);
        if name.contains(q) && !body[..end].contains('\\') {
            return Err("several bracketed names (`['a','b']`) are not supported by Sluice".into());
        }
        return Ok(Token::Property(name.into()));
    }
    if inner.starts_with('?') {
        return Err("filters (`[?(…)]`) are not supported by Sluice".into());
    }
    if !inner.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | ':' | ' ')) || inner.is_empty() {
        return Err(format!("Could not parse token starting at position {at}. Expected ?, ', 0-9, * "));
    }
    let number = |s: &str| -> Result<i64, String> {
        s.trim().parse::<i32>().map(i64::from).map_err(|_| format!("Failed to parse index `{}` at position {at}", s.trim()))
    };
    if inner.contains(':') {
        let parts: Vec<&str> = inner.split(':').collect();
        if parts.len() != 2 {
            return Err(format!("Failed to parse SliceOperation: {inner}"));
        }
        let end = |s: &str| if s.trim().is_empty() { Ok(None) } else { number(s).map(Some) };
        let (from, to) = (end(parts[0])?, end(parts[1])?);
        if from.is_none() && to.is_none() {
            return Err(format!("Failed to parse SliceOperation: {inner}"));
        }
        return Ok(Token::Slice(from, to));
    }
    Ok(Token::Index(inner.split(',').map(number).collect::<Result<_, _>>()?))
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

impl Path {
    fn definite(&self) -> bool {
        self.tokens.iter().all(Token::definite)
    }

    /// What the path finds in `doc`: Jayway's result, or its exception's message in strict
    /// mode (lax mode never fails here).
    pub fn find<'a>(&self, doc: &'a Json) -> Result<Found<'a>, String> {
        match (self.walk(doc), self.mode) {
            (Ok(found), _) => Ok(found),
            (Err(_), Mode::Lax) => Ok(if self.definite() { Found::One(None) } else { Found::Many(Vec::new()) }),
            (Err(e), Mode::Strict) => Err(e),
        }
    }

    fn walk<'a>(&self, doc: &'a Json) -> Result<Found<'a>, String> {
        let mut current: Vec<&'a Json> = vec![doc];
        let last = self.tokens.len().saturating_sub(1);
        for (t, token) in self.tokens.iter().enumerate() {
            let upstream_definite = self.tokens[..t].iter().all(Token::definite);
            let leaf = t == last;
            let mut next = Vec::with_capacity(current.len());
            for node in current {
                match token {
                    Token::Property(name) => match node {
                        Json::Object(members) => match members.iter().find(|(k, _)| k == name) {
                            Some((_, v)) => next.push(v),
                            None if leaf || !upstream_definite => {}
                            None => return Err(format!("Missing property in path $['{name}']")),
                        },
                        _ if !upstream_definite => {}
                        other => return Err(format!("Expected to find an object with property ['{name}'] but found {}", kind(other))),
                    },
                    Token::Wildcard => match node {
                        Json::Object(members) => next.extend(members.iter().map(|(_, v)| v)),
                        Json::Array(items) => next.extend(items.iter()),
                        _ => {}
                    },
                    Token::Index(indexes) => {
                        let Some(items) = array(node, upstream_definite)? else { continue };
                        let len = items.len() as i64;
                        for &i in indexes {
                            let at = if i < 0 { len + i } else { i };
                            if (0..len).contains(&at) {
                                next.push(&items[at as usize]);
                            }
                        }
                    }
                    Token::Slice(from, to) => {
                        let Some(items) = array(node, upstream_definite)? else { continue };
                        let len = items.len() as i64;
                        let (start, end) = match (*from, *to) {
                            (Some(f), None) => ((if f < 0 { len + f } else { f }).max(0), len),
                            (None, Some(e)) => (0, (if e < 0 { len + e } else { e }).min(len)),
                            (Some(f), Some(e)) => (f, e.min(len)),
                            (None, None) => (0, 0),
                        };
                        for i in start..end.max(start) {
                            let at = if i < 0 { len + i } else { i };
                            if (0..len).contains(&at) {
                                next.push(&items[at as usize]);
                            }
                        }
                    }
                }
            }
            current = next;
        }
        if self.definite() {
            match current.first() {
                Some(v) => Ok(Found::One(Some(v))),
                None => Err("No results for path".into()),
            }
        } else {
            Ok(Found::Many(current))
        }
    }
}

/// An array step's target: its items, nothing (skipped), or Jayway's failure.
fn array(node: &Json, upstream_definite: bool) -> Result<Option<&[Json]>, String> {
    match node {
        Json::Array(items) => Ok(Some(items)),
        _ if !upstream_definite => Ok(None),
        Json::Null => Err("The path is null".into()),
        other => Err(format!("Filter can only be applied to arrays, not to {}", kind(other))),
    }
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Int(_) | Json::Decimal(_) => "a number",
        Json::Str(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::super::document::parse;
    use super::*;

    fn texts(path: &str, doc: &str) -> Result<Vec<String>, String> {
        let doc = parse(doc).unwrap();
        let found = compile(path)?.find(&doc)?;
        Ok(match found {
            Found::One(v) => v.map(|v| v.to_json()).into_iter().collect(),
            Found::Many(vs) => vs.iter().map(|v| v.to_json()).collect(),
        })
    }

    #[test]
    fn definite_paths_find_one_value_or_fail_in_strict_mode() {
        assert_eq!(texts("$.a.b", r#"{"a": {"b": 2}}"#).unwrap(), ["2"]);
        assert_eq!(texts("$['a'][\"b\"]", r#"{"a": {"b": 2}}"#).unwrap(), ["2"]);
        assert_eq!(texts("a", r#"{"a": 1}"#).unwrap(), ["1"]);
        assert_eq!(texts("$.a[-1]", r#"{"a": [1, 2]}"#).unwrap(), ["2"]);
        assert!(texts("$.b", r#"{"a": 1}"#).is_err());
        assert!(texts("strict $.a[5]", r#"{"a": [1]}"#).is_err());
        assert_eq!(texts("lax $.b", r#"{"a": 1}"#).unwrap(), Vec::<String>::new());
        assert_eq!(texts("LAX   $.a.c.d", r#"{"a": {"b": 2}}"#).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn indefinite_paths_skip_what_is_missing() {
        assert_eq!(texts("$.a[*].b", r#"{"a": [{"b": 1}, {"c": 3}, {"b": 2}]}"#).unwrap(), ["1", "2"]);
        assert_eq!(texts("$.*", r#"{"a": 1, "b": [2]}"#).unwrap(), ["1", "[2]"]);
        assert_eq!(texts("$[1:]", "[1, 2, 3]").unwrap(), ["2", "3"]);
        assert_eq!(texts("$[:-1]", "[1, 2, 3]").unwrap(), ["1", "2"]);
        assert_eq!(texts("$[0, 2]", "[1, 2, 3]").unwrap(), ["1", "3"]);
        assert_eq!(texts("$.a[*]", r#"{"a": []}"#).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn bad_paths_are_refused() {
        for bad in ["$.", "bad path", "$x", "$[?(@.a)]", "$..a", "$.a.length()", "$['a','b']", "$[a]", "$[1:2:3]"] {
            assert!(compile(bad).is_err(), "{bad}");
        }
    }
}
