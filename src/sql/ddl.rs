//! Flink's statement forms that sqlparser does not read as Flink writes them: `CREATE TABLE`
//! with `WATERMARK FOR`, computed and metadata columns, `PRIMARY KEY … NOT ENFORCED`,
//! `PARTITIONED BY` and `WITH`; `SET`/`RESET 'key'`; `DESCRIBE`; `SHOW …`; and Flink's type
//! names (`STRING`, `TIMESTAMP_LTZ(3)`, `ROW<…>`). Expressions inside them are sqlparser's.

use sqlparser::ast::{Expr, Ident, ObjectName, ObjectNamePart, Query};
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::ast::{
    AlterChange, ColumnDef, ColumnKind, ColumnPosition, CreateFunction, CreateTable, LikeClause, LikeFeature, LikeStrategy, SchemaChange,
    ShowLike, Statement, WatermarkDef,
};
use super::dialect::FlinkDialect;
use super::parser::{location_of, unexpected, StatementError};
use super::SqlError;
use crate::types::{DataType, Field, SqlType};

/// Reads a Flink-specific statement if one starts here; `None` leaves the parser untouched.
pub(super) fn parse_flink_statement(parser: &mut Parser) -> Result<Option<Statement>, StatementError> {
    let start = parser.index();
    if parser.parse_keyword(Keyword::CREATE) {
        let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
        let temporary = parser.parse_keyword(Keyword::TEMPORARY);
        if parser.parse_keyword(Keyword::TABLE) {
            let table = CreateTable { or_replace, ..parse_create_table(parser, temporary)? };
            return Ok(Some(Statement::CreateTable(Box::new(table))));
        }
        if parser.parse_keyword(Keyword::VIEW) {
            return parse_create_view(parser, or_replace, temporary).map(Some);
        }
        let system = !or_replace && parse_word(parser, "SYSTEM");
        if system || (!or_replace && parse_word(parser, "FUNCTION")) {
            if system && !parse_word(parser, "FUNCTION") {
                return Err(unexpected(&parser.peek_token(), "FUNCTION"));
            }
            return Ok(Some(Statement::CreateFunction(Box::new(parse_create_function(parser, temporary, system)?))));
        }
        // Give back CREATE [OR REPLACE] [TEMPORARY] for sqlparser to refuse by its first words.
        // `prev_token` steps back over the keywords, not over the whitespace before them, so the
        // index may stay past `start`; only never before it.
        for _ in 0..1 + 2 * usize::from(or_replace) + usize::from(temporary) {
            parser.prev_token();
        }
        debug_assert!(parser.index() >= start);
        return Ok(None);
    }
    if let Some(statement) = parse_drop_function(parser)? {
        return Ok(Some(statement));
    }
    if let Some(statement) = parse_drop_temporary(parser)? {
        return Ok(Some(statement));
    }
    if parser.parse_keyword(Keyword::SET) {
        if at_end(parser) {
            return Ok(Some(Statement::Set { key: None, value: None }));
        }
        let key = parse_quoted(parser, "a quoted key such as 'execution.runtime-mode'")?;
        if !parser.consume_token(&Token::Eq) {
            return Err(unexpected(&parser.peek_token(), "`=`"));
        }
        let value = parse_quoted(parser, "a quoted value")?;
        return Ok(Some(Statement::Set { key: Some(key), value: Some(value) }));
    }
    if parser.parse_keyword(Keyword::RESET) {
        if at_end(parser) {
            return Ok(Some(Statement::Reset { key: None }));
        }
        let key = parse_quoted(parser, "a quoted key")?;
        return Ok(Some(Statement::Reset { key: Some(key) }));
    }
    if parser.parse_keyword(Keyword::DESCRIBE) || parser.parse_keyword(Keyword::DESC) {
        if parse_word(parser, "FUNCTION") {
            let extended = parse_word(parser, "EXTENDED");
            let location = super::parser::location_of(&parser.peek_token());
            let token = parser.next_token();
            let name = match &token.token {
                Token::Word(w) => w.value.clone(),
                _ => return Err(unexpected(&token, "a function name")),
            };
            return Ok(Some(Statement::DescribeFunction { name, extended, location }));
        }
        // Flink's other DESCRIBE statements: `DESCRIBE catalog` is one cut short to Flink, not a
        // table's name.
        let other = parser.peek_token();
        if let Token::Word(w) = &other.token {
            let kind = w.value.to_ascii_uppercase();
            if w.quote_style.is_none() && ["CATALOG", "DATABASE", "JOB", "MODEL", "CONNECTION"].contains(&kind.as_str()) {
                return Err(StatementError::Sql(
                    SqlError::new(format!("`DESCRIBE {kind}` statements are not supported"))
                        .at(location_of(&other))
                        .hint(format!("DESCRIBE `{}` describes a table of that name", w.value)),
                ));
            }
        }
        // `DESCRIBE EXTENDED t` shows what DESCRIBE does; ``DESCRIBE `extended` `` a table of that
        // name (unquoted, EXTENDED is a reserved word).
        if word_at(parser, 0, "EXTENDED") && matches!(parser.peek_nth_token_ref(1).token, Token::Word(_)) {
            parser.next_token();
        }
        let name = object_name(parser)?;
        return Ok(Some(Statement::Describe(super::parser::single_ident(&name)?)));
    }
    if parse_word(parser, "STOP") {
        if !parse_word(parser, "JOB") {
            return Err(unexpected(&parser.peek_token(), "JOB"));
        }
        let location = super::parser::location_of(&parser.peek_token());
        let id = parse_quoted(parser, "the job id in quotes, e.g. STOP JOB '1'")?;
        let (mut savepoint, mut drain) = (false, false);
        while parser.parse_keyword(Keyword::WITH) {
            if parse_word(parser, "SAVEPOINT") {
                savepoint = true;
            } else if parse_word(parser, "DRAIN") {
                drain = true;
            } else {
                return Err(unexpected(&parser.peek_token(), "SAVEPOINT or DRAIN"));
            }
        }
        return Ok(Some(Statement::StopJob { id, savepoint, drain, location }));
    }
    if parser.parse_keyword(Keyword::SHOW) {
        let what = parser.next_token();
        let statement = match &what.token {
            Token::Word(w) if w.keyword == Keyword::TABLES || w.keyword == Keyword::VIEWS => {
                // `FROM|IN db`: the one database there is (USE checks a name; SHOW lists it).
                if parser.parse_one_of_keywords(&[Keyword::FROM, Keyword::IN]).is_some() {
                    object_name(parser)?;
                }
                let like = parse_show_like(parser, false)?;
                if w.keyword == Keyword::VIEWS {
                    Statement::ShowViews { like }
                } else {
                    Statement::ShowTables { like }
                }
            }
            Token::Word(w) if w.keyword == Keyword::FUNCTIONS || (w.keyword == Keyword::USER && parse_word(parser, "FUNCTIONS")) => {
                // `FROM|IN db`: Flink lists the same functions for any name.
                if parser.parse_one_of_keywords(&[Keyword::FROM, Keyword::IN]).is_some() {
                    object_name(parser)?;
                }
                Statement::ShowFunctions { user: w.keyword == Keyword::USER, like: parse_show_like(parser, true)? }
            }
            Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("JOBS") => Statement::ShowJobs,
            Token::Word(w) if w.keyword == Keyword::COLUMNS => {
                if parser.parse_one_of_keywords(&[Keyword::FROM, Keyword::IN]).is_none() {
                    return Err(unexpected(&parser.peek_token(), "FROM and a table"));
                }
                let table = super::parser::single_ident(&object_name(parser)?)?;
                Statement::ShowColumns { table, like: parse_show_like(parser, false)? }
            }
            Token::Word(w) if w.keyword == Keyword::CREATE => {
                let view = match parser.parse_one_of_keywords(&[Keyword::TABLE, Keyword::VIEW]) {
                    Some(Keyword::VIEW) => true,
                    Some(_) => false,
                    None => return Err(unexpected(&parser.peek_token(), "TABLE or VIEW")),
                };
                let name = super::parser::single_ident(&object_name(parser)?)?;
                if view {
                    Statement::ShowCreateView(name)
                } else {
                    Statement::ShowCreateTable(name)
                }
            }
            Token::Word(w) if w.keyword == Keyword::FULL && parse_word(parser, "MODULES") => Statement::ShowModules { full: true },
            Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("MODULES") => Statement::ShowModules { full: false },
            Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("JARS") => Statement::ShowNone("jars"),
            Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("MODELS") => Statement::ShowNone("model name"),
            Token::Word(w) if w.keyword == Keyword::MATERIALIZED && parse_word(parser, "TABLES") => {
                Statement::ShowNone("materialized table")
            }
            // Flink 2.3's in-memory catalog has no procedures to list, in these words.
            Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("PROCEDURES") => {
                return Err(StatementError::Sql(
                    SqlError::new("listProcedures is not implemented for class org.apache.flink.table.catalog.GenericInMemoryCatalog.")
                        .at(location_of(&what)),
                ));
            }
            Token::Word(w) if w.keyword == Keyword::CATALOGS => Statement::ShowCatalogs { databases: false, current: false },
            Token::Word(w) if w.keyword == Keyword::DATABASES => Statement::ShowCatalogs { databases: true, current: false },
            Token::Word(w) if w.keyword == Keyword::CURRENT => {
                let which = parser.next_token();
                match &which.token {
                    Token::Word(w) if w.keyword == Keyword::CATALOG => Statement::ShowCatalogs { databases: false, current: true },
                    Token::Word(w) if w.keyword == Keyword::DATABASE => Statement::ShowCatalogs { databases: true, current: true },
                    _ => return Err(unexpected(&which, "CATALOG or DATABASE")),
                }
            }
            _ => {
                return Err(unexpected(
                    &what,
                    "TABLES, VIEWS, COLUMNS, CREATE TABLE, CREATE VIEW, FUNCTIONS, JOBS, MODULES, JARS, MODELS, MATERIALIZED TABLES, CATALOGS or DATABASES",
                ))
            }
        };
        return Ok(Some(statement));
    }
    // ALTER TABLE / VIEW; another ALTER is refused by its first words with the others.
    let altered = |k: Keyword| matches!(&parser.peek_nth_token_ref(1).token, Token::Word(w) if w.keyword == k);
    if matches!(&parser.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::ALTER)
        && (altered(Keyword::TABLE) || altered(Keyword::VIEW))
    {
        parser.next_token();
        return parse_alter(parser).map(Some);
    }
    if parser.parse_keyword(Keyword::USE) {
        let location = location_of(&parser.peek_token());
        if parser.parse_keyword(Keyword::CATALOG) {
            let name = identifier(parser)?;
            return Ok(Some(Statement::Use { catalog: Some(name.value), database: None, location }));
        }
        if parse_word(parser, "MODULES") {
            let names = identifiers(parser)?;
            return Ok(Some(Statement::UseModules { names: names.into_iter().map(|n| n.value).collect(), location }));
        }
        let mut parts = object_name(parser)?.0.into_iter().filter_map(|p| p.as_ident().map(|i| i.value.clone()));
        let (first, second) = (parts.next(), parts.next());
        let statement = match (first, second) {
            (Some(catalog), Some(database)) => Statement::Use { catalog: Some(catalog), database: Some(database), location },
            (database, None) => Statement::Use { catalog: None, database, location },
            (None, Some(_)) => return Err(unexpected(&parser.peek_token(), "a database")),
        };
        return Ok(Some(statement));
    }
    Ok(None)
}

