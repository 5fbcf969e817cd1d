//! Promoting a note to production: the note as a Flink SQL script that Apache Flink runs
//! unchanged.
//!
//! Statements keep the text the user wrote; only what Flink would refuse or read differently is
//! rewritten, in place:
//! - an `INSERT` that narrows an integer into its sink (the walkthrough's `COUNT(*)` into
//!   `num INTEGER`, which Sluice accepts with a warning and Flink 2.3 rejects) gets the explicit
//!   `CAST(… AS INT)`;
//! - Kinesis tables' options can be written with the legacy or the current connector's names;
//! - paragraph properties become `SET` statements (`parallelism`, batch paragraphs);
//! - interactive `SELECT`s, which a deployed job has nobody to show to, become comments unless
//!   asked for; `%md` paragraphs become comments.
//!
//! Credentials never leave: every paragraph first goes through the page's one redaction
//! ([`crate::views::note::redact`]), so a script from the page or from `sluice export` has
//! `'<redacted>'` for a secret's value, or is refused (with where and why) when the value
//! cannot be told apart. [`zpln`] does the same for a Zeppelin note.

use std::fmt::Write;

use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::plan::sink::narrowed_columns;
use crate::plan::Planner;
use crate::session::paragraph::blank_interpreter_line;
use crate::session::Session;
use crate::sql::{dialect::FlinkDialect, SqlError, Statement};
use crate::views::note::{body, is_python, redact, NoteDoc};
use python_udfs::NotePython;

pub mod pyflink;
pub mod python_udfs;

/// The start of comment lines the export writes on its own; reading the script back as a note
/// leaves them out.
pub use crate::views::note::script::DERIVED;

/// How Kinesis tables' `WITH` options are spelled in the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KinesisOptions {
    /// As the note has them.
    AsWritten,
    /// The legacy `FlinkKinesisConsumer` names: `stream`, `scan.stream.initpos`, ….
    Legacy,
    /// Flink's current Kinesis connector: `stream.arn`, `source.init.position`, …; the ARN
    /// needs the AWS account that owns the stream.
    Current { account_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    pub kinesis: KinesisOptions,
    /// Keep interactive `SELECT`s as statements (the SQL client shows them) instead of comments.
    pub include_queries: bool,
    /// Streams the studio's sensor generator feeds: a table over one gets a comment saying what
    /// must feed it in production (Flink's `datagen` cannot make the walkthrough's readings).
    pub generator_streams: Vec<String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { kinesis: KinesisOptions::AsWritten, include_queries: false, generator_streams: Vec::new() }
    }
}

/// Why a note could not be exported: which paragraph (its number in the note, from 1), and the
/// error in it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportError {
    pub paragraph: usize,
    pub error: SqlError,
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "paragraph {}: {}", self.paragraph, self.error)
    }
}

/// A paragraph's interpreter line: `%flink.ssql(type=update, parallelism=2)`.
struct Header {
    interpreter: String,
    properties: Vec<(String, String)>,
}

/// The paragraph's interpreter line, if it has one; its properties are read as the page reads
/// them (a template's own commas stay in it), and a malformed list is an error.
fn header(text: &str) -> Result<Option<Header>, String> {
    let Some(line) = text.trim_start().strip_prefix('%').and_then(|t| t.lines().next()) else { return Ok(None) };
    let interpreter = line.split_once('(').map_or(line, |(name, _)| name).trim().to_string();
    Ok(Some(Header { interpreter, properties: crate::views::properties::pairs(text)? }))
}

/// The note as one Flink SQL script: every paragraph, in order.
pub fn flink_script(note_name: &str, paragraphs: &[&str], options: &ExportOptions) -> Result<String, ExportError> {
    let numbered: Vec<(usize, &str)> = paragraphs.iter().enumerate().map(|(i, p)| (i + 1, *p)).collect();
    flink_script_of(note_name, &numbered, options)
}

