//! A small backtracking regular-expression matcher with `java.util.regex` semantics, for
//! REGEXP, REGEXP_EXTRACT and REGEXP_REPLACE (no regex crate: the wasm build stays small).
//!
//! Supported: literals and escapes (`\t \n \r \f \e \a \xhh \uhhhh \0oo \cX`, `\Q…\E`), `.`,
//! classes (`[a-z_]`, `[^…]`, `\d \D \w \W \s \S` inside and out), groups `(…)`, `(?:…)`,
//! `(?<name>…)`, lookahead `(?=…)`/`(?!…)`, alternation, greedy and lazy quantifiers
//! (`* + ? {m} {m,} {m,n}`, each optionally followed by `?`), anchors `^ $ \A \z \Z \b \B`, and
//! back-references `\1`…`\9`. Everything else Java accepts is [`RegexError::Unsupported`],
//! naming the construct, never a silent difference.
//!
//! Positions are in characters (Java counts UTF-16 units; the two differ only beyond the BMP).

use std::cell::Cell;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegexError {
    /// Java would reject the pattern too (Flink's functions then give NULL).
    Invalid(String),
    /// Java accepts it, Sluice's matcher does not.
    Unsupported(String),
    /// The match backtracked too much to finish.
    TooComplex,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegexError::Invalid(m) => write!(f, "invalid regular expression: {m}"),
            RegexError::Unsupported(m) => write!(f, "regular expression construct {m} is not supported by Sluice"),
            RegexError::TooComplex => f.write_str("the regular expression backtracks too much on this input"),
        }
    }
}

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    /// `^` and `\A`.
    Start,
    /// `$` and `\Z`: the end, or before a final line terminator.
    EndOrLastLine,
    /// `\z`.
    End,
    WordBoundary(bool),
    Group(Box<Node>, Option<usize>),
    LookAhead(Box<Node>, bool),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: u32,
        greedy: bool,
    },
    BackRef(usize),
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Clone, Debug)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

impl Class {
    fn matches(&self, c: char) -> bool {
        let hit = self.items.iter().any(|i| match *i {
            ClassItem::Range(a, b) => a <= c && c <= b,
            ClassItem::Digit(neg) => c.is_ascii_digit() != neg,
            ClassItem::Word(neg) => is_word(c) != neg,
            ClassItem::Space(neg) => matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r') != neg,
        });
        hit != self.negated
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    root: Node,
    groups: usize,
}

/// Capture groups of a match: `(start, end)` in characters, group 0 being the whole match.
pub type Captures = Vec<Option<(usize, usize)>>;

const STEP_LIMIT: u64 = 5_000_000;

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, RegexError> {
        let mut p = Parser { chars: pattern.chars().collect(), pos: 0, groups: 0 };
        let root = p.alternation()?;
        if p.pos < p.chars.len() {
            return Err(RegexError::Invalid(format!("unmatched `)` at index {}", p.pos)));
        }
        Ok(Regex { root, groups: p.groups })
    }

    /// The number of capturing groups.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The first match at or after character `from` (Java's `Matcher.find`).
    pub fn find_at(&self, text: &[char], from: usize) -> Result<Option<Captures>, RegexError> {
        let m = Matcher { text, steps: Cell::new(0), depth: Cell::new(0) };
        for start in from..=text.len() {
            let mut caps: Captures = vec![None; self.groups + 1];
            let mut end = None;
            let found = m.node(&self.root, start, &mut caps, &mut |p, _| {
                end = Some(p);
                Ok(true)
            })?;
            if found {
                caps[0] = end.map(|e| (start, e));
                return Ok(Some(caps));
            }
        }
        Ok(None)
    }

    pub fn is_match(&self, text: &str) -> Result<bool, RegexError> {
        let chars: Vec<char> = text.chars().collect();
        Ok(self.find_at(&chars, 0)?.is_some())
    }

    /// `text.replaceAll(regex, Matcher.quoteReplacement(replacement))`: every match replaced by
    /// the literal replacement.
    pub fn replace_all(&self, text: &str, replacement: &str) -> Result<String, RegexError> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let (mut copied, mut search) = (0, 0);
        while search <= chars.len() {
            let Some(caps) = self.find_at(&chars, search)? else { break };
            let Some((s, e)) = caps[0] else { break };
            out.extend(&chars[copied..s]);
            out.push_str(replacement);
            copied = e;
            // After an empty match Java searches again one character further on.
            search = if e == s { e + 1 } else { e };
        }
        out.extend(&chars[copied.min(chars.len())..]);
        Ok(out)
    }
}

