//! SQL text → [`Located`] statements. Dispatches on the first keywords: Flink's own statement
//! forms are read in [`super::ddl`]; everything else goes to sqlparser with [`FlinkDialect`].

use sqlparser::ast::{self, Statement as SqlStatement};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::ast::{Located, Statement};
use super::dialect::FlinkDialect;
use super::{ddl, ErrorKind, Location, SqlError};

/// One expression as SQL text (a stored computed column's or watermark's, written by sqlparser).
pub fn parse_expr(text: &str) -> Result<sqlparser::ast::Expr, SqlError> {
    let dialect = FlinkDialect;
    Parser::new(&dialect).with_recursion_limit(64).try_with_sql(text).and_then(|mut p| p.parse_expr()).map_err(|e| parser_error(e, text))
}

/// Parses a script of `;`-separated statements.
pub fn parse_script(text: &str) -> Result<Vec<Located>, SqlError> {
    parse_statements(text).map_err(|e| e.kind(ErrorKind::Parse))
}

fn parse_statements(text: &str) -> Result<Vec<Located>, SqlError> {
    let dialect = FlinkDialect;
    let tokens = Tokenizer::new(&dialect, text).tokenize_with_location().map_err(|e| parser_error(ParserError::from(e), text))?;
    let tokens = super::within::move_within(tokens).map_err(|(token, message)| {
        SqlError::new(message)
            .at(location_of(&token))
            .hint("Flink's MATCH_RECOGNIZE takes no groups: write the pattern as a sequence of variables")
    })?;
    let tokens = super::on_conflict::rewrite(tokens);
    let (tokens, mut sink_hints) =
        super::hints::rewrite(tokens).map_err(|(token, message)| SqlError::new(message).at(location_of(&token)))?;
    // Kept for the depth check, which reads them in one pass (sqlparser's peeking is linear in
    // how far it looks, so peeking through a statement was quadratic).
    let mut parser = Parser::new(&dialect).with_recursion_limit(64).with_tokens_with_locations(tokens.clone());
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    // Inside `EXECUTE STATEMENT SET BEGIN … END`: where it began. Its INSERTs run as jobs like
    // any other INSERT (Flink optimizes them together; the rows are the same).
    let mut statement_set: Option<Location> = None;
    let word = |t: &Token, w: &str| matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    loop {
        while parser.consume_token(&Token::SemiColon) {}
        let start = parser.peek_token();
        if start.token == Token::EOF {
            if let Some(begin) = statement_set {
                return Err(SqlError::new("the statement set has no END").at(begin).hint("close it with END;"));
            }
            break;
        }
        let opens_set =
            ["EXECUTE", "STATEMENT", "SET", "BEGIN"].iter().enumerate().all(|(i, w)| word(&parser.peek_nth_token_ref(i).token, w));
        if opens_set {
            if statement_set.is_some() {
                return Err(SqlError::new("statement sets cannot be nested").at(location_of(&start)));
            }
            for _ in 0..4 {
                parser.next_token();
            }
            statement_set = Some(location_of(&start));
            continue;
        }
        if statement_set.is_some() && word(&start.token, "END") {
            parser.next_token();
            statement_set = None;
            continue;
        }
        check_chain_depth(tokens.get(parser.index()..).unwrap_or_default())?;
        let mut statement = parse_statement(&mut parser).map_err(|e| match e {
            StatementError::Parser(e) => parser_error(e, text),
            // The end of the text has no token position: point just past it, as for sqlparser's.
            StatementError::Sql(e) if e.location.is_none() && e.message.ends_with("found the end of the text") => match end_of(text) {
                Some(end) => e.at(end),
                None => e,
            },
            StatementError::Sql(e) => e,
        })?;
        if statement_set.is_some() && !matches!(statement, Statement::Insert { .. }) {
            return Err(SqlError::new("a statement set holds only INSERT INTO statements").at(location_of(&start)));
        }
        let end = parser.peek_token();
        if !matches!(end.token, Token::SemiColon | Token::EOF) {
            return Err(match unexpected(&end, "';' or the end of the statement") {
                StatementError::Sql(e) => e,
                StatementError::Parser(e) => parser_error(e, text),
            });
        }
        if let Some((table, options)) = insert_options(&mut statement) {
            if let Some(k) = sink_hints.iter().position(|h| h.name == table) {
                *options = sink_hints.swap_remove(k).options;
            }
        }
        let location = location_of(&start);
        let text = lines.slice(text, location, location_of(&end)).trim().to_string();
        out.push(Located { statement, location, text });
    }
    // A hint after `INTO name` that no INSERT took (`SELECT … INTO t`, which Flink has not).
    if let Some(h) = sink_hints.first() {
        return Err(SqlError::new("an OPTIONS hint after INTO goes on an INSERT's table: INSERT INTO t /*+ OPTIONS('key' = 'value') */ …")
            .at(location_of(&h.hint)));
    }
    Ok(out)
}

