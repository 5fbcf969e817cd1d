//! Flink's SQL dialect, as hooks on sqlparser (no fork).
//!
//! sqlparser already reads most of Flink's query syntax. What it lacks at the expression level
//! is the table argument of window table functions: `HOP(TABLE t [PARTITION BY k], …)`. The
//! [`FlinkDialect::parse_prefix`] hook reads `TABLE name [PARTITION BY k, …]` (or
//! `TABLE (SELECT …)`, for cascading windows) wherever an
//! expression may start and represents it as a call of the reserved function [`TABLE_ARG`];
//! [`table_arg`] turns that call back into its parts for the planner. Statement-level Flink
//! syntax (`CREATE TABLE` with `WATERMARK FOR`, computed columns, …) is read in [`super::ddl`];
//! the SQL/JSON functions' clauses (`RETURNING`, `ON EMPTY`, `KEY … VALUE`, `IS JSON`) in
//! [`super::json`].

use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    AccessExpr, CaseWhen, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    ObjectName, ObjectNamePart, Subscript, TrimWhereField,
};
use sqlparser::dialect::Dialect;
use sqlparser::keywords::{Keyword, RESERVED_FOR_COLUMN_ALIAS, RESERVED_FOR_TABLE_ALIAS};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// The name under which a `TABLE t` argument travels through sqlparser's AST.
pub const TABLE_ARG: &str = "$table";

#[derive(Debug, Default, Clone, Copy)]
pub struct FlinkDialect;

impl Dialect for FlinkDialect {
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphanumeric() || ch == '_' || ch == '$'
    }

    /// `FOR SYSTEM_TIME AS OF` after a table name (temporal joins).
    fn supports_table_versioning(&self) -> bool {
        true
    }

    fn supports_group_by_expr(&self) -> bool {
        true
    }

    fn supports_named_fn_args_with_rarrow_operator(&self) -> bool {
        true
    }

    fn supports_window_clause_named_window_reference(&self) -> bool {
        true
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }

    /// `ARRAY_AGG(x IGNORE NULLS)`, `ARRAY_AGG(x RESPECT NULLS)`.
    fn supports_window_function_null_treatment_arg(&self) -> bool {
        true
    }

    /// `t MATCH_RECOGNIZE (…)`, planned by `plan::match_recognize`.
    fn supports_match_recognize(&self) -> bool {
        true
    }

    /// `SELECT x word`: a word Flink does not reserve is the item's alias, as in Flink (sqlparser
    /// would read `view`, `returning`, `analyze` … as the start of some dialect's next clause).
    /// A reserved word that sqlparser takes as an alias is then refused by name (`reserved.rs`).
    fn is_select_item_alias(&self, explicit: bool, kw: &Keyword, _parser: &mut Parser) -> bool {
        explicit || !RESERVED_FOR_COLUMN_ALIAS.contains(kw) || !super::reserved::is_reserved_keyword(*kw)
    }

    /// `FROM t word`: as for a select item's alias. `GLOBAL` too, which sqlparser would read as
    /// ClickHouse's `GLOBAL JOIN` and drop when no join follows: as an alias it is refused by
    /// name, as Flink refuses it.
    fn is_table_factor_alias(&self, explicit: bool, kw: &Keyword, _parser: &mut Parser) -> bool {
        explicit || !RESERVED_FOR_TABLE_ALIAS.contains(kw) || !super::reserved::is_reserved_keyword(*kw) || *kw == Keyword::GLOBAL
    }

    /// `x [NOT] BETWEEN SYMMETRIC a AND b`, which sqlparser lacks: `(x BETWEEN a AND b) OR (x
    /// BETWEEN b AND a)` (under NOT for NOT BETWEEN), the same three-valued result as Flink's;
    /// `BETWEEN ASYMMETRIC` is the plain BETWEEN.
    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, _precedence: u8) -> Option<Result<Expr, ParserError>> {
        if let Some(is_json) = super::json::parse_is_json(parser, expr) {
            return Some(is_json);
        }
        let negated = parser.peek_keyword(Keyword::NOT);
        let at = usize::from(negated);
        let is = |i: usize, k: Keyword| matches!(&parser.peek_nth_token_ref(i).token, Token::Word(w) if w.keyword == k);
        let symmetric = is(at + 1, Keyword::SYMMETRIC);
        if !(is(at, Keyword::BETWEEN) && (symmetric || is(at + 1, Keyword::ASYMMETRIC))) {
            return None;
        }
        for _ in 0..at + 2 {
            parser.next_token();
        }
        Some(parse_symmetric_between(parser, expr, negated, symmetric))
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        if let Some(trim) = parse_trim_side_from(parser) {
            return Some(trim);
        }
        if let Some(cast) = parse_cast(parser) {
            return Some(cast);
        }
        if let Some(map) = parse_map_constructor(parser) {
            return Some(map);
        }
        if let Some(json) = super::json::parse_json_call(parser) {
            return Some(json);
        }
        if let Some(case) = parse_simple_case(parser) {
            return Some(case);
        }
        // `TABLE t` only appears as a function argument; elsewhere TABLE is not an expression.
        if !parser.peek_keyword(Keyword::TABLE) {
            return None;
        }
        if matches!(parser.peek_nth_token_ref(1).token, Token::LParen) {
            // `TABLE (SELECT …)`: a subquery as the table argument (cascading windows).
            let query_follows = match &parser.peek_nth_token_ref(2).token {
                Token::Word(w) => matches!(w.keyword, Keyword::SELECT | Keyword::WITH | Keyword::VALUES),
                Token::LParen => true,
                _ => false,
            };
            if !query_follows {
                return None;
            }
        }
        parser.next_token();
        Some(parse_table_arg(parser))
    }
}

