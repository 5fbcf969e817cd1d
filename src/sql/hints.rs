//! Flink's dynamic table options: `FROM t /*+ OPTIONS('k' = 'v', …) */ [AS x]` reads `t` with
//! those options over its own, for this one reference (`table.dynamic-table-options.enabled`,
//! on by default). sqlparser keeps a comment as whitespace, so before parsing, an OPTIONS hint
//! after a table's name becomes sqlparser's table hints, `t [AS x] WITH ('k' = 'v', …)`, which
//! the planner reads back from `TableFactor::Table::with_hints` ([`options`]). Other hints
//! (`/*+ BROADCAST(t) */`, `LOOKUP(…)`, `STATE_TTL(…)`) choose how Flink runs a query, not
//! what it gives, and stay comments. A token pass without recursion.

use sqlparser::ast::{BinaryOperator, Expr, Value};
use sqlparser::keywords::{Keyword, RESERVED_FOR_TABLE_ALIAS};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

use super::dialect::FlinkDialect;

/// Where a hint cannot be read or used: the comment's token and why.
pub type HintError = (TokenWithSpan, String);

/// An OPTIONS hint on an INSERT's table (`INSERT INTO t /*+ OPTIONS(…) */`), which sqlparser's
/// INSERT has no place for: taken out of the text and given to the statement whose table name
/// ends at `name` (the span start of the name's last part).
#[derive(Clone, Debug)]
pub struct SinkHint {
    pub name: sqlparser::tokenizer::Location,
    pub hint: TokenWithSpan,
    pub options: Vec<(String, String)>,
}

/// Rewrites every OPTIONS hint after a table's name into sqlparser's table hints, and takes
/// those on an INSERT's table out as [`SinkHint`]s.
pub fn rewrite(mut tokens: Vec<TokenWithSpan>) -> Result<(Vec<TokenWithSpan>, Vec<SinkHint>), HintError> {
    let mut sinks = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Whitespace(Whitespace::MultiLineComment(text)) = &tokens[i].token else {
            i += 1;
            continue;
        };
        let Some(body) = text.strip_prefix('+') else {
            i += 1;
            continue;
        };
        let hint = tokens[i].clone();
        let options = read_options(body).map_err(|m| (hint.clone(), m))?;
        if options.is_empty() {
            i += 1;
            continue;
        }
        let before = (0..i).rev().find(|&k| !matches!(tokens[k].token, Token::Whitespace(_)));
        let named = before
            .is_some_and(|k| matches!(&tokens[k].token, Token::Word(w) if w.keyword == Keyword::NoKeyword || w.quote_style.is_some()));
        if !named {
            return Err((hint, "an OPTIONS hint goes right after a table's name: FROM t /*+ OPTIONS('key' = 'value') */".into()));
        }
        // The token before the (dotted) name: INTO for an INSERT's sink (`INSERT INTO t /*+ … */`).
        let prev = |k: usize| (0..k).rev().find(|&j| !matches!(tokens[j].token, Token::Whitespace(_)));
        let mut start = before;
        while let Some(dot) = start.and_then(prev).filter(|&j| tokens[j].token == Token::Period) {
            start = prev(dot);
        }
        if let (Some(name), true) =
            (before, start.and_then(prev).is_some_and(|j| matches!(&tokens[j].token, Token::Word(w) if w.keyword == Keyword::INTO)))
        {
            sinks.push(SinkHint { name: tokens[name].span.start, hint, options });
            tokens.remove(i);
            continue;
        }
        tokens.remove(i);
        let at = after_alias(&tokens, i);
        let mut with = vec![Token::make_keyword("WITH"), Token::LParen];
        for (n, (key, value)) in options.into_iter().enumerate() {
            if n > 0 {
                with.push(Token::Comma);
            }
            with.extend([Token::SingleQuotedString(key), Token::Eq, Token::SingleQuotedString(value)]);
        }
        with.push(Token::RParen);
        let spaced = with.into_iter().flat_map(|t| [Token::Whitespace(Whitespace::Space), t]);
        let n = tokens.len();
        tokens.splice(at..at, spaced.map(|token| TokenWithSpan { token, span: hint.span }));
        i = at + (tokens.len() - n);
    }
    Ok((tokens, sinks))
}

/// The position after the table's alias (`AS x`, `x`, `AS x (a, b)`) from `i`, or `i`.
fn after_alias(tokens: &[TokenWithSpan], i: usize) -> usize {
    let solid = |from: usize| (from..tokens.len()).find(|&k| !matches!(tokens[k].token, Token::Whitespace(_)));
    let Some(k) = solid(i) else { return i };
    let alias = match &tokens[k].token {
        Token::Word(w) if w.keyword == Keyword::AS => solid(k + 1).filter(|&a| matches!(tokens[a].token, Token::Word(_))),
        Token::Word(w) if w.quote_style.is_some() || !RESERVED_FOR_TABLE_ALIAS.contains(&w.keyword) => Some(k),
        _ => None,
    };
    let Some(alias) = alias else { return i };
    // Column names after the alias, parenthesized (not nested).
    match solid(alias + 1) {
        Some(p) if tokens[p].token == Token::LParen => {
            (p..tokens.len()).find(|&r| tokens[r].token == Token::RParen).map_or(alias + 1, |r| r + 1)
        }
        _ => alias + 1,
    }
}