/// An INSERT's table name (where it starts) and its hint options, also inside EXPLAIN.
fn insert_options(statement: &mut Statement) -> Option<(sqlparser::tokenizer::Location, &mut Vec<(String, String)>)> {
    match statement {
        Statement::Insert { table, options, .. } => Some((table.span.start, options)),
        Statement::Explain { statement, .. } => insert_options(&mut statement.statement),
        _ => None,
    }
}

/// How deep the expression tree of one statement may grow: the most operands an operator chain
/// (`a + b + c …`, `x OR y OR z …`) may hold, counting chains nested in parentheses together.
const MAX_CHAIN_DEPTH: usize = 100;

/// Refuses a statement whose expressions would nest deeper than [`MAX_CHAIN_DEPTH`], before
/// sqlparser builds them. sqlparser reads an operator chain in a loop, but it builds a left-deep
/// tree, one level per operator, and everything after it (spans, binding, evaluation, dropping
/// the tree) walks that tree recursively: 300 `+` overflowed the stack natively, fewer would
/// in the page. Parentheses are bounded by the parser's recursion limit; chains are not, so they
/// are counted here, on the tokens, without recursion: per parenthesis level, the operators since
/// the last `,` or clause keyword (a CASE branch, a list element or a new clause starts a new
/// tree), summed over the open levels.
/// `tokens` start at the statement; linear in its length, whatever its nesting.
fn check_chain_depth(tokens: &[TokenWithSpan]) -> Result<(), SqlError> {
    let mut levels: Vec<usize> = vec![0];
    // The sum of `levels`, kept as they change.
    let mut total = 0;
    let mut depth = 0;
    for token in tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))) {
        // The outermost level is never popped, so `top` always names an open level.
        let top = levels.len() - 1;
        match &token.token {
            Token::EOF | Token::SemiColon => break,
            Token::LParen | Token::LBracket => levels.push(0),
            Token::RParen | Token::RBracket if top > 0 => {
                total -= levels.pop().unwrap_or(0);
            }
            Token::Comma => total -= std::mem::take(&mut levels[top]),
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::StringConcat
            | Token::Eq
            | Token::DoubleEq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::Caret
            | Token::Ampersand
            | Token::Pipe
            // `a:b` (semi-structured access) and `x::T` (casts) chain one level per use too.
            | Token::Colon
            | Token::DoubleColon => {
                levels[top] += 1;
                total += 1;
            }
            Token::Word(w) if w.quote_style.is_none() => match w.keyword {
                Keyword::AND | Keyword::OR | Keyword::NOT | Keyword::LIKE | Keyword::IS | Keyword::BETWEEN | Keyword::IN => {
                    levels[top] += 1;
                    total += 1;
                }
                Keyword::SELECT
                | Keyword::FROM
                | Keyword::WHERE
                | Keyword::GROUP
                | Keyword::HAVING
                | Keyword::ORDER
                | Keyword::ON
                | Keyword::CASE
                | Keyword::WHEN
                | Keyword::THEN
                | Keyword::ELSE
                | Keyword::END => total -= std::mem::take(&mut levels[top]),
                _ => {}
            },
            _ => {}
        }
        depth = depth.max(total);
        if depth > MAX_CHAIN_DEPTH {
            return Err(SqlError::new(format!("the expression is too long: more than {MAX_CHAIN_DEPTH} operators in one chain"))
                .at(location_of(token))
                .hint("split it with parentheses or over several columns, or use IN (…) for a list of values"));
        }
    }
    Ok(())
}

