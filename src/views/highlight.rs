//! SQL highlighting for the paragraph editor: a small tokenizer for Flink SQL (keywords,
//! identifiers, function names, strings, numbers, comments, and the `%flink.ssql(...)`
//! interpreter line) and the HTML the editor lays under its textarea.
//!
//! Tokens cover every byte of the text, in order, so the HTML shows exactly the typed text and
//! the two layers line up character for character. It never fails: text the tokenizer does not
//! understand (an unterminated string, a stray `$`) is still a token, so typing never breaks
//! the colours of what comes before.

use crate::sql::Location;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// The paragraph's `%flink.ssql(type=update)` line.
    Interpreter,
    Keyword,
    /// A name followed by `(`: `COUNT(`, `HOP(`.
    Function,
    Identifier,
    /// `'text'`, with `''` inside.
    String,
    Number,
    /// `-- …` to the end of the line, or `/* … */`.
    Comment,
    /// Operators and punctuation.
    Symbol,
    Whitespace,
}

impl TokenKind {
    /// The CSS class the editor styles it with.
    pub fn class(self) -> &'static str {
        match self {
            TokenKind::Interpreter => "tok-interpreter",
            TokenKind::Keyword => "tok-keyword",
            TokenKind::Function => "tok-function",
            TokenKind::Identifier => "tok-ident",
            TokenKind::String => "tok-string",
            TokenKind::Number => "tok-number",
            TokenKind::Comment => "tok-comment",
            TokenKind::Symbol => "tok-symbol",
            TokenKind::Whitespace => "",
        }
    }
}

