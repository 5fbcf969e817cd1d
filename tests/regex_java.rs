//! Sluice's regular expressions against real `java.util.regex`: each case of
//! `tests/regex/golden.txt` (written by `tests/regex/generate.sh` with Java 17 from
//! `tests/regex/cases.txt`) holds what Java's `find`, `matches` and `replaceAll` gave, and
//! Sluice must give the same: flags, greedy and lazy quantifiers, groups, lookaround,
//! possessive and atomic groups, classes, Unicode, invalid patterns and pathological ones.
#![cfg(not(target_arch = "wasm32"))]

use sluice::engine::regex::{Regex, RegexError};

/// The inverse of the golden file's escaping: `\t \n \r \\ \uXXXX`.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).expect("a \\u escape in the golden file"));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// What Sluice gives, in the golden file's notation.
fn sluice_result(pattern: &str, text: &str) -> String {
    let re = match Regex::new(pattern) {
        Ok(re) => re,
        Err(RegexError::Invalid(_)) => return "invalid".into(),
        Err(e) => return format!("error: {e}"),
    };
    let chars: Vec<char> = text.chars().collect();
    let find = match re.find_at(&chars, 0) {
        Ok(Some(caps)) => caps.iter().map(|c| c.map_or("null".to_string(), |(s, e)| format!("{s},{e}"))).collect::<Vec<_>>().join("|"),
        Ok(None) => "-".into(),
        Err(e) => return format!("error: {e}"),
    };
    let matches = match re.full_match(text) {
        Ok(m) => m,
        Err(e) => return format!("error: {e}"),
    };
    let replaced = match re.replace_all(text, "<>") {
        Ok(r) => r,
        Err(e) => return format!("error: {e}"),
    };
    format!("find={find};matches={matches};replace={}", escape(&replaced))
}

/// Patterns Java accepts that Sluice refuses by name (a clear error, never a silent difference).
const UNSUPPORTED: &[&str] = &["\\p{InGreek}", "\\p{IsLatin}"];

#[test]
fn every_golden_case_matches_like_java() {
    let golden = include_str!("regex/golden.txt");
    let mut failures = Vec::new();
    let mut cases = 0;
    for line in golden.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [pattern, text, java] = fields[..] else { panic!("a golden line has three fields: {line}") };
        cases += 1;
        let ours = sluice_result(&unescape(pattern), &unescape(text));
        if UNSUPPORTED.contains(&unescape(pattern).as_str()) && java != "invalid" {
            if !ours.starts_with("error: regular expression construct") {
                failures.push(format!("/{pattern}/ should be refused as unsupported, not: {ours}"));
            }
            continue;
        }
        if ours != java {
            failures.push(format!("/{pattern}/ on \"{text}\":\n    java:   {java}\n    sluice: {ours}"));
        }
    }
    assert!(cases > 150, "the golden file has {cases} cases");
    assert!(failures.is_empty(), "{} of {cases} cases differ from Java:\n{}", failures.len(), failures.join("\n"));
}