pub(super) enum StatementError {
    Parser(ParserError),
    Sql(SqlError),
}

impl From<ParserError> for StatementError {
    fn from(e: ParserError) -> Self {
        StatementError::Parser(e)
    }
}

impl From<SqlError> for StatementError {
    fn from(e: SqlError) -> Self {
        StatementError::Sql(e)
    }
}

fn parse_statement(parser: &mut Parser) -> Result<Statement, StatementError> {
    let first = parser.peek_token();
    if parser.parse_keyword(Keyword::EXPLAIN) {
        // Flink also accepts `EXPLAIN PLAN FOR`, and details before the statement
        // (`EXPLAIN CHANGELOG_MODE, ESTIMATED_COST SELECT …`); Sluice gives CHANGELOG_MODE.
        // `EXPLAIN JOB '<id>'` (Sluice's): why a running job's windows have or have not fired.
        if ddl::parse_word(parser, "JOB") {
            let location = location_of(&parser.peek_token());
            let id = ddl::parse_quoted(parser, "the job id in quotes, e.g. EXPLAIN JOB '1'")?;
            return Ok(Statement::ExplainJob { id, location });
        }
        let _ = parser.parse_keywords(&[Keyword::PLAN, Keyword::FOR]);
        let mut changelog_mode = false;
        loop {
            let token = parser.peek_token();
            let detail = match &token.token {
                Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
                _ => break,
            };
            match detail.as_str() {
                "CHANGELOG_MODE" => changelog_mode = true,
                "ESTIMATED_COST" | "JSON_EXECUTION_PLAN" | "PLAN_ADVICE" => {}
                _ => break,
            }
            parser.next_token();
            if !parser.consume_token(&Token::Comma) {
                break;
            }
        }
        let start = parser.peek_token();
        let inner = parse_statement(parser)?;
        let statement = Box::new(Located { statement: inner, location: location_of(&start), text: String::new() });
        return Ok(Statement::Explain { statement, changelog_mode });
    }
    if let Some(statement) = ddl::parse_flink_statement(parser)? {
        return Ok(statement);
    }
    let statement = sqlparser_statement(parser)?;
    convert(statement).map_err(|e| StatementError::Sql(e.or_at(location_of(&first))))
}

