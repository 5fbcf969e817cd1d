//! `EXPLAIN CHANGELOG_MODE` against Flink's own: for every case under `tests/flink/`, the
//! changelog modes Sluice's physical plan gives its operators match those of Flink 2.3's
//! optimized physical plan (`explain_changelog.txt`, written by `tests/flink/explain.py`).
//!
//! The two plans do not name the same nodes, so what is compared is the operators both have,
//! in the order a depth-first walk from the root meets them (inputs left to right), each with
//! its mode. Mapping of Flink's nodes:
//!
//! - `TableSourceScan`, `Values` → a source;
//! - `Rank`, `SortLimit` (`ORDER BY … LIMIT`, a rank over one partition) and Sluice's
//!   `Deduplicate` (Flink 2.3 explains a row-time deduplication as a `Rank` ordered by
//!   `ROWTIME`) → `Rank`;
//! - `GroupAggregate`, `OverAggregate`, `WindowRank`,
//!   `WindowDeduplicate`, `WindowTableFunction`, `Union`, `Join`, `IntervalJoin`, `WindowJoin`,
//!   `TemporalJoin`
//!   → Sluice's node of that name;
//! - `WindowAggregate`, `GlobalWindowAggregate` (the second phase of Flink's two-phase window
//!   aggregate), `GroupWindowAggregate` (the legacy `GROUP BY HOP(…)`) → `WindowAggregate`;
//! - `Calc`, `Exchange`, `WatermarkAssigner`, `LocalWindowAggregate`, `MiniBatchAssigner`,
//!   `DropUpdateBefore`: left out. Each passes its input's kinds of change on (a `Calc` or an
//!   `Exchange`), or has no counterpart in Sluice's plan (Sluice's sources assign watermarks;
//!   its window aggregate is one phase), and where Flink places its `Calc`s differs.
//!
//! A case whose modes genuinely differ, as DIFFERENCES.md says, has a `changelog_differs.md`
//! saying why; for it the test checks that they still differ (so the note goes when the
//! difference does).

use std::path::{Path, PathBuf};

use sluice::session::{Outcome, Session};

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/flink")
}

/// A session with the case's tables: its own `table.sql` over its `input.jsonl` (and `{dir}`'s
/// files), or else the table of `tests/flink/generate.py` over the reference input.
fn session(case: &Path) -> Session {
    let table = match read(&case.join("table.sql")) {
        Some(table) => {
            table.replace("{input}", &case.join("input.jsonl").display().to_string()).replace("{dir}", &case.display().to_string())
        }
        None => format!(
            "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
            event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
          WITH ('connector'='filesystem', 'path'='{}', 'format'='json', 'json.timestamp-format.standard'='ISO-8601')",
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sensor_input.jsonl").display()
        ),
    };
    let mut session = Session::new();
    // `table.sql` may create several tables, `;` between them.
    for statement in table.split(';').filter(|s| !s.trim().is_empty()) {
        session.execute(statement, 0).unwrap();
    }
    // An INSERT case's sink.
    if let Some(sink) = read(&case.join("sink.sql")) {
        session.execute(&sink, 0).unwrap();
    }
    session
}

/// Flink's node names, as compared (see the module docs); `None` for the nodes left out.
fn comparable(name: &str) -> Option<&str> {
    match name {
        "Calc" | "Exchange" | "WatermarkAssigner" | "LocalWindowAggregate" | "MiniBatchAssigner" | "DropUpdateBefore" => None,
        "TableSourceScan" | "Values" => Some("Source"),
        "GlobalWindowAggregate" | "GroupWindowAggregate" => Some("WindowAggregate"),
        // Flink 2.3 explains a row-time deduplication as a `Rank` with `rankEnd=1` ordered by
        // `ROWTIME`; Sluice names it `Deduplicate`, as Flink's operator is named.
        "Deduplicate" => Some("Rank"),
        // `ORDER BY … LIMIT n`: Flink's `StreamExecSortLimit` is a `StreamExecRank` over one
        // partition whose row number is not output; Sluice plans it as that `Rank`.
        "SortLimit" => Some("Rank"),
        other => Some(other),
    }
}

/// The compared operators of a plan's text, root first, each as `Name[mode]`.
fn modes(plan: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in plan.lines() {
        let node = line.trim_start_matches([' ', ':', '+', '-']);
        let Some(open) = node.find('(') else { continue };
        let Some(name) = comparable(&node[..open]) else { continue };
        let mode = node.rfind("changelogMode=[").map_or("?", |at| {
            let rest = &node[at + "changelogMode=".len()..];
            &rest[..rest.find(']').map_or(rest.len(), |e| e + 1)]
        });
        out.push(format!("{name}{mode}"));
    }
    out
}

fn sluice_plan(session: &mut Session, query: &str) -> Result<String, String> {
    let sql = format!("EXPLAIN CHANGELOG_MODE {}", query.trim().trim_end_matches(';'));
    match session.execute(&sql, 0) {
        Ok(mut outcomes) => match outcomes.pop() {
            Some(Outcome::Text(text)) => Ok(text.split("== Physical Execution Plan ==").next().unwrap_or_default().to_string()),
            other => Err(format!("EXPLAIN gave {other:?}")),
        },
        Err(e) => Err(e.to_string()),
    }
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

#[test]
fn every_case_has_the_changelog_modes_flink_gives_it() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("query.sql").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() > 40, "the golden cases are missing: {}", cases.len());
    let mut failures = Vec::new();
    let mut noted = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let Some(flink) = read(&case.join("explain_changelog.txt")) else {
            failures.push(format!("{name}: no explain_changelog.txt (run tests/flink/explain.py {name})"));
            continue;
        };
        let query = read(&case.join("query.sql")).unwrap();
        let ours = match sluice_plan(&mut session(case), &query) {
            Ok(plan) => plan,
            Err(e) => {
                failures.push(format!("{name}: EXPLAIN failed: {e}"));
                continue;
            }
        };
        let (expected, got) = (modes(&flink), modes(&ours));
        match read(&case.join("changelog_differs.md")) {
            None if expected != got => {
                failures.push(format!("{name}:\n  Flink:  {}\n  Sluice: {}\n{flink}{ours}", expected.join(" "), got.join(" ")))
            }
            Some(note) if expected == got => {
                failures.push(format!("{name}: the modes now agree; remove changelog_differs.md ({})", note.trim()))
            }
            Some(_) => noted += 1,
            None => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), cases.len(), failures.join("\n"));
    eprintln!("{} cases agree with Flink, {noted} differ as their notes say", cases.len() - noted);
}

#[test]
fn the_comparison_reads_flinks_tree() {
    let flink = "Calc(select=[status, EXPR$1], changelogMode=[I,UA])
+- GroupAggregate(groupBy=[status], select=[status, COUNT(*) AS EXPR$1], changelogMode=[I,UA])
   +- Exchange(distribution=[hash[status]], changelogMode=[I])
      :- TableSourceScan(table=[[default_catalog, default_database, sensor_data]], fields=[status], changelogMode=[I])
      +- Values(tuples=[[{ 1 }]], changelogMode=[I])
";
    assert_eq!(modes(flink), ["GroupAggregate[I,UA]", "Source[I]", "Source[I]"]);
}
