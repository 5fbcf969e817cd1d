//! The SQL/JSON functions' own clauses, which sqlparser does not read: Flink's (Calcite's)
//!
//! ```text
//! JSON_VALUE(json, path [RETURNING type] [{NULL | ERROR | DEFAULT e} ON EMPTY] [{…} ON ERROR])
//! JSON_QUERY(json, path [RETURNING STRING | ARRAY<STRING>] [WITHOUT [ARRAY] WRAPPER | WITH [CONDITIONAL | UNCONDITIONAL] [ARRAY] WRAPPER]
//!            [{NULL | ERROR | EMPTY ARRAY | EMPTY OBJECT} ON EMPTY] [{…} ON ERROR])
//! JSON_EXISTS(json, path [{TRUE | FALSE | UNKNOWN | ERROR} ON ERROR])
//! JSON_OBJECT([[KEY] k VALUE v, …] [{NULL | ABSENT} ON NULL])
//! JSON_ARRAY([v, …] [{NULL | ABSENT} ON NULL])
//! JSON_ARRAYAGG(v [{NULL | ABSENT} ON NULL])
//! JSON_OBJECTAGG([KEY] k VALUE v [{NULL | ABSENT} ON NULL])
//! x IS [NOT] JSON [VALUE | SCALAR | ARRAY | OBJECT]
//! ```
//!
//! Each becomes an ordinary call of the function-table entry of the same name
//! (`plan/functions/json.rs`), its clauses as leading or trailing arguments in a fixed shape: a
//! string literal naming the behaviours (`'NULL;ERROR'`), `CAST(NULL AS type)` for the
//! `RETURNING` type, the `DEFAULT` expressions (or NULL). Every call of these names comes
//! through here, so the fixed shape is the only one the binder ever sees.

use sqlparser::ast::{
    ArrayElemTypeDef, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    ObjectName, ObjectNamePart, UnaryOperator, Value,
};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// The upper-case text of the token `n` ahead, if it is an unquoted word.
fn word_at(parser: &Parser, n: usize) -> Option<String> {
    match &parser.peek_nth_token_ref(n).token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

/// Consumes the words `seq` if they come next.
fn words(parser: &mut Parser, seq: &[&str]) -> bool {
    if seq.iter().enumerate().all(|(i, w)| word_at(parser, i).as_deref() == Some(*w)) {
        for _ in seq {
            parser.next_token();
        }
        true
    } else {
        false
    }
}

fn expected<T>(parser: &Parser, what: &str) -> Result<T, ParserError> {
    let found = parser.peek_token_ref();
    Err(ParserError::ParserError(format!("Expected: {what}, found: {} at {}", found.token, found.span.start)))
}

fn text(s: &str) -> Expr {
    Expr::Value(Value::SingleQuotedString(s.to_string()).into())
}

fn null() -> Expr {
    Expr::Value(Value::Null.into())
}

fn typed_null(data_type: DataType) -> Expr {
    Expr::Cast { kind: CastKind::Cast, expr: Box::new(null()), data_type, format: None }
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName(vec![ObjectNamePart::Identifier(Ident::new(name))]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e))).collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// `JSON_VALUE(…)`, `JSON_QUERY(…)`, `JSON_EXISTS(…)`, `JSON_OBJECT(…)` or `JSON_ARRAY(…)` when
/// one starts here.
pub fn parse_json_call(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let name = word_at(parser, 0)?;
    if !matches!(
        name.as_str(),
        "JSON_VALUE" | "JSON_QUERY" | "JSON_EXISTS" | "JSON_OBJECT" | "JSON_ARRAY" | "JSON_ARRAYAGG" | "JSON_OBJECTAGG"
    ) || parser.peek_nth_token_ref(1).token != Token::LParen
    {
        return None;
    }
    parser.next_token();
    parser.next_token();
    Some((|| {
        let args = match name.as_str() {
            "JSON_VALUE" => json_value(parser)?,
            "JSON_QUERY" => json_query(parser)?,
            "JSON_EXISTS" => json_exists(parser)?,
            "JSON_OBJECT" => json_object(parser)?,
            "JSON_ARRAYAGG" => json_arrayagg(parser)?,
            "JSON_OBJECTAGG" => json_objectagg(parser)?,
            _ => json_array(parser)?,
        };
        parser.expect_token(&Token::RParen)?;
        Ok(call(&name, args))
    })())
}