/// The statements sqlparser reads for Sluice, chosen here by their first word: a query, INSERT,
/// CREATE VIEW and DROP. sqlparser's own `Parser::parse_statement` reads every statement of
/// every dialect it knows (ALTER, MERGE, GRANT, CREATE PROCEDURE, …): calling it linked all of
/// those parsers into the worker module, about 110 KB gzip of it (issue 17), only for
/// [`convert`] to refuse what they read. A statement of those kinds is refused here by its first
/// two words; a word that starts no statement gets sqlparser's own error.
fn sqlparser_statement(parser: &mut Parser) -> Result<SqlStatement, StatementError> {
    let first = parser.next_token();
    let second = parser.peek_token();
    let keyword = match &first.token {
        Token::LParen => Keyword::SELECT,
        Token::Word(w) => w.keyword,
        _ => return Ok(parser.expected("an SQL statement", first)?),
    };
    match keyword {
        Keyword::SELECT | Keyword::WITH | Keyword::VALUES | Keyword::FROM => {
            parser.prev_token();
            Ok(SqlStatement::Query(parser.parse_query()?))
        }
        Keyword::INSERT => Ok(parser.parse_insert(first)?),
        Keyword::DROP => Ok(parser.parse_drop()?),
        Keyword::CREATE => {
            let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
            let or_alter = parser.parse_keywords(&[Keyword::OR, Keyword::ALTER]);
            let temporary = parser.parse_one_of_keywords(&[Keyword::TEMP, Keyword::TEMPORARY]).is_some();
            // Flink's CREATE [TEMPORARY] TABLE / VIEW / FUNCTION are read by `ddl`; the rest are
            // named by the words read and the kind after them: `CREATE OR REPLACE VIEW`.
            let next = parser.peek_token();
            let mut head = vec![word_of(&first.token)];
            head.extend(or_replace.then(|| "OR REPLACE".to_string()));
            head.extend(or_alter.then(|| "OR ALTER".to_string()));
            head.extend(temporary.then(|| "TEMPORARY".to_string()));
            head.extend((!matches!(next.token, Token::EOF | Token::SemiColon)).then(|| word_of(&next.token)));
            Err(refused(&first, &head.join(" ")))
        }
        k if OTHER_STATEMENTS.contains(&k) => Err(not_supported(&first, &second)),
        _ => Ok(parser.expected("an SQL statement", first)?),
    }
}

/// The first words of the statements sqlparser reads for some dialect and Sluice does not run
/// (those of `Parser::parse_statement` that Flink's dialect enables, less the ones above and
/// those [`ddl`] reads).
const OTHER_STATEMENTS: &[Keyword] = &[
    Keyword::KILL,
    Keyword::FLUSH,
    Keyword::EXPLAIN,
    Keyword::DESC,
    Keyword::DESCRIBE,
    Keyword::ANALYZE,
    Keyword::CASE,
    Keyword::IF,
    Keyword::WHILE,
    Keyword::RAISE,
    Keyword::TRUNCATE,
    Keyword::ATTACH,
    Keyword::MSCK,
    Keyword::CACHE,
    Keyword::DISCARD,
    Keyword::DECLARE,
    Keyword::FETCH,
    Keyword::DELETE,
    Keyword::REPLACE,
    Keyword::UNCACHE,
    Keyword::UPDATE,
    Keyword::ALTER,
    Keyword::CALL,
    Keyword::COPY,
    Keyword::OPEN,
    Keyword::CLOSE,
    Keyword::SET,
    Keyword::SHOW,
    Keyword::USE,
    Keyword::GRANT,
    Keyword::DENY,
    Keyword::REVOKE,
    Keyword::START,
    Keyword::BEGIN,
    Keyword::END,
    Keyword::SAVEPOINT,
    Keyword::RELEASE,
    Keyword::COMMIT,
    Keyword::RAISERROR,
    Keyword::THROW,
    Keyword::ROLLBACK,
    Keyword::ABORT,
    Keyword::ASSERT,
    Keyword::DEALLOCATE,
    Keyword::EXECUTE,
    Keyword::EXEC,
    Keyword::PREPARE,
    Keyword::MERGE,
    Keyword::PRAGMA,
    Keyword::UNLOAD,
    Keyword::RENAME,
    Keyword::LOAD,
    Keyword::LOCK,
    Keyword::PRINT,
    Keyword::WAITFOR,
    Keyword::RETURN,
    Keyword::EXPORT,
    Keyword::VACUUM,
    Keyword::RESET,
    Keyword::REFRESH,
];

/// "`UPDATE sensors` statements are not supported": the statement named by its first two words,
/// keywords in capitals.
fn not_supported(first: &TokenWithSpan, second: &TokenWithSpan) -> StatementError {
    let head = match second.token {
        Token::EOF | Token::SemiColon => word_of(&first.token),
        _ => format!("{} {}", word_of(&first.token), word_of(&second.token)),
    };
    refused(first, &head)
}

