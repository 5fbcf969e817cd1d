//! SQL `SIMILAR TO` patterns, translated into a Java regular expression the way Flink does it
//! (`SqlLikeUtils.sqlToRegexSimilar`, copied from Calcite) and run by [`super::regex`], which
//! never backtracks without bound.
//!
//! The translation: `_` is `.`, `%` is `(?s:.*)`, `[…]` is a character class (with `[:ALPHA:]`
//! and friends), `\` and `$` are quoted, everything else (`| * + ? {m,n} ( )`, and also `.` and
//! `^`) passes through as Java reads it. The escape character quotes the special character after
//! it. The value must match as a whole (`Pattern.matches`).

use super::like::LikeError;
use super::regex::Regex;

/// The characters special in a SIMILAR TO pattern.
const SQL_SPECIALS: &str = "[]()|^-+*_%?{}";
/// The characters special in a Java regular expression.
const JAVA_SPECIALS: &str = "[]()|^-+*?{}$\\.";
/// POSIX-like class names allowed inside `[…]`, and their Java spelling.
const CHAR_CLASSES: [(&str, &str); 14] = [
    ("[:ALPHA:]", "\\p{Alpha}"),
    ("[:alpha:]", "\\p{Alpha}"),
    ("[:UPPER:]", "\\p{Upper}"),
    ("[:upper:]", "\\p{Upper}"),
    ("[:LOWER:]", "\\p{Lower}"),
    ("[:lower:]", "\\p{Lower}"),
    ("[:DIGIT:]", "\\d"),
    ("[:digit:]", "\\d"),
    ("[:SPACE:]", " "),
    ("[:space:]", " "),
    ("[:WHITESPACE:]", "\\s"),
    ("[:whitespace:]", "\\s"),
    ("[:ALNUM:]", "\\p{Alnum}"),
    ("[:alnum:]", "\\p{Alnum}"),
];

/// A compiled SIMILAR TO pattern.
#[derive(Clone, Debug)]
pub struct SimilarPattern {
    regex: Regex,
}

impl SimilarPattern {
    pub fn new(pattern: &str, escape: Option<char>) -> Result<SimilarPattern, LikeError> {
        let java = to_java_regex(pattern, escape)?;
        let regex = Regex::new(&java).map_err(|e| LikeError::Regex { pattern: pattern.to_string(), message: e.to_string() })?;
        Ok(SimilarPattern { regex })
    }

    /// Whether the whole of `text` matches; an error when the match exceeds its work budget.
    pub fn matches(&self, text: &str) -> Result<bool, super::regex::RegexError> {
        self.regex.full_match(text)
    }
}

fn special(set: &str, c: char) -> bool {
    set.contains(c)
}

/// SQL 2003 part 2, 8.6 general rules 3.b and 3.c, as Calcite checks them.
fn check_escapes(pattern: &[char], text: &str, escape: char) -> Result<(), LikeError> {
    let bad = |index: usize| LikeError::EscapeSequence { pattern: text.to_string(), index };
    if special(SQL_SPECIALS, escape) {
        for (i, &c) in pattern.iter().enumerate() {
            if c == escape {
                match pattern.get(i + 1) {
                    None => return Err(bad(i)),
                    Some(&n) if !special(SQL_SPECIALS, n) && n != escape => return Err(bad(i)),
                    _ => {}
                }
            }
        }
    }
    if escape == ':' && !(text.contains("[:") && text.contains(":]")) {
        // Calcite reports position -1 here; 0 is the nearest a position can be.
        return Err(bad(0));
    }
    Ok(())
}