struct Matcher<'t> {
    text: &'t [char],
    steps: Cell<u64>,
    /// Nested `node` calls: each repetition of a group nests, and the stack is finite (1 MB in
    /// the page).
    depth: Cell<u32>,
}

const DEPTH_LIMIT: u32 = 600;

type Cont<'k> = dyn FnMut(usize, &mut Captures) -> Result<bool, RegexError> + 'k;

impl Matcher<'_> {
    fn step(&self) -> Result<(), RegexError> {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        if n > STEP_LIMIT {
            return Err(RegexError::TooComplex);
        }
        Ok(())
    }

    /// The width-one nodes (a character, `.`, a class): whether it matches at `pos`.
    fn single(&self, node: &Node, pos: usize) -> Option<bool> {
        let c = self.text.get(pos).copied();
        Some(match node {
            Node::Char(x) => c == Some(*x),
            Node::Any => c.is_some_and(|c| !is_line_terminator(c)),
            Node::Class(class) => c.is_some_and(|c| class.matches(c)),
            _ => return None,
        })
    }

    fn node(&self, node: &Node, pos: usize, caps: &mut Captures, k: &mut Cont<'_>) -> Result<bool, RegexError> {
        self.step()?;
        if self.depth.get() >= DEPTH_LIMIT {
            return Err(RegexError::TooComplex);
        }
        self.depth.set(self.depth.get() + 1);
        let result = self.node_inner(node, pos, caps, k);
        self.depth.set(self.depth.get() - 1);
        result
    }

    fn node_inner(&self, node: &Node, pos: usize, caps: &mut Captures, k: &mut Cont<'_>) -> Result<bool, RegexError> {
        let text = self.text;
        match node {
            Node::Char(_) | Node::Any | Node::Class(_) => {
                if self.single(node, pos) == Some(true) {
                    k(pos + 1, caps)
                } else {
                    Ok(false)
                }
            }
            Node::Start => {
                if pos == 0 {
                    k(pos, caps)
                } else {
                    Ok(false)
                }
            }
            Node::End => {
                if pos == text.len() {
                    k(pos, caps)
                } else {
                    Ok(false)
                }
            }
            Node::EndOrLastLine => {
                let at_end = pos == text.len()
                    || (pos + 1 == text.len() && is_line_terminator(text[pos]))
                    || (pos + 2 == text.len() && text[pos] == '\r' && text[pos + 1] == '\n');
                if at_end {
                    k(pos, caps)
                } else {
                    Ok(false)
                }
            }
            Node::WordBoundary(expected) => {
                let before = pos > 0 && is_word(text[pos - 1]);
                let after = pos < text.len() && is_word(text[pos]);
                if (before != after) == *expected {
                    k(pos, caps)
                } else {
                    Ok(false)
                }
            }
            Node::Group(inner, index) => {
                let index = *index;
                self.node(inner, pos, caps, &mut |end, caps: &mut Captures| {
                    let Some(i) = index else { return k(end, caps) };
                    let saved = caps[i];
                    caps[i] = Some((pos, end));
                    if k(end, caps)? {
                        return Ok(true);
                    }
                    caps[i] = saved;
                    Ok(false)
                })
            }
            Node::LookAhead(inner, positive) => {
                let mut probe = caps.clone();
                let found = self.node(inner, pos, &mut probe, &mut |_, _| Ok(true))?;
                if found == *positive {
                    if found {
                        *caps = probe;
                    }
                    k(pos, caps)
                } else {
                    Ok(false)
                }
            }
            Node::Concat(nodes) => self.sequence(nodes, pos, caps, k),
            Node::Alt(options) => {
                for o in options {
                    if self.node(o, pos, caps, k)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Node::Repeat { node: inner, min, max, greedy } => {
                if self.single(inner, pos).is_some() {
                    // One character per repetition: count the run instead of recursing.
                    let mut run = 0usize;
                    while (run as u64) < *max as u64 && self.single(inner, pos + run) == Some(true) {
                        run += 1;
                    }
                    if run < *min as usize {
                        return Ok(false);
                    }
                    let lengths: Box<dyn Iterator<Item = usize>> =
                        if *greedy { Box::new((*min as usize..=run).rev()) } else { Box::new(*min as usize..=run) };
                    for n in lengths {
                        self.step()?;
                        if k(pos + n, caps)? {
                            return Ok(true);
                        }
                    }
                    return Ok(false);
                }
                self.repeat(inner, *min, *max, *greedy, 0, pos, caps, k)
            }
            Node::BackRef(i) => match caps.get(*i).copied().flatten() {
                Some((s, e)) => {
                    let len = e - s;
                    if pos + len <= text.len() && text[s..e] == text[pos..pos + len] {
                        k(pos + len, caps)
                    } else {
                        Ok(false)
                    }
                }
                // Java: a reference to a group that did not take part fails.
                None => Ok(false),
            },
        }
    }

    fn sequence(&self, nodes: &[Node], pos: usize, caps: &mut Captures, k: &mut Cont<'_>) -> Result<bool, RegexError> {
        match nodes.split_first() {
            None => k(pos, caps),
            Some((first, rest)) => self.node(first, pos, caps, &mut |p, caps: &mut Captures| self.sequence(rest, p, caps, k)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        inner: &Node,
        min: u32,
        max: u32,
        greedy: bool,
        count: u32,
        pos: usize,
        caps: &mut Captures,
        k: &mut Cont<'_>,
    ) -> Result<bool, RegexError> {
        if !greedy && count >= min && k(pos, caps)? {
            return Ok(true);
        }
        if count < max {
            let more = self.node(inner, pos, caps, &mut |p, caps: &mut Captures| {
                // An empty repetition past the minimum would loop forever.
                if p == pos && count >= min {
                    return Ok(false);
                }
                self.repeat(inner, min, max, greedy, count + 1, p, caps, k)
            })?;
            if more {
                return Ok(true);
            }
        }
        if greedy && count >= min {
            k(pos, caps)
        } else {
            Ok(false)
        }
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn rest_starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn alternation(&mut self) -> Result<Node, RegexError> {
        let mut options = vec![self.concat()?];
        while self.eat('|') {
            options.push(self.concat()?);
        }
        Ok(if options.len() == 1 { options.pop().unwrap_or(Node::Concat(Vec::new())) } else { Node::Alt(options) })
    }

    fn concat(&mut self) -> Result<Node, RegexError> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if self.rest_starts_with("\\Q") {
                self.pos += 2;
                while self.pos < self.chars.len() && !self.rest_starts_with("\\E") {
                    nodes.push(Node::Char(self.chars[self.pos]));
                    self.pos += 1;
                }
                self.pos = (self.pos + 2).min(self.chars.len());
                continue;
            }
            let atom = self.atom()?;
            let atom = self.quantifier(atom)?;
            nodes.push(atom);
        }
        Ok(Node::Concat(nodes))
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, RegexError> {
        let start = self.pos;
        let (min, max) = match self.peek() {
            Some('*') => (0, u32::MAX),
            Some('+') => (1, u32::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                self.pos += 1;
                let min = self.number().ok_or_else(|| RegexError::Invalid(format!("bad repetition at index {start}")))?;
                let max = if self.eat(',') { self.number().unwrap_or(u32::MAX) } else { min };
                if !self.eat('}') || max < min {
                    return Err(RegexError::Invalid(format!("bad repetition at index {start}")));
                }
                self.pos -= 1;
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(atom, Node::Start | Node::End | Node::EndOrLastLine | Node::WordBoundary(_)) {
            // Java allows quantified anchors; they match empty either way.
        }
        let greedy = !self.eat('?');
        if self.peek() == Some('+') {
            return Err(RegexError::Unsupported("possessive quantifier (`*+`, `++`, `?+`, `{n}+`)".into()));
        }
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return Err(RegexError::Invalid(format!("dangling meta character at index {}", self.pos)));
        }
        Ok(Node::Repeat { node: Box::new(atom), min, max, greedy })
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect::<String>().parse().ok()
    }

    fn atom(&mut self) -> Result<Node, RegexError> {
        let at = self.pos;
        let Some(c) = self.peek() else { return Err(RegexError::Invalid("unexpected end".into())) };
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::EndOrLastLine,
            '*' | '+' | '?' | '{' => return Err(RegexError::Invalid(format!("dangling meta character `{c}` at index {at}"))),
            '[' => Node::Class(self.class()?),
            '(' => self.group()?,
            '\\' => self.escape(false)?,
            c => Node::Char(c),
        })
    }

    fn group(&mut self) -> Result<Node, RegexError> {
        let mut capture = true;
        let mut lookahead = None;
        if self.eat('?') {
            capture = false;
            match self.peek() {
                Some(':') => self.pos += 1,
                Some('=') => {
                    self.pos += 1;
                    lookahead = Some(true);
                }
                Some('!') => {
                    self.pos += 1;
                    lookahead = Some(false);
                }
                Some('<') if self.chars.get(self.pos + 1).is_some_and(|c| c.is_ascii_alphabetic()) => {
                    while self.peek().is_some_and(|c| c != '>') {
                        self.pos += 1;
                    }
                    if !self.eat('>') {
                        return Err(RegexError::Invalid("unterminated group name".into()));
                    }
                    capture = true;
                }
                Some('<') => return Err(RegexError::Unsupported("lookbehind `(?<=…)` / `(?<!…)`".into())),
                Some('>') => return Err(RegexError::Unsupported("atomic group `(?>…)`".into())),
                _ => return Err(RegexError::Unsupported("inline flags such as `(?i)`".into())),
            }
        }
        let index = capture.then(|| {
            self.groups += 1;
            self.groups
        });
        let inner = self.alternation()?;
        if !self.eat(')') {
            return Err(RegexError::Invalid("unclosed group".into()));
        }
        Ok(match lookahead {
            Some(positive) => Node::LookAhead(Box::new(inner), positive),
            None => Node::Group(Box::new(inner), index),
        })
    }

    /// After a backslash. `in_class`: inside `[…]`, where anchors and references make no sense.
    fn escape(&mut self, in_class: bool) -> Result<Node, RegexError> {
        let Some(c) = self.peek() else { return Err(RegexError::Invalid("trailing backslash".into())) };
        self.pos += 1;
        let class = |item| Node::Class(Class { negated: false, items: vec![item] });
        Ok(match c {
            'd' => class(ClassItem::Digit(false)),
            'D' => class(ClassItem::Digit(true)),
            'w' => class(ClassItem::Word(false)),
            'W' => class(ClassItem::Word(true)),
            's' => class(ClassItem::Space(false)),
            'S' => class(ClassItem::Space(true)),
            't' => Node::Char('\t'),
            'n' => Node::Char('\n'),
            'r' => Node::Char('\r'),
            'f' => Node::Char('\x0C'),
            'a' => Node::Char('\x07'),
            'e' => Node::Char('\x1B'),
            'x' => Node::Char(self.hex(2)?),
            'u' => Node::Char(self.hex(4)?),
            '0' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 && self.peek().is_some_and(|c| ('0'..='7').contains(&c)) {
                    v = v * 8 + self.peek().and_then(|c| c.to_digit(8)).unwrap_or(0);
                    self.pos += 1;
                    n += 1;
                }
                if n == 0 {
                    return Err(RegexError::Invalid("illegal octal escape".into()));
                }
                Node::Char(char::from_u32(v).unwrap_or('\0'))
            }
            'c' => {
                let Some(x) = self.peek() else { return Err(RegexError::Invalid("illegal control escape".into())) };
                self.pos += 1;
                Node::Char(char::from_u32(x as u32 ^ 64).unwrap_or('\0'))
            }
            'b' if !in_class => Node::WordBoundary(true),
            'B' if !in_class => Node::WordBoundary(false),
            'A' if !in_class => Node::Start,
            'z' if !in_class => Node::End,
            'Z' if !in_class => Node::EndOrLastLine,
            '1'..='9' if !in_class => Node::BackRef(c as usize - '0' as usize),
            'p' | 'P' => return Err(RegexError::Unsupported(format!("Unicode/POSIX class `\\{c}{{…}}`"))),
            'G' | 'R' | 'X' | 'h' | 'H' | 'v' | 'V' | 'k' | 'N' => return Err(RegexError::Unsupported(format!("`\\{c}`"))),
            c if c.is_ascii_alphanumeric() => return Err(RegexError::Invalid(format!("illegal escape `\\{c}`"))),
            c => Node::Char(c),
        })
    }

    fn hex(&mut self, digits: usize) -> Result<char, RegexError> {
        let text: String = self.chars.iter().skip(self.pos).take(digits).collect();
        self.pos += text.chars().count();
        u32::from_str_radix(&text, 16)
            .ok()
            .filter(|_| text.len() == digits)
            .and_then(char::from_u32)
            .ok_or_else(|| RegexError::Invalid(format!("illegal hexadecimal escape `{text}`")))
    }

    fn class(&mut self) -> Result<Class, RegexError> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err(RegexError::Invalid("unclosed character class".into())) };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' {
                return Err(RegexError::Unsupported("nested character class `[…[…]]`".into()));
            }
            if self.rest_starts_with("&&") {
                return Err(RegexError::Unsupported("character class intersection `&&`".into()));
            }
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Node::Char(x) => x,
                    Node::Class(inner) => {
                        items.extend(inner.items);
                        continue;
                    }
                    _ => return Err(RegexError::Invalid("bad escape in character class".into())),
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
                self.pos += 1;
                let h = self.peek().unwrap_or(']');
                self.pos += 1;
                let hi = if h == '\\' {
                    match self.escape(true)? {
                        Node::Char(x) => x,
                        _ => return Err(RegexError::Invalid("illegal character range".into())),
                    }
                } else {
                    h
                };
                if hi < lo {
                    return Err(RegexError::Invalid(format!("illegal character range {lo}-{hi}")));
                }
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Ok(Class { negated, items })
    }
}