/// `CAST(x AS type)` and `TRY_CAST(…)` with Flink's type names, which sqlparser does not all
/// read (`MAP<STRING, INT>`, `INT ARRAY`, `MULTISET<…>`, `BYTES`): the type is read by the DDL's
/// type reader and handed on as a custom type holding its Flink text, which the binder reads back.
fn parse_cast(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let kind = match &parser.peek_token_ref().token {
        Token::Word(w) if w.keyword == Keyword::CAST => CastKind::Cast,
        Token::Word(w) if w.keyword == Keyword::TRY_CAST => CastKind::TryCast,
        _ => return None,
    };
    if parser.peek_nth_token_ref(1).token != Token::LParen {
        return None;
    }
    parser.next_token();
    parser.next_token();
    Some((|| {
        let expr = parser.parse_expr()?;
        parser.expect_keyword_is(Keyword::AS)?;
        let ty = super::ddl::parse_type(parser).map_err(|e| match e {
            super::parser::StatementError::Sql(e) => ParserError::ParserError(e.to_string()),
            super::parser::StatementError::Parser(e) => e,
        })?;
        parser.expect_token(&Token::RParen)?;
        let name = ObjectName::from(Ident::new(ty.to_string()));
        Ok(Expr::Cast { kind, expr: Box::new(expr), data_type: DataType::Custom(name, vec![]), format: None })
    })())
}

/// `MAP[k1, v1, k2, v2]`, Flink's map constructor, which sqlparser does not read: a call of the
/// function `MAP` with the keys and values, then any `[key]` subscripts after it.
fn parse_map_constructor(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let is_map = matches!(&parser.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::MAP);
    if !is_map || parser.peek_nth_token_ref(1).token != Token::LBracket {
        return None;
    }
    parser.next_token();
    parser.next_token();
    Some((|| {
        let args = parser.parse_comma_separated(Parser::parse_expr)?;
        parser.expect_token(&Token::RBracket)?;
        let call = Expr::Function(Function {
            name: ObjectName::from(Ident::new("MAP")),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::List(FunctionArgumentList {
                duplicate_treatment: None,
                args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
                clauses: vec![],
            }),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: vec![],
        });
        let mut chain = Vec::new();
        while parser.consume_token(&Token::LBracket) {
            let index = parser.parse_expr()?;
            parser.expect_token(&Token::RBracket)?;
            chain.push(AccessExpr::Subscript(Subscript::Index { index }));
        }
        Ok(if chain.is_empty() { call } else { Expr::CompoundFieldAccess { root: Box::new(call), access_chain: chain } })
    })())
}

/// `TRIM(LEADING FROM s)`: a side without characters, which sqlparser does not read (it
/// expects `TRIM(LEADING 'x' FROM s)`). Other TRIM forms are left to sqlparser.
fn parse_trim_side_from(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let is_trim = matches!(&parser.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::TRIM);
    let side = match &parser.peek_nth_token_ref(2).token {
        Token::Word(w) if w.keyword == Keyword::BOTH => TrimWhereField::Both,
        Token::Word(w) if w.keyword == Keyword::LEADING => TrimWhereField::Leading,
        Token::Word(w) if w.keyword == Keyword::TRAILING => TrimWhereField::Trailing,
        _ => return None,
    };
    let from = matches!(&parser.peek_nth_token_ref(3).token, Token::Word(w) if w.keyword == Keyword::FROM);
    if !is_trim || parser.peek_nth_token_ref(1).token != Token::LParen || !from {
        return None;
    }
    for _ in 0..4 {
        parser.next_token();
    }
    Some((|| {
        let expr = parser.parse_expr()?;
        parser.expect_token(&Token::RParen)?;
        Ok(Expr::Trim { expr: Box::new(expr), trim_where: Some(side), trim_what: None, trim_characters: None })
    })())
}

