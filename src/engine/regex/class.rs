//! Character classes as `java.util.regex.Pattern` reads them: `[…]` with ranges, negation,
//! nested classes and intersections (`[a-z&&[^aeiou]]`), the predefined `\d \w \s \h \v`, the
//! POSIX (US-ASCII) `\p{Alpha}` family, Unicode general categories (Java's own tables, in
//! [`super::unicode_tables`]) and the Unicode properties the standard library answers exactly,
//! and case-insensitive matching (`(?i)`, ASCII only unless `(?u)`).

use super::unicode_tables::CATEGORIES;

/// How letters compare: exactly, ASCII case-insensitively (`(?i)`), or Unicode
/// case-insensitively (`(?iu)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    None,
    Ascii,
    Unicode,
}

/// One simple case mapping (Java's `Character.toLowerCase`), or the character itself.
pub fn simple_lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

pub fn simple_upper(c: char) -> char {
    let mut u = c.to_uppercase();
    match (u.next(), u.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// Whether two characters are equal under `fold`, as Java's `SingleI`/`SingleU` compare.
pub fn chars_equal(a: char, b: char, fold: Fold) -> bool {
    a == b
        || match fold {
            Fold::None => false,
            Fold::Ascii => a.is_ascii() && b.is_ascii() && a.eq_ignore_ascii_case(&b),
            Fold::Unicode => simple_upper(a) == simple_upper(b) || simple_lower(simple_upper(a)) == simple_lower(simple_upper(b)),
        }
}

/// A named set of characters: `\d`, `\p{Alpha}`, `\p{IsAlphabetic}`, …
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    Digit,
    Word,
    Space,
    HorizontalSpace,
    VerticalSpace,
    Lower,
    Upper,
    Ascii,
    Alpha,
    Alnum,
    Punct,
    Graph,
    Print,
    Blank,
    Cntrl,
    XDigit,
    /// `\p{IsAlphabetic}`: Unicode's Alphabetic property.
    Alphabetic,
    /// `\p{IsLowercase}`, `\p{javaLowerCase}`: Unicode's Lowercase property.
    Lowercase,
    /// `\p{IsUppercase}`, `\p{javaUpperCase}`: Unicode's Uppercase property.
    Uppercase,
    /// `\p{IsWhite_Space}`: Unicode's White_Space property.
    WhiteSpace,
    /// `\p{N}`: general categories Nd, Nl, No.
    Numeric,
    /// `\p{Cc}`, `\p{IsControl}`.
    Control,
    /// `\p{all}`.
    All,
    /// `\p{IsLowercase}` and `\p{IsUppercase}` under `(?i)`: a character with case.
    Cased,
    /// Unicode general categories (`\p{L}`, `\p{Lu}`, `\p{Nd}`, …): a bit per entry of
    /// [`CATEGORIES`], plus [`UNASSIGNED`] for `Cn`.
    Category(u64),
}

/// The bit of `Cn` (unassigned) in [`Property::Category`].
const UNASSIGNED: u64 = 1 << 63;

/// The categories a `\p{…}` name covers, as a [`Property::Category`] mask.
fn category_mask(name: &str) -> Option<u64> {
    let bit = |cat: &str| CATEGORIES.iter().position(|(n, _)| *n == cat).map(|i| 1u64 << i);
    let mask = match name {
        "Cn" => UNASSIGNED,
        "C" => bit("Cc")? | bit("Cf")? | bit("Co")? | UNASSIGNED,
        "LC" => bit("Lu")? | bit("Ll")? | bit("Lt")?,
        "L" | "M" | "N" | "P" | "S" | "Z" => {
            CATEGORIES.iter().enumerate().filter(|(_, (n, _))| n.starts_with(name)).fold(0, |m, (i, _)| m | 1 << i)
        }
        _ => bit(name)?,
    };
    Some(mask)
}

/// Java 17's `\b` word character: `Character.isLetterOrDigit` (categories L and Nd) or `_`.
pub fn is_boundary_word(c: char) -> bool {
    c == '_'
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii() && category_mask("L").zip(category_mask("Nd")).is_some_and(|(l, nd)| in_category(l | nd, c)))
}

/// A non-spacing mark (category Mn), which `\b` counts with the letter it follows.
pub fn is_nonspacing_mark(c: char) -> bool {
    !c.is_ascii() && category_mask("Mn").is_some_and(|m| in_category(m, c))
}

