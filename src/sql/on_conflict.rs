//! `INSERT INTO sink … ON CONFLICT DO DEDUPLICATE | DO NOTHING | DO ERROR`: Flink 2.3's conflict
//! strategies for a sink whose primary key is not the query's upsert key
//! (`SinkConflictStrategy`). sqlparser reads PostgreSQL's `ON CONFLICT DO NOTHING` and
//! `DO UPDATE SET …` only, so before parsing, `DO DEDUPLICATE` and `DO ERROR` become
//! `DO UPDATE SET $conflict = 'DEDUPLICATE'` (or `'ERROR'`), which [`strategy`] reads back from
//! sqlparser's AST. A token pass without recursion.

use sqlparser::ast::{AssignmentTarget, Expr, OnConflictAction, OnInsert, Value};
use sqlparser::tokenizer::{Token, TokenWithSpan, Whitespace};

use super::ast::ConflictStrategy;
use super::SqlError;

/// The column an `ON CONFLICT DO UPDATE SET` names to carry a Flink strategy through sqlparser.
const CONFLICT_SYMBOL: &str = "$conflict";

fn is_word(t: &Token, w: &str) -> bool {
    matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w))
}

/// The positions of the next `n` tokens that are not whitespace, from `i`.
fn solid(tokens: &[TokenWithSpan], mut i: usize, n: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n && i < tokens.len() {
        if !matches!(tokens[i].token, Token::Whitespace(_)) {
            out.push(i);
        }
        i += 1;
    }
    out
}

/// Rewrites every `ON CONFLICT DO DEDUPLICATE` / `DO ERROR` into the form sqlparser reads.
pub fn rewrite(mut tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let mut i = 0;
    while i < tokens.len() {
        if !is_word(&tokens[i].token, "ON") {
            i += 1;
            continue;
        }
        let next = solid(&tokens, i + 1, 3);
        let [conflict, r#do, action] = next[..] else { break };
        let word = ["DEDUPLICATE", "ERROR"].into_iter().find(|w| is_word(&tokens[action].token, w));
        if !is_word(&tokens[conflict].token, "CONFLICT") || !is_word(&tokens[r#do].token, "DO") || word.is_none() {
            i += 1;
            continue;
        }
        let span = tokens[action].span;
        let space = || TokenWithSpan::new(Token::Whitespace(Whitespace::Space), span);
        let replacement = vec![
            TokenWithSpan::new(Token::make_keyword("UPDATE"), span),
            space(),
            TokenWithSpan::new(Token::make_keyword("SET"), span),
            space(),
            TokenWithSpan::new(Token::make_word(CONFLICT_SYMBOL, Some('"')), span),
            TokenWithSpan::new(Token::Eq, span),
            TokenWithSpan::new(Token::SingleQuotedString(word.unwrap_or_default().to_string()), span),
        ];
        let len = replacement.len();
        tokens.splice(action..=action, replacement);
        i = action + len;
    }
    tokens
}

/// The strategy of an INSERT's `ON CONFLICT` clause, as [`rewrite`] left it; PostgreSQL's other
/// forms (a conflict target, `DO UPDATE SET`) are refused, as Flink's parser refuses them.
pub fn strategy(on: Option<&OnInsert>) -> Result<Option<ConflictStrategy>, SqlError> {
    let refused = || {
        SqlError::new("Flink's ON CONFLICT takes DO DEDUPLICATE, DO NOTHING or DO ERROR, without a conflict target")
            .hint("the conflict is always on the sink's PRIMARY KEY")
    };
    let Some(on) = on else { return Ok(None) };
    let OnInsert::OnConflict(conflict) = on else {
        return Err(SqlError::new("ON DUPLICATE KEY UPDATE is not Flink SQL").hint("write ON CONFLICT DO DEDUPLICATE"));
    };
    if conflict.conflict_target.is_some() {
        return Err(refused());
    }
    match &conflict.action {
        OnConflictAction::DoNothing => Ok(Some(ConflictStrategy::Nothing)),
        OnConflictAction::DoUpdate(update) => {
            let [assignment] = &update.assignments[..] else { return Err(refused()) };
            let symbol = matches!(&assignment.target, AssignmentTarget::ColumnName(name)
                if name.0.len() == 1 && name.0[0].as_ident().is_some_and(|i| i.value == CONFLICT_SYMBOL));
            let word = match &assignment.value {
                Expr::Value(v) => match &v.value {
                    Value::SingleQuotedString(s) => Some(s.as_str()),
                    _ => None,
                },
                _ => None,
            };
            match (symbol, word, &update.selection) {
                (true, Some("DEDUPLICATE"), None) => Ok(Some(ConflictStrategy::Deduplicate)),
                (true, Some("ERROR"), None) => Ok(Some(ConflictStrategy::Error)),
                _ => Err(refused()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::ast::{ConflictStrategy, Statement};
    use crate::sql::parser::parse_script;

    fn strategy(sql: &str) -> Result<Option<ConflictStrategy>, String> {
        let statements = parse_script(sql).map_err(|e| e.to_string())?;
        match &statements[0].statement {
            Statement::Insert { on_conflict, .. } => Ok(*on_conflict),
            _ => Err("not an INSERT".into()),
        }
    }

    #[test]
    fn each_of_flinks_strategies_is_read() {
        assert_eq!(strategy("INSERT INTO s SELECT a FROM t"), Ok(None));
        assert_eq!(strategy("INSERT INTO s SELECT a FROM t ON CONFLICT DO DEDUPLICATE"), Ok(Some(ConflictStrategy::Deduplicate)));
        assert_eq!(strategy("INSERT INTO s SELECT a FROM t GROUP BY a on conflict do nothing;"), Ok(Some(ConflictStrategy::Nothing)));
        assert_eq!(strategy("INSERT INTO s SELECT a FROM t ON  CONFLICT\nDO ERROR"), Ok(Some(ConflictStrategy::Error)));
    }

    #[test]
    fn postgres_forms_are_refused() {
        for sql in [
            "INSERT INTO s SELECT a FROM t ON CONFLICT DO UPDATE SET a = 1",
            "INSERT INTO s SELECT a FROM t ON CONFLICT (a) DO NOTHING",
            "INSERT INTO s SELECT a FROM t ON CONFLICT DO UPDATE SET \"$conflict\" = 'NOTHING'",
        ] {
            let e = strategy(sql).unwrap_err();
            assert!(e.contains("DO DEDUPLICATE, DO NOTHING or DO ERROR"), "{sql}: {e}");
        }
    }
}