/// A token: its kind and its byte range in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Flink SQL's keywords as the editor colours and completes them: the reserved words a query,
/// DDL or `SET` uses, and the type names. Non-reserved words that are often column names
/// (`status`, `name`, `value`) are left out on purpose.
pub const KEYWORDS: &[&str] = &[
    "ADD",
    "ALL",
    "ALTER",
    "AND",
    "ANY",
    "ARRAY",
    "AS",
    "ASC",
    "BEGIN",
    "BETWEEN",
    "BIGINT",
    "BINARY",
    "BOOLEAN",
    "BOTH",
    "BY",
    "BYTES",
    "CASCADE",
    "CASE",
    "CAST",
    "CATALOG",
    "CHAR",
    "COMMENT",
    "CREATE",
    "CROSS",
    "CURRENT",
    "DATABASE",
    "DATE",
    "DAY",
    "DECIMAL",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "DOUBLE",
    "DROP",
    "ELSE",
    "END",
    "ENFORCED",
    "ESCAPE",
    "EXCEPT",
    "EXECUTE",
    "EXISTS",
    "EXPLAIN",
    "FALSE",
    "FETCH",
    "FIRST",
    "FLOAT",
    "FOLLOWING",
    "FOR",
    "FROM",
    "FULL",
    "FUNCTION",
    "FUNCTIONS",
    "GROUP",
    "HAVING",
    "HOUR",
    "IF",
    "IN",
    "INNER",
    "INSERT",
    "INT",
    "INTEGER",
    "INTERSECT",
    "INTERVAL",
    "INTO",
    "IS",
    "JOB",
    "JOBS",
    "JOIN",
    "KEY",
    "LAST",
    "LATERAL",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MAP",
    "METADATA",
    "MINUTE",
    "MONTH",
    "NATURAL",
    "NOT",
    "NULL",
    "NULLS",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "OVER",
    "OVERWRITE",
    "PARTITION",
    "PARTITIONED",
    "PRECEDING",
    "PRIMARY",
    "RANGE",
    "RESET",
    "RIGHT",
    "ROW",
    "ROWS",
    "SECOND",
    "SELECT",
    "SET",
    "SHOW",
    "SMALLINT",
    "STATEMENT",
    "STOP",
    "STRING",
    "SYSTEM_TIME",
    "TABLE",
    "TABLES",
    "TEMPORARY",
    "THEN",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMP_LTZ",
    "TINYINT",
    "TO",
    "TRUE",
    "UNBOUNDED",
    "UNION",
    "UNNEST",
    "USE",
    "USING",
    "VALUES",
    "VARBINARY",
    "VARCHAR",
    "VIEW",
    "VIEWS",
    "VIRTUAL",
    "WATERMARK",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "WITHOUT",
    "YEAR",
    "ZONE",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// The byte range of the interpreter line, when the paragraph starts with one (after blank
/// lines, as [`crate::views::note::interpreter`] reads it).
fn interpreter_line(text: &str) -> Option<(usize, usize)> {
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('%') {
        return None;
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    Some((start, end))
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut at = 0;
    if let Some((start, end)) = interpreter_line(text) {
        if start > 0 {
            tokens.push(Token { kind: TokenKind::Whitespace, start: 0, end: start });
        }
        tokens.push(Token { kind: TokenKind::Interpreter, start, end });
        at = end;
    }
    let bytes = text.as_bytes();
    while at < text.len() {
        let rest = &text[at..];
        // Every arm consumes at least one character, so the loop ends.
        let (kind, len) = match bytes[at] {
            b if b.is_ascii_whitespace() => (TokenKind::Whitespace, rest.find(|c: char| !c.is_ascii_whitespace()).unwrap_or(rest.len())),
            b'-' if rest.starts_with("--") => (TokenKind::Comment, rest.find('\n').unwrap_or(rest.len())),
            b'/' if rest.starts_with("/*") => (TokenKind::Comment, rest[2..].find("*/").map_or(rest.len(), |i| i + 4)),
            b'\'' => (TokenKind::String, quoted_len(rest, b'\'')),
            b'`' | b'"' => (TokenKind::Identifier, quoted_len(rest, bytes[at])),
            b'0'..=b'9' => (TokenKind::Number, number_len(rest)),
            b'.' if rest.as_bytes().get(1).is_some_and(u8::is_ascii_digit) => (TokenKind::Number, number_len(rest)),
            _ if starts_word(rest) => {
                let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len());
                let word = &rest[..len];
                let called = rest[len..].trim_start_matches([' ', '\t']).starts_with('(');
                let kind = if is_keyword(word) {
                    TokenKind::Keyword
                } else if called {
                    TokenKind::Function
                } else {
                    TokenKind::Identifier
                };
                (kind, len)
            }
            _ => (TokenKind::Symbol, rest.chars().next().map_or(1, char::len_utf8)),
        };
        tokens.push(Token { kind, start: at, end: at + len });
        at += len;
    }
    tokens
}

fn starts_word(rest: &str) -> bool {
    rest.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// A quoted run with the quote doubled inside (`'it''s'`); unterminated runs to the end.
fn quoted_len(rest: &str, quote: u8) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// `12`, `1.5`, `.5`, `1e-3`.
fn number_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
        i += 1;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i += 1 + sign;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    i
}

/// The byte offset of a 1-based line:column (columns count characters, as the parser's do),
/// clamped to the end of its line.
pub fn offset_of(text: &str, location: Location) -> Option<usize> {
    let line_start = if location.line <= 1 { 0 } else { text.match_indices('\n').nth(location.line as usize - 2)?.0 + 1 };
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let column = location.column.max(1) as usize - 1;
    Some(line_start + line.char_indices().nth(column).map_or(line.len(), |(i, _)| i))
}

/// The HTML the editor shows under its textarea: each token in a span of its class, the
/// token at `error` (a parser or binder location) also marked as the error, and an empty
/// marker at byte `caret` so the page can place the completion popup there.
///
/// Only the first [`MAX_COLOURED_TOKENS`] tokens get a span each; the rest is plain text. A
/// paragraph pasted from elsewhere can hold hundreds of thousands of tokens, and laying out a
/// span per token then holds the page for seconds at every keystroke.
pub fn to_html(text: &str, error: Option<Location>, caret: Option<usize>) -> String {
    let error_at = error.and_then(|l| offset_of(text, l));
    let mut html = String::with_capacity(text.len() * 2);
    let mut tokens = tokenize(text);
    if tokens.len() > MAX_COLOURED_TOKENS {
        let rest = tokens[MAX_COLOURED_TOKENS].start;
        tokens.truncate(MAX_COLOURED_TOKENS);
        // Plain, as whitespace is: no span.
        tokens.push(Token { kind: TokenKind::Whitespace, start: rest, end: text.len() });
    }
    for token in tokens {
        let piece = &text[token.start..token.end];
        // The error's token; whitespace or the end of the text gets a one-space mark instead.
        let is_error = error_at.is_some_and(|e| e >= token.start && e < token.end) && token.kind != TokenKind::Whitespace;
        let caret_inside = caret.filter(|&c| c >= token.start && c < token.end);
        if token.kind == TokenKind::Whitespace && error_at == Some(token.start) {
            // An error before a line break: a space at the end of the line carries the mark
            // (it shifts nothing after it); a space is marked in place.
            html.push_str(ERROR_SPACE);
            if let Some(after) = piece.strip_prefix(' ') {
                if caret_inside.is_some() {
                    html.push_str(CARET_MARK);
                }
                escape_into(&mut html, after);
                continue;
            }
        }
        let class = token.kind.class();
        match (is_error, class.is_empty()) {
            (true, _) => {
                html.push_str(r#"<span class=""#);
                html.push_str(class);
                html.push_str(r#" tok-error" data-testid="error-mark">"#);
            }
            (false, false) => {
                html.push_str(r#"<span class=""#);
                html.push_str(class);
                html.push_str(r#"">"#);
            }
            (false, true) => {}
        }
        match caret_inside {
            Some(c) => {
                escape_into(&mut html, &piece[..c - token.start]);
                html.push_str(CARET_MARK);
                escape_into(&mut html, &piece[c - token.start..]);
            }
            None => escape_into(&mut html, piece),
        }
        if is_error || !class.is_empty() {
            html.push_str("</span>");
        }
    }
    if error_at == Some(text.len()) {
        html.push_str(ERROR_SPACE);
    }
    if caret == Some(text.len()) {
        html.push_str(CARET_MARK);
    }
    // A pre drops a final newline that a textarea shows as an empty last line.
    html.push('\n');
    html
}

/// Tokens the editor colours in one paragraph (a long SQL paragraph has a few hundred).
pub const MAX_COLOURED_TOKENS: usize = 2000;

const CARET_MARK: &str = r#"<span class="caret-mark"></span>"#;
const ERROR_SPACE: &str = r#"<span class="tok-error" data-testid="error-mark"> </span>"#;

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).into_iter().filter(|t| t.kind != Whitespace).map(|t| (t.kind, &text[t.start..t.end])).collect()
    }

    #[test]
    fn a_huge_paragraph_is_coloured_only_at_its_start() {
        // 240,000 tokens made 240,000 spans: seconds of layout at every keystroke.
        let text = format!("%md\n{}", "*a ".repeat(80_000));
        let html = to_html(&text, None, Some(text.len() - 1));
        assert!(html.matches("<span").count() <= MAX_COLOURED_TOKENS + 1, "{} spans", html.matches("<span").count());
        assert_eq!(html.matches("caret-mark").count(), 1, "the caret is still marked");
        assert!(html.ends_with("*a *a<span class=\"caret-mark\"></span> \n"), "{}", &html[html.len() - 80..]);
    }

    #[test]
    fn a_query_splits_into_keywords_names_functions_and_literals() {
        let sql = "%flink.ssql(type=update)\nSELECT status, COUNT(*) AS n FROM t WHERE x > 1.5e3 AND s = 'it''s' -- done";
        assert_eq!(
            kinds(sql),
            [
                (Interpreter, "%flink.ssql(type=update)"),
                (Keyword, "SELECT"),
                (Identifier, "status"),
                (Symbol, ","),
                (Function, "COUNT"),
                (Symbol, "("),
                (Symbol, "*"),
                (Symbol, ")"),
                (Keyword, "AS"),
                (Identifier, "n"),
                (Keyword, "FROM"),
                (Identifier, "t"),
                (Keyword, "WHERE"),
                (Identifier, "x"),
                (Symbol, ">"),
                (Number, "1.5e3"),
                (Keyword, "AND"),
                (Identifier, "s"),
                (Symbol, "="),
                (String, "'it''s'"),
                (Comment, "-- done"),
            ]
        );
    }

    #[test]
    fn tokens_cover_every_byte_in_order() {
        for text in ["", "  \n%md\n# x", "SELECT 'open", "/* open", "a.`b c`.\"d\" é ü $ 1e+ .5", "x--y\n/**/z"] {
            let tokens = tokenize(text);
            let mut at = 0;
            for t in &tokens {
                assert_eq!(t.start, at, "{text:?}: {tokens:?}");
                assert!(t.end > t.start);
                at = t.end;
            }
            assert_eq!(at, text.len(), "{text:?}");
        }
    }

    #[test]
    fn lower_case_keywords_and_unterminated_literals() {
        assert_eq!(kinds("select * from t"), [(Keyword, "select"), (Symbol, "*"), (Keyword, "from"), (Identifier, "t")]);
        assert_eq!(kinds("WHERE s = 'abc"), [(Keyword, "WHERE"), (Identifier, "s"), (Symbol, "="), (String, "'abc")]);
        assert_eq!(kinds("a /* b\nc"), [(Identifier, "a"), (Comment, "/* b\nc")]);
        assert_eq!(kinds("HOP (x)")[0], (Function, "HOP"));
    }

    #[test]
    fn html_escapes_text_and_marks_the_error_token() {
        let sql = "SELECT a <b\nFROM nope";
        let html = to_html(sql, Some(Location { line: 2, column: 6 }), None);
        assert!(html.contains(r#"<span class="tok-symbol">&lt;</span>"#), "{html}");
        assert!(html.contains(r#"<span class="tok-ident tok-error" data-testid="error-mark">nope</span>"#), "{html}");
        assert_eq!(html.matches("tok-error").count(), 1);
        // Past the end of the text: a one-space mark at the end.
        let html = to_html("SELECT", Some(Location { line: 1, column: 7 }), None);
        assert!(html.ends_with(&format!("{ERROR_SPACE}\n")), "{html}");
        // At a space: that space is marked, and the text keeps its length.
        let html = to_html("SELECT  x", Some(Location { line: 1, column: 7 }), None);
        assert!(html.contains(&format!("{ERROR_SPACE} <span")), "{html}");
    }

    #[test]
    fn the_caret_mark_sits_inside_the_token_it_splits() {
        let html = to_html("SELECT ab", None, Some(8));
        assert!(html.contains(r#"<span class="tok-ident">a<span class="caret-mark"></span>b</span>"#), "{html}");
    }

    #[test]
    fn locations_count_characters_per_line() {
        let text = "%flink.ssql\nSELECT é, x\nFROM t";
        assert_eq!(offset_of(text, Location { line: 1, column: 1 }), Some(0));
        assert_eq!(&text[offset_of(text, Location { line: 2, column: 11 }).unwrap()..][..1], "x");
        assert_eq!(&text[offset_of(text, Location { line: 3, column: 6 }).unwrap()..], "t");
        assert_eq!(offset_of(text, Location { line: 9, column: 1 }), None);
    }
}