/// The note as a `.zpln` file, credentials redacted; refused (with the paragraph, line and why)
/// when a credential's value cannot be told apart.
pub fn zpln(note: &NoteDoc) -> Result<String, String> {
    let (note, _) = redact::for_sharing(note)?;
    Ok(crate::views::note::zeppelin::to_zpln(&note))
}

/// A paragraph redacted before anything reads it (an error message may quote the text), or
/// the error saying which credential's value cannot be told apart.
fn redacted_paragraph(number: usize, text: &str) -> Result<String, ExportError> {
    let redacted = redact::redact(text);
    if let Some(unsure) = redacted.unsure {
        let at = crate::sql::Location { line: u32::try_from(unsure.line).unwrap_or(u32::MAX), column: 1 };
        let why = format!(
            "the value of credential option `{}` {}, so it cannot be left out safely; quote the value or remove it first",
            unsure.key, unsure.why
        );
        return Err(ExportError { paragraph: number, error: SqlError::new(why).at(at) });
    }
    Ok(redacted.text)
}

/// A scratch session that follows the note's DDL, so INSERTs are checked against their sinks;
/// it knows the Python functions the note's Python paragraphs define (`python_udfs.rs`), so
/// queries calling them are typed.
fn scratch_session(paragraphs: &[(usize, &str)]) -> (Session, std::rc::Rc<NotePython>) {
    let python = std::rc::Rc::new(NotePython::read(paragraphs.iter().filter(|(_, t)| is_python(t)).map(|(_, t)| body(t))));
    let mut scratch = Session::empty();
    scratch.set_user_function_host(python.clone());
    (scratch, python)
}

/// Registers in `scratch` the functions a Python paragraph registers
/// (`st_env.create_temporary_function("name", func)`).
fn follow_python(scratch: &mut Session, python: &NotePython, code: &str) {
    for r in python_udfs::registrations(code) {
        if let Some(signature) = python.signature(&r.python_name) {
            let mut f = crate::plan::functions::user::UserFunction::new(&r.sql_name, &r.python_name, signature.clone());
            f.system = r.system;
            let _ = scratch.register_user_function(f);
        }
    }
}

/// Chosen paragraphs as one Flink SQL script, each given with its number in the note.
pub fn flink_script_of(note_name: &str, paragraphs: &[(usize, &str)], options: &ExportOptions) -> Result<String, ExportError> {
    let (mut scratch, python) = scratch_session(paragraphs);
    let mut out = String::new();
    let note_name = redact::redact(note_name).text;
    let _ = writeln!(out, "-- Flink SQL script exported by Sluice from the note \"{}\".", note_name.replace('\n', " "));
    let _ = writeln!(out, "-- Apache Flink runs it as is, e.g. `./bin/sql-client.sh -f <this file>`.");
    let mut parallelism: Option<String> = None;
    let mut batch = false;
    for &(number, text) in paragraphs {
        let fail = |error: SqlError| ExportError { paragraph: number, error };
        let redacted = redacted_paragraph(number, text)?;
        let text = redacted.as_str();
        if is_python(text) {
            follow_python(&mut scratch, &python, body(text));
        }
        let head = header(text).map_err(|e| fail(SqlError::new(e).at(crate::sql::Location { line: 1, column: 1 })))?;
        let interpreter = head.as_ref().map_or("flink.ssql", |h| h.interpreter.as_str());
        let _ = writeln!(
            out,
            "\n-- Paragraph {}{}",
            number,
            head.as_ref().map(|_| format!(" ({})", text.trim_start().lines().next().unwrap_or("").trim())).unwrap_or_default()
        );
        match interpreter {
            "md" | "flink.md" => {
                for line in text.trim_start().lines().skip(1) {
                    let _ = writeln!(out, "-- {line}").map(|_| ());
                }
                continue;
            }
            "flink.ssql" | "flink.bsql" | "ssql" | "bsql" => {}
            other => {
                let why = if is_python(text) { "Python: `sluice export --pyflink` keeps it" } else { "not SQL" };
                let _ = writeln!(out, "-- (a %{other} paragraph: {why}; left out)");
                continue;
            }
        }
        let wants_batch = interpreter.ends_with("bsql");
        if wants_batch != batch {
            batch = wants_batch;
            let _ = writeln!(out, "SET 'execution.runtime-mode' = '{}';", if batch { "batch" } else { "streaming" });
        }
        if let Some(p) = head.as_ref().and_then(|h| h.properties.iter().find(|(k, _)| k == "parallelism")).map(|(_, v)| v.clone()) {
            if parallelism.as_ref() != Some(&p) {
                let _ = writeln!(out, "SET 'parallelism.default' = '{p}';");
                parallelism = Some(p);
            }
        }
        let body = blank_interpreter_line(text);
        let statements = crate::sql::parse_script(&body).map_err(fail)?;
        for located in &statements {
            let mut notes = Vec::new();
            let exported = export_statement(&mut scratch, located, options, &mut notes).map_err(fail)?;
            for note in notes {
                let _ = writeln!(out, "{DERIVED}{note}");
            }
            match exported {
                Exported::Query(text) if !options.include_queries => {
                    let _ =
                        writeln!(out, "-- An interactive query (the studio shows its result; a deployed job has no one to show it to):");
                    for line in text.lines() {
                        let _ = writeln!(out, "-- {line}");
                    }
                }
                Exported::Query(text) | Exported::Statement(text) => {
                    let _ = writeln!(out, "{text};");
                }
            }
        }
    }
    Ok(out)
}