/// `json [FORMAT JSON], path`.
fn common(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let json = parser.parse_expr()?;
    words(parser, &["FORMAT", "JSON"]);
    parser.expect_token(&Token::Comma)?;
    let path = parser.parse_expr()?;
    Ok(vec![json, path])
}

/// `{NULL | ERROR | DEFAULT e} ON {EMPTY | ERROR}` clauses of JSON_VALUE: the behaviour and
/// default for EMPTY, then for ERROR.
type Behaviour = (&'static str, Expr);

fn value_behaviours(parser: &mut Parser) -> Result<(Behaviour, Behaviour), ParserError> {
    let mut empty = ("NULL", null());
    let mut error = ("NULL", null());
    loop {
        let behaviour = if words(parser, &["NULL", "ON"]) {
            ("NULL", null())
        } else if words(parser, &["ERROR", "ON"]) {
            ("ERROR", null())
        } else if words(parser, &["DEFAULT"]) {
            let e = parser.parse_expr()?;
            if !words(parser, &["ON"]) {
                return expected(parser, "ON EMPTY or ON ERROR");
            }
            ("DEFAULT", e)
        } else {
            return Ok((empty, error));
        };
        if words(parser, &["EMPTY"]) {
            empty = behaviour;
        } else if words(parser, &["ERROR"]) {
            error = behaviour;
        } else {
            return expected(parser, "EMPTY or ERROR");
        }
    }
}

fn json_value(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let mut args = common(parser)?;
    let returning = if words(parser, &["RETURNING"]) { parser.parse_data_type()? } else { DataType::String(None) };
    let ((empty, on_empty), (error, on_error)) = value_behaviours(parser)?;
    args.extend([text(&format!("{empty};{error}")), typed_null(returning), on_empty, on_error]);
    Ok(args)
}

/// `{NULL | ERROR | EMPTY ARRAY | EMPTY OBJECT} ON <what>` for JSON_QUERY.
fn query_behaviour(parser: &mut Parser, what: &str) -> Option<&'static str> {
    for (seq, name) in [
        (&["NULL"][..], "NULL"),
        (&["ERROR"][..], "ERROR"),
        (&["EMPTY", "ARRAY"][..], "EMPTY ARRAY"),
        (&["EMPTY", "OBJECT"][..], "EMPTY OBJECT"),
    ] {
        let full: Vec<&str> = seq.iter().copied().chain(["ON", what]).collect();
        if words(parser, &full) {
            return Some(name);
        }
    }
    None
}

fn json_query(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let mut args = common(parser)?;
    let mut returns_array = false;
    if words(parser, &["RETURNING"]) {
        match parser.parse_data_type()? {
            DataType::String(None) | DataType::Varchar(_) => {}
            DataType::Array(ArrayElemTypeDef::AngleBracket(element)) => match *element {
                DataType::String(None) | DataType::Varchar(_) => returns_array = true,
                other => {
                    return Err(ParserError::ParserError(format!(
                        "Unsupported array element type '{other}' for RETURNING ARRAY in JSON_QUERY()."
                    )))
                }
            },
            other => {
                return Err(ParserError::ParserError(format!(
                    "JSON_QUERY … RETURNING {other} is not supported yet: Sluice's JSON_QUERY returns STRING"
                )))
            }
        }
    }
    let wrapper = if words(parser, &["WITHOUT"]) {
        words(parser, &["ARRAY"]);
        if !words(parser, &["WRAPPER"]) {
            return expected(parser, "WRAPPER");
        }
        "WITHOUT"
    } else if words(parser, &["WITH"]) {
        let kind = if words(parser, &["CONDITIONAL"]) {
            "CONDITIONAL"
        } else {
            words(parser, &["UNCONDITIONAL"]);
            "UNCONDITIONAL"
        };
        words(parser, &["ARRAY"]);
        if !words(parser, &["WRAPPER"]) {
            return expected(parser, "WRAPPER");
        }
        kind
    } else {
        "WITHOUT"
    };
    let empty = query_behaviour(parser, "EMPTY").unwrap_or("NULL");
    let error = query_behaviour(parser, "ERROR").unwrap_or("NULL");
    let returning = if returns_array { ";ARRAY" } else { "" };
    args.push(text(&format!("{wrapper};{empty};{error}{returning}")));
    Ok(args)
}