/// `ALTER` read; the rest: `TABLE [IF EXISTS] name SET (…) | RESET (…) | RENAME TO new | RENAME
/// col TO new | ADD … | MODIFY … | DROP …`, or `VIEW name RENAME TO new | AS query` (Flink 2.x's
/// forms).
fn parse_alter(parser: &mut Parser) -> Result<Statement, StatementError> {
    let view = match parser.parse_one_of_keywords(&[Keyword::TABLE, Keyword::VIEW]) {
        Some(Keyword::VIEW) => true,
        Some(_) => false,
        None => return Err(unexpected(&parser.peek_token(), "TABLE or VIEW")),
    };
    let if_exists = !view && parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let location = location_of(&parser.peek_token());
    let name = super::parser::single_ident(&object_name(parser)?)?;
    let change = if parser.parse_keywords(&[Keyword::RENAME, Keyword::TO]) {
        AlterChange::RenameTo(super::parser::single_ident(&object_name(parser)?)?)
    } else if view && parser.parse_keyword(Keyword::AS) {
        AlterChange::As(query(parser)?)
    } else if !view && parser.parse_keyword(Keyword::RENAME) {
        let from = identifier(parser)?;
        parser.expect_keyword(Keyword::TO)?;
        AlterChange::RenameColumn { from, to: identifier(parser)? }
    } else if !view && parser.parse_keyword(Keyword::SET) {
        AlterChange::Set(parse_options(parser)?)
    } else if !view && parser.parse_keyword(Keyword::RESET) {
        parser.expect_token(&Token::LParen)?;
        let mut keys = vec![parse_quoted(parser, "a quoted option key")?];
        while parser.consume_token(&Token::Comma) {
            keys.push(parse_quoted(parser, "a quoted option key")?);
        }
        parser.expect_token(&Token::RParen)?;
        AlterChange::Reset(keys)
    } else if let Some(keyword) = (!view).then(|| parser.parse_one_of_keywords(&[Keyword::ADD, Keyword::MODIFY])).flatten() {
        AlterChange::Schema { modify: keyword == Keyword::MODIFY, change: Box::new(parse_schema_change(parser)?) }
    } else if !view && parser.parse_keyword(Keyword::DROP) {
        parse_alter_drop(parser)?
    } else {
        let what = if view { "RENAME TO or AS" } else { "SET (…), RESET (…), RENAME TO, ADD, MODIFY or DROP" };
        return Err(unexpected(&parser.peek_token(), what));
    };
    Ok(Statement::Alter { name, view, if_exists, change, location })
}

