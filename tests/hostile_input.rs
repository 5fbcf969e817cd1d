//! The hostile-input corpus, natively: every case under `tests/hostile/<parser>/` and the big
//! generated cases go through their parser; each must give a result or a clear error (and what
//! its `.expect` file or its JSON says, where it has one), never a panic or a stack overflow.
//! `tests/wasm_hostile.rs` runs the same cases in wasm (all but `cli/`).
//! Also: the command line's own findings (issue 14), and proptest over deep and long records.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/hostile.rs"]
mod hostile;

use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// (parser, file name, path) of every case on disk, sorted.
fn files_on_disk() -> Vec<(String, String, PathBuf)> {
    let mut cases = Vec::new();
    for folder in std::fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        let parser = folder.file_name().unwrap().to_string_lossy().to_string();
        for file in std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()) {
            cases.push((parser.clone(), file.file_name().unwrap().to_string_lossy().to_string(), file));
        }
    }
    cases.sort();
    cases
}

/// Runs one case, turning a panic into a failure that names it.
fn run(parser: &str, name: &str, bytes: &[u8], expect: Option<&[u8]>) -> Result<hostile::Outcome, String> {
    std::panic::catch_unwind(|| hostile::check(parser, name, bytes, expect)).map_err(|panic| {
        let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("tests/hostile/{parser}/{name}: {}", message.unwrap_or_default())
    })
}