/// "`head` statements are not supported", at the statement's first token.
fn refused(first: &TokenWithSpan, head: &str) -> StatementError {
    StatementError::Sql(SqlError::new(format!("`{head}` statements are not supported")).at(location_of(first)).hint(SUPPORTED))
}

/// A token as a statement's name shows it: keywords in capitals.
fn word_of(t: &Token) -> String {
    match t {
        Token::Word(w) if w.keyword != Keyword::NoKeyword && w.quote_style.is_none() => w.value.to_ascii_uppercase(),
        t => t.to_string(),
    }
}

const SUPPORTED: &str = "Sluice runs CREATE TABLE/VIEW, DROP, SELECT, INSERT INTO, SET, RESET, SHOW, DESCRIBE and EXPLAIN";

/// Maps the sqlparser statements Sluice runs onto [`Statement`].
fn convert(statement: SqlStatement) -> Result<Statement, SqlError> {
    Ok(match statement {
        SqlStatement::Query(mut query) => {
            super::reserved::tree(&mut *query)?;
            Statement::Query(query)
        }
        SqlStatement::Insert(mut insert) => {
            if let ast::TableObject::TableName(name) = &insert.table {
                reserved_parts(name)?;
            }
            insert.columns.iter().try_for_each(reserved_parts)?;
            if let Some(query) = &mut insert.source {
                super::reserved::tree(&mut **query)?;
            }
            let table = match &insert.table {
                ast::TableObject::TableName(name) => single_ident(name)?,
                _ => return Err(SqlError::new("INSERT INTO expects a table name")),
            };
            let Some(query) = insert.source else {
                return Err(SqlError::new("INSERT INTO expects a query"));
            };
            // Appending instead would write what Flink refuses (insert.md's INSERT OVERWRITE:
            // "requires that the underlying DynamicTableSink … implements SupportsOverwrite").
            if insert.overwrite {
                return Err(SqlError::new(
                    "INSERT OVERWRITE is not supported: Flink 2.3 runs it only on a sink that can overwrite \
                     (a filesystem table, in batch mode), and Sluice's sinks only append",
                )
                .hint("INSERT INTO appends"));
            }
            let columns = insert.columns.iter().map(single_ident).collect::<Result<Vec<ast::Ident>, SqlError>>()?;
            let on_conflict = super::on_conflict::strategy(insert.on.as_ref())?;
            Statement::Insert { table, columns, query, on_conflict, options: Vec::new() }
        }
        SqlStatement::Drop { object_type, if_exists, names, .. } => {
            let view = match object_type {
                ast::ObjectType::Table => false,
                ast::ObjectType::View => true,
                other => return Err(SqlError::new(format!("DROP {other} is not supported"))),
            };
            let [name] = names.as_slice() else {
                return Err(SqlError::new("DROP takes one name"));
            };
            reserved_parts(name)?;
            Statement::Drop { name: single_ident(name)?, if_exists, view }
        }
        SqlStatement::ExplainTable { table_name, .. } => Statement::Describe(single_ident(&table_name)?),
        SqlStatement::ShowTables { .. } => Statement::ShowTables { like: None },
        SqlStatement::ShowViews { .. } => Statement::ShowViews { like: None },
        SqlStatement::ShowFunctions { .. } => Statement::ShowFunctions { user: false, like: None },
        other => {
            let text = other.to_string();
            let head: String = text.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
            return Err(SqlError::new(format!("`{head}` statements are not supported")).hint(SUPPORTED));
        }
    })
}

/// Refuses a reserved word among a dotted name's parts, as [`super::reserved::name`] does.
fn reserved_parts(name: &ast::ObjectName) -> Result<(), SqlError> {
    name.0.iter().filter_map(ast::ObjectNamePart::as_ident).try_for_each(super::reserved::name)
}

