//! Reads a pattern into a syntax tree, with `java.util.regex.Pattern`'s syntax and flags.
//!
//! Flags (`(?idmsux-idmsux)`, scoped `(?i:…)`) are resolved here: each node carries what it
//! needs (a character's case folding, what `.`, `^` and `$` mean), so the later passes never see
//! a flag. Nesting is limited to [`MAX_DEPTH`] groups: the parser recurses once per group, and a
//! pattern is outside input.

use super::class::{Class, Fold, Item, Property};
use super::RegexError;

/// The deepest nesting of groups and classes a pattern may have.
pub const MAX_DEPTH: usize = 100;

/// What `.` matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dot {
    /// Anything but a line terminator (`\n \r \u0085 \u2028 \u2029`).
    NotLineTerminator,
    /// Anything but `\n` (`(?d)`).
    NotNewline,
    /// Anything (`(?s)`).
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assertion {
    /// `\A`, and `^` without `(?m)`.
    TextStart,
    /// `^` with `(?m)`; `unix`: only `\n` ends a line (`(?d)`).
    LineStart { unix: bool },
    /// `\z`.
    TextEnd,
    /// `\Z`, and `$` without `(?m)`: the end, or before a final line terminator.
    EndOrLastLine { unix: bool },
    /// `$` with `(?m)`.
    LineEnd { unix: bool },
    /// `\b` (true) and `\B` (false).
    WordBoundary(bool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepeatKind {
    Greedy,
    Lazy,
}

#[derive(Clone, Debug)]
pub enum Node {
    Empty,
    Char(char, Fold),
    Any(Dot),
    Class(Box<Class>),
    Assert(Assertion),
    /// A group; `Some(i)` when it captures as group `i`.
    Group(Box<Node>, Option<usize>),
    /// `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`.
    Look {
        node: Box<Node>,
        behind: bool,
        negated: bool,
    },
    /// `(?>…)`, and possessive quantifiers.
    Atomic(Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        kind: RepeatKind,
    },
    BackRef(usize, Fold),
}

#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    case_insensitive: bool,
    unicode_case: bool,
    dotall: bool,
    multiline: bool,
    comments: bool,
    unix_lines: bool,
}

impl Flags {
    fn fold(self) -> Fold {
        match (self.case_insensitive, self.unicode_case) {
            (false, _) => Fold::None,
            (true, false) => Fold::Ascii,
            (true, true) => Fold::Unicode,
        }
    }
}

/// The parsed pattern: its tree and how many capturing groups it has.
pub struct Parsed {
    pub root: Node,
    pub groups: usize,
}

pub fn parse(pattern: &str) -> Result<Parsed, RegexError> {
    let mut p = Parser { chars: pattern.chars().collect(), pos: 0, groups: 0, names: Vec::new(), flags: Flags::default(), depth: 0 };
    let root = p.alternation()?;
    if p.pos < p.chars.len() {
        return Err(p.invalid("Unmatched closing ')'"));
    }
    Ok(Parsed { root, groups: p.groups })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
    names: Vec<(String, usize)>,
    flags: Flags,
    depth: usize,
}

impl Parser {
    fn invalid(&self, what: &str) -> RegexError {
        RegexError::Invalid(format!("{what} near index {}", self.pos))
    }

    /// In `(?x)` mode, skips whitespace and `#` comments.
    fn skip_ignored(&mut self) {
        if !self.flags.comments {
            return;
        }
        while let Some(c) = self.chars.get(self.pos).copied() {
            if matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r') {
                self.pos += 1;
            } else if c == '#' {
                while self.chars.get(self.pos).is_some_and(|c| *c != '\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ignored();
        self.chars.get(self.pos).copied()
    }

    /// The next character as it is, whitespace included (after a backslash, in `\Q…\E`).
    fn next_raw(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        self.pos += usize::from(c.is_some());
        c
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

    fn enter(&mut self) -> Result<(), RegexError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(RegexError::Unsupported(format!("nesting deeper than {MAX_DEPTH} groups or classes")));
        }
        Ok(())
    }

    fn alternation(&mut self) -> Result<Node, RegexError> {
        let mut options = vec![self.concat()?];
        while self.eat('|') {
            options.push(self.concat()?);
        }
        Ok(if options.len() == 1 { options.pop().unwrap_or(Node::Empty) } else { Node::Alt(options) })
    }

    fn concat(&mut self) -> Result<Node, RegexError> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if self.rest_starts_with("\\Q") {
                self.pos += 2;
                let fold = self.flags.fold();
                let mut quoted = Vec::new();
                while self.pos < self.chars.len() && !self.rest_starts_with("\\E") {
                    quoted.push(Node::Char(self.chars[self.pos], fold));
                    self.pos += 1;
                }
                self.pos = (self.pos + 2).min(self.chars.len());
                // A quantifier after `\Q…\E` applies to its last character.
                if let Some(last) = quoted.pop() {
                    nodes.extend(quoted);
                    let last = self.quantifier(last)?;
                    nodes.push(last);
                }
                continue;
            }
            let atom = self.atom()?;
            let mut atom = self.quantifier(atom)?;
            // Java lets a counted repetition follow a quantifier (`x{2}{3}`); it repeats nothing.
            while matches!(atom, Node::Repeat { .. } | Node::Atomic(_)) && self.peek() == Some('{') {
                nodes.push(atom);
                atom = self.quantifier(Node::Empty)?;
            }
            nodes.push(atom);
        }
        Ok(match nodes.len() {
            0 => Node::Empty,
            1 => nodes.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(nodes),
        })
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, RegexError> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.pos += 1;
                let min = self.number().ok_or_else(|| self.invalid("Illegal repetition"))?;
                let max = if self.eat(',') {
                    match self.peek() {
                        Some(c) if c.is_ascii_digit() => Some(self.number().ok_or_else(|| self.invalid("Illegal repetition"))?),
                        _ => None,
                    }
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(self.invalid("Unclosed counted closure"));
                }
                if max.is_some_and(|m| m < min) {
                    return Err(self.invalid("Illegal repetition range"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        let node = Box::new(atom);
        Ok(match self.chars.get(self.pos) {
            Some('?') => {
                self.pos += 1;
                Node::Repeat { node, min, max, kind: RepeatKind::Lazy }
            }
            Some('+') => {
                self.pos += 1;
                Node::Atomic(Box::new(Node::Repeat { node, min, max, kind: RepeatKind::Greedy }))
            }
            _ => Node::Repeat { node, min, max, kind: RepeatKind::Greedy },
        })
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        self.chars[start..self.pos].iter().collect::<String>().parse().ok()
    }

    fn atom(&mut self) -> Result<Node, RegexError> {
        let Some(c) = self.next_raw() else { return Err(self.invalid("Unexpected end")) };
        let flags = self.flags;
        Ok(match c {
            '.' => Node::Any(if flags.dotall {
                Dot::All
            } else if flags.unix_lines {
                Dot::NotNewline
            } else {
                Dot::NotLineTerminator
            }),
            '^' => Node::Assert(if flags.multiline { Assertion::LineStart { unix: flags.unix_lines } } else { Assertion::TextStart }),
            '$' => Node::Assert(if flags.multiline {
                Assertion::LineEnd { unix: flags.unix_lines }
            } else {
                Assertion::EndOrLastLine { unix: flags.unix_lines }
            }),
            '*' | '+' | '?' => return Err(self.invalid(&format!("Dangling meta character '{c}'"))),
            '{' => return Err(self.invalid("Illegal repetition")),
            '[' => Node::Class(Box::new(self.class()?)),
            '(' => self.group()?,
            '\\' => self.escape()?,
            c => Node::Char(c, flags.fold()),
        })
    }

    fn group(&mut self) -> Result<Node, RegexError> {
        self.enter()?;
        let saved = self.flags;
        let node = self.group_inner();
        self.depth -= 1;
        match node? {
            // `(?i)`: the flags hold for the rest of the enclosing group.
            None => Ok(Node::Empty),
            Some(node) => {
                self.flags = saved;
                Ok(node)
            }
        }
    }

    /// After `(`: the group, or None for `(?flags)`.
    fn group_inner(&mut self) -> Result<Option<Node>, RegexError> {
        enum Kind {
            Capture,
            NonCapture,
            Look { behind: bool, negated: bool },
            Atomic,
        }
        let mut kind = Kind::Capture;
        let mut name = None;
        if self.chars.get(self.pos) == Some(&'?') {
            self.pos += 1;
            match self.next_raw() {
                Some(':') => kind = Kind::NonCapture,
                Some('=') => kind = Kind::Look { behind: false, negated: false },
                Some('!') => kind = Kind::Look { behind: false, negated: true },
                Some('>') => kind = Kind::Atomic,
                Some('<') => match self.next_raw() {
                    Some('=') => kind = Kind::Look { behind: true, negated: false },
                    Some('!') => kind = Kind::Look { behind: true, negated: true },
                    Some(c) if c.is_ascii_alphabetic() => {
                        let mut n = String::from(c);
                        loop {
                            match self.next_raw() {
                                Some('>') => break,
                                Some(c) if c.is_ascii_alphanumeric() => n.push(c),
                                _ => return Err(self.invalid("named capturing group is missing trailing '>'")),
                            }
                        }
                        if self.names.iter().any(|(x, _)| *x == n) {
                            return Err(self.invalid(&format!("Named capturing group <{n}> is already defined")));
                        }
                        name = Some(n);
                    }
                    _ => return Err(self.invalid("Unknown look-behind group")),
                },
                Some(c) if "idmsuxU-".contains(c) => {
                    self.pos -= 1;
                    let colon = self.flags_spec()?;
                    if !colon {
                        return Ok(None);
                    }
                    kind = Kind::NonCapture;
                }
                _ => return Err(self.invalid("Unknown inline modifier")),
            }
        }
        let index = matches!(kind, Kind::Capture).then(|| {
            self.groups += 1;
            self.groups
        });
        if let (Some(n), Some(i)) = (name, index) {
            self.names.push((n, i));
        }
        let inner = self.alternation()?;
        if !self.eat(')') {
            return Err(self.invalid("Unclosed group"));
        }
        Ok(Some(match kind {
            Kind::Capture => Node::Group(Box::new(inner), index),
            Kind::NonCapture => Node::Group(Box::new(inner), None),
            Kind::Look { behind, negated } => Node::Look { node: Box::new(inner), behind, negated },
            Kind::Atomic => Node::Atomic(Box::new(inner)),
        }))
    }

    /// `idmsux-idmsux` then `)` (the flags hold for the rest of the enclosing group: returns
    /// false) or `:` (they hold inside this group: returns true).
    fn flags_spec(&mut self) -> Result<bool, RegexError> {
        let mut on = true;
        loop {
            let Some(c) = self.next_raw() else { return Err(self.invalid("Unknown inline modifier")) };
            let f = &mut self.flags;
            match c {
                'i' => f.case_insensitive = on,
                'd' => f.unix_lines = on,
                'm' => f.multiline = on,
                's' => f.dotall = on,
                'u' => f.unicode_case = on,
                'x' => f.comments = on,
                'U' => return Err(RegexError::Unsupported("the flag (?U) (UNICODE_CHARACTER_CLASS)".into())),
                '-' if on => on = false,
                ')' => return Ok(false),
                ':' => return Ok(true),
                _ => return Err(self.invalid("Unknown inline modifier")),
            }
        }
    }

    fn escape(&mut self) -> Result<Node, RegexError> {
        let fold = self.flags.fold();
        let Some(c) = self.next_raw() else { return Err(self.invalid("Unexpected internal error")) };
        let property = |p, negated| Node::Class(Box::new(Class::property(p, negated)));
        Ok(match c {
            'd' | 'D' => property(Property::Digit, c == 'D'),
            'w' | 'W' => property(Property::Word, c == 'W'),
            's' | 'S' => property(Property::Space, c == 'S'),
            'h' | 'H' => property(Property::HorizontalSpace, c == 'H'),
            'v' | 'V' => property(Property::VerticalSpace, c == 'V'),
            'p' | 'P' => {
                let (p, negated) = self.property_name(c == 'P')?;
                property(p, negated)
            }
            // Java 17 backtracks into `\R` (it is not atomic).
            'R' => Node::Group(
                Box::new(Node::Alt(vec![
                    Node::Concat(vec![Node::Char('\r', Fold::None), Node::Char('\n', Fold::None)]),
                    property(Property::VerticalSpace, false),
                ])),
                None,
            ),
            'b' => Node::Assert(Assertion::WordBoundary(true)),
            'B' => Node::Assert(Assertion::WordBoundary(false)),
            'A' => Node::Assert(Assertion::TextStart),
            'z' => Node::Assert(Assertion::TextEnd),
            'Z' => Node::Assert(Assertion::EndOrLastLine { unix: self.flags.unix_lines }),
            'k' => {
                if self.next_raw() != Some('<') {
                    return Err(self.invalid("\\k is not followed by '<' for named capturing group"));
                }
                let mut n = String::new();
                loop {
                    match self.next_raw() {
                        Some('>') => break,
                        Some(c) => n.push(c),
                        None => return Err(self.invalid("named capturing group is missing trailing '>'")),
                    }
                }
                let Some((_, i)) = self.names.iter().find(|(x, _)| *x == n) else {
                    return Err(self.invalid(&format!("named capturing group <{n}> does not exist")));
                };
                Node::BackRef(*i, fold)
            }
            '1'..='9' => {
                // Java takes more digits while they still name an existing group.
                let mut index = c as usize - '0' as usize;
                while let Some(d) = self.chars.get(self.pos).and_then(|d| d.to_digit(10)) {
                    let longer = index * 10 + d as usize;
                    if longer > self.groups {
                        break;
                    }
                    index = longer;
                    self.pos += 1;
                }
                Node::BackRef(index, fold)
            }
            'G' => return Err(RegexError::Unsupported("`\\G`".into())),
            'X' => return Err(RegexError::Unsupported("`\\X` (grapheme clusters)".into())),
            'N' => return Err(RegexError::Unsupported("`\\N{…}` (character names)".into())),
            _ => Node::Char(self.escaped_char(c)?, fold),
        })
    }

    /// A character escape (`\t`, `\x41`, `\u0041`, `\0101`, `\cA`, `\.`) after its backslash.
    fn escaped_char(&mut self, c: char) -> Result<char, RegexError> {
        Ok(match c {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            'f' => '\x0C',
            'a' => '\x07',
            'e' => '\x1B',
            'x' => {
                if self.chars.get(self.pos) == Some(&'{') {
                    self.pos += 1;
                    let start = self.pos;
                    while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_hexdigit()) {
                        self.pos += 1;
                    }
                    let digits: String = self.chars[start..self.pos].iter().collect();
                    if self.next_raw() != Some('}') || digits.is_empty() {
                        return Err(self.invalid("Unclosed hexadecimal escape sequence"));
                    }
                    u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| self.invalid("Hexadecimal codepoint is too big"))?
                } else {
                    self.hex(2)?
                }
            }
            'u' => self.hex(4)?,
            '0' => {
                let digit = |p: &Parser, i: usize| p.chars.get(p.pos + i).and_then(|c| c.to_digit(8));
                let Some(a) = digit(self, 0) else { return Err(self.invalid("Illegal octal escape sequence")) };
                let mut v = a;
                self.pos += 1;
                if let Some(b) = digit(self, 0) {
                    v = v * 8 + b;
                    self.pos += 1;
                    if let (true, Some(c)) = (a <= 3, digit(self, 0)) {
                        v = v * 8 + c;
                        self.pos += 1;
                    }
                }
                char::from_u32(v).unwrap_or('\0')
            }
            'c' => {
                let Some(x) = self.next_raw() else { return Err(self.invalid("Illegal control escape sequence")) };
                char::from_u32(x as u32 ^ 64).unwrap_or('\0')
            }
            c if c.is_ascii_alphanumeric() => return Err(self.invalid("Illegal/unsupported escape sequence")),
            c => c,
        })
    }

    fn hex(&mut self, digits: usize) -> Result<char, RegexError> {
        let text: String = self.chars.iter().skip(self.pos).take(digits).collect();
        if text.chars().count() != digits || !text.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(self.invalid("Illegal hexadecimal escape sequence"));
        }
        self.pos += digits;
        u32::from_str_radix(&text, 16).ok().and_then(char::from_u32).ok_or_else(|| self.invalid("Illegal hexadecimal escape sequence"))
    }

    /// `{Name}` or a one-letter name after `\p`/`\P`.
    fn property_name(&mut self, negated: bool) -> Result<(Property, bool), RegexError> {
        let name: String = if self.chars.get(self.pos) == Some(&'{') {
            self.pos += 1;
            let start = self.pos;
            while self.chars.get(self.pos).is_some_and(|c| *c != '}') {
                self.pos += 1;
            }
            if self.next_raw() != Some('}') {
                return Err(self.invalid("Unclosed character family"));
            }
            self.chars[start..self.pos - 1].iter().collect()
        } else {
            match self.next_raw() {
                Some(c) => c.to_string(),
                None => return Err(self.invalid("Illegal character family")),
            }
        };
        let fold = self.flags.fold() != Fold::None;
        match Property::named(&name, fold) {
            Some(p) => Ok((p, negated)),
            None if Property::java_knows(&name) => Err(RegexError::Unsupported(format!("the character property `\\p{{{name}}}`"))),
            None => Err(self.invalid(&format!("Unknown character property name {{{name}}}"))),
        }
    }

    /// After `[`: a class, up to and including its `]`.
    fn class(&mut self) -> Result<Class, RegexError> {
        self.enter()?;
        let class = self.class_inner();
        self.depth -= 1;
        class
    }

    fn class_inner(&mut self) -> Result<Class, RegexError> {
        let fold = self.flags.fold();
        let negated = self.chars.get(self.pos) == Some(&'^');
        self.pos += usize::from(negated);
        let mut operands = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err(self.invalid("Unclosed character class")) };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if self.rest_starts_with("&&") {
                self.pos += 2;
                operands.push(std::mem::take(&mut items));
                continue;
            }
            self.pos += 1;
            let lo = match c {
                '[' => {
                    items.push(Item::Class(Box::new(self.class()?)));
                    continue;
                }
                '\\' => {
                    let Some(e) = self.next_raw() else { return Err(self.invalid("Unclosed character class")) };
                    match e {
                        'd' | 'D' => Err((Property::Digit, e == 'D')),
                        'w' | 'W' => Err((Property::Word, e == 'W')),
                        's' | 'S' => Err((Property::Space, e == 'S')),
                        'h' | 'H' => Err((Property::HorizontalSpace, e == 'H')),
                        'v' | 'V' => Err((Property::VerticalSpace, e == 'V')),
                        'p' | 'P' => Err(self.property_name(e == 'P')?),
                        'Q' => return Err(RegexError::Unsupported("`\\Q…\\E` inside a character class".into())),
                        _ => Ok(self.escaped_char(e)?),
                    }
                }
                c => Ok(c),
            };
            let lo = match lo {
                Ok(lo) => lo,
                Err((p, negated)) => {
                    items.push(Item::Property(p, negated));
                    continue;
                }
            };
            // A range `lo-hi`, unless the `-` is last (`[a-]`) or starts a nested class.
            if self.peek() == Some('-') && !matches!(self.chars.get(self.pos + 1), Some(']' | '[') | None) {
                self.pos += 1;
                let hi = match self.next_raw() {
                    Some('\\') => {
                        let Some(e) = self.next_raw() else { return Err(self.invalid("Illegal character range")) };
                        if "dDwWsShHvVpP".contains(e) {
                            return Err(self.invalid("Illegal character range"));
                        }
                        self.escaped_char(e)?
                    }
                    Some(h) => h,
                    None => return Err(self.invalid("Illegal character range")),
                };
                if hi < lo {
                    return Err(self.invalid("Illegal character range"));
                }
                items.push(Item::Range(lo, hi));
            } else {
                items.push(Item::Range(lo, lo));
            }
        }
        operands.push(items);
        // `[a&&]` and `[&&a]`: Java ignores an empty side of `&&`.
        if operands.len() > 1 {
            operands.retain(|o| !o.is_empty());
        }
        Ok(Class { negated, operands, fold })
    }
}
