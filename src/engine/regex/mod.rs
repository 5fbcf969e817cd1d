//! Regular expressions with `java.util.regex` semantics, for REGEXP, REGEXP_EXTRACT,
//! REGEXP_REPLACE and SIMILAR TO (no regex crate: the wasm build stays small, and Java's
//! leftmost-first semantics differ from the crates' leftmost-longest or RE2 rules).
//!
//! [`parse`] reads the pattern (flags `(?idmsux)` and scoped `(?i:…)` resolved there),
//! [`compile`] turns it into a small program, and [`vm`] runs that program by backtracking on a
//! heap stack, remembering explored states so that time stays O(program × text) — see `vm` for
//! the bounds. Supported: literals and escapes (`\t \n \xhh \x{h…} \uhhhh \0oo \cX`, `\Q…\E`), `.`,
//! classes with ranges, negation, nesting and intersection (`[a-z&&[^aeiou]]`), `\d \w \s \h \v`
//! and their negations, `\R`, `\p{…}` for the POSIX classes, general categories and the Unicode properties in
//! [`class::Property`], groups (named too, `\k<name>`), lookahead and bounded lookbehind, atomic
//! groups, greedy, lazy and possessive quantifiers, anchors `^ $ \A \z \Z \b \B`, and
//! back-references. Anything else Java accepts is [`RegexError::Unsupported`], naming the
//! construct, never a silent difference.
//!
//! Positions are in characters (Java counts UTF-16 units; the two differ only beyond the BMP).

pub mod class;
pub mod compile;
pub mod parse;
mod unicode_tables;
pub mod vm;

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegexError {
    /// Java would reject the pattern too (Flink's functions then give NULL).
    Invalid(String),
    /// Java accepts it, Sluice's matcher does not.
    Unsupported(String),
    /// The match took more than its budget of steps.
    TooComplex { steps: u64 },
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegexError::Invalid(m) => write!(f, "invalid regular expression: {m}"),
            RegexError::Unsupported(m) => write!(f, "regular expression construct {m} is not supported by Sluice"),
            RegexError::TooComplex { steps } => {
                write!(f, "the regular expression needs more than {steps} steps on this value (it backtracks too much; simplify it)")
            }
        }
    }
}

/// A compiled pattern.
pub struct Regex {
    program: compile::Program,
    groups: usize,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Regex({} instructions, {} groups)", self.program.insts.len(), self.groups)
    }
}

impl Clone for Regex {
    fn clone(&self) -> Regex {
        let p = &self.program;
        Regex {
            program: compile::Program {
                insts: p.insts.clone(),
                classes: p.classes.clone(),
                memos: p.memos,
                marks: p.marks,
                looks: p.looks,
                slots: p.slots,
                has_backrefs: p.has_backrefs,
                anchored: p.anchored,
                first: p.first,
            },
            groups: self.groups,
        }
    }
}

