//! `MATCH_RECOGNIZE (… PATTERN (…) WITHIN INTERVAL '10' SECOND DEFINE …)`: Flink's WITHIN, which
//! sqlparser's MATCH_RECOGNIZE lacks. Before parsing, the tokens `WITHIN <interval>` after a
//! pattern are moved behind DEFINE as a definition of the symbol [`WITHIN_SYMBOL`]
//! (`DEFINE $within AS INTERVAL '10' SECOND, A AS …`), which `plan::match_recognize` reads
//! back as the pattern's time bound. `SUBSET S = (A, B), …` (also missing there) travels the
//! same way, one definition of [`SUBSET_SYMBOL`] per item (`$subset AS S = (A, B)`). A token
//! pass without recursion: the pattern's parentheses are counted.

use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The DEFINE symbol that carries a WITHIN interval through sqlparser's AST.
pub const WITHIN_SYMBOL: &str = "$within";

/// The DEFINE symbol that carries one `SUBSET` item (`S = (A, B)`) through sqlparser's AST.
pub const SUBSET_SYMBOL: &str = "$subset";

fn is_word(t: &Token, w: &str) -> bool {
    matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w))
}

/// The position of the next token that is not whitespace, from `i`.
fn next_solid(tokens: &[TokenWithSpan], mut i: usize) -> usize {
    while tokens.get(i).is_some_and(|t| matches!(t.token, Token::Whitespace(_))) {
        i += 1;
    }
    i
}

/// How deep a pattern's parentheses may nest: sqlparser reads them recursively, and Flink takes
/// no group at all (see `plan::match_recognize`), so a deeper pattern is refused here.
pub const MAX_PATTERN_NESTING: usize = 16;

/// Moves every `PATTERN (…) WITHIN … DEFINE` interval behind its DEFINE, and refuses a pattern
/// nested deeper than [`MAX_PATTERN_NESTING`] (the token where it goes too deep).
pub fn move_within(mut tokens: Vec<TokenWithSpan>) -> Result<Vec<TokenWithSpan>, (TokenWithSpan, String)> {
    let mut i = 0;
    while i < tokens.len() {
        if !is_word(&tokens[i].token, "PATTERN") {
            i += 1;
            continue;
        }
        let open = next_solid(&tokens, i + 1);
        if tokens.get(open).map(|t| &t.token) != Some(&Token::LParen) {
            i += 1;
            continue;
        }
        // The pattern's closing parenthesis.
        let mut depth = 0usize;
        let mut close = open;
        while close < tokens.len() {
            match tokens[close].token {
                Token::LParen => {
                    depth += 1;
                    if depth > MAX_PATTERN_NESTING + 1 {
                        let message = format!("the pattern nests parentheses more than {MAX_PATTERN_NESTING} deep");
                        return Err((tokens[close].clone(), message));
                    }
                }
                Token::RParen => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            close += 1;
        }
        // WITHIN and SUBSET, in either order, up to DEFINE.
        let after = next_solid(&tokens, close + 1);
        if !tokens.get(after).is_some_and(|t| is_word(&t.token, "WITHIN") || is_word(&t.token, "SUBSET")) {
            i = close;
            continue;
        }
        let Some(define) = (after..tokens.len()).find(|&j| is_word(&tokens[j].token, "DEFINE")) else {
            i = close;
            continue;
        };
        let clauses: Vec<TokenWithSpan> = tokens.drain(after..define).collect();
        let mut inserted = Vec::new();
        let mut k = 0;
        while k < clauses.len() {
            let span = clauses[k].span;
            let subset = is_word(&clauses[k].token, "SUBSET");
            let end = (k + 1..clauses.len())
                .find(|&j| is_word(&clauses[j].token, "WITHIN") || is_word(&clauses[j].token, "SUBSET"))
                .unwrap_or(clauses.len());
            let body = &clauses[k + 1..end];
            if subset {
                // `S = (A, B), T = (C)`: one definition per item, split at the commas between them.
                let mut depth = 0usize;
                let mut item = Vec::new();
                for t in body {
                    match t.token {
                        Token::LParen => depth += 1,
                        Token::RParen => depth = depth.saturating_sub(1),
                        Token::Comma if depth == 0 => {
                            inserted.extend(definition(SUBSET_SYMBOL, std::mem::take(&mut item), span));
                            continue;
                        }
                        _ => {}
                    }
                    item.push(t.clone());
                }
                inserted.extend(definition(SUBSET_SYMBOL, item, span));
            } else {
                inserted.extend(definition(WITHIN_SYMBOL, body.to_vec(), span));
            }
            k = end;
        }
        // DEFINE is now at `after`.
        let at = after + 1;
        let n = inserted.len();
        tokens.splice(at..at, inserted);
        i = at + n;
    }
    Ok(tokens)
}

/// ` <symbol> AS <body>,`: a definition sqlparser reads as one of DEFINE's.
fn definition(symbol: &str, body: Vec<TokenWithSpan>, span: sqlparser::tokenizer::Span) -> Vec<TokenWithSpan> {
    let space = || TokenWithSpan::new(Token::Whitespace(sqlparser::tokenizer::Whitespace::Space), span);
    let mut out = vec![
        space(),
        TokenWithSpan::new(Token::make_word(symbol, None), span),
        space(),
        TokenWithSpan::new(Token::make_keyword("AS"), span),
    ];
    out.push(space());
    out.extend(body);
    out.push(TokenWithSpan::new(Token::Comma, span));
    out
}

#[cfg(test)]
mod tests {
    use crate::sql::parser::parse_script;

    fn query(pattern: &str, within: &str) -> String {
        format!("SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts MEASURES A.x AS x PATTERN ({pattern}){within} DEFINE A AS A.x > 0)")
    }

    #[test]
    fn subset_items_move_behind_define_with_within() {
        let text = query("A B", " WITHIN INTERVAL '10' SECOND SUBSET S = (A, B), T = (B)");
        let parsed = parse_script(&text).map_err(|e| e.message).expect("parses");
        let crate::sql::ast::Statement::Query(q) = &parsed[0].statement else { panic!("a query") };
        let shown = q.to_string();
        assert!(
            shown.contains("DEFINE $within AS INTERVAL '10' SECOND, $subset AS S = (A, B), $subset AS T = (B), A AS A.x > 0"),
            "{shown}"
        );
    }

    #[test]
    fn within_moves_behind_define_as_the_reserved_symbol() {
        let text = query("A B", " WITHIN INTERVAL '10' SECOND");
        let parsed = parse_script(&text).map_err(|e| e.message).expect("parses");
        let shown = format!("{:?}", parsed[0].statement);
        assert!(shown.contains("\"$within\""), "{shown}");
    }

    /// sqlparser reads a pattern's parentheses recursively: a deep one must be refused first.
    #[test]
    fn a_deeply_nested_pattern_is_an_error_not_a_stack_overflow() {
        let n = 100_000;
        let text = query(&format!("{}A{}", "(".repeat(n), ")".repeat(n)), "");
        let err = parse_script(&text).expect_err("refused");
        assert!(err.message.contains("nests parentheses"), "{}", err.message);
    }
}