fn json_exists(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let mut args = common(parser)?;
    let mut error = "FALSE";
    for name in ["TRUE", "FALSE", "UNKNOWN", "ERROR"] {
        if words(parser, &[name, "ON", "ERROR"]) {
            error = name;
            break;
        }
    }
    args.push(text(error));
    Ok(args)
}

/// `{NULL | ABSENT} ON NULL`, if it comes next.
fn on_null(parser: &mut Parser) -> Option<&'static str> {
    if words(parser, &["NULL", "ON", "NULL"]) {
        Some("NULL")
    } else if words(parser, &["ABSENT", "ON", "NULL"]) {
        Some("ABSENT")
    } else {
        None
    }
}

fn json_object(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let mut pairs = Vec::new();
    let mut behaviour = on_null(parser);
    if behaviour.is_none() && parser.peek_token_ref().token != Token::RParen {
        loop {
            // `KEY` is optional; a key named by a column called `key` is not supported.
            if word_at(parser, 0).as_deref() == Some("KEY") && word_at(parser, 1).as_deref() != Some("VALUE") {
                parser.next_token();
            }
            pairs.push(parser.parse_expr()?);
            if !words(parser, &["VALUE"]) {
                return expected(parser, "VALUE");
            }
            pairs.push(parser.parse_expr()?);
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        behaviour = on_null(parser);
    }
    let mut args = vec![text(behaviour.unwrap_or("NULL"))];
    args.extend(pairs);
    Ok(args)
}

fn json_array(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let mut values = Vec::new();
    let mut behaviour = on_null(parser);
    if behaviour.is_none() && parser.peek_token_ref().token != Token::RParen {
        loop {
            values.push(parser.parse_expr()?);
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        behaviour = on_null(parser);
    }
    let mut args = vec![text(behaviour.unwrap_or("ABSENT"))];
    args.extend(values);
    Ok(args)
}

/// `v [{NULL | ABSENT} ON NULL]`: the behaviour, then the value as JSON text — Flink's
/// `WrapJsonAggFunctionArgumentsRule` hands the aggregate `JSON_STRING(v)` the same way.
fn json_arrayagg(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    let value = parser.parse_expr()?;
    let behaviour = on_null(parser).unwrap_or("ABSENT");
    Ok(vec![text(behaviour), call("JSON_STRING", vec![value])])
}

/// `[KEY] k VALUE v [{NULL | ABSENT} ON NULL]`: the behaviour, then `ROW(k, JSON_STRING(v))`, so
/// the aggregate reads one column as every other aggregate does.
fn json_objectagg(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    if word_at(parser, 0).as_deref() == Some("KEY") && word_at(parser, 1).as_deref() != Some("VALUE") {
        parser.next_token();
    }
    let key = parser.parse_expr()?;
    if !words(parser, &["VALUE"]) {
        return expected(parser, "VALUE");
    }
    let value = parser.parse_expr()?;
    let behaviour = on_null(parser).unwrap_or("NULL");
    Ok(vec![text(behaviour), call("ROW", vec![key, call("JSON_STRING", vec![value])])])
}

/// `expr IS [NOT] JSON [VALUE | SCALAR | ARRAY | OBJECT]` when it follows: `IS_JSON(expr,
/// 'VALUE')`, under NOT for `IS NOT JSON`.
pub fn parse_is_json(parser: &mut Parser, expr: &Expr) -> Option<Result<Expr, ParserError>> {
    if word_at(parser, 0).as_deref() != Some("IS") {
        return None;
    }
    let negated = word_at(parser, 1).as_deref() == Some("NOT");
    let at = 1 + usize::from(negated);
    if word_at(parser, at).as_deref() != Some("JSON") {
        return None;
    }
    for _ in 0..=at {
        parser.next_token();
    }
    let kind = match word_at(parser, 0).as_deref() {
        Some(k @ ("VALUE" | "SCALAR" | "ARRAY" | "OBJECT")) => {
            let k = k.to_string();
            parser.next_token();
            k
        }
        _ => "VALUE".to_string(),
    };
    let test = call("IS_JSON", vec![expr.clone(), text(&kind)]);
    Some(Ok(if negated { Expr::UnaryOp { op: UnaryOperator::Not, expr: Box::new(Expr::Nested(Box::new(test))) } } else { test }))
}

#[cfg(test)]
mod tests {
    use super::super::dialect::FlinkDialect;
    use sqlparser::parser::Parser;

    fn expr(sql: &str) -> String {
        Parser::new(&FlinkDialect).try_with_sql(sql).unwrap().parse_expr().map(|e| e.to_string()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn clauses_become_arguments_in_a_fixed_shape() {
        assert_eq!(
            expr("JSON_VALUE(j, '$.a' RETURNING INT DEFAULT 1 ON EMPTY ERROR ON ERROR)"),
            "JSON_VALUE(j, '$.a', 'DEFAULT;ERROR', CAST(NULL AS INT), 1, NULL)"
        );
        assert_eq!(
            expr("json_query(j, '$' WITH CONDITIONAL ARRAY WRAPPER EMPTY OBJECT ON ERROR)"),
            "JSON_QUERY(j, '$', 'CONDITIONAL;NULL;EMPTY OBJECT')"
        );
        assert_eq!(expr("JSON_EXISTS(j, '$.a' UNKNOWN ON ERROR)"), "JSON_EXISTS(j, '$.a', 'UNKNOWN')");
        assert_eq!(expr("JSON_OBJECT(KEY 'a' VALUE 1, 'b' VALUE x ABSENT ON NULL)"), "JSON_OBJECT('ABSENT', 'a', 1, 'b', x)");
        assert_eq!(expr("JSON_ARRAYAGG(v NULL ON NULL)"), "JSON_ARRAYAGG('NULL', JSON_STRING(v))");
        assert_eq!(expr("JSON_ARRAYAGG(v)"), "JSON_ARRAYAGG('ABSENT', JSON_STRING(v))");
        assert_eq!(expr("JSON_OBJECTAGG(KEY k VALUE v)"), "JSON_OBJECTAGG('NULL', ROW(k, JSON_STRING(v)))");
        assert_eq!(expr("JSON_OBJECTAGG(k VALUE v ABSENT ON NULL)"), "JSON_OBJECTAGG('ABSENT', ROW(k, JSON_STRING(v)))");
        assert_eq!(expr("JSON_ARRAY()"), "JSON_ARRAY('ABSENT')");
        assert_eq!(expr("JSON_ARRAY(1, NULL NULL ON NULL)"), "JSON_ARRAY('NULL', 1, NULL)");
        assert_eq!(expr("s IS NOT JSON OBJECT"), "NOT (IS_JSON(s, 'OBJECT'))");
        assert_eq!(expr("s IS JSON"), "IS_JSON(s, 'VALUE')");
        assert!(expr("JSON_VALUE(j, '$.a', 'x')").starts_with("error"));
    }
}
