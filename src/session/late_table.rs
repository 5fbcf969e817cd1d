//! `late_records('<job>')` in a query's FROM: a job's late ledger as rows, so a query can count
//! or chart late data, as a side output would let it in Flink's DataStream API (its SQL has none).
//!
//! The call is replaced, before planning, by the ledger's rows as a VALUES table of what it holds
//! at that moment (a bounded input: the query reads a snapshot):
//!
//! | column         | type         |                                                       |
//! |----------------|--------------|-------------------------------------------------------|
//! | event_time     | TIMESTAMP(3) | the record's event time                               |
//! | watermark      | TIMESTAMP(3) | the watermark it arrived under                        |
//! | window_start   | TIMESTAMP(3) | the last window it missed (NULL outside windows)      |
//! | window_end     | TIMESTAMP(3) |                                                       |
//! | late_by_ms     | BIGINT       | how much larger a delay would have kept it            |
//! | record         | STRING       | the row the operator dropped, its values joined by ", " |
//!
//! `watermark` is a reserved word to Flink: a query names it in backquotes, as it must any column
//! of that name.

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, Ident, ObjectNamePart, Query, TableAlias, TableAliasColumnDef, TableFactor, Value as SqlValue,
};

use super::jobs::parse_job_id;
use super::Session;
use crate::sql::walk;
use crate::sql::SqlError;
use crate::types::format_timestamp;

/// The table function's name.
pub const LATE_RECORDS: &str = "late_records";

const COLUMNS: [&str; 6] = ["event_time", "watermark", "window_start", "window_end", "late_by_ms", "record"];

impl Session {
    /// `query` with every `late_records('<job>')` replaced by that job's ledger rows; `None` when
    /// it calls none.
    pub(super) fn with_late_records(&self, query: &Query) -> Result<Option<Query>, SqlError> {
        let mut query = query.clone();
        let mut swap = Swap { session: self, swapped: false };
        walk::rewrite(&mut query, |n| match n {
            walk::Node::TableFactor(factor) => swap.table_factor(factor),
            _ => Ok(()),
        })?;
        Ok(swap.swapped.then_some(query))
    }

    /// The ledger of job `text` as a `SELECT … FROM (VALUES …)` query text.
    fn late_records_sql(&self, text: &str) -> Result<String, SqlError> {
        let ledger = parse_job_id(text).and_then(|job| self.late_ledger(job)).ok_or_else(|| {
            let ids: Vec<String> = self.jobs.iter().map(|j| format!("'{}'", j.id)).collect();
            SqlError::new(format!("{LATE_RECORDS}('{text}'): there is no job '{text}'")).hint(if ids.is_empty() {
                "no job has run yet; SHOW JOBS lists them".to_string()
            } else {
                format!("jobs: {}", ids.join(", "))
            })
        })?;
        let ts = |ms: i64| format!("TIMESTAMP '{}'", format_timestamp(ms).replace('T', " "));
        let rows: Vec<String> = ledger
            .entries
            .iter()
            .map(|e| {
                let (start, end) = e
                    .missed
                    .last()
                    .map_or(("CAST(NULL AS TIMESTAMP(3))".to_string(), "CAST(NULL AS TIMESTAMP(3))".to_string()), |&(s, end)| {
                        (ts(s), ts(end))
                    });
                format!(
                    "({}, {}, {start}, {end}, CAST({} AS BIGINT), CAST('{}' AS STRING))",
                    ts(e.event_time),
                    ts(e.watermark),
                    e.late_by_ms,
                    e.row.join(", ").replace('\'', "''")
                )
            })
            .collect();
        // Backquoted: `watermark` is a reserved word to Flink.
        let columns: Vec<String> = COLUMNS.iter().map(|c| format!("`{c}`")).collect();
        let columns = columns.join(", ");
        Ok(if rows.is_empty() {
            // An empty ledger: one typed row of NULLs, filtered out.
            format!(
                "SELECT * FROM (VALUES (CAST(NULL AS TIMESTAMP(3)), CAST(NULL AS TIMESTAMP(3)), CAST(NULL AS TIMESTAMP(3)), \
                 CAST(NULL AS TIMESTAMP(3)), CAST(NULL AS BIGINT), CAST(NULL AS STRING))) AS t({columns}) WHERE event_time IS NOT NULL"
            )
        } else {
            format!("SELECT * FROM (VALUES {}) AS t({columns})", rows.join(", "))
        })
    }
}

struct Swap<'a> {
    session: &'a Session,
    swapped: bool,
}

impl Swap<'_> {
    /// A table factor, before its children: a `late_records(…)` call becomes its ledger's rows.
    fn table_factor(&mut self, factor: &mut TableFactor) -> Result<(), SqlError> {
        let TableFactor::Table { name, args: Some(args), alias, .. } = factor else { return Ok(()) };
        let called = matches!(name.0.as_slice(), [ObjectNamePart::Identifier(i)] if i.value.eq_ignore_ascii_case(LATE_RECORDS));
        if !called {
            return Ok(());
        }
        let id = match args.args.as_slice() {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] => match &v.value {
                SqlValue::SingleQuotedString(s) => Some(s.clone()),
                SqlValue::Number(n, _) => Some(n.to_string()),
                _ => None,
            },
            _ => None,
        };
        let Some(id) = id else {
            return Err(SqlError::new(format!("{LATE_RECORDS} takes one job id, e.g. {LATE_RECORDS}('1')")));
        };
        let sql = self.session.late_records_sql(&id)?;
        let subquery = match crate::sql::parse_script(&sql)?.pop().map(|l| l.statement) {
            Some(crate::sql::Statement::Query(q)) => q,
            _ => return Err(SqlError::new(format!("{LATE_RECORDS}('{id}') could not be read"))),
        };
        let alias = alias.take().unwrap_or_else(|| TableAlias {
            explicit: true,
            name: Ident::new(LATE_RECORDS),
            columns: Vec::<TableAliasColumnDef>::new(),
            at: None,
        });
        *factor = TableFactor::Derived { lateral: false, subquery, alias: Some(alias), sample: None };
        self.swapped = true;
        Ok(())
    }
}
