//! `sluice export` on the command line: chosen paragraphs keep their numbers, what a
//! paragraph needs must be among the chosen ones, and credentials never leave (the same
//! redaction as the page's downloads).
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

const NOTE: &str = "%flink.ssql
CREATE TABLE a (x BIGINT) WITH ('connector'='filesystem','path'='/tmp/a','format'='json');
%flink.ssql
SELECT * FROM a;
%flink.ssql
CREATE TABLE b (x INT) WITH ('connector'='filesystem','path'='/tmp/b','format'='json');
%flink.ssql(parallelism=1)
INSERT INTO b SELECT x FROM a;
";

fn export(args: &[&str]) -> (i32, String, String) {
    export_note(NOTE, args)
}

fn export_note(note: &str, args: &[&str]) -> (i32, String, String) {
    // Tests run in parallel: each call has its own file, removed when it is dropped.
    let path = tempfile::Builder::new().prefix("sluice-export-").suffix(".sql").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, note).unwrap();
    let mut all: Vec<&str> = vec!["export"];
    all.extend(args);
    let p = path.to_string_lossy().into_owned();
    all.push(&p);
    let out = Command::new(env!("CARGO_BIN_EXE_sluice")).args(&all).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn chosen_paragraphs_export_with_their_numbers() {
    let (code, script, err) = export(&["--paragraphs", "1,3,4"]);
    assert_eq!(code, 0, "{err}");
    let headers: Vec<&str> = script.lines().filter(|l| l.starts_with("-- Paragraph")).collect();
    assert_eq!(headers, ["-- Paragraph 1 (%flink.ssql)", "-- Paragraph 3 (%flink.ssql)", "-- Paragraph 4 (%flink.ssql(parallelism=1))"]);
    assert!(script.contains("SET 'parallelism.default' = '1';\nINSERT INTO b SELECT CAST(x AS INT) FROM a;"), "{script}");
    assert!(!script.contains("SELECT * FROM a"));
}

#[test]
fn a_paragraph_without_its_tables_is_refused_by_number() {
    let (code, _, err) = export(&["--paragraphs", "4"]);
    assert_eq!(code, 1);
    assert!(err.contains("paragraph 4:") && err.contains("sink table `b`"), "{err}");
    let (code, _, err) = export(&["--paragraphs", "9"]);
    assert_eq!(code, 2);
    assert!(err.contains("has 4 paragraphs"), "{err}");
}

#[test]
fn a_note_exported_as_zeppelin_reads_back_the_same() {
    let (code, zpln, err) = export(&["--zpln", "--paragraphs", "1,3,4"]);
    assert_eq!(code, 0, "{err}");
    let note: serde_json::Value = serde_json::from_str(&zpln).unwrap();
    let texts: Vec<&str> = note["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 3);
    assert!(texts[2].starts_with("%flink.ssql(parallelism=1)\nINSERT INTO b SELECT x FROM a;"), "{texts:?}");
    // And the Zeppelin note exports to the same Flink script as the SQL note it came from.
    let path = tempfile::Builder::new().prefix("sluice-export-").suffix(".zpln").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, &zpln).unwrap();
    let from_zpln = Command::new(env!("CARGO_BIN_EXE_sluice")).args(["export", path.to_str().unwrap()]).output().unwrap();
    let (_, from_sql, _) = export(&["--paragraphs", "1,3,4"]);
    let body = |s: &str| s.lines().filter(|l| !l.starts_with("--")).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&String::from_utf8_lossy(&from_zpln.stdout)), body(&from_sql));
}

/// A note holding an access key in a Kinesis table, and a `%md` paragraph whose stray quote
/// comes before another key (a tokenizer would lose its place there).
const SECRET_NOTE: &str = "%md
It's the kinesis note; the old key was 'aws.credentials.basic.secretkey' = 'OLDwJalrXUt'
%flink.ssql
CREATE TABLE s (x BIGINT) WITH (
  'connector' = 'kinesis',
  'stream' = 's',
  'aws.region' = 'us-east-1',
  'format' = 'json',
  'aws.credentials.provider' = 'BASIC',
  'aws.credentials.basic.accesskeyid' = 'AKIAEXAMPLE',
  'aws.credentials.basic.secretkey' = 'wJalrXUtnFEMI'
);
";