fn in_category(mask: u64, c: char) -> bool {
    let cp = c as u32;
    let found = |ranges: &[(u32, u32)]| {
        ranges
            .binary_search_by(|&(lo, hi)| {
                if hi < cp {
                    std::cmp::Ordering::Less
                } else if lo > cp {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    };
    if mask & UNASSIGNED != 0 && !CATEGORIES.iter().any(|(_, r)| found(r)) {
        return true;
    }
    CATEGORIES.iter().enumerate().any(|(i, (_, r))| mask & (1 << i) != 0 && found(r))
}

impl Property {
    /// The property `\p{name}` names, if Sluice can answer it exactly. Under `(?i)` Java makes
    /// the lower- and upper-case classes match either case.
    pub fn named(name: &str, case_insensitive: bool) -> Option<Property> {
        use Property as P;
        Some(match name {
            "Lower" | "Upper" if case_insensitive => P::Alpha,
            "IsLowercase" | "IsLowerCase" | "javaLowerCase" | "IsUppercase" | "IsUpperCase" | "javaUpperCase" if case_insensitive => {
                P::Cased
            }
            "Lower" => P::Lower,
            "Upper" => P::Upper,
            "ASCII" => P::Ascii,
            "Alpha" => P::Alpha,
            "Digit" => P::Digit,
            "Alnum" => P::Alnum,
            "Punct" => P::Punct,
            "Graph" => P::Graph,
            "Print" => P::Print,
            "Blank" => P::Blank,
            "Cntrl" => P::Cntrl,
            "XDigit" => P::XDigit,
            "Space" => P::Space,
            "all" => P::All,
            "N" | "IsN" | "gc=N" | "general_category=N" => P::Numeric,
            "Cc" | "IsCc" | "IsControl" | "gc=Cc" => P::Control,
            "IsAlphabetic" => P::Alphabetic,
            "IsLowercase" | "IsLowerCase" | "javaLowerCase" => P::Lowercase,
            "IsUppercase" | "IsUpperCase" | "javaUpperCase" => P::Uppercase,
            "IsWhite_Space" | "IsWhiteSpace" | "IsWhite Space" => P::WhiteSpace,
            "javaDigit" => P::Category(category_mask("Nd")?),
            "javaLetter" => P::Category(category_mask("L")?),
            "javaLetterOrDigit" => P::Category(category_mask("L")? | category_mask("Nd")?),
            _ => {
                let category = ["Is", "gc=", "general_category="].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name);
                // Java: with CASE_INSENSITIVE, Lu, Ll and Lt each match all three.
                let category = if case_insensitive && matches!(category, "Lu" | "Ll" | "Lt") { "LC" } else { category };
                P::Category(category_mask(category)?)
            }
        })
    }

    /// Whether Java knows `\p{name}` (a general category, script, block, binary property or
    /// `java…` method), so that one Sluice lacks is unsupported rather than invalid.
    pub fn java_knows(name: &str) -> bool {
        const CATEGORIES: &[&str] = &[
            "L", "LC", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf",
            "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs", "Cn",
        ];
        let bare = name.strip_prefix("Is").unwrap_or(name);
        CATEGORIES.contains(&bare)
            || name.starts_with("In")
            || name.starts_with("Is")
            || name.starts_with("java")
            || ["gc=", "general_category=", "sc=", "script=", "blk=", "block="].iter().any(|p| name.starts_with(p))
    }

    pub fn contains(self, c: char) -> bool {
        use Property as P;
        match self {
            P::Digit => c.is_ascii_digit(),
            P::Word => c.is_ascii_alphanumeric() || c == '_',
            P::Space => matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'),
            P::HorizontalSpace => {
                matches!(
                    c,
                    ' ' | '\t' | '\u{A0}' | '\u{1680}' | '\u{180E}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
                )
            }
            P::VerticalSpace => matches!(c, '\n' | '\x0B' | '\x0C' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'),
            P::Lower => c.is_ascii_lowercase(),
            P::Upper => c.is_ascii_uppercase(),
            P::Ascii => c.is_ascii(),
            P::Alpha => c.is_ascii_alphabetic(),
            P::Alnum => c.is_ascii_alphanumeric(),
            P::Punct => c.is_ascii_punctuation(),
            P::Graph => c.is_ascii_graphic(),
            P::Print => c.is_ascii_graphic() || c == ' ',
            P::Blank => c == ' ' || c == '\t',
            P::Cntrl => c.is_ascii_control(),
            P::XDigit => c.is_ascii_hexdigit(),
            P::Alphabetic => c.is_alphabetic(),
            P::Lowercase => c.is_lowercase(),
            P::Uppercase => c.is_uppercase(),
            P::WhiteSpace => c.is_whitespace(),
            P::Numeric => c.is_numeric(),
            P::Control => c.is_control(),
            P::All => true,
            P::Cased => c.is_lowercase() || c.is_uppercase() || simple_lower(c) != c || simple_upper(c) != c,
            P::Category(mask) => in_category(mask, c),
        }
    }
}

/// One member of a class's union.
#[derive(Clone, Debug)]
pub enum Item {
    /// `a`, `a-z`: compared under the class's fold.
    Range(char, char),
    /// `\d`, `\P{Alpha}`, …: `true` when negated.
    Property(Property, bool),
    /// A nested `[…]`.
    Class(Box<Class>),
}

/// `[…]`: the intersection of `operands` (split at `&&`), each the union of its items, then
/// negated when `[^…]`.
#[derive(Clone, Debug)]
pub struct Class {
    pub negated: bool,
    pub operands: Vec<Vec<Item>>,
    pub fold: Fold,
}

impl Class {
    /// A class of one property, for `\d` and friends outside brackets.
    pub fn property(p: Property, negated: bool) -> Class {
        Class { negated: false, operands: vec![vec![Item::Property(p, negated)]], fold: Fold::None }
    }

    /// Whether `c` is in the class. Nesting is bounded by the parser's depth limit.
    pub fn matches(&self, c: char) -> bool {
        let hit = self.operands.iter().all(|items| items.iter().any(|i| self.item_matches(i, c)));
        hit != self.negated
    }

    fn item_matches(&self, item: &Item, c: char) -> bool {
        match item {
            Item::Range(lo, hi) => {
                let within = |x: char| *lo <= x && x <= *hi;
                within(c)
                    || match self.fold {
                        Fold::None => false,
                        Fold::Ascii => c.is_ascii() && (within(c.to_ascii_uppercase()) || within(c.to_ascii_lowercase())),
                        Fold::Unicode => within(simple_upper(c)) || within(simple_lower(c)),
                    }
            }
            Item::Property(p, negated) => p.contains(c) != *negated,
            Item::Class(inner) => inner.matches(c),
        }
    }
}