/// Capture groups of a match: `(start, end)` in characters, group 0 being the whole match.
pub type Captures = Vec<Option<(usize, usize)>>;

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, RegexError> {
        let parsed = parse::parse(pattern)?;
        let program = compile::compile(&parsed.root, parsed.groups)?;
        Ok(Regex { program, groups: parsed.groups })
    }

    /// The number of capturing groups.
    pub fn groups(&self) -> usize {
        self.groups
    }

    fn captures(&self, vm: &vm::Vm<'_>) -> Captures {
        (0..=self.groups)
            .map(|g| match (vm.slots[2 * g], vm.slots[2 * g + 1]) {
                (s, e) if s != usize::MAX && e != usize::MAX && s <= e => Some((s, e)),
                _ => None,
            })
            .collect()
    }

    /// The first match at or after character `from` (Java's `Matcher.find`).
    pub fn find_at(&self, text: &[char], from: usize) -> Result<Option<Captures>, RegexError> {
        let mut vm = vm::Vm::new(&self.program, text);
        Ok(vm.search(from, false)?.then(|| self.captures(&vm)))
    }

    pub fn is_match(&self, text: &str) -> Result<bool, RegexError> {
        let chars: Vec<char> = text.chars().collect();
        vm::Vm::new(&self.program, &chars).search(0, false)
    }

    /// Whether the whole text matches (Java's `Matcher.matches`, `Pattern.matches`).
    pub fn full_match(&self, text: &str) -> Result<bool, RegexError> {
        let chars: Vec<char> = text.chars().collect();
        vm::Vm::new(&self.program, &chars).search(0, true)
    }

    /// `text.replaceAll(regex, Matcher.quoteReplacement(replacement))`: every match replaced by
    /// the literal replacement. One budget of steps covers the whole call.
    pub fn replace_all(&self, text: &str, replacement: &str) -> Result<String, RegexError> {
        let chars: Vec<char> = text.chars().collect();
        let mut vm = vm::Vm::new(&self.program, &chars);
        let mut out = String::with_capacity(text.len());
        let (mut copied, mut search) = (0, 0);
        while search <= chars.len() {
            if !vm.search(search, false)? {
                break;
            }
            let Some((s, e)) = self.captures(&vm)[0] else { break };
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
        assert!(matches!(Regex::new("\\p{InGreek}"), Err(RegexError::Unsupported(m)) if m.contains("InGreek")));
        assert!(matches!(Regex::new("(?U)a"), Err(RegexError::Unsupported(_))));
        assert!(matches!(Regex::new("\\G"), Err(RegexError::Unsupported(_))));
        assert!(matches!(Regex::new("(ab"), Err(RegexError::Invalid(_))));
        assert!(matches!(Regex::new("*a"), Err(RegexError::Invalid(_))));
        assert!(matches!(Regex::new("[z-a]"), Err(RegexError::Invalid(_))));
        assert!(matches!(Regex::new("(?<=(ab)+)c"), Err(RegexError::Invalid(m)) if m.contains("maximum length")));
        let deep = "(".repeat(500) + &")".repeat(500);
        assert!(matches!(Regex::new(&deep), Err(RegexError::Unsupported(m)) if m.contains("nesting")));
        assert!(matches!(Regex::new("((ab){1000}){1000}"), Err(RegexError::Unsupported(m)) if m.contains("large")));
    }

    #[test]
    fn java_flags_lookbehind_atomic_and_possessive_work() {
        assert_eq!(extract("say OK", "(?i)ok", 0).as_deref(), Some("OK"));
        assert_eq!(extract("say OK", "(?i:o)K", 0).as_deref(), Some("OK"));
        assert_eq!(extract("say oK", "(?i)o(?-i)K", 0).as_deref(), Some("oK"));
        assert_eq!(extract("say ok", "(?i)o(?-i)K", 0), None);
        assert_eq!(extract("É", "(?i)é", 0), None);
        assert_eq!(extract("É", "(?iu)é", 0).as_deref(), Some("É"));
        assert_eq!(extract("a\nb", "a.b", 0), None);
        assert_eq!(extract("a\nb", "(?s)a.b", 0).as_deref(), Some("a\nb"));
        assert_eq!(extract("x\nab", "(?m)^ab$", 0).as_deref(), Some("ab"));
        assert_eq!(extract("a b", "(?x) a \\  b # comment", 0).as_deref(), Some("a b"));
        assert_eq!(extract("price: $10", "(?<=\\$)\\d+", 0).as_deref(), Some("10"));
        assert_eq!(extract("x 10 $20", "(?<!\\$)\\b\\d+", 0).as_deref(), Some("10"));
        assert_eq!(extract("aaa", "(?>a+)a", 0), None);
        assert_eq!(extract("aaa", "a++a", 0), None);
        assert_eq!(extract("aaab", "a*+b", 0).as_deref(), Some("aaab"));
        assert_eq!(extract("Ab1", "\\p{Upper}\\p{Lower}\\p{Digit}", 0).as_deref(), Some("Ab1"));
        assert_eq!(extract("abe", "[a-z&&[^aeiou]]", 0).as_deref(), Some("b"));
        assert_eq!(extract("a\r\nb", "a\\Rb", 0).as_deref(), Some("a\r\nb"));
        assert_eq!(extract("abab", "(?<x>ab)\\k<x>", 0).as_deref(), Some("abab"));
    }

    #[test]
    fn long_inputs_and_pathological_patterns_finish() {
        let text = "a".repeat(200_000) + "b";
        assert!(Regex::new("^a*b$").unwrap().is_match(&text).unwrap());
        assert!(Regex::new(".*b").unwrap().is_match(&text).unwrap());
        // Repeated groups no longer nest a call per repetition.
        assert!(Regex::new("^(ab)*$").unwrap().is_match(&"ab".repeat(100_000)).unwrap());
        assert_eq!(extract(&"ab".repeat(5000), "^(ab)*$", 1).as_deref(), Some("ab"));
        // Catastrophic backtracking is remembered away: the answer, not an error.
        let evil = "a".repeat(5000);
        assert!(!Regex::new("(a|aa)*c").unwrap().is_match(&evil).unwrap());
        assert!(!Regex::new("(a*)*b").unwrap().is_match(&evil).unwrap());
        assert!(!Regex::new("^(a+)+$").unwrap().is_match(&(evil.clone() + "!")).unwrap());
        assert!(!Regex::new("a*a*a*a*a*a*a*b").unwrap().is_match(&evil).unwrap());
        // With a back-reference nothing can be remembered: the budget stops it with an error.
        let backref = Regex::new("^(a|aa)*\\1c").unwrap();
        assert!(matches!(backref.is_match(&"a".repeat(60)), Err(RegexError::TooComplex { .. })));
    }
}

// proptest's random source does not build for wasm32: the property tests run natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Any pattern built from regex syntax, on any text: an answer or an error, never a panic.
        #[test]
        fn random_patterns_never_panic(
            pattern in "([ab.^$|*+?(){}\\[\\]\\-\\\\&:=!<>,0-9iPpQEdwsbBkRz]|\\(\\?[imsxdu\\-:=!<>]){0,24}",
            text in "[ab\n_1é ]{0,30}",
        ) {
            if let Ok(re) = Regex::new(&pattern) {
                let chars: Vec<char> = text.chars().collect();
                let _ = re.find_at(&chars, 0);
                let _ = re.full_match(&text);
                let _ = re.replace_all(&text, "x");
            }
        }
    }
}