/// What one SQL statement of a note becomes in an exported program.
pub(crate) enum Exported {
    /// The statement to run, rewritten where Flink needs it.
    Statement(String),
    /// An interactive query, as written: the studio shows its result; a deployed program
    /// prints it, if asked to keep queries.
    Query(String),
}

/// One statement of a SQL paragraph for Flink: the narrowing `CAST`s an INSERT needs, Kinesis
/// options renamed; DDL followed in `scratch` so later INSERTs are checked against their
/// sinks. `notes` gets the comment lines (without their `-- ` or `# `) the export adds.
pub(crate) fn export_statement(
    scratch: &mut Session,
    located: &crate::sql::Located,
    options: &ExportOptions,
    notes: &mut Vec<String>,
) -> Result<Exported, SqlError> {
    let statement_text = located.text.trim().trim_end_matches(';').trim_end();
    Ok(Exported::Statement(match &located.statement {
        Statement::Query(_) => return Ok(Exported::Query(statement_text.to_string())),
        Statement::Insert { table, query, .. } => {
            let target = scratch.catalog().table(&table.value).cloned().ok_or_else(|| {
                SqlError::new(format!("sink table `{}` is not created earlier in the note", table.value)).at(located.location)
            })?;
            let plan = Planner::new(scratch.catalog()).plan_query(query).map_err(|e| e.or_at(located.location))?;
            let narrowed = narrowed_columns(&plan, &target);
            cast_select_items(statement_text, &narrowed).map_err(|m| SqlError::new(m).at(located.location))?
        }
        Statement::CreateTable(ddl) => {
            // CREATE TABLE … AS: its table is made for the statements after it, nothing run.
            match &ddl.query {
                Some(query) => drop(scratch.define_table_as(ddl, query, located)?),
                None => drop(scratch.execute_one(located)?),
            }
            // A Kafka table's topic is fed as `kafka:TOPIC` (as `sluice run --generator` names it).
            let fed = scratch.catalog().table(&ddl.name.value).and_then(|t| {
                crate::connectors::local_stream_name(t)
                    .or_else(|| crate::connectors::local_topic_names(t).first().map(|topic| format!("kafka:{topic}")))
            });
            if let Some(stream) = fed.filter(|s| options.generator_streams.contains(s)) {
                notes.extend([
                    format!("In the studio, Sluice's sensor generator feeds `{stream}`. In production a producer must"),
                    "write it (the walkthrough's Python sender does). Flink's datagen cannot stand in: it draws".to_string(),
                    "each field on its own, so it can neither tie `status` to the temperature nor stamp event".to_string(),
                    "time from the clock.".to_string(),
                ]);
            }
            rename_kinesis_options(statement_text, &options.kinesis)
        }
        Statement::CreateView { .. } | Statement::Drop { .. } | Statement::Alter { .. } => {
            scratch.execute_one(located)?;
            statement_text.to_string()
        }
        // A Python function is registered so queries calling it are typed (its types come from
        // the note's Python, `python_udfs.rs`); a JVM one is kept for Flink, which loads it.
        Statement::CreateFunction(f) if f.language == "PYTHON" => {
            scratch.execute_one(located)?;
            statement_text.to_string()
        }
        Statement::DropFunction { .. } => {
            // Whether Sluice knew the function or not, Flink is to drop it.
            let _ = scratch.execute_one(located);
            statement_text.to_string()
        }
        _ => statement_text.to_string(),
    }))
}

