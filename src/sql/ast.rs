//! The statements Sluice understands. Queries and expressions are sqlparser's AST; the
//! statements sqlparser does not know in Flink's form (`CREATE TABLE` with a watermark and
//! computed columns, `SET 'k' = 'v'`, …) are ours.

use sqlparser::ast::{Expr, Ident, Query};

use super::Location;
use crate::types::SqlType;

/// A statement and where it starts in the text.
#[derive(Clone, Debug)]
pub struct Located {
    pub statement: Statement,
    pub location: Location,
    /// The statement's own text, for the jobs panel and EXPLAIN.
    pub text: String,
}

/// What an upsert sink does when rows with different upsert keys reach one primary key
/// (Flink's `SinkConflictStrategy`, written `INSERT … ON CONFLICT DO …`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictStrategy {
    /// Keep every version and show the latest (`SinkUpsertMaterializer`).
    Deduplicate,
    /// Keep the first row.
    Nothing,
    /// Fail the job.
    Error,
}

impl Statement {
    /// Whether the statement starts a job writing into a table: an INSERT, or CREATE TABLE … AS.
    pub fn writes_a_table(&self) -> bool {
        match self {
            Statement::Insert { .. } => true,
            Statement::CreateTable(ddl) => ddl.query.is_some(),
            _ => false,
        }
    }
}

impl ConflictStrategy {
    /// The word EXPLAIN and errors show.
    pub fn sql(self) -> &'static str {
        match self {
            ConflictStrategy::Deduplicate => "DEDUPLICATE",
            ConflictStrategy::Nothing => "NOTHING",
            ConflictStrategy::Error => "ERROR",
        }
    }
}

