//! Completion for the paragraph editor: the word being typed at the caret, and the keywords,
//! tables, columns and functions of the catalog that it could become.
//!
//! A little context goes a long way and stays predictable: after `FROM`, `JOIN`, `INTO` or
//! `TABLE` tables come first; after `name.` only that table's columns are offered (by table
//! name or by an alias the paragraph gives it); elsewhere the columns of the tables the
//! paragraph names come first, then functions, keywords and tables.

use serde::{Deserialize, Serialize};

use super::highlight::{tokenize, TokenKind, KEYWORDS};
use crate::plan::functions::user::UserFunction;
use crate::session::TableInfo;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateKind {
    Column,
    Table,
    Function,
    Keyword,
}

impl CandidateKind {
    pub fn name(self) -> &'static str {
        match self {
            CandidateKind::Column => "column",
            CandidateKind::Table => "table",
            CandidateKind::Function => "function",
            CandidateKind::Keyword => "keyword",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What is inserted.
    pub text: String,
    pub kind: CandidateKind,
    /// A column's type, a column's table, …
    pub detail: String,
}

/// What completion offers at a caret: the byte range of the word it replaces, and the choices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub end: usize,
    pub candidates: Vec<Candidate>,
}

/// A function completion can offer: its name and what shows beside it (a built-in's call form,
/// a user function's signature). The session's side makes the list ([`function_hints`]); the
/// page only holds it, so the page's module never links the function table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionHint {
    pub name: String,
    pub detail: String,
}

/// The functions completion offers: the session's user functions first (a `TEMPORARY SYSTEM`
/// one shadows the built-in of its name), then every built-in name and alias with its call form
/// from the function table (`LPAD(string, length, pad)`).
pub fn function_hints(user: &[UserFunction]) -> Vec<FunctionHint> {
    let user = user
        .iter()
        .map(|f| FunctionHint { name: f.name.clone(), detail: format!("{} · Python {} function", f.signature(), f.kind.name()) });
    let built_in = crate::plan::functions::names().iter().map(|name| FunctionHint {
        name: name.to_string(),
        detail: crate::plan::functions::lookup(name).map_or_else(|| "function".into(), |d| d.def().syntax.to_string()),
    });
    user.chain(built_in).collect()
}

/// At most this many choices show; typing more narrows them.
const MAX_CANDIDATES: usize = 12;

/// The completion at byte `caret` of `text`, or `None` when there is nothing worth offering
/// (no word before the caret, inside a string or comment, or the word is already complete).
pub fn complete(text: &str, caret: usize, tables: &[TableInfo], functions: &[FunctionHint]) -> Option<Completion> {
    if caret > text.len() || !text.is_char_boundary(caret) {
        return None;
    }
    // After whitespace no word is being typed (not even inside an unclosed quoted name, which no
    // candidate starts with): nothing to offer, and no need to read a pasted paragraph whole.
    if text[..caret].chars().next_back().is_none_or(char::is_whitespace) {
        return None;
    }
    let tokens = tokenize(text);
    // The token that ends at the caret (or holds it) is the word being typed.
    let current = tokens.iter().rposition(|t| t.start < caret && caret <= t.end);
    let (start, prefix) = match current.map(|i| (i, tokens[i])) {
        Some((_, t)) if matches!(t.kind, TokenKind::Keyword | TokenKind::Identifier | TokenKind::Function) => {
            (t.start, &text[t.start..caret])
        }
        Some((_, t)) if t.kind == TokenKind::Symbol && &text[t.start..t.end] == "." => (caret, ""),
        _ => return None,
    };
    let before = &tokens[..current.unwrap_or(0)];
    let words: Vec<&str> = before.iter().filter(|t| t.kind != TokenKind::Whitespace).map(|t| &text[t.start..t.end]).collect();
    // `qualifier.` right before the word: only that table's columns.
    let qualifier = if prefix.is_empty() {
        words.last().copied()
    } else {
        match words.as_slice() {
            [.., q, "."] => Some(*q),
            _ => None,
        }
    };
    let mut candidates = Vec::new();
    let matches =
        |name: &str| name.len() >= prefix.len() && name.is_char_boundary(prefix.len()) && name[..prefix.len()].eq_ignore_ascii_case(prefix);
    // A name is inserted as a query must write it: backquoted if Flink reserves it (`value`).
    let column = |table: &TableInfo, c: &crate::session::ColumnInfo| Candidate {
        text: crate::views::sample::quoted(&c.name),
        kind: CandidateKind::Column,
        detail: format!("{} · {}", c.ty, table.name),
    };
    if let Some(q) = qualifier.filter(|q| *q != ".") {
        if let Some(t) = resolve_qualifier(text, &tokens, q, tables) {
            candidates.extend(t.columns.iter().filter(|c| matches(&c.name)).map(|c| column(t, c)));
        }
    } else if prefix.is_empty() {
        return None;
    } else {
        let after_table_keyword =
            words.last().is_some_and(|w| ["FROM", "JOIN", "INTO", "TABLE", "DESCRIBE"].iter().any(|k| k.eq_ignore_ascii_case(w)));
        let named: Vec<&TableInfo> = tables.iter().filter(|t| mentions(text, &tokens, &t.name)).collect();
        let table_candidates = tables.iter().filter(|t| matches(&t.name)).map(|t| Candidate {
            text: crate::views::sample::quoted(&t.name),
            kind: CandidateKind::Table,
            detail: t.connector.clone(),
        });
        if after_table_keyword {
            candidates.extend(table_candidates.clone());
        }
        for t in &named {
            candidates.extend(t.columns.iter().filter(|c| matches(&c.name)).map(|c| column(t, c)));
        }
        // Columns of tables the paragraph does not name yet, after those it does.
        for t in tables.iter().filter(|t| !named.iter().any(|n| n.name == t.name)) {
            candidates.extend(t.columns.iter().filter(|c| matches(&c.name)).map(|c| column(t, c)));
        }
        candidates.extend(functions.iter().filter(|f| matches(&f.name)).map(|f| Candidate {
            text: in_case_of(prefix, &f.name),
            kind: CandidateKind::Function,
            detail: f.detail.clone(),
        }));
        candidates.extend(KEYWORDS.iter().filter(|k| matches(k)).map(|k| Candidate {
            text: in_case_of(prefix, k),
            kind: CandidateKind::Keyword,
            detail: "keyword".into(),
        }));
        if !after_table_keyword {
            candidates.extend(table_candidates);
        }
    }
    let mut seen = std::collections::HashSet::new();
    candidates.retain(|c| seen.insert(c.text.to_ascii_lowercase()));
    candidates.truncate(MAX_CANDIDATES);
    // A word already typed out in full offers nothing new (and Enter stays a line break).
    if candidates.len() == 1 && candidates[0].text.eq_ignore_ascii_case(prefix) {
        return None;
    }
    if candidates.is_empty() {
        return None;
    }
    let end = caret + text[caret..].find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len() - caret);
    Some(Completion { start, end, candidates })
}