#[test]
fn every_checked_in_case_gives_a_result_or_a_clear_error() {
    let files = files_on_disk();
    assert!(hostile::WITH_EXPECT.iter().all(|f| files.iter().any(|(parser, ..)| parser == f)), "a folder of WITH_EXPECT is gone");
    let mut failures = Vec::new();
    let mut cases = 0;
    for (parser, name, path) in files.iter().filter(|(_, name, _)| hostile::is_case(name)) {
        cases += 1;
        let expect = std::fs::read(path.with_file_name(hostile::expect_name(name))).ok();
        match run(parser, name, &std::fs::read(path).unwrap(), expect.as_deref()) {
            Ok(outcome) => println!("{parser}/{name}: {}", format!("{outcome:?}").chars().take(300).collect::<String>()),
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn repetition_expands() {
    assert_eq!(hostile::expand("a{{3*b\\n}}c{{x}}"), "ab\nb\nb\nc{{x}}");
}

#[test]
fn every_generated_case_gives_a_result_or_a_clear_error() {
    let mut crashes = Vec::new();
    for (parser, name, bytes) in hostile::generated() {
        match run(parser, &name, &bytes, None) {
            Ok(outcome) => println!("{parser}/{name}: {}", format!("{outcome:?}").chars().take(300).collect::<String>()),
            Err(crash) => crashes.push(crash),
        }
    }
    assert!(crashes.is_empty(), "{} cases crashed:\n{}", crashes.len(), crashes.join("\n"));
}

/// The wasm runner cannot list folders: `CASES` in tests/common/hostile.rs names every file.
#[test]
fn the_wasm_list_names_every_case_on_disk() {
    let wanted: String = files_on_disk()
        .iter()
        .filter(|(parser, ..)| !hostile::NATIVE_ONLY.contains(&parser.as_str()))
        .map(|(parser, name, _)| format!("    (\"{parser}\", \"{name}\", include_bytes!(\"../hostile/{parser}/{name}\")),\n"))
        .collect();
    let listed: String = hostile::CASES
        .iter()
        .map(|(parser, name, _)| format!("    (\"{parser}\", \"{name}\", include_bytes!(\"../hostile/{parser}/{name}\")),\n"))
        .collect();
    if wanted == listed {
        return;
    }
    let module = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/hostile.rs");
    if std::env::var_os("SLUICE_UPDATE_HOSTILE").is_some() {
        let text = std::fs::read_to_string(&module).unwrap();
        let (head, rest) = text.split_once("    // BEGIN CASES").unwrap();
        let (_, tail) = rest.split_once("    // END CASES").unwrap();
        let begin = "    // BEGIN CASES (written by `SLUICE_UPDATE_HOSTILE=1 cargo test --test hostile_input`)\n";
        std::fs::write(&module, format!("{head}{begin}{wanted}    // END CASES{tail}")).unwrap();
    }
    panic!("CASES in tests/common/hostile.rs is not the list of files under tests/hostile/: run SLUICE_UPDATE_HOSTILE=1 cargo test --test hostile_input");
}

mod command_line {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::process::{Command, Output};

    fn sluice(args: &[&OsStr], dir: &std::path::Path) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sluice")).args(args).current_dir(dir).output().unwrap()
    }

    #[test]
    fn a_non_utf8_argument_is_an_error_not_a_panic() {
        let out = sluice(&[OsStr::new("run"), OsStr::from_bytes(b"\xff\xfe.sql")], &std::env::temp_dir());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with("error: the note's path: `\u{fffd}\u{fffd}.sql` is not valid UTF-8"), "{stderr}");
    }

    #[test]
    fn every_subcommand_has_its_help() {
        for command in ["run", "export", "gen", "bench", "proxy"] {
            for flag in ["--help", "-h"] {
                let out = sluice(&[OsStr::new(command), OsStr::new(flag)], &std::env::temp_dir());
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert_eq!(out.status.code(), Some(0), "{command} {flag}: {}", String::from_utf8_lossy(&out.stderr));
                assert!(stdout.starts_with(&format!("usage: sluice {command}")), "{command} {flag}: {stdout}");
            }
        }
    }

    #[test]
    fn flags_take_equals_values_and_a_double_dash_ends_them() {
        let dir = std::env::temp_dir().join(format!("sluice-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("--help.sql"), "SELECT n FROM (VALUES (1), (2)) AS t(n);\n").unwrap();
        let out = sluice(&[OsStr::new("run"), OsStr::new("--seed=7"), OsStr::new("--"), OsStr::new("--help.sql")], &dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains(r#""n":2"#), "{stdout}");
        let out = sluice(&[OsStr::new("run"), OsStr::new("--seed=x"), OsStr::new("a.sql")], &dir);
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: --seed takes a number, not `x`"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A record nested 300,000 deep in a table's file: `sluice run` stops with an error naming the
/// record and the depth (it used to overflow its stack), or skips it with 'json.ignore-parse-errors'.
#[test]
fn a_300000_deep_record_stops_the_job_cleanly_or_is_skipped() {
    let dir = common::temp_dir("deep");
    let input = dir.join("input.jsonl");
    let deep = format!(r#"{{"sensor_id": 2, "x": {}{}}}"#, "[".repeat(300_000), "]".repeat(300_000));
    std::fs::write(&input, format!("{{\"sensor_id\": 1}}\n{deep}\n{{\"sensor_id\": 3}}\n")).unwrap();
    let table = |ignore: bool| {
        format!(
            "CREATE TABLE t (sensor_id INT) WITH ('connector' = 'filesystem', 'path' = '{}', 'format' = 'json', \
             'json.ignore-parse-errors' = '{ignore}');\nSELECT sensor_id FROM t;\n",
            input.display()
        )
    };
    let run = common::sluice_run(&table(false));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("overflow"), "{}", run.stderr);
    assert!(run.stderr.contains(r#"cannot decode JSON record `{"sensor_id": 2, "x": [[["#), "{}", run.stderr);
    assert!(run.stderr.contains("nesting depth 1001 exceeds the maximum of 1000"), "{}", run.stderr);
    let run = common::sluice_run(&table(true));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<_> = run.changes.iter().map(|(_, row)| row["sensor_id"].clone()).collect();
    assert_eq!(ids, [1, 3]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An operator chain of 100,000 terms (`x + x + …`): sqlparser reads it in a loop but builds a
/// tree one level per operator, which overflowed the stack from about 300 terms. It is refused,
/// naming where, and chains up to the bound (100 operators, nested parentheses counted together)
/// still run; a CASE's branches and a list's elements each start a chain of their own.
#[test]
fn a_300000_deep_statement_is_refused_in_one_pass() {
    // Found by `sluice bench --fuzz`'s SQL parser: the chain check peeked each token from the
    // statement's start and summed every open level, so 16,000 parentheses took 16 s (debug) and
    // a 256 KiB paragraph of them would freeze the tab for minutes; this test never ended.
    for (open, close) in [("(", ")"), ("[", "]"), ("(", "")] {
        let text = format!("SELECT {}1{} FROM t", open.repeat(300_000), close.repeat(300_000));
        let e = sluice::sql::parse_script(&text).unwrap_err().to_string();
        assert!(e.contains("nested too deeply") || e.contains("Expected"), "{e}");
    }
}

#[test]
fn a_long_chain_of_colons_or_casts_is_refused_before_planning() {
    // Found by `sluice bench --fuzz`: `"status": "status": …` parsed into a chain one level deep
    // per colon, which the planner walked recursively until the stack overflowed.
    let mut session = sluice::session::Session::empty();
    session.execute("CREATE TABLE t (status STRING) WITH ('connector' = 'datagen')", 0).unwrap();
    for chain in [r#""status": "#.repeat(30_000), "status::STRING".repeat(30_000)] {
        let e = session.plan_query(&format!("SELECT {chain} status, COUNT(*) FROM t GROUP BY status")).unwrap_err().to_string();
        assert!(e.contains("more than 100 operators in one chain"), "{e}");
    }
}

#[test]
fn a_long_operator_chain_is_a_clear_error_not_a_stack_overflow() {
    let chain = |n: usize, op: &str| vec!["x"; n].join(op);
    let run = common::sluice_run(&format!("SELECT {} AS n FROM (VALUES (1)) AS t(x);\n", chain(100_000, " + ")));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("1:") && run.stderr.contains("more than 100 operators in one chain"), "{}", run.stderr);
    let run = common::sluice_run(&format!("SELECT x FROM (VALUES (1)) AS t(x) WHERE {};\n", chain(50_000, " = 1 OR ")));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    let run = common::sluice_run(&format!("SELECT {} AS n FROM (VALUES (1)) AS t(x);\n", chain(101, " + ")));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.changes[0].1["n"], 101);
    let branches: Vec<String> = (0..300).map(|i| format!("WHEN x = {i} THEN x + {i}")).collect();
    let run = common::sluice_run(&format!("SELECT CASE {} ELSE 0 END AS n FROM (VALUES (1)) AS t(x);\n", branches.join(" ")));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.changes[0].1["n"], 2);
}

/// proptest over the record decoders with deep and long inputs: the bound is exact (Jackson's
/// 1000 levels and 1000-digit numbers) and nothing panics, whatever surrounds the nesting.
mod deep_and_long {
    use proptest::prelude::*;
    use sluice::connectors::format::csv::{CsvDecoder, CsvOptions};
    use sluice::connectors::format::json::{JsonDecoder, JsonOptions, MAX_NESTING_DEPTH, MAX_NUMBER_LENGTH};

    fn json_decoder(ignore: bool) -> JsonDecoder {
        JsonDecoder::new(&super::hostile::sensor_fields(), JsonOptions { ignore_parse_errors: ignore, ..JsonOptions::default() })
    }

    /// One level of nesting: an array or a one-member object.
    fn level() -> impl Strategy<Value = (&'static str, &'static str)> {
        prop_oneof![Just(("[", "]")), Just(("{\"a\": ", "}")), Just(("[1, ", "]")), Just(("{\"status\": 1, \"b\": ", "}"))]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn nesting_is_refused_exactly_past_1000(
            levels in proptest::collection::vec(level(), 0..1_500),
            key in prop_oneof![Just("x"), Just("status"), Just("nested")],
        ) {
            let open: String = levels.iter().map(|(o, _)| *o).collect();
            let close: String = levels.iter().rev().map(|(_, c)| *c).collect();
            let record = format!(r#"{{"{key}": {open}1{close}}}"#);
            let depth = levels.len() + 1;
            match json_decoder(false).decode(record.as_bytes()) {
                Ok(()) => prop_assert!(depth <= MAX_NESTING_DEPTH),
                // A ROW column refuses shapes it cannot read, at any depth.
                Err(_) if key == "nested" => {}
                Err(e) => prop_assert!(depth > MAX_NESTING_DEPTH && e.message.contains("nesting depth 1001"), "{}", e),
            }
        }

        #[test]
        fn cut_or_spliced_deep_records_never_panic(
            depth in 0usize..5_000,
            cut in any::<proptest::sample::Index>(),
            splice in proptest::collection::vec(prop_oneof![Just(b'['), Just(b'{'), Just(b'"'), Just(b','), Just(b':'), Just(b'}'), Just(b']'), any::<u8>()], 0..8),
            ignore in any::<bool>(),
        ) {
            let mut record = format!(r#"{{"sensor_id": 1, "x": {}"s"{}}}"#, "[".repeat(depth), "]".repeat(depth)).into_bytes();
            let at = cut.index(record.len());
            record.splice(at..at, splice);
            let _ = json_decoder(ignore).decode(&record);
            record.truncate(at);
            let _ = json_decoder(ignore).decode(&record);
        }

        #[test]
        fn numbers_are_refused_exactly_past_1000_characters(digits in 1usize..2_000, quoted in any::<bool>()) {
            let number = "7".repeat(digits);
            let value = if quoted { format!("\"{number}\"") } else { number };
            let result = json_decoder(false).decode(format!(r#"{{"x": {value}, "current_temperature": {value}}}"#).as_bytes());
            // Jackson counts number tokens only; a quoted number is a string.
            prop_assert_eq!(result.is_ok(), quoted || digits <= MAX_NUMBER_LENGTH);
        }

        #[test]
        fn long_csv_records_are_a_row_or_an_error(
            fields in proptest::collection::vec("[a-z0-9\",. -]{0,2000}", 0..12),
            ignore in any::<bool>(),
        ) {
            let line = fields.join(",");
            let fields = super::hostile::sensor_fields()[..4].to_vec();
            let mut decoder = CsvDecoder::new(&fields, CsvOptions { ignore_parse_errors: ignore, ..CsvOptions::default() });
            match decoder.decode(line.as_bytes()) {
                Ok(()) => {}
                Err(e) => prop_assert!(e.starts_with("cannot decode CSV record"), "{}", e),
            }
        }
    }
}

/// Issue 14's DECIMAL finding, in `sluice run`'s output as in downloads: every digit, never
/// through a double (which kept 17), from CAST of a string (which also went through one) too.
#[test]
fn sluice_run_prints_decimals_with_every_digit() {
    let dir = common::temp_dir("decimal");
    let script = dir.join("d.sql");
    std::fs::write(&script, "SELECT CAST('12345678901234567890.123' AS DECIMAL(38, 3)) AS d FROM (VALUES (1)) AS t(n);\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice")).arg("run").arg(&script).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(r#"{"op":"+I","row":{"d":12345678901234567890.123}}"#), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
