//! SQL `LIKE` patterns, compiled once per pattern and matched without backtracking.
//!
//! Flink evaluates LIKE by translating the pattern into a Java regular expression
//! (`SqlLikeUtils.sqlToRegexLike`, copied from Calcite): `%` becomes `(?s:.*)` (anything, line
//! terminators included), `_` becomes `.` (one character that is not a line terminator), the
//! escape character (only with `ESCAPE`) quotes the `_`, `%` or escape character after it, and
//! the whole value must match. Here the pattern is cut at each `%` into segments of fixed length
//! (characters and `_`); the first segment must match at the start, the last at the end, and each
//! one between is found leftmost-first in what remains. Taking the leftmost occurrence of each
//! middle segment is never wrong (any later choice leaves less room for the rest), so a match
//! costs at most O(text × pattern), never the exponential time of trying every split.

use std::fmt;

/// Why a pattern or escape is refused, with Calcite's wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LikeError {
    /// The escape is not exactly one character.
    EscapeCharacter(String),
    /// The escape character is last, or is followed by something other than `_`, `%` or itself
    /// (for SIMILAR TO: a character that is not special).
    EscapeSequence { pattern: String, index: usize },
    /// A SIMILAR TO pattern that does not translate (an unbalanced `]`, a bad `[…]`).
    RegularExpression(String),
    /// A SIMILAR TO pattern whose translation Java's regular expressions (or Sluice's) refuse.
    Regex { pattern: String, message: String },
}

impl fmt::Display for LikeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LikeError::EscapeCharacter(e) => write!(f, "Invalid escape character '{e}'"),
            LikeError::EscapeSequence { pattern, index } => write!(f, "Invalid escape sequence '{pattern}', {index}"),
            LikeError::RegularExpression(pattern) => write!(f, "Invalid regular expression '{pattern}'"),
            LikeError::Regex { pattern, message } => write!(f, "'{pattern}': {message}"),
        }
    }
}

/// The escape string of `ESCAPE 'c'`: exactly one character.
pub fn escape_char(escape: &str) -> Result<char, LikeError> {
    let mut chars = escape.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(LikeError::EscapeCharacter(escape.to_string())),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `_`: one character that is not a line terminator.
    One,
}

/// A run of tokens between two `%`; every token is one character wide.
#[derive(Clone, Debug)]
struct Segment {
    tokens: Vec<Token>,
    /// The segment's text when it has no `_`, for a fast substring search.
    literal: Option<String>,
}

impl Segment {
    fn new(tokens: Vec<Token>) -> Segment {
        let literal = tokens
            .iter()
            .map(|t| match t {
                Token::Char(c) => Some(*c),
                Token::One => None,
            })
            .collect::<Option<String>>();
        Segment { tokens, literal }
    }

    /// Whether the segment matches the text starting at byte `at`; the byte just past it if so.
    fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        if let Some(lit) = &self.literal {
            return text[at..].starts_with(lit.as_str()).then(|| at + lit.len());
        }
        let mut chars = text[at..].char_indices();
        for t in &self.tokens {
            let (_, c) = chars.next()?;
            let ok = match t {
                Token::Char(x) => c == *x,
                Token::One => !is_line_terminator(c),
            };
            if !ok {
                return None;
            }
        }
        Some(chars.next().map_or(text.len(), |(i, _)| at + i))
    }

    /// The leftmost match starting at or after byte `from`: (start, end) in bytes.
    fn find(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        if let Some(lit) = &self.literal {
            return text[from..].find(lit.as_str()).map(|i| (from + i, from + i + lit.len()));
        }
        let tail = &text[from..];
        tail.char_indices().map(|(i, _)| from + i).chain(std::iter::once(text.len())).find_map(|s| self.match_at(text, s).map(|e| (s, e)))
    }
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A compiled LIKE pattern.
#[derive(Clone, Debug)]
pub struct LikePattern {
    /// The segments between `%`s; one segment means the pattern has no `%`.
    segments: Vec<Segment>,
}