#[derive(Clone, Debug)]
pub enum Statement {
    CreateTable(Box<CreateTable>),
    /// `CREATE [OR REPLACE] [TEMPORARY] VIEW [IF NOT EXISTS] name [(columns)] [COMMENT '…'] AS
    /// query`.
    CreateView {
        name: Ident,
        query: Box<Query>,
        if_not_exists: bool,
        /// `OR REPLACE`: a view of that name is replaced.
        or_replace: bool,
        temporary: bool,
        /// The view's own names for the query's columns, if it gives them.
        columns: Vec<Ident>,
        comment: Option<String>,
    },
    Drop {
        name: Ident,
        if_exists: bool,
        view: bool,
    },
    Query(Box<Query>),
    Insert {
        table: Ident,
        /// `INSERT INTO t (c, b) …`: the sink columns the query's columns go to, in order (empty:
        /// all of them, in the sink's order).
        columns: Vec<Ident>,
        query: Box<Query>,
        /// `ON CONFLICT DO …`, Flink 2.3's answer to a sink key the query's upsert key is not.
        on_conflict: Option<ConflictStrategy>,
        /// `INSERT INTO t /*+ OPTIONS('k' = 'v') */`: the sink's options over its own, for this
        /// statement.
        options: Vec<(String, String)>,
    },
    /// `SET` (list all), `SET 'k' = 'v'`.
    Set {
        key: Option<String>,
        value: Option<String>,
    },
    /// `RESET` (all), `RESET 'k'`.
    Reset {
        key: Option<String>,
    },
    /// `SHOW TABLES [FROM|IN db] [[NOT] LIKE 'pattern']`: Flink lists views among the tables.
    ShowTables {
        like: Option<ShowLike>,
    },
    /// `SHOW VIEWS [FROM|IN db] [[NOT] LIKE 'pattern']`.
    ShowViews {
        like: Option<ShowLike>,
    },
    /// `SHOW COLUMNS FROM|IN table [[NOT] LIKE 'pattern']`: DESCRIBE's columns and the comment.
    ShowColumns {
        table: Ident,
        like: Option<ShowLike>,
    },
    /// `ALTER TABLE [IF EXISTS] name SET (…) | RESET (…) | RENAME TO new`, `ALTER VIEW name RENAME
    /// TO new`.
    Alter {
        name: Ident,
        view: bool,
        if_exists: bool,
        change: AlterChange,
        location: Location,
    },
    /// `SHOW CREATE TABLE name`: the table's DDL as Flink prints it.
    ShowCreateTable(Ident),
    /// `SHOW CREATE VIEW name`: the view's DDL.
    ShowCreateView(Ident),
    /// `SHOW CATALOGS`, `SHOW DATABASES`, `SHOW CURRENT CATALOG`, `SHOW CURRENT DATABASE`: Sluice
    /// has Flink's default ones.
    ShowCatalogs {
        databases: bool,
        current: bool,
    },
    /// `SHOW [FULL] MODULES`: Sluice has Flink's `core` module, in use.
    ShowModules {
        full: bool,
    },
    /// `SHOW JARS`, `SHOW MODELS`, `SHOW MATERIALIZED TABLES`: what Flink 2.3 answers in a session
    /// that has none (Sluice has none of them): an empty table with this column.
    ShowNone(&'static str),
    /// `USE MODULES name, …`: only `core` exists.
    UseModules {
        names: Vec<String>,
        location: Location,
    },
    /// `USE CATALOG name` (`catalog`) or `USE [catalog.]database`.
    Use {
        catalog: Option<String>,
        database: Option<String>,
        location: Location,
    },
    /// `SHOW [USER] FUNCTIONS [FROM|IN db] [[NOT] LIKE|ILIKE 'pattern']`: the built-in and user
    /// functions, or (`user`) only those created by CREATE FUNCTION or registered from Python.
    ShowFunctions {
        user: bool,
        like: Option<ShowLike>,
    },
    /// `CREATE [TEMPORARY] [SYSTEM] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE …]`:
    /// Python ones are registered; Java and Scala ones refused naming their language.
    CreateFunction(Box<CreateFunction>),
    /// `DROP [TEMPORARY] [SYSTEM] FUNCTION [IF EXISTS] name`.
    DropFunction {
        name: String,
        if_exists: bool,
        temporary: bool,
        system: bool,
        location: Location,
    },
    /// `SHOW JOBS`, as Flink's SQL client lists the cluster's jobs.
    ShowJobs,
    /// `STOP JOB '<id>' [WITH SAVEPOINT] [WITH DRAIN]`.
    StopJob {
        id: String,
        savepoint: bool,
        drain: bool,
        location: Location,
    },
    /// `DESCRIBE | DESC [EXTENDED] name` (EXTENDED shows the same, as in Flink 2.3).
    Describe(Ident),
    /// `DESCRIBE FUNCTION [EXTENDED] name`.
    DescribeFunction {
        name: String,
        extended: bool,
        location: Location,
    },
    /// `EXPLAIN JOB '<id>'`: a running job's watermarks, pending windows and what holds them
    /// back (Sluice's; Flink has no such statement).
    ExplainJob {
        id: String,
        location: Location,
    },
    /// `EXPLAIN [CHANGELOG_MODE] <query or INSERT>`.
    Explain {
        statement: Box<Located>,
        /// `CHANGELOG_MODE`: each operator's changelog mode, as Flink's `ExplainDetail.CHANGELOG_MODE`.
        changelog_mode: bool,
    },
}

#[derive(Clone, Debug)]
pub struct CreateFunction {
    /// As written, dotted parts joined (`cat.db.f`).
    pub name: String,
    pub class: String,
    /// Upper-cased; `JAVA` when the statement names none, as in Flink.
    pub language: String,
    pub if_not_exists: bool,
    pub temporary: bool,
    pub system: bool,
    /// Where the name is.
    pub location: Location,
}

/// What an ALTER TABLE / VIEW changes.
#[derive(Clone, Debug)]
pub enum AlterChange {
    /// `SET ('k' = 'v', …)`: options added or replaced.
    Set(Vec<(String, String)>),
    /// `RESET ('k', …)`: options removed.
    Reset(Vec<String>),
    RenameTo(Ident),
    /// `ALTER VIEW v AS query`: the view's new query.
    As(Box<sqlparser::ast::Query>),
    /// `RENAME col TO new`: a column's name.
    RenameColumn {
        from: Ident,
        to: Ident,
    },
    /// `ADD …` (`modify: false`) or `MODIFY …`: columns, a watermark, a primary key.
    Schema {
        modify: bool,
        change: Box<SchemaChange>,
    },
    /// `DROP col` / `DROP (a, b)`.
    DropColumns(Vec<Ident>),
    /// `DROP PRIMARY KEY`, or `DROP CONSTRAINT name` (`Some(name)`).
    DropPrimaryKey(Option<Ident>),
    DropWatermark,
}

/// What `ALTER TABLE … ADD` / `MODIFY` names: `col` or `(col, …, WATERMARK FOR …, PRIMARY KEY
/// (…) NOT ENFORCED)`, each column with where it goes.
#[derive(Clone, Debug)]
pub struct SchemaChange {
    pub columns: Vec<(ColumnDef, ColumnPosition)>,
    pub watermark: Option<WatermarkDef>,
    pub primary_key: Vec<Ident>,
    /// `CONSTRAINT name PRIMARY KEY …`.
    pub primary_key_name: Option<Ident>,
}

/// Where ALTER TABLE ADD / MODIFY puts a column.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnPosition {
    /// Last (ADD) or where it is (MODIFY).
    Unchanged,
    First,
    After(Ident),
}