#[test]
fn exports_carry_no_credentials() {
    for args in [&[][..], &["--with-queries"], &["--kinesis", "current:123456789012"], &["--zpln"]] {
        let (code, out, err) = export_note(SECRET_NOTE, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        for secret in ["wJalrXUtnFEMI", "AKIAEXAMPLE", "OLDwJalrXUt"] {
            assert!(!out.contains(secret) && !err.contains(secret), "{args:?} leaks {secret}:\n{out}");
        }
        assert!(out.contains("<redacted>"), "{args:?}: {out}");
        assert!(out.contains("us-east-1"), "{args:?}: other options stay: {out}");
    }
    // A stray quote in the SQL paragraph itself: the script is refused (it does not parse),
    // and neither the script nor the error holds the key.
    let stray = "%flink.ssql\nSELECT 'it's broken;\nCREATE TABLE t (x INT) WITH ('password' = 'hunter2');\n";
    for args in [&[][..], &["--zpln"]] {
        let (_, out, err) = export_note(stray, args);
        assert!(!out.contains("hunter2") && !err.contains("hunter2"), "{args:?}: {out}{err}");
    }
}

#[test]
fn a_credential_whose_value_cannot_be_told_apart_refuses_the_export() {
    let note = "%flink.ssql\nCREATE TABLE t (x INT) WITH ('connector' = 'kinesis', 'format' = 'json',\n'password' = hunter2);\n";
    for args in [&[][..], &["--zpln"]] {
        let (code, out, err) = export_note(note, args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(out.is_empty() && !err.contains("hunter2"), "{args:?}: {out}{err}");
        // Where (the paragraph's line 3, after its interpreter line) and why.
        assert!(err.contains("paragraph 1") && err.contains("3") && err.contains("`password` is not a quoted string"), "{args:?}: {err}");
    }
}

/// A note with a Python paragraph prints as a PyFlink program; `--sql` keeps the SQL script,
/// which says where the Python went.
#[test]
fn a_note_with_python_exports_as_a_pyflink_program() {
    let note = "%flink.pyflink
@udf(result_type=DataTypes.DOUBLE())
def c_to_f(c):
    return c * 9.0 / 5.0 + 32.0

st_env.create_temporary_function(\"c_to_f\", c_to_f)
%flink.ssql
CREATE TABLE a (x DOUBLE) WITH ('connector'='filesystem','path'='/tmp/a','format'='json');
%flink.ssql
CREATE TABLE b (x INT) WITH ('connector'='filesystem','path'='/tmp/b','format'='json');
%flink.ssql
INSERT INTO b SELECT COUNT(*) FROM a WHERE c_to_f(x) > 50;
";
    let (code, program, err) = export_note(note, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(program.starts_with("# PyFlink program exported by Sluice"), "{program}");
    assert!(
        program.contains("def c_to_f(c):\n    return c * 9.0 / 5.0 + 32.0\n\nst_env.create_temporary_function(\"c_to_f\", c_to_f)"),
        "{program}"
    );
    assert!(
        program.contains("_jobs.append(t_env.execute_sql(\"INSERT INTO b SELECT CAST(COUNT(*) AS INT) FROM a WHERE c_to_f(x) > 50\"))"),
        "{program}"
    );
    let (code, script, err) = export_note(note, &["--sql"]);
    assert_eq!(code, 0, "{err}");
    assert!(script.contains("-- (a %flink.pyflink paragraph: Python: `sluice export --pyflink` keeps it; left out)"), "{script}");
    assert!(script.contains("INSERT INTO b SELECT CAST(COUNT(*) AS INT) FROM a WHERE c_to_f(x) > 50;"), "{script}");
}