/// Keywords and functions follow the case the person types in: `sel` → `select`.
fn in_case_of(prefix: &str, word: &str) -> String {
    if !prefix.is_empty() && prefix.chars().all(|c| !c.is_alphabetic() || c.is_lowercase()) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

fn mentions(text: &str, tokens: &[super::highlight::Token], name: &str) -> bool {
    tokens.iter().any(|t| matches!(t.kind, TokenKind::Identifier) && text[t.start..t.end].eq_ignore_ascii_case(name))
}

/// The table `q` stands for: a table by that name, or the table an alias `q` follows
/// (`FROM sensor_data s`, `FROM sensor_data AS s`).
fn resolve_qualifier<'a>(text: &str, tokens: &[super::highlight::Token], q: &str, tables: &'a [TableInfo]) -> Option<&'a TableInfo> {
    let unquote = |s: &str| s.trim_matches(|c| c == '`' || c == '"').to_string();
    let q = unquote(q);
    if let Some(t) = tables.iter().find(|t| t.name.eq_ignore_ascii_case(&q)) {
        return Some(t);
    }
    let words: Vec<&str> =
        tokens.iter().filter(|t| t.kind != TokenKind::Whitespace && t.kind != TokenKind::Comment).map(|t| &text[t.start..t.end]).collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let table = tables.iter().find(|t| t.name.eq_ignore_ascii_case(&unquote(w)))?;
        let alias = match words.get(i + 1) {
            Some(a) if a.eq_ignore_ascii_case("AS") => words.get(i + 2)?,
            Some(a) => a,
            None => return None,
        };
        unquote(alias).eq_ignore_ascii_case(&q).then_some(table)
    })
}