/// A note read from a file: a Zeppelin `.zpln`/`note.json` (read as the studio imports it) or a
/// SQL script, where a line starting with `%` begins a new paragraph.
pub fn read_note(file_name: &str, content: &str) -> Result<(String, Vec<String>), String> {
    if content.trim_start().starts_with('{') {
        let mut n = 0;
        let note = crate::views::note::zeppelin::from_zpln(content, file_name, || {
            n += 1;
            format!("paragraph_{n}")
        })?;
        let paragraphs = note.paragraphs.into_iter().map(|p| p.text).filter(|t| !t.trim().is_empty()).collect();
        return Ok((note.name, paragraphs));
    }
    let stem = file_name.rsplit('/').next().unwrap_or(file_name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s).to_string();
    let mut paragraphs: Vec<String> = Vec::new();
    for line in content.split_inclusive('\n') {
        match paragraphs.last_mut() {
            Some(p) if !line.starts_with('%') => p.push_str(line),
            _ => paragraphs.push(line.to_string()),
        }
    }
    paragraphs.retain(|p| !p.trim().is_empty());
    Ok((stem, paragraphs))
}

fn tokens(text: &str) -> Result<Vec<TokenWithSpan>, String> {
    Tokenizer::new(&FlinkDialect, text).tokenize_with_location().map_err(|e| e.to_string())
}

/// Byte offset of a tokenizer location (1-based line and column, in characters).
fn offset(text: &str, line: u64, column: u64) -> usize {
    let mut at = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            return at + l.char_indices().nth(column.saturating_sub(1) as usize).map_or(l.len(), |(b, _)| b);
        }
        at += l.len();
    }
    text.len()
}

/// Wraps the chosen items of the outermost SELECT list in `CAST(… AS type)`, keeping their
/// names (`AS alias`) and every other character as written.
fn cast_select_items(text: &str, casts: &[(usize, crate::types::DataType)]) -> Result<String, String> {
    if casts.is_empty() {
        return Ok(text.to_string());
    }
    let toks: Vec<TokenWithSpan> = tokens(text)?.into_iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let is_kw = |t: &Token, kw: &str| matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw));
    let select = toks.iter().position(|t| is_kw(&t.token, "SELECT")).ok_or("the INSERT has no SELECT list to cast")?;
    // Items: token ranges between SELECT and FROM at parenthesis depth 0.
    let mut items: Vec<(usize, usize)> = Vec::new();
    let (mut depth, mut start) = (0i32, select + 1);
    let mut end_of_list = toks.len();
    for (i, t) in toks.iter().enumerate().skip(select + 1) {
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                items.push((start, i));
                start = i + 1;
            }
            tok if depth == 0 && is_kw(tok, "FROM") => {
                end_of_list = i;
                break;
            }
            _ => {}
        }
    }
    items.push((start, end_of_list));
    let mut edits: Vec<(usize, String)> = Vec::new();
    for (column, ty) in casts {
        let &(first, last) = items.get(*column).ok_or("the SELECT list does not match the sink's columns")?;
        if first >= last {
            return Err("an empty item in the SELECT list".into());
        }
        // The expression ends before `AS alias` or a bare trailing alias.
        let mut expr_end = last;
        if last - first >= 2 && is_kw(&toks[last - 2].token, "AS") {
            expr_end = last - 2;
        } else if last - first >= 2 && matches!(toks[last - 1].token, Token::Word(_)) && !matches!(toks[last - 2].token, Token::Period) {
            let w = &toks[last - 2].token;
            // `expr alias`: two adjacent operands with no operator between them.
            if matches!(w, Token::RParen | Token::Word(_) | Token::Number(..) | Token::SingleQuotedString(_)) {
                expr_end = last - 1;
            }
        }
        let from = offset(text, toks[first].span.start.line, toks[first].span.start.column);
        let to = offset(text, toks[expr_end - 1].span.end.line, toks[expr_end - 1].span.end.column);
        edits.push((from, "CAST(".to_string()));
        edits.push((to, format!(" AS {ty})")));
    }
    let mut out = text.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (at, piece) in edits {
        out.insert_str(at, &piece);
    }
    Ok(out)
}