/// The `'key' = 'value'` pairs of the OPTIONS hints in a hint comment's body (`OPTIONS(…),
/// BROADCAST(t)`): empty when it has none. Other hints are skipped.
fn read_options(body: &str) -> Result<Vec<(String, String)>, String> {
    let tokens = Tokenizer::new(&FlinkDialect, body).tokenize().map_err(|e| format!("the hint cannot be read: {}", e.message))?;
    let tokens: Vec<Token> = tokens.into_iter().filter(|t| !matches!(t, Token::Whitespace(_))).collect();
    let mut options = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(name) = &tokens[i] else {
            return Err(format!("expected a hint such as OPTIONS('key' = 'value'), found `{}`", tokens[i]));
        };
        if tokens.get(i + 1) != Some(&Token::LParen) {
            return Err(format!("expected `(` after the hint {}", name.value));
        }
        i += 2;
        if name.value.eq_ignore_ascii_case("OPTIONS") {
            loop {
                match (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2)) {
                    (Some(Token::SingleQuotedString(k)), Some(Token::Eq), Some(Token::SingleQuotedString(v))) => {
                        options.push((k.clone(), v.clone()));
                        i += 3;
                    }
                    _ => return Err("OPTIONS takes quoted pairs: OPTIONS('key' = 'value', …)".into()),
                }
                match tokens.get(i) {
                    Some(Token::Comma) => i += 1,
                    Some(Token::RParen) => break,
                    _ => return Err("OPTIONS takes quoted pairs: OPTIONS('key' = 'value', …)".into()),
                }
            }
            i += 1;
        } else {
            // Another hint: its parenthesized arguments, skipped (bounded by the comment).
            let mut depth = 1usize;
            while depth > 0 {
                match tokens.get(i) {
                    Some(Token::LParen) => depth += 1,
                    Some(Token::RParen) => depth -= 1,
                    Some(_) => {}
                    None => return Err(format!("the hint {} has no closing `)`", name.value)),
                }
                i += 1;
            }
        }
        if tokens.get(i) == Some(&Token::Comma) {
            i += 1;
        }
    }
    Ok(options)
}

/// The options a table reference's hints give (`'k' = 'v'` each, as [`rewrite`] writes them),
/// or what is wrong with them (sqlparser's `t WITH (…)` written by hand, which is not Flink SQL).
pub fn options(with_hints: &[Expr]) -> Result<Vec<(String, String)>, String> {
    let text = |e: &Expr| match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    with_hints
        .iter()
        .map(|h| match h {
            Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => text(left).zip(text(right)),
            _ => None,
        })
        .map(|pair| pair.ok_or_else(|| "table hints `t WITH (…)` are not Flink SQL: write t /*+ OPTIONS('key' = 'value') */".to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> Result<String, String> {
        let tokens = Tokenizer::new(&FlinkDialect, sql).tokenize_with_location().unwrap();
        rewrite(tokens).map(|(t, _)| t.iter().map(|t| t.token.to_string()).collect()).map_err(|(_, m)| m)
    }

    #[test]
    fn an_options_hint_becomes_table_hints_after_the_alias() {
        assert_eq!(
            rewritten("SELECT * FROM t /*+ OPTIONS('a' = '1', 'b'='x y') */ WHERE 1 = 1").unwrap(),
            "SELECT * FROM t  WITH ( 'a' = '1' , 'b' = 'x y' ) WHERE 1 = 1"
        );
        assert_eq!(
            rewritten("FROM cat.db.t /*+ OPTIONS('a'='1') */ AS x JOIN u").unwrap(),
            "FROM cat.db.t  AS x WITH ( 'a' = '1' ) JOIN u"
        );
        assert_eq!(rewritten("FROM t /*+ OPTIONS('a'='1') */ x, u").unwrap(), "FROM t  x WITH ( 'a' = '1' ), u");
        // Other hints stay comments; so does a plain comment.
        assert_eq!(
            rewritten("SELECT /*+ BROADCAST(t) */ * FROM t /* OPTIONS('a'='1') */").unwrap(),
            "SELECT /*+ BROADCAST(t) */ * FROM t /* OPTIONS('a'='1') */"
        );
    }

    #[test]
    fn an_options_hint_on_an_inserts_table_is_taken_out_for_the_statement() {
        let sql = "INSERT INTO db.s /*+ OPTIONS('a'='1') */ SELECT * FROM t /*+ OPTIONS('b'='2') */";
        let tokens = Tokenizer::new(&FlinkDialect, sql).tokenize_with_location().unwrap();
        let (tokens, sinks) = rewrite(tokens).unwrap();
        let text: String = tokens.iter().map(|t| t.token.to_string()).collect();
        assert_eq!(text, "INSERT INTO db.s  SELECT * FROM t  WITH ( 'b' = '2' )");
        assert_eq!(sinks.len(), 1);
        assert_eq!(sinks[0].options, vec![("a".to_string(), "1".to_string())]);
        // The name's last part: where the parsed INSERT's table starts.
        assert_eq!((sinks[0].name.line, sinks[0].name.column), (1, 16));
    }

    #[test]
    fn a_misplaced_or_broken_hint_says_why() {
        assert!(rewritten("SELECT /*+ OPTIONS('a'='1') */ * FROM t").unwrap_err().contains("right after a table's name"));
        assert!(rewritten("FROM t /*+ OPTIONS(a = 1) */").unwrap_err().contains("quoted pairs"));
        assert!(rewritten("FROM t /*+ OPTIONS('a'='1' */").unwrap_err().contains("quoted pairs"));
        assert!(rewritten("FROM t /*+ LOOKUP('a'='1' */").unwrap_err().contains("no closing"));
        assert!(rewritten("FROM t /*+ 'x' */").unwrap_err().contains("expected a hint"));
    }
}