/// `ALTER TABLE … ADD` / `MODIFY` read; the rest: one column, watermark or primary key, or a
/// list of them in parentheses; a column may end in `FIRST` or `AFTER col`. Each is read as
/// CREATE TABLE reads it.
fn parse_schema_change(parser: &mut Parser) -> Result<SchemaChange, StatementError> {
    let mut table = CreateTable::named(Ident::new(""));
    let mut positions = Vec::new();
    let listed = parser.consume_token(&Token::LParen);
    loop {
        let columns = table.columns.len();
        parse_table_element(parser, &mut table)?;
        if table.columns.len() > columns {
            positions.push(if parse_word(parser, "FIRST") {
                ColumnPosition::First
            } else if parse_word(parser, "AFTER") {
                ColumnPosition::After(identifier(parser)?)
            } else {
                ColumnPosition::Unchanged
            });
        }
        if !listed {
            break;
        }
        if !parser.consume_token(&Token::Comma) {
            parser.expect_token(&Token::RParen)?;
            break;
        }
    }
    Ok(SchemaChange {
        columns: table.columns.into_iter().zip(positions).collect(),
        watermark: table.watermark,
        primary_key: table.primary_key,
        primary_key_name: table.primary_key_name,
    })
}

/// `ALTER TABLE … DROP` read; the rest: `col`, `(col, …)`, `PRIMARY KEY`, `CONSTRAINT name` or
/// `WATERMARK`.
fn parse_alter_drop(parser: &mut Parser) -> Result<AlterChange, StatementError> {
    if parser.parse_keywords(&[Keyword::PRIMARY, Keyword::KEY]) {
        return Ok(AlterChange::DropPrimaryKey(None));
    }
    if parser.parse_keyword(Keyword::CONSTRAINT) {
        return Ok(AlterChange::DropPrimaryKey(Some(identifier(parser)?)));
    }
    if parse_word(parser, "WATERMARK") {
        return Ok(AlterChange::DropWatermark);
    }
    if parser.consume_token(&Token::LParen) {
        let columns = identifiers(parser)?;
        parser.expect_token(&Token::RParen)?;
        return Ok(AlterChange::DropColumns(columns));
    }
    Ok(AlterChange::DropColumns(vec![identifier(parser)?]))
}