pub(super) fn single_ident(name: &ast::ObjectName) -> Result<ast::Ident, SqlError> {
    // Catalog and database qualifiers name the only ones there are; the last part is the table.
    name.0.last().and_then(|p| p.as_ident().cloned()).ok_or_else(|| SqlError::new(format!("`{name}` is not a table name")))
}

pub(super) fn location_of(token: &TokenWithSpan) -> Location {
    Location { line: token.span.start.line as u32, column: token.span.start.column as u32 }
}

pub(super) fn unexpected(found: &TokenWithSpan, expected: &str) -> StatementError {
    let what = match &found.token {
        Token::EOF => "the end of the text".to_string(),
        t => format!("`{t}`"),
    };
    StatementError::Sql(SqlError::new(format!("expected {expected}, found {what}")).at(location_of(found)))
}

/// Turns sqlparser's message (`… at Line: 3, Column: 7`) into a located [`SqlError`].
pub(super) fn parser_error(e: ParserError, text: &str) -> SqlError {
    let message = match e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
        ParserError::RecursionLimitExceeded => return SqlError::new("the statement is nested too deeply").hint("simplify the expression"),
    };
    let (body, location) = match message.rfind(" at Line: ") {
        Some(i) => {
            let tail = &message[i + " at Line: ".len()..];
            let mut nums = tail.split(", Column: ").map(|n| n.trim().parse::<u32>().ok());
            match (nums.next().flatten(), nums.next().flatten()) {
                (Some(line), Some(column)) => (message[..i].to_string(), Some(Location { line, column })),
                _ => (message.clone(), None),
            }
        }
        None => (message.clone(), None),
    };
    let body = body.replacen("Expected: ", "expected ", 1).replace(", found: ", ", found ");
    // sqlparser gives no position when the text ends too soon: point just past its end.
    let ends_early = body.ends_with("found EOF");
    let body = if ends_early { body.replace("found EOF", "found the end of the text") } else { body };
    let location = location.or_else(|| ends_early.then(|| end_of(text)).flatten());
    let mut err = SqlError::new(body);
    if let Some(loc) = location {
        err = err.at(loc);
    } else if text.trim().is_empty() {
        err = err.hint("the paragraph is empty");
    }
    err
}

/// The position just after the last non-blank character of `text`, if it has one.
fn end_of(text: &str) -> Option<Location> {
    let trimmed = text.trim_end();
    if trimmed.is_empty() {
        return None;
    }
    let line = trimmed.lines().count().max(1) as u32;
    let last = trimmed.rsplit('\n').next().unwrap_or("");
    Some(Location { line, column: last.chars().count() as u32 + 1 })
}