impl LikePattern {
    /// Compiles `pattern`, with `escape` the escape character of `ESCAPE` (none without it).
    pub fn new(pattern: &str, escape: Option<char>) -> Result<LikePattern, LikeError> {
        let mut segments = Vec::new();
        let mut current = Vec::new();
        let mut chars = pattern.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            if Some(c) == escape {
                match chars.next() {
                    Some((_, n)) if n == '_' || n == '%' || Some(n) == escape => current.push(Token::Char(n)),
                    // Calcite counts UTF-16 units; the index differs only after characters beyond the BMP.
                    _ => return Err(LikeError::EscapeSequence { pattern: pattern.to_string(), index: i }),
                }
            } else if c == '%' {
                segments.push(Segment::new(std::mem::take(&mut current)));
            } else if c == '_' {
                current.push(Token::One);
            } else {
                current.push(Token::Char(c));
            }
        }
        segments.push(Segment::new(current));
        Ok(LikePattern { segments })
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let (first, rest) = match self.segments.split_first() {
            Some(split) => split,
            None => return text.is_empty(),
        };
        let Some(start) = first.match_at(text, 0) else { return false };
        let Some((last, middle)) = rest.split_last() else { return start == text.len() };
        // The last segment is anchored at the end: find where it would have to start.
        let width = last.tokens.len();
        let mut tail_start = text.len();
        let mut back = text[start..].char_indices().rev();
        for _ in 0..width {
            match back.next() {
                Some((i, _)) => tail_start = start + i,
                None => return false,
            }
        }
        if last.match_at(text, tail_start) != Some(text.len()) {
            return false;
        }
        let window = &text[..tail_start];
        let mut at = start;
        for segment in middle {
            match segment.find(window, at) {
                Some((_, end)) => at = end,
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(text: &str, pattern: &str) -> bool {
        LikePattern::new(pattern, None).unwrap().matches(text)
    }

    #[test]
    fn matches_sql_wildcards() {
        assert!(like("WARNING", "WARN%"));
        assert!(like("OK", "_K"));
        assert!(!like("OK", "_"));
        assert!(like("", "%"));
        assert!(!like("", "_"));
        assert!(like("abc", "%b%"));
        assert!(like("abc", "a%c"));
        assert!(!like("ac", "a%bc"));
        assert!(like("aXbYc", "a_b_c"));
        assert!(like("aXbYc", "a%_c"));
        assert!(!like("abc", "abcd%"));
        assert!(like("aaa", "a%a"));
        assert!(!like("a", "a%a"));
        assert!(like("héllo wörld", "h_llo%w_rld"));
    }

    #[test]
    fn underscore_is_not_a_line_terminator_but_percent_takes_anything() {
        assert!(!like("a\nb", "a_b"));
        assert!(like("a\nb", "a%b"));
    }

    #[test]
    fn escapes_quote_wildcards_and_bad_ones_are_refused_with_calcites_words() {
        let p = LikePattern::new("100!%", Some('!')).unwrap();
        assert!(p.matches("100%"));
        assert!(!p.matches("1000"));
        assert!(LikePattern::new("a!_b", Some('!')).unwrap().matches("a_b"));
        assert!(!LikePattern::new("a!_b", Some('!')).unwrap().matches("axb"));
        assert!(LikePattern::new("a!!b", Some('!')).unwrap().matches("a!b"));
        let err = LikePattern::new("ab!", Some('!')).unwrap_err();
        assert_eq!(err.to_string(), "Invalid escape sequence 'ab!', 2");
        assert_eq!(LikePattern::new("!a", Some('!')).unwrap_err().to_string(), "Invalid escape sequence '!a', 0");
        assert_eq!(escape_char("ab").unwrap_err().to_string(), "Invalid escape character 'ab'");
        // Without ESCAPE a backslash is an ordinary character.
        assert!(like("a\\b", "a\\b"));
    }

    #[test]
    fn many_percent_signs_match_in_linear_time() {
        let text = "a".repeat(200);
        assert!(!like(&text, "%a%a%a%a%a%a%a%a%b"));
        assert!(like(&(text.clone() + "b"), "%a%a%a%a%a%a%a%a%b"));
    }
}

// proptest's random source does not build for wasm32: the property tests run natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// The obvious backtracking matcher, exponential but plainly right: the reference.
    fn naive(text: &[char], pattern: &[Token], percent: &[bool]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((_, rest)) if percent[0] => (0..=text.len()).any(|k| naive(&text[k..], rest, &percent[1..])),
            Some((Token::One, rest)) => text.first().is_some_and(|c| !is_line_terminator(*c)) && naive(&text[1..], rest, &percent[1..]),
            Some((Token::Char(c), rest)) => text.first() == Some(c) && naive(&text[1..], rest, &percent[1..]),
        }
    }

    fn reference(text: &str, pattern: &str, escape: Option<char>) -> Option<bool> {
        let (mut tokens, mut percent) = (Vec::new(), Vec::new());
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if Some(c) == escape {
                let n = chars.next()?;
                if n != '_' && n != '%' && Some(n) != escape {
                    return None;
                }
                tokens.push(Token::Char(n));
                percent.push(false);
            } else {
                tokens.push(if c == '_' { Token::One } else { Token::Char(c) });
                percent.push(c == '%');
            }
        }
        let text: Vec<char> = text.chars().collect();
        Some(naive(&text, &tokens, &percent))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn agrees_with_the_naive_matcher(text in "[ab\n!é%_]{0,12}", pattern in "[ab\n!é%_]{0,8}", escaped in any::<bool>()) {
            let escape = escaped.then_some('!');
            let compiled = LikePattern::new(&pattern, escape);
            let expected = reference(&text, &pattern, escape);
            match (compiled, expected) {
                (Ok(p), Some(e)) => prop_assert_eq!(p.matches(&text), e, "{:?} LIKE {:?}", text, pattern),
                (Err(_), None) => {}
                (c, e) => prop_assert!(false, "{:?} LIKE {:?}: compiled {:?}, reference {:?}", text, pattern, c.is_ok(), e),
            }
        }

        #[test]
        fn never_panics_on_any_input(text in "\\PC{0,40}", pattern in "\\PC{0,20}", escape in proptest::option::of(any::<char>())) {
            if let Ok(p) = LikePattern::new(&pattern, escape) {
                let _ = p.matches(&text);
            }
        }
    }
}