/// A byte offset into `text` from a UTF-16 offset (what a textarea's selection reports).
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset of a byte offset (to put a textarea's caret there).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::ColumnInfo;
    use crate::types::{DataType, SqlType};

    fn catalog() -> Vec<TableInfo> {
        let table = |name: &str, columns: &[(&str, DataType)]| TableInfo {
            name: name.into(),
            columns: columns.iter().map(|(n, t)| ColumnInfo::new(*n, SqlType::nullable(t.clone()))).collect(),
            watermark: None,
            connector: "kinesis".into(),
            stream: None,
        };
        vec![
            table(
                "sensor_data",
                &[("sensor_id", DataType::Int), ("current_temperature", DataType::Double), ("status", DataType::Varchar(6))],
            ),
            table("sensor_state", &[("status", DataType::Varchar(6)), ("num", DataType::Int)]),
        ]
    }

    fn texts(c: &Option<Completion>) -> Vec<&str> {
        c.as_ref().map(|c| c.candidates.iter().map(|c| c.text.as_str()).collect()).unwrap_or_default()
    }

    const FUNCTIONS: &[FunctionHint] = &[];

    fn functions() -> Vec<FunctionHint> {
        ["COUNT", "CURRENT_TIMESTAMP", "SUM"].iter().map(|n| FunctionHint { name: n.to_string(), detail: "function".into() }).collect()
    }

    #[test]
    fn columns_of_named_tables_come_first_then_functions_and_keywords() {
        let text = "SELECT cur FROM sensor_data";
        let c = complete(text, 10, &catalog(), &functions());
        assert_eq!(texts(&c), ["current_temperature", "current_timestamp", "current"]);
        let c = c.unwrap();
        assert_eq!((c.start, c.end), (7, 10));
        assert_eq!(c.candidates[0].kind, CandidateKind::Column);
        assert_eq!(c.candidates[0].detail, "DOUBLE · sensor_data");
    }

    #[test]
    fn functions_show_their_call_form_and_user_functions_come_first_with_their_signature() {
        use crate::plan::functions::user::{UserFunctionKind, UserSignature};
        let c_to_f = UserFunction::new(
            "c_to_f",
            "udfs.c_to_f",
            UserSignature {
                kind: UserFunctionKind::Scalar,
                params: Some(vec![DataType::Double]),
                result: DataType::Double,
                deterministic: true,
            },
        );
        let hints = function_hints(&[c_to_f]);
        let c = complete("SELECT c", 8, &[], &hints).unwrap();
        assert_eq!(c.candidates[0].text, "c_to_f");
        assert_eq!(c.candidates[0].detail, "c_to_f(DOUBLE) → DOUBLE · Python scalar function");
        let c = complete("SELECT LPA", 10, &[], &hints).unwrap();
        assert_eq!((c.candidates[0].text.as_str(), c.candidates[0].detail.as_str()), ("LPAD", "LPAD(string, length, pad)"));
        // An aggregate has no entry in the scalar table: it still shows, as a function.
        assert!(hints.iter().any(|h| h.name == "COUNT" && h.detail == "function"));
    }

    #[test]
    fn after_from_tables_come_first() {
        let text = "SELECT * FROM sens";
        assert_eq!(texts(&complete(text, text.len(), &catalog(), FUNCTIONS)), ["sensor_data", "sensor_state", "sensor_id"]);
    }

    #[test]
    fn a_name_flink_reserves_is_offered_backquoted() {
        let mut tables = catalog();
        tables[1].columns.push(ColumnInfo::new("value", SqlType::nullable(DataType::Int)));
        let text = "SELECT s.va FROM sensor_state AS s";
        assert_eq!(texts(&complete(text, 11, &tables, FUNCTIONS)), ["`value`"]);
    }

    #[test]
    fn a_qualifier_offers_only_its_tables_columns_by_name_or_alias() {
        let text = "SELECT s. FROM sensor_state AS s";
        assert_eq!(texts(&complete(text, 9, &catalog(), FUNCTIONS)), ["status", "num"]);
        let text = "SELECT sensor_data.st FROM sensor_data";
        assert_eq!(texts(&complete(text, 21, &catalog(), FUNCTIONS)), ["status"]);
    }

    #[test]
    fn keywords_follow_the_typed_case_and_nothing_shows_when_done() {
        assert_eq!(texts(&complete("sel", 3, &catalog(), FUNCTIONS)), ["select"]);
        assert_eq!(complete("SELECT", 6, &catalog(), FUNCTIONS), None);
        assert_eq!(complete("SELECT 'cur", 11, &catalog(), FUNCTIONS), None);
        assert_eq!(complete("SELECT ", 7, &catalog(), FUNCTIONS), None);
        assert_eq!(complete("-- cur", 6, &catalog(), FUNCTIONS), None);
        assert_eq!(complete("%flink.ssql", 11, &catalog(), FUNCTIONS), None);
        // After whitespace, even inside an unclosed quoted name, nothing is being typed.
        assert_eq!(complete("SELECT `sensor ", 15, &catalog(), FUNCTIONS), None);
        assert_eq!(complete("SELECT\n", 7, &catalog(), FUNCTIONS), None);
        assert_eq!(complete("", 0, &catalog(), FUNCTIONS), None);
    }

    #[test]
    fn utf16_offsets_map_to_bytes_and_back() {
        let text = "é😀x";
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(byte_offset(text, 99), text.len());
        assert_eq!(utf16_offset(text, 6), 3);
    }
}