/// A simple CASE, `CASE x WHEN a, b THEN … [ELSE …] END`: Flink allows several values in one
/// WHEN, which sqlparser does not read. They travel as a tuple condition, which the binder
/// compares with `x` as `x = a OR x = b` (Calcite's expansion); one value stays as it is.
fn parse_simple_case(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    if !parser.peek_keyword(Keyword::CASE) || matches!(&parser.peek_nth_token_ref(1).token, Token::Word(w) if w.keyword == Keyword::WHEN) {
        return None;
    }
    parser.next_token();
    Some((|| {
        let operand = parser.parse_expr()?;
        let mut conditions = Vec::new();
        while parser.parse_keyword(Keyword::WHEN) {
            let mut values = parser.parse_comma_separated(Parser::parse_expr)?;
            let condition = if values.len() == 1 { values.remove(0) } else { Expr::Tuple(values) };
            parser.expect_keyword_is(Keyword::THEN)?;
            let result = parser.parse_expr()?;
            conditions.push(CaseWhen { condition, result });
        }
        if conditions.is_empty() {
            parser.expect_keyword_is(Keyword::WHEN)?;
        }
        let else_result = if parser.parse_keyword(Keyword::ELSE) { Some(Box::new(parser.parse_expr()?)) } else { None };
        parser.expect_keyword_is(Keyword::END)?;
        Ok(Expr::Case {
            case_token: AttachedToken::empty(),
            end_token: AttachedToken::empty(),
            operand: Some(Box::new(operand)),
            conditions,
            else_result,
        })
    })())
}

fn parse_table_arg(parser: &mut Parser) -> Result<Expr, ParserError> {
    let data = if parser.consume_token(&Token::LParen) {
        let query = parser.parse_query()?;
        parser.expect_token(&Token::RParen)?;
        Expr::Subquery(query)
    } else {
        let name = parser.parse_object_name(false)?;
        Expr::CompoundIdentifier(name.0.iter().filter_map(|p| p.as_ident().cloned()).collect())
    };
    let mut args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(data))];
    if parser.parse_keywords(&[Keyword::PARTITION, Keyword::BY]) {
        // Flink's grammar: `PARTITION BY k` or `PARTITION BY (k1, k2)`; a comma after a single
        // key starts the function's next argument.
        let keys = match parser.parse_expr()? {
            Expr::Tuple(keys) => keys,
            Expr::Nested(key) => vec![*key],
            key => vec![key],
        };
        for key in keys {
            args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(key)));
        }
    }
    Ok(Expr::Function(Function {
        name: ObjectName(vec![ObjectNamePart::Identifier(Ident::new(TABLE_ARG))]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList { duplicate_treatment: None, args, clauses: vec![] }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    }))
}

/// What a `TABLE …` argument reads.
#[derive(Clone, Debug)]
pub enum TableArg {
    /// `TABLE t`: a table, view or CTE by name.
    Named(Vec<Ident>),
    /// `TABLE (SELECT …)`.
    Subquery(Box<sqlparser::ast::Query>),
}

/// A `TABLE t [PARTITION BY k, …]` argument: what it reads and the partition keys.
pub fn table_arg(expr: &Expr) -> Option<(TableArg, Vec<Expr>)> {
    let Expr::Function(f) = expr else { return None };
    if f.name.0.len() != 1 || f.name.0[0].as_ident()?.value != TABLE_ARG {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else { return None };
    let mut exprs = list.args.iter().filter_map(|a| match a {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
        _ => None,
    });
    let data = match exprs.next()? {
        Expr::CompoundIdentifier(parts) => TableArg::Named(parts),
        Expr::Subquery(q) => TableArg::Subquery(q),
        _ => return None,
    };
    Some((data, exprs.collect()))
}

fn parse_symmetric_between(parser: &mut Parser, expr: &Expr, negated: bool, symmetric: bool) -> Result<Expr, ParserError> {
    let precedence = FlinkDialect.prec_value(sqlparser::dialect::Precedence::Between);
    let low = parser.parse_subexpr(precedence)?;
    parser.expect_keyword_is(Keyword::AND)?;
    let high = parser.parse_subexpr(precedence)?;
    if !symmetric {
        return Ok(Expr::Between { expr: Box::new(expr.clone()), negated, low: Box::new(low), high: Box::new(high) });
    }
    let between = |low: &Expr, high: &Expr| Expr::Between {
        expr: Box::new(expr.clone()),
        negated: false,
        low: Box::new(low.clone()),
        high: Box::new(high.clone()),
    };
    let either = Expr::Nested(Box::new(Expr::BinaryOp {
        left: Box::new(between(&low, &high)),
        op: sqlparser::ast::BinaryOperator::Or,
        right: Box::new(between(&high, &low)),
    }));
    Ok(if negated { Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Not, expr: Box::new(either) } } else { either })
}