/// The text of group `index` of a match, if it took part.
pub fn group_text(text: &[char], caps: &Captures, index: usize) -> Option<String> {
    caps.get(index).copied().flatten().map(|(s, e)| text[s..e].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(text: &str, re: &str, group: usize) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        let caps = Regex::new(re).unwrap().find_at(&chars, 0).unwrap()?;
        group_text(&chars, &caps, group)
    }

    #[test]
    fn finds_groups_like_java() {
        assert_eq!(extract("foothebar", "foo(.*?)(bar)", 2).as_deref(), Some("bar"));
        assert_eq!(extract("foothebar", "foo(.*?)(bar)", 1).as_deref(), Some("the"));
        assert_eq!(extract("sensor-42-x", "(\\d+)", 1).as_deref(), Some("42"));
        assert_eq!(extract("ab12cd", "[a-z]+(\\d{2})[^0-9]", 0).as_deref(), Some("ab12c"));
        assert_eq!(extract("WARNING", "^(OK|WARN)(ING)?$", 2).as_deref(), Some("ING"));
        assert_eq!(extract("OK", "^(OK|WARN)(ING)?$", 2), None);
        assert_eq!(extract("abab", "(ab)\\1", 0).as_deref(), Some("abab"));
        assert_eq!(extract("price: 10 USD", "\\d+(?= USD)", 0).as_deref(), Some("10"));
        assert_eq!(extract("a.b", "\\Q.\\E", 0).as_deref(), Some("."));
        assert_eq!(extract("x  y", "\\bx\\s{2,}y\\b", 0).as_deref(), Some("x  y"));
    }

    #[test]
    fn replaces_all_matches_with_a_literal_replacement() {
        let re = Regex::new("x*").unwrap();
        assert_eq!(re.replace_all("abc", "-").unwrap(), "-a-b-c-");
        let re = Regex::new("[aeiou]").unwrap();
        assert_eq!(re.replace_all("WARNING warning", "$1").unwrap(), "WARNING w$1rn$1ng");
        assert_eq!(Regex::new("O+").unwrap().replace_all("OOKO", "0").unwrap(), "0K0");
    }

    #[test]
    fn rejects_what_it_cannot_do_by_name() {
        assert!(matches!(Regex::new("(?i)ok"), Err(RegexError::Unsupported(m)) if m.contains("inline flags")));
        assert!(matches!(Regex::new("(?<=a)b"), Err(RegexError::Unsupported(m)) if m.contains("lookbehind")));
        assert!(matches!(Regex::new("a++"), Err(RegexError::Unsupported(m)) if m.contains("possessive")));
        assert!(matches!(Regex::new("\\p{Alpha}"), Err(RegexError::Unsupported(_))));
        assert!(matches!(Regex::new("(ab"), Err(RegexError::Invalid(_))));
        assert!(matches!(Regex::new("*a"), Err(RegexError::Invalid(_))));
        assert!(matches!(Regex::new("[z-a]"), Err(RegexError::Invalid(_))));
    }

    #[test]
    fn long_inputs_do_not_recurse_per_character() {
        let text = "a".repeat(200_000) + "b";
        assert!(Regex::new("^a*b$").unwrap().is_match(&text).unwrap());
        assert!(Regex::new(".*b").unwrap().is_match(&text).unwrap());
        // Deeply nested repetitions of a group stop with an error instead of overflowing.
        let pairs = "ab".repeat(100);
        assert!(Regex::new("^(ab)*$").unwrap().is_match(&pairs).unwrap());
        assert_eq!(Regex::new("^(ab)*$").unwrap().is_match(&"ab".repeat(5000)), Err(RegexError::TooComplex));
        // Catastrophic backtracking stops with an error instead of hanging.
        let evil = "a".repeat(40);
        assert_eq!(Regex::new("(a|aa)*c").unwrap().is_match(&evil), Err(RegexError::TooComplex));
    }
}