/// The Java regular expression for a SIMILAR TO pattern.
pub fn to_java_regex(text: &str, escape: Option<char>) -> Result<String, LikeError> {
    let p: Vec<char> = text.chars().collect();
    if let Some(e) = escape {
        check_escapes(&p, text, e)?;
    }
    let invalid = || LikeError::RegularExpression(text.to_string());
    let bad_escape = |index: usize| LikeError::EscapeSequence { pattern: text.to_string(), index };
    let mut out = String::with_capacity(p.len() * 2);
    let mut in_class = false;
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        if Some(c) == escape {
            let Some(&n) = p.get(i + 1) else { return Err(bad_escape(i)) };
            if special(SQL_SPECIALS, n) {
                if special(JAVA_SPECIALS, n) {
                    out.push('\\');
                }
                out.push(n);
            } else if Some(n) == escape {
                out.push(n);
            } else {
                return Err(bad_escape(i));
            }
            i += 2;
            continue;
        }
        match c {
            '_' => out.push('.'),
            '%' => out.push_str("(?s:.*)"),
            '[' => {
                out.push('[');
                in_class = true;
                i = class(&p, text, i + 1, escape, &mut out)?;
                continue;
            }
            ']' if !in_class => return Err(invalid()),
            ']' => {
                in_class = false;
                out.push(']');
            }
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err(invalid());
    }
    Ok(out)
}

/// The inside of `[…]` from index `i`; returns the index of the closing `]` (or the end).
fn class(p: &[char], text: &str, mut i: usize, escape: Option<char>, out: &mut String) -> Result<usize, LikeError> {
    let invalid = || LikeError::RegularExpression(text.to_string());
    while i < p.len() {
        let c = p[i];
        if c == ']' {
            return Ok(i);
        } else if Some(c) == escape {
            i += 1;
            let Some(&n) = p.get(i) else { return Err(LikeError::EscapeSequence { pattern: text.to_string(), index: i - 1 }) };
            if special(SQL_SPECIALS, n) {
                if special(JAVA_SPECIALS, n) {
                    out.push('\\');
                }
                out.push(n);
            } else if Some(n) == escape {
                out.push(n);
            } else {
                return Err(invalid());
            }
        } else if c == '-' || c == '^' {
            out.push(c);
        } else if c == '[' && p.get(i + 1) == Some(&':') {
            let rest: String = p[i..p.len().min(i + 16)].iter().collect();
            let Some((name, java)) = CHAR_CLASSES.iter().find(|(name, _)| rest.starts_with(name)) else { return Err(invalid()) };
            out.push_str(java);
            i += name.chars().count() - 1;
        } else if special(SQL_SPECIALS, c) {
            return Err(invalid());
        } else {
            out.push(c);
        }
        i += 1;
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn similar(text: &str, pattern: &str) -> bool {
        SimilarPattern::new(pattern, None).unwrap().matches(text).unwrap()
    }

    #[test]
    fn translates_like_calcite() {
        assert_eq!(to_java_regex("a_b%", None).unwrap(), "a.b(?s:.*)");
        assert_eq!(to_java_regex("[[:ALPHA:]-]+", None).unwrap(), "[\\p{Alpha}-]+");
        assert_eq!(to_java_regex("100$", None).unwrap(), "100\\$");
        assert_eq!(to_java_regex("a!%", Some('!')).unwrap(), "a%");
        assert_eq!(to_java_regex("a!*", Some('!')).unwrap(), "a\\*");
    }

    #[test]
    fn matches_whole_values() {
        assert!(similar("abc", "abc"));
        assert!(!similar("abcd", "abc"));
        assert!(similar("abc", "%(b|x)%"));
        assert!(similar("aaa", "a+"));
        assert!(similar("ab7", "[a-z]{2}[[:DIGIT:]]"));
        assert!(!similar("a\nb", "a_b"));
        assert!(similar("a\nb", "a%b"));
    }

    #[test]
    fn refuses_bad_patterns_with_calcites_words() {
        assert_eq!(SimilarPattern::new("a]", None).unwrap_err().to_string(), "Invalid regular expression 'a]'");
        assert_eq!(SimilarPattern::new("[a", None).unwrap_err().to_string(), "Invalid regular expression '[a'");
        assert_eq!(SimilarPattern::new("a%%", Some('%')).unwrap_err().to_string(), "Invalid escape sequence 'a%%', 2");
        assert_eq!(SimilarPattern::new("ab!", Some('!')).unwrap_err().to_string(), "Invalid escape sequence 'ab!', 2");
    }
}