/// `CREATE [OR REPLACE] [TEMPORARY] VIEW` read; the rest: `[IF NOT EXISTS] name [(column, …)]
/// [COMMENT '…'] AS query`, Flink's form.
fn parse_create_view(parser: &mut Parser, or_replace: bool, temporary: bool) -> Result<Statement, StatementError> {
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = super::parser::single_ident(&object_name(parser)?)?;
    let mut columns = Vec::new();
    if parser.consume_token(&Token::LParen) {
        columns = identifiers(parser)?;
        parser.expect_token(&Token::RParen)?;
    }
    let comment = if parser.parse_keyword(Keyword::COMMENT) { Some(parse_quoted(parser, "a quoted comment")?) } else { None };
    if !parser.parse_keyword(Keyword::AS) {
        return Err(unexpected(&parser.peek_token(), "AS and the view's query"));
    }
    let query = query(parser)?;
    Ok(Statement::CreateView { name, query, if_not_exists, or_replace, temporary, columns, comment })
}

/// `('key' = 'value', …)`, possibly empty: a table's WITH options, or what ALTER TABLE SETs.
fn parse_options(parser: &mut Parser) -> Result<Vec<(String, String)>, StatementError> {
    parser.expect_token(&Token::LParen)?;
    let mut options = Vec::new();
    if parser.consume_token(&Token::RParen) {
        return Ok(options);
    }
    loop {
        let key = parse_quoted(parser, "a quoted option key such as 'connector'")?;
        if !parser.consume_token(&Token::Eq) {
            return Err(unexpected(&parser.peek_token(), "`=`"));
        }
        options.push((key, parse_quoted(parser, "a quoted option value")?));
        if !parser.consume_token(&Token::Comma) {
            parser.expect_token(&Token::RParen)?;
            return Ok(options);
        }
    }
}

/// A SHOW statement's `[NOT] LIKE 'pattern'`, if it has one.
/// `[NOT] LIKE 'pattern'`, and `[NOT] ILIKE` where `ilike` (Flink's SHOW FUNCTIONS takes it, its
/// other SHOW statements do not).
fn parse_show_like(parser: &mut Parser, ilike: bool) -> Result<Option<ShowLike>, StatementError> {
    let location = location_of(&parser.peek_token());
    let not = parser.parse_keyword(Keyword::NOT);
    let words: &[Keyword] = if ilike { &[Keyword::LIKE, Keyword::ILIKE] } else { &[Keyword::LIKE] };
    let Some(word) = parser.parse_one_of_keywords(words) else {
        if not {
            return Err(unexpected(&parser.peek_token(), if ilike { "LIKE or ILIKE" } else { "LIKE" }));
        }
        return Ok(None);
    };
    let pattern = parse_quoted(parser, "a quoted pattern such as 'sensor%'")?;
    Ok(Some(ShowLike { not, ilike: word == Keyword::ILIKE, pattern, location }))
}