/// Rewrites a Kinesis table's option names (and the stream's ARN) for the chosen connector.
fn rename_kinesis_options(text: &str, naming: &KinesisOptions) -> String {
    if *naming == KinesisOptions::AsWritten {
        return text.to_string();
    }
    let Ok(all) = tokens(text) else { return text.to_string() };
    let toks: Vec<&TokenWithSpan> = all.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let literal = |t: &Token| match t {
        Token::SingleQuotedString(s) => Some(s.clone()),
        _ => None,
    };
    // 'key' = 'value' pairs.
    let mut pairs = Vec::new();
    for w in toks.windows(3) {
        if let (Some(k), Token::Eq, Some(v)) = (literal(&w[0].token), &w[1].token, literal(&w[2].token)) {
            pairs.push((k, v, w[0], w[2]));
        }
    }
    if !pairs.iter().any(|(k, v, ..)| k == "connector" && v == "kinesis") {
        return text.to_string();
    }
    let region = pairs.iter().find(|(k, ..)| k == "aws.region").map_or("us-east-1".to_string(), |(_, v, ..)| v.clone());
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let span = |t: &TokenWithSpan| (offset(text, t.span.start.line, t.span.start.column), offset(text, t.span.end.line, t.span.end.column));
    for (key, value, key_tok, value_tok) in &pairs {
        let renamed: Option<(&str, String)> = match (naming, key.as_str()) {
            (KinesisOptions::Current { account_id }, "stream") => {
                Some(("stream.arn", format!("arn:aws:kinesis:{region}:{account_id}:stream/{value}")))
            }
            (KinesisOptions::Current { .. }, "scan.stream.initpos") => Some(("source.init.position", value.clone())),
            (KinesisOptions::Current { .. }, "scan.stream.initpos-timestamp") => Some(("source.init.timestamp", value.clone())),
            (KinesisOptions::Legacy, "stream.arn") => Some(("stream", value.rsplit('/').next().unwrap_or(value).to_string())),
            (KinesisOptions::Legacy, "source.init.position") => Some(("scan.stream.initpos", value.clone())),
            (KinesisOptions::Legacy, "source.init.timestamp") => Some(("scan.stream.initpos-timestamp", value.clone())),
            _ => None,
        };
        if let Some((new_key, new_value)) = renamed {
            let (ks, ke) = span(key_tok);
            let (vs, ve) = span(value_tok);
            edits.push((ks, ke, quote(new_key)));
            edits.push((vs, ve, quote(&new_value)));
        }
    }
    let mut out = text.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (start, end, piece) in edits {
        out.replace_range(start..end, &piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The walkthrough (src/views/note/walkthrough.sql): step 2's table, step 5's sink table and INSERT.
    fn sensor_data() -> &'static str {
        crate::views::note::seed::walkthrough()[0]
    }
    fn sensor_state() -> &'static str {
        crate::views::note::seed::walkthrough()[3]
    }
    fn insert() -> &'static str {
        crate::views::note::seed::walkthrough()[4]
    }

    #[test]
    fn the_walkthrough_insert_gets_its_cast_and_nothing_else_changes() {
        let script = flink_script(
            "Sensors",
            &[sensor_data(), sensor_state(), "%flink.ssql(type=update)\n\nSELECT * FROM sensor_data;", insert()],
            &ExportOptions::default(),
        )
        .unwrap();
        assert!(script.contains("    CAST(COUNT(*) AS INT) AS num,\n"), "{script}");
        assert!(script.contains("WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND\n)\nPARTITIONED BY (sensor_id)"), "{script}");
        assert!(script.contains("-- SELECT * FROM sensor_data"), "{script}");
        assert_eq!(script.matches("CREATE TABLE").count(), 2);
        // What comes out parses and plans in Sluice again, without the narrowing warning.
        let mut session = Session::empty();
        let outcomes = session.execute(&script, 0).unwrap();
        let warnings: Vec<_> = outcomes
            .iter()
            .flat_map(|o| match o {
                crate::session::Outcome::Insert { warnings, .. } | crate::session::Outcome::Done { warnings, .. } => warnings.clone(),
                _ => Vec::new(),
            })
            .collect();
        assert!(warnings.iter().all(|w| !w.contains("narrowed")), "{warnings:?}");
    }

    #[test]
    fn notes_are_read_from_zeppelin_json_or_sql() {
        let zpln = r#"{"name": "Sensors", "paragraphs": [{"text": "%flink.ssql\nSELECT 1", "config": {}}, {"text": ""}, {"config": {}}]}"#;
        assert_eq!(read_note("x.zpln", zpln).unwrap(), ("Sensors".to_string(), vec!["%flink.ssql\nSELECT 1".to_string()]));
        let sql = "-- intro\n%flink.ssql\nCREATE TABLE t (a INT);\n%flink.bsql\nSELECT 1;\n";
        let (name, paragraphs) = read_note("dir/app.sql", sql).unwrap();
        assert_eq!(name, "app");
        assert_eq!(paragraphs, ["-- intro\n", "%flink.ssql\nCREATE TABLE t (a INT);\n", "%flink.bsql\nSELECT 1;\n"]);
        assert!(read_note("x.zpln", "{\"name\": 1}").is_err());
        assert!(read_note("x.zpln", "{\"paragraphs\": [1]}").is_err());
    }

    #[test]
    fn generator_fed_tables_say_what_feeds_them_in_production() {
        let options = ExportOptions { generator_streams: vec!["my-input-stream".into()], ..ExportOptions::default() };
        let script = flink_script("n", &[sensor_data(), sensor_state()], &options).unwrap();
        assert_eq!(script.matches("Sluice's sensor generator feeds `my-input-stream`").count(), 1, "{script}");
    }

    #[test]
    fn kafka_tables_keep_flinks_option_names_and_say_what_feeds_their_topic() {
        let ddl = "CREATE TABLE readings (sensor_id INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp') WITH ('connector' = 'kafka', \
                   'topic' = 'readings', 'properties.bootstrap.servers' = 'b-1.msk:9092', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset')";
        let options = ExportOptions { generator_streams: vec!["kafka:readings".into()], ..ExportOptions::default() };
        let script = flink_script("n", &[ddl], &options).unwrap();
        assert!(script.contains(&format!("{ddl};")), "{script}");
        assert!(script.contains("Sluice's sensor generator feeds `kafka:readings`"), "{script}");
    }

    #[test]
    fn casts_respect_aliases_and_expressions() {
        let casts = [(1, crate::types::DataType::Int), (2, crate::types::DataType::SmallInt)];
        let out = cast_select_items("INSERT INTO t SELECT a, COUNT(*) n, SUM(x + (1)) FROM s GROUP BY a", &casts).unwrap();
        assert_eq!(out, "INSERT INTO t SELECT a, CAST(COUNT(*) AS INT) n, CAST(SUM(x + (1)) AS SMALLINT) FROM s GROUP BY a");
    }

    #[test]
    fn kinesis_options_follow_the_chosen_connector() {
        let options = ExportOptions {
            kinesis: KinesisOptions::Current { account_id: "123456789012".into() },
            include_queries: true,
            generator_streams: Vec::new(),
        };
        let script = flink_script("n", &[sensor_data()], &options).unwrap();
        assert!(script.contains("'stream.arn' = 'arn:aws:kinesis:us-east-1:123456789012:stream/my-input-stream'"), "{script}");
        assert!(script.contains("'source.init.position' = 'LATEST'"), "{script}");
        let back = flink_script("n", &[&script], &ExportOptions { kinesis: KinesisOptions::Legacy, ..ExportOptions::default() }).unwrap();
        assert!(back.contains("'stream' = 'my-input-stream'") && back.contains("'scan.stream.initpos' = 'LATEST'"), "{back}");
    }

    #[test]
    fn paragraph_properties_become_settings_and_errors_name_the_paragraph() {
        let script = flink_script(
            "n",
            &["%md\n# Sensors\nA note.", "%flink.bsql(parallelism=2)\nSET 'table.exec.state.ttl' = '1 h'"],
            &ExportOptions::default(),
        )
        .unwrap();
        assert!(script.contains("-- # Sensors"));
        assert!(script.contains("SET 'execution.runtime-mode' = 'batch';\nSET 'parallelism.default' = '2';"), "{script}");
        let err =
            flink_script("n", &[sensor_data(), "INSERT INTO nowhere SELECT * FROM sensor_data"], &ExportOptions::default()).unwrap_err();
        assert_eq!(err.paragraph, 2);
        assert!(err.to_string().contains("nowhere"), "{err}");
    }

    /// Properties are read as the page reads them: a template's commas stay in the template.
    #[test]
    fn properties_are_read_as_the_page_reads_them() {
        let single = "%flink.ssql(type=single, template=<b>{0}, {1}</b>, parallelism=3)\nSELECT 1, 2";
        let script = flink_script("n", &[single], &ExportOptions::default()).unwrap();
        assert!(script.contains("SET 'parallelism.default' = '3';"), "{script}");
        let err = flink_script("n", &["%md\nhi", "%flink.ssql(type=update\nSELECT 1"], &ExportOptions::default()).unwrap_err();
        assert_eq!(err.paragraph, 2);
        assert!(err.to_string().contains("no closing `)`"), "{err}");
    }

    // Export then import: the note comes back (views/note/script.rs reads what this writes).
    /// What survives a script: the text, with every statement ending in `;`.
    fn normalized(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.trim_end().trim_end_matches(';').to_string()).collect()
    }

    #[test]
    fn an_exported_note_reads_back_with_flinks_cast() {
        let mut texts: Vec<&str> = crate::views::note::seed::walkthrough();
        texts.insert(0, "%md\n# Sensors\n\nThe *tour*.");
        // As the page exports it: the generator feeds my-input-stream (a comment the script adds).
        let options =
            ExportOptions { include_queries: true, generator_streams: vec!["my-input-stream".into()], ..ExportOptions::default() };
        let sql = flink_script("Sensors", &texts, &options).unwrap();
        assert!(sql.contains("CAST(COUNT(*) AS INT) AS num"));
        assert!(sql.contains("sensor generator feeds `my-input-stream`"));
        let back = crate::views::note::script::from_sql(&sql, "whatever.sql", crate::views::note::test_ids()).unwrap();
        assert_eq!(back.name, "Sensors");
        let back_texts: Vec<&str> = back.paragraphs.iter().map(|p| p.text.as_str()).collect();
        // Only the INSERT (the last paragraph) is rewritten; the window query keeps its COUNT(*).
        let insert = texts[5].replace("COUNT(*) AS num", "CAST(COUNT(*) AS INT) AS num");
        let mut expected = texts.clone();
        expected[5] = &insert;
        assert_eq!(normalized(&back_texts), normalized(&expected));
    }
}