/// Byte offsets of line starts, to cut a statement's text out of the script.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex(starts)
    }
    fn offset(&self, text: &str, loc: Location) -> usize {
        if loc.line == 0 {
            return text.len();
        }
        let Some(&line_start) = self.0.get(loc.line as usize - 1) else { return text.len() };
        // Columns count characters, not bytes.
        text[line_start..].char_indices().nth(loc.column.saturating_sub(1) as usize).map_or(text.len(), |(i, _)| line_start + i)
    }
    fn slice<'a>(&self, text: &'a str, from: Location, to: Location) -> &'a str {
        let (a, b) = (self.offset(text, from), self.offset(text, to));
        text.get(a..b.max(a)).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flinks_collection_and_binary_types_parse_in_both_spellings() {
        let ty = |t: &str| crate::sql::parse_type_text(t).map(|t| t.to_string()).unwrap_or_else(|e| format!("error: {e}"));
        assert_eq!(ty("ARRAY<ARRAY<INT>>"), "ARRAY<ARRAY<INT>>");
        assert_eq!(ty("INT NOT NULL ARRAY NOT NULL"), "ARRAY<INT NOT NULL> NOT NULL");
        assert_eq!(ty("MAP<STRING, ARRAY<INT>>"), "MAP<STRING, ARRAY<INT>>");
        assert_eq!(ty("ROW<a INT, b MAP<INT, ROW<c BYTES>>>"), "ROW<`a` INT, `b` MAP<INT, ROW<`c` BYTES>>>");
        assert_eq!(ty("STRING MULTISET"), "MULTISET<STRING>");
        assert_eq!(ty("BINARY(4)"), "BINARY(4)");
        assert_eq!(ty("VARBINARY(10)"), "VARBINARY(10)");
        assert!(ty("ARRAY<INT>>").starts_with("error"));
        assert!(ty(&format!("{}INT{}", "ARRAY<".repeat(100), ">".repeat(100))).contains("nested at most 64"));
        let statements = parse_script("SELECT CAST(x AS MAP<STRING, INT ARRAY>), TRY_CAST(y AS BYTES) FROM t").unwrap();
        assert_eq!(statements.len(), 1);
    }

    #[test]
    fn statement_sets_hold_inserts() {
        let script = "EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT * FROM t;\nINSERT INTO b SELECT * FROM t;\nEND;\nSELECT 1";
        let statements = parse_script(script).unwrap();
        assert_eq!(statements.len(), 3);
        assert!(matches!(statements[1].statement, Statement::Insert { .. }));
        assert_eq!(statements[1].location, Location { line: 4, column: 1 });
        let err = parse_script("EXECUTE STATEMENT SET BEGIN SELECT 1; END").unwrap_err();
        assert!(err.message.contains("only INSERT INTO"), "{err}");
        let err = parse_script("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1;").unwrap_err();
        assert!(err.message.contains("no END") && err.location.is_some(), "{err}");
    }

    #[test]
    fn sqlparser_reads_queries_inserts_views_and_drops() {
        let kinds: Vec<&str> = parse_script(
            "(SELECT 1); WITH w AS (SELECT 1) SELECT * FROM w; VALUES (1); INSERT INTO a SELECT * FROM t; \
             CREATE VIEW v AS SELECT 1; CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1; DROP VIEW v; DROP TABLE IF EXISTS t",
        )
        .unwrap()
        .iter()
        .map(|l| match &l.statement {
            Statement::Query(_) => "query",
            Statement::Insert { .. } => "insert",
            Statement::CreateView { temporary: true, .. } => "temporary view",
            Statement::CreateView { .. } => "view",
            Statement::Drop { view: true, .. } => "drop view",
            Statement::Drop { if_exists: true, .. } => "drop table if exists",
            _ => "other",
        })
        .collect();
        assert_eq!(kinds, ["query", "query", "query", "insert", "view", "temporary view", "drop view", "drop table if exists"]);
    }

    #[test]
    fn drop_temporary_drops_a_table_or_a_view() {
        let drops: Vec<(String, bool, bool)> = parse_script("DROP TEMPORARY TABLE IF EXISTS t; drop temporary view v; DROP TABLE u")
            .unwrap()
            .into_iter()
            .map(|l| match l.statement {
                Statement::Drop { name, if_exists, view } => (name.value, if_exists, view),
                _ => panic!("a DROP"),
            })
            .collect();
        assert_eq!(drops, [("t".to_string(), true, false), ("v".to_string(), false, true), ("u".to_string(), false, false)]);
    }

    #[test]
    fn broken_like_alter_show_and_use_statements_say_where_and_what_was_expected() {
        for (sql, expected) in [
            ("CREATE TABLE t LIKE base (INCLUDING EVERYTHING)", "expected ALL, CONSTRAINTS"),
            ("CREATE TABLE t LIKE base (KEEPING ALL)", "expected INCLUDING, EXCLUDING or OVERWRITING"),
            ("CREATE TABLE t LIKE base (INCLUDING ALL", "expected INCLUDING, EXCLUDING or OVERWRITING, found the end"),
            ("CREATE TABLE t LIKE", "expected identifier"),
            ("CREATE TABLE t WITH ('connector' = 'datagen')", "LIKE and a table, or AS and a query"),
            ("ALTER TABLE t SET ('k' 'v')", "expected `=`"),
            ("ALTER TABLE t SET ('k' = 'v'", "expected )"),
            ("ALTER TABLE t RESET (k)", "a quoted option key"),
            ("ALTER TABLE t SWAP", "SET (…), RESET (…), RENAME TO, ADD, MODIFY or DROP"),
            ("ALTER TABLE t ADD (a INT", "expected )"),
            ("ALTER TABLE t ADD a INT LAST", "found `LAST`"),
            ("ALTER TABLE t MODIFY CONSTRAINT k (a)", "expected PRIMARY"),
            ("ALTER TABLE t DROP CONSTRAINT", "expected identifier"),
            ("ALTER TABLE t DROP (a,)", "expected identifier"),
            ("ALTER VIEW v SET ('k' = 'v')", "expected RENAME TO or AS"),
            ("ALTER VIEW v AS", "expected SELECT"),
            ("ALTER TABLE t RENAME a", "expected TO"),
            ("ALTER TABLE t RENAME a TO", "expected identifier"),
            ("SHOW TABLES LIKE t%", "a quoted pattern"),
            ("SHOW COLUMNS t", "FROM and a table"),
            ("SHOW CURRENT TABLE", "CATALOG or DATABASE"),
            ("SHOW CREATE INDEX i", "expected TABLE or VIEW"),
            ("CREATE VIEW v (a, b) SELECT 1", "expected AS and the view's query"),
            ("CREATE VIEW v COMMENT x AS SELECT 1", "a quoted comment"),
            ("USE CATALOG", "expected identifier"),
            ("USE MODULES", "expected identifier"),
            ("USE MODULES core,", "expected identifier"),
            ("SHOW FULL TABLES", "expected TABLES, VIEWS, COLUMNS, CREATE TABLE, CREATE VIEW, FUNCTIONS, JOBS, MODULES, JARS"),
        ] {
            let e = parse_script(sql).map(|_| ()).unwrap_err();
            assert!(e.message.contains(expected), "{sql}: {e}");
            assert!(e.location.is_some(), "{sql}: {e} has no location");
        }
    }

    #[test]
    fn other_statements_are_refused_by_their_first_words() {
        let err = |sql: &str| parse_script(sql).map(|_| ()).unwrap_err();
        let e = err("update sensors set x = 1");
        assert_eq!(e.message, "`UPDATE sensors` statements are not supported");
        assert_eq!(e.location, Some(Location { line: 1, column: 1 }));
        assert_eq!(err("SELECT 1;\n  GRANT SELECT ON t TO u").message, "`GRANT SELECT` statements are not supported");
        assert_eq!(err("ALTER DATABASE d SET ('k' = 'v')").message, "`ALTER DATABASE` statements are not supported");
        assert_eq!(err("CREATE INDEX i ON t (a)").message, "`CREATE INDEX` statements are not supported");
        assert_eq!(err("create or replace function f AS 'x'").message, "`CREATE OR REPLACE FUNCTION` statements are not supported");
        assert_eq!(err("CREATE MATERIALIZED VIEW m AS SELECT 1").message, "`CREATE MATERIALIZED` statements are not supported");
        assert_eq!(err("COMMIT").message, "`COMMIT` statements are not supported");
        assert_eq!(err("REPLACE INTO t SELECT * FROM s").message, "`REPLACE INTO` statements are not supported");
        let e = err("SELEC 1");
        assert_eq!((e.message.as_str(), e.location), ("expected an SQL statement, found SELEC", Some(Location { line: 1, column: 1 })));
    }

    #[test]
    fn a_statement_cut_short_points_past_its_end() {
        let err = parse_script("SELECT status\nFROM sensor_data WHERE  \n").unwrap_err();
        assert_eq!(err.location, Some(Location { line: 2, column: 23 }));
        assert!(err.message.contains("the end of the text"), "{err}");
    }
}