/// `CREATE [TEMPORARY] [SYSTEM] FUNCTION` read; the rest:
/// `[IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA|SCALA|PYTHON] [USING JAR '…' [, JAR '…']*]`.
fn parse_create_function(parser: &mut Parser, temporary: bool, system: bool) -> Result<CreateFunction, StatementError> {
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let location = location_of(&parser.peek_token());
    let name = function_name(parser)?;
    if !parser.parse_keyword(Keyword::AS) {
        return Err(unexpected(&parser.peek_token(), "AS 'the function's class'"));
    }
    let class = parse_quoted(parser, "the function's class in quotes, e.g. 'com.example.MyFunction'")?;
    let mut language = "JAVA".to_string();
    if parse_word(parser, "LANGUAGE") {
        let token = parser.next_token();
        language = match &token.token {
            Token::Word(w) if w.quote_style.is_none() && ["JAVA", "SCALA", "PYTHON"].iter().any(|l| w.value.eq_ignore_ascii_case(l)) => {
                w.value.to_ascii_uppercase()
            }
            _ => return Err(unexpected(&token, "JAVA, SCALA or PYTHON")),
        };
    }
    if parser.parse_keyword(Keyword::USING) {
        loop {
            if !parse_word(parser, "JAR") {
                return Err(unexpected(&parser.peek_token(), "JAR 'path'"));
            }
            parse_quoted(parser, "the jar's path in quotes")?;
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
    }
    Ok(CreateFunction { name, class, language, if_not_exists, temporary, system, location })
}

/// `DROP [TEMPORARY] [SYSTEM] FUNCTION [IF EXISTS] name`, if one starts here (looked at
/// before anything is consumed, so other DROPs go to sqlparser untouched).
fn parse_drop_function(parser: &mut Parser) -> Result<Option<Statement>, StatementError> {
    if !word_at(parser, 0, "DROP") {
        return Ok(None);
    }
    let temporary = word_at(parser, 1, "TEMPORARY");
    let system = word_at(parser, 1 + usize::from(temporary), "SYSTEM");
    if !word_at(parser, 1 + usize::from(temporary) + usize::from(system), "FUNCTION") {
        return Ok(None);
    }
    for _ in 0..2 + usize::from(temporary) + usize::from(system) {
        parser.next_token();
    }
    let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let location = location_of(&parser.peek_token());
    let name = function_name(parser)?;
    Ok(Some(Statement::DropFunction { name, if_exists, temporary, system, location }))
}

/// `DROP TEMPORARY TABLE|VIEW [IF EXISTS] name` (sqlparser reads no TEMPORARY there).
fn parse_drop_temporary(parser: &mut Parser) -> Result<Option<Statement>, StatementError> {
    if !(word_at(parser, 0, "DROP") && word_at(parser, 1, "TEMPORARY")) {
        return Ok(None);
    }
    let view = word_at(parser, 2, "VIEW");
    if !view && !word_at(parser, 2, "TABLE") {
        return Ok(None);
    }
    for _ in 0..3 {
        parser.next_token();
    }
    let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let name = super::parser::single_ident(&object_name(parser)?)?;
    Ok(Some(Statement::Drop { name, if_exists, view }))
}

/// A function's name as written, `[catalog.][database.]name`, its parts joined by dots.
fn function_name(parser: &mut Parser) -> Result<String, StatementError> {
    let name = object_name(parser)?;
    // The parts' names, without the backquotes a reserved word needs (`` `abs` `` is ABS's name).
    Ok(name.0.iter().map(|part| part.as_ident().map_or_else(|| part.to_string(), |i| i.value.clone())).collect::<Vec<_>>().join("."))
}

/// A name: refused if it is a reserved word written without backquotes, as Flink refuses it.
fn identifier(parser: &mut Parser) -> Result<Ident, StatementError> {
    let ident = parser.parse_identifier()?;
    super::reserved::name(&ident)?;
    Ok(ident)
}

/// `a, b, …`: names, each read by [`identifier`].
fn identifiers(parser: &mut Parser) -> Result<Vec<Ident>, StatementError> {
    let mut names = vec![identifier(parser)?];
    while parser.consume_token(&Token::Comma) {
        names.push(identifier(parser)?);
    }
    Ok(names)
}

/// A dotted name (`cat.db.t`), each part checked as [`identifier`]'s.
fn object_name(parser: &mut Parser) -> Result<ObjectName, StatementError> {
    let name = parser.parse_object_name(false)?;
    name.0.iter().filter_map(ObjectNamePart::as_ident).try_for_each(super::reserved::name)?;
    Ok(name)
}

/// A query (a view's, a CTAS's), its names checked as [`identifier`]'s.
fn query(parser: &mut Parser) -> Result<Box<Query>, StatementError> {
    let mut query = parser.parse_query()?;
    super::reserved::tree(&mut *query)?;
    Ok(query)
}

/// An expression (a computed column's, a watermark's), its names checked as [`identifier`]'s.
fn expr(parser: &mut Parser) -> Result<Expr, StatementError> {
    let mut expr = parser.parse_expr()?;
    super::reserved::tree(&mut expr)?;
    Ok(expr)
}

/// Whether the `n`th token from here is the unquoted word `word` (any case), without consuming it.
fn word_at(parser: &Parser, n: usize, word: &str) -> bool {
    matches!(&parser.peek_nth_token_ref(n).token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
}

/// Consumes `word` (a keyword sqlparser does not know) if it comes next.
pub(super) fn parse_word(parser: &mut Parser, word: &str) -> bool {
    match &parser.peek_token_ref().token {
        Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word) => {
            parser.next_token();
            true
        }
        _ => false,
    }
}

fn at_end(parser: &Parser) -> bool {
    matches!(parser.peek_token_ref().token, Token::SemiColon | Token::EOF)
}

pub(super) fn parse_quoted(parser: &mut Parser, what: &str) -> Result<String, StatementError> {
    let token = parser.next_token();
    match token.token {
        Token::SingleQuotedString(s) => Ok(s),
        _ => Err(unexpected(&token, what)),
    }
}

fn parse_create_table(parser: &mut Parser, temporary: bool) -> Result<CreateTable, StatementError> {
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = super::parser::single_ident(&object_name(parser)?)?;
    let mut table = CreateTable { if_not_exists, temporary, ..CreateTable::named(name) };
    // CREATE TABLE … AS query and … LIKE source may leave their columns out.
    let columns = parser.consume_token(&Token::LParen);
    if columns {
        loop {
            parse_table_element(parser, &mut table)?;
            if parser.consume_token(&Token::Comma) {
                continue;
            }
            parser.expect_token(&Token::RParen)?;
            break;
        }
    }
    loop {
        if parser.parse_keyword(Keyword::COMMENT) {
            table.comment = Some(parse_quoted(parser, "a quoted comment")?);
        } else if parser.parse_keywords(&[Keyword::PARTITIONED, Keyword::BY]) {
            parser.expect_token(&Token::LParen)?;
            table.partitioned_by = identifiers(parser)?;
            parser.expect_token(&Token::RParen)?;
        } else if parser.parse_keyword(Keyword::WITH) {
            table.options.extend(parse_options(parser)?);
        } else {
            break;
        }
    }
    if parser.parse_keyword(Keyword::AS) {
        table.query = Some(query(parser)?);
    } else if parser.parse_keyword(Keyword::LIKE) {
        table.like = Some(parse_like_clause(parser)?);
    } else if !columns {
        return Err(unexpected(&parser.peek_token(), "`(` and the table's columns, LIKE and a table, or AS and a query"));
    }
    Ok(table)
}

/// `LIKE` read; the rest: `source [( { INCLUDING | EXCLUDING | OVERWRITING } feature … )]`.
fn parse_like_clause(parser: &mut Parser) -> Result<LikeClause, StatementError> {
    let location = location_of(&parser.peek_token());
    let source = super::parser::single_ident(&object_name(parser)?)?;
    let mut options = Vec::new();
    if parser.consume_token(&Token::LParen) {
        while !parser.consume_token(&Token::RParen) {
            let word = parser.next_token();
            let strategy = match &word.token {
                Token::Word(w) if w.value.eq_ignore_ascii_case("INCLUDING") => LikeStrategy::Including,
                Token::Word(w) if w.value.eq_ignore_ascii_case("EXCLUDING") => LikeStrategy::Excluding,
                Token::Word(w) if w.value.eq_ignore_ascii_case("OVERWRITING") => LikeStrategy::Overwriting,
                _ => return Err(unexpected(&word, "INCLUDING, EXCLUDING or OVERWRITING")),
            };
            let word = parser.next_token();
            let name = match &word.token {
                Token::Word(w) => w.value.to_ascii_uppercase(),
                _ => String::new(),
            };
            let feature = match name.as_str() {
                "ALL" => LikeFeature::All,
                "CONSTRAINTS" => LikeFeature::Constraints,
                "PARTITIONS" => LikeFeature::Partitions,
                "GENERATED" => LikeFeature::Generated,
                "METADATA" => LikeFeature::Metadata,
                "OPTIONS" => LikeFeature::Options,
                "WATERMARKS" => LikeFeature::Watermarks,
                _ => return Err(unexpected(&word, "ALL, CONSTRAINTS, PARTITIONS, GENERATED, METADATA, OPTIONS or WATERMARKS")),
            };
            options.push((strategy, feature));
        }
    }
    Ok(LikeClause { source, options, location })
}

fn parse_table_element(parser: &mut Parser, table: &mut CreateTable) -> Result<(), StatementError> {
    let start = parser.peek_token();
    if parse_word(parser, "WATERMARK") {
        parser.expect_keyword(Keyword::FOR)?;
        let rowtime = identifier(parser)?;
        parser.expect_keyword(Keyword::AS)?;
        let expr = expr(parser)?;
        if table.watermark.is_some() {
            return Err(SqlError::new("a table can declare only one WATERMARK").at(location_of(&start)).into());
        }
        table.watermark = Some(WatermarkDef { rowtime, expr, location: location_of(&start) });
        return Ok(());
    }
    let constraint = if parser.parse_keyword(Keyword::CONSTRAINT) { Some(identifier(parser)?) } else { None };
    if constraint.is_some() || parser.parse_keywords(&[Keyword::PRIMARY, Keyword::KEY]) {
        if constraint.is_some() {
            parser.expect_keywords(&[Keyword::PRIMARY, Keyword::KEY])?;
        }
        parser.expect_token(&Token::LParen)?;
        let key = identifiers(parser)?;
        parser.expect_token(&Token::RParen)?;
        set_primary_key(parser, table, key, &start)?;
        table.primary_key_name = constraint;
        return Ok(());
    }
    let name = identifier(parser)?;
    let kind = if parser.parse_keyword(Keyword::AS) {
        ColumnKind::Computed(Box::new(expr(parser)?))
    } else {
        let ty = parse_type(parser)?;
        if parser.parse_keyword(Keyword::METADATA) {
            let key = if parser.parse_keyword(Keyword::FROM) { Some(parse_quoted(parser, "a quoted metadata key")?) } else { None };
            let is_virtual = parser.parse_keyword(Keyword::VIRTUAL);
            ColumnKind::Metadata { ty, key, is_virtual }
        } else {
            ColumnKind::Physical(ty)
        }
    };
    let key_start = parser.peek_token();
    if parser.parse_keywords(&[Keyword::PRIMARY, Keyword::KEY]) {
        set_primary_key(parser, table, vec![name.clone()], &key_start)?;
    }
    let comment = if parser.parse_keyword(Keyword::COMMENT) { Some(parse_quoted(parser, "a quoted comment")?) } else { None };
    table.columns.push(ColumnDef { name, kind, comment, location: location_of(&start) });
    Ok(())
}

/// Reads what follows a primary key's columns, as Flink's `SqlConstraintValidator` checks it:
/// only `NOT ENFORCED` (an absent mode means ENFORCED), and one key per table.
fn set_primary_key(parser: &mut Parser, table: &mut CreateTable, key: Vec<Ident>, start: &TokenWithSpan) -> Result<(), StatementError> {
    let mode = parser.peek_token();
    if !parser.parse_keywords(&[Keyword::NOT, Keyword::ENFORCED]) {
        return Err(SqlError::new(
            "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls if the constraint \
             checks are performed on the incoming/outgoing data. Flink does not own the data therefore the only supported mode \
             is the NOT ENFORCED mode",
        )
        .at(location_of(&mode))
        .hint("write PRIMARY KEY (…) NOT ENFORCED")
        .into());
    }
    if !table.primary_key.is_empty() {
        return Err(SqlError::new("Duplicate primary key definition").at(location_of(start)).into());
    }
    table.primary_key = key;
    Ok(())
}

/// Reads a Flink type: `INT`, `VARCHAR(6)`, `TIMESTAMP(3)`, `ROW<a INT, b STRING>`,
/// `ARRAY<INT>` / `INT ARRAY`, `MAP<STRING, INT>`, `MULTISET<STRING>`, `BYTES`, … each with an
/// optional `NOT NULL`/`NULL`.
pub(super) fn parse_type(parser: &mut Parser) -> Result<SqlType, StatementError> {
    let mut reader = TypeReader { pending_gt: false, depth: 0 };
    let ty = reader.parse(parser)?;
    if reader.pending_gt {
        return Err(unexpected(&parser.peek_token(), "a type, not a `>` without its `<`"));
    }
    Ok(ty)
}

/// How deep types may nest (`ARRAY<ARRAY<…>>`): the reader recurses once per level.
const MAX_TYPE_DEPTH: usize = 64;

/// Reads one type, nested ones inside it. The tokenizer reads the `>>` that closes two nested
/// types (`ARRAY<ARRAY<INT>>`) as one shift token: the inner type takes it and leaves the
/// outer's `>` pending.
struct TypeReader {
    pending_gt: bool,
    depth: usize,
}

impl TypeReader {
    fn parse(&mut self, parser: &mut Parser) -> Result<SqlType, StatementError> {
        self.depth += 1;
        if self.depth > MAX_TYPE_DEPTH {
            return Err(unexpected(&parser.peek_token(), &format!("a type nested at most {MAX_TYPE_DEPTH} deep")));
        }
        let result = self.parse_nested(parser);
        self.depth -= 1;
        result
    }

    fn parse_nested(&mut self, parser: &mut Parser) -> Result<SqlType, StatementError> {
        let token = parser.next_token();
        let Token::Word(word) = &token.token else {
            return Err(unexpected(&token, "a type such as INT, DOUBLE, STRING or TIMESTAMP(3)"));
        };
        let name = word.value.to_ascii_uppercase();
        let data_type = match name.as_str() {
            "BOOLEAN" | "BOOL" => DataType::Boolean,
            "TINYINT" => DataType::TinyInt,
            "SMALLINT" => DataType::SmallInt,
            "INT" | "INTEGER" => DataType::Int,
            "BIGINT" => DataType::BigInt,
            "FLOAT" | "REAL" => DataType::Float,
            "DOUBLE" => {
                let _ = parser.parse_keyword(Keyword::PRECISION);
                DataType::Double
            }
            "DECIMAL" | "DEC" | "NUMERIC" => {
                let args = parse_type_args(parser)?;
                let precision = args.first().copied().unwrap_or(10);
                let scale = args.get(1).copied().unwrap_or(0);
                if !(1..=38).contains(&precision) || scale > precision {
                    return Err(SqlError::new(format!(
                        "DECIMAL({precision}, {scale}) is out of range: precision is 1..38 and scale at most the precision"
                    ))
                    .at(location_of(&token))
                    .into());
                }
                DataType::Decimal { precision: precision as u8, scale: scale as u8 }
            }
            "CHAR" | "CHARACTER" => DataType::Char(one_arg(parser, 1)?),
            "VARCHAR" => DataType::Varchar(one_arg(parser, 1)?),
            "STRING" => DataType::Varchar(crate::types::STRING_LENGTH),
            "DATE" => DataType::Date,
            "TIME" => {
                let p = one_arg(parser, 0)?;
                let _ = parser.parse_keywords(&[Keyword::WITHOUT, Keyword::TIME, Keyword::ZONE]);
                DataType::Time(p.min(9) as u8)
            }
            "TIMESTAMP" => {
                let p = one_arg(parser, 6)?.min(9) as u8;
                if parser.parse_keywords(&[Keyword::WITH, Keyword::LOCAL, Keyword::TIME, Keyword::ZONE]) {
                    DataType::TimestampLtz(p)
                } else {
                    let _ = parser.parse_keywords(&[Keyword::WITHOUT, Keyword::TIME, Keyword::ZONE]);
                    DataType::Timestamp(p)
                }
            }
            "TIMESTAMP_LTZ" => DataType::TimestampLtz(one_arg(parser, 6)?.min(9) as u8),
            "ROW" => DataType::Row(self.parse_row_fields(parser)?),
            "BINARY" => DataType::Binary(one_arg(parser, 1)?),
            "VARBINARY" => DataType::Varbinary(one_arg(parser, 1)?),
            "BYTES" => DataType::Varbinary(crate::types::STRING_LENGTH),
            "ARRAY" => {
                parser.expect_token(&Token::Lt)?;
                let element = self.parse(parser)?;
                self.close_angle(parser)?;
                DataType::Array(Box::new(element))
            }
            "MULTISET" => {
                parser.expect_token(&Token::Lt)?;
                let element = self.parse(parser)?;
                self.close_angle(parser)?;
                DataType::Multiset(Box::new(element))
            }
            "MAP" => {
                parser.expect_token(&Token::Lt)?;
                let key = self.parse(parser)?;
                parser.expect_token(&Token::Comma)?;
                let value = self.parse(parser)?;
                self.close_angle(parser)?;
                DataType::Map(Box::new(key), Box::new(value))
            }
            other => {
                return Err(SqlError::new(format!("unknown or unsupported type `{other}`"))
                    .at(location_of(&token))
                    .hint("Sluice supports BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), CHAR(n), VARCHAR(n), STRING, BINARY(n), VARBINARY(n), BYTES, DATE, TIME, TIMESTAMP(p), TIMESTAMP_LTZ(p), ROW<…>, ARRAY<…>, MAP<…, …> and MULTISET<…>")
                    .into())
            }
        };
        let mut ty = SqlType::nullable(data_type);
        // A `>>` just read closes the enclosing type too: what follows is the enclosing type's.
        if self.pending_gt {
            return Ok(ty);
        }
        loop {
            if parser.parse_keywords(&[Keyword::NOT, Keyword::NULL]) {
                ty.nullable = false;
            } else if parser.parse_keyword(Keyword::NULL) {
                ty.nullable = true;
            } else if parser.parse_keyword(Keyword::ARRAY) {
                // `INT ARRAY`, `INT NOT NULL ARRAY`: Flink's postfix forms.
                ty = SqlType::nullable(DataType::Array(Box::new(ty)));
            } else if parser.parse_keyword(Keyword::MULTISET) {
                ty = SqlType::nullable(DataType::Multiset(Box::new(ty)));
            } else {
                break;
            }
        }
        Ok(ty)
    }

    /// The `>` closing `ARRAY<`, `MAP<`, `ROW<`: a pending one, a `>`, or half of a `>>`.
    fn close_angle(&mut self, parser: &mut Parser) -> Result<(), StatementError> {
        if std::mem::take(&mut self.pending_gt) {
            return Ok(());
        }
        if parser.consume_token(&Token::ShiftRight) {
            self.pending_gt = true;
            return Ok(());
        }
        parser.expect_token(&Token::Gt)?;
        Ok(())
    }

    fn parse_row_fields(&mut self, parser: &mut Parser) -> Result<Vec<Field>, StatementError> {
        let angle = if parser.consume_token(&Token::Lt) {
            true
        } else {
            parser.expect_token(&Token::LParen)?;
            false
        };
        let mut fields = Vec::new();
        loop {
            let name: Ident = identifier(parser)?;
            let ty = self.parse(parser)?;
            if !self.pending_gt && parser.parse_keyword(Keyword::COMMENT) {
                parse_quoted(parser, "a quoted comment")?;
            }
            fields.push(Field { name: name.value, ty });
            if !self.pending_gt && parser.consume_token(&Token::Comma) {
                continue;
            }
            if angle {
                self.close_angle(parser)?;
            } else {
                parser.expect_token(&Token::RParen)?;
            }
            break;
        }
        Ok(fields)
    }
}

fn parse_type_args(parser: &mut Parser) -> Result<Vec<u32>, StatementError> {
    let mut args = Vec::new();
    if parser.consume_token(&Token::LParen) {
        loop {
            let token = parser.next_token();
            match &token.token {
                Token::Number(n, _) => match n.parse::<u32>() {
                    Ok(v) => args.push(v),
                    Err(_) => return Err(unexpected(&token, "a length or precision")),
                },
                _ => return Err(unexpected(&token, "a length or precision")),
            }
            if parser.consume_token(&Token::Comma) {
                continue;
            }
            parser.expect_token(&Token::RParen)?;
            break;
        }
    }
    Ok(args)
}

fn one_arg(parser: &mut Parser, default: u32) -> Result<u32, StatementError> {
    let args = parse_type_args(parser)?;
    if args.len() > 1 {
        return Err(unexpected(&parser.peek_token(), "one length or precision"));
    }
    Ok(args.first().copied().unwrap_or(default))
}

/// Parses a type from text, e.g. the type of a `CAST` as sqlparser prints it.
pub fn parse_type_text(text: &str) -> Result<SqlType, SqlError> {
    let dialect = FlinkDialect;
    let tokens = Tokenizer::new(&dialect, text).tokenize_with_location().map_err(|e| SqlError::new(e.to_string()))?;
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
    let ty = parse_type(&mut parser).map_err(|e| match e {
        StatementError::Sql(e) => e,
        StatementError::Parser(e) => SqlError::new(e.to_string()),
    })?;
    if parser.peek_token_ref().token != Token::EOF {
        return Err(SqlError::new(format!("unsupported type `{text}`")));
    }
    Ok(ty)
}