/// A SHOW statement's `[NOT] LIKE 'pattern'` (SQL's `%` and `_`).
#[derive(Clone, Debug)]
pub struct ShowLike {
    pub not: bool,
    /// `ILIKE` (SHOW FUNCTIONS only, as in Flink): case does not matter.
    pub ilike: bool,
    pub pattern: String,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct CreateTable {
    pub name: Ident,
    pub if_not_exists: bool,
    /// `CREATE OR REPLACE TABLE`: with AS (RTAS) a table of that name is replaced.
    pub or_replace: bool,
    pub temporary: bool,
    pub columns: Vec<ColumnDef>,
    pub watermark: Option<WatermarkDef>,
    pub primary_key: Vec<Ident>,
    /// `CONSTRAINT name PRIMARY KEY …`; Flink names an unnamed key `PK_` and its columns.
    pub primary_key_name: Option<Ident>,
    pub partitioned_by: Vec<Ident>,
    pub options: Vec<(String, String)>,
    pub comment: Option<String>,
    /// `CREATE TABLE … AS query` (CTAS): the table takes the query's columns and the query runs
    /// into it as an INSERT.
    pub query: Option<Box<Query>>,
    /// `CREATE TABLE … LIKE source [(options)]`: the source's definition merged with this one.
    pub like: Option<LikeClause>,
}

impl CreateTable {
    /// `CREATE TABLE name` and nothing else yet.
    pub fn named(name: Ident) -> Self {
        CreateTable {
            name,
            if_not_exists: false,
            or_replace: false,
            temporary: false,
            columns: Vec::new(),
            watermark: None,
            primary_key: Vec::new(),
            primary_key_name: None,
            partitioned_by: Vec::new(),
            options: Vec::new(),
            comment: None,
            query: None,
            like: None,
        }
    }
}

/// `LIKE source [(INCLUDING ALL OVERWRITING OPTIONS …)]` of a CREATE TABLE.
#[derive(Clone, Debug)]
pub struct LikeClause {
    pub source: Ident,
    /// In order; a later one overrides an earlier (`EXCLUDING ALL INCLUDING WATERMARKS`).
    pub options: Vec<(LikeStrategy, LikeFeature)>,
    pub location: Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeStrategy {
    Including,
    Excluding,
    Overwriting,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeFeature {
    All,
    Constraints,
    Partitions,
    Generated,
    Metadata,
    Options,
    Watermarks,
}

#[derive(Clone, Debug)]
pub struct ColumnDef {
    pub name: Ident,
    pub kind: ColumnKind,
    pub comment: Option<String>,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub enum ColumnKind {
    /// A column stored in the source's records.
    Physical(SqlType),
    /// `name AS expr`: computed from other columns (e.g. `PROCTIME()`).
    Computed(Box<Expr>),
    /// `name type METADATA [FROM 'key'] [VIRTUAL]`.
    Metadata { ty: SqlType, key: Option<String>, is_virtual: bool },
}

/// `WATERMARK FOR rowtime AS expr`.
#[derive(Clone, Debug)]
pub struct WatermarkDef {
    pub rowtime: Ident,
    pub expr: Expr,
    pub location: Location,
}
