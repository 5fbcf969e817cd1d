//! The hostile-input corpus, natively: every file under `tests/hostile/<parser>/` and the big
//! generated cases go through their parser; each must give a result or a clear error, never a
//! panic or a stack overflow. `tests/wasm_hostile.rs` runs the same cases in wasm.
//! Also: the command line's own findings (issue 14), and proptest over deep and long records.
#![cfg(not(target_arch = "wasm32"))]

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
fn run(parser: &str, name: &str, bytes: &[u8]) -> Result<hostile::Outcome, String> {
    std::panic::catch_unwind(|| hostile::check(parser, name, bytes)).map_err(|panic| {
        let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("tests/hostile/{parser}/{name}: {}", message.unwrap_or_default())
    })
}

#[test]
fn every_checked_in_case_gives_a_result_or_a_clear_error() {
    let mut crashes = Vec::new();
    for (parser, name, path) in files_on_disk() {
        match run(&parser, &name, &std::fs::read(&path).unwrap()) {
            Ok(outcome) => println!("{parser}/{name}: {outcome:?}"),
            Err(crash) => crashes.push(crash),
        }
    }
    assert!(crashes.is_empty(), "{} cases crashed:\n{}", crashes.len(), crashes.join("\n"));
}

#[test]
fn every_generated_case_gives_a_result_or_a_clear_error() {
    let mut crashes = Vec::new();
    for (parser, name, bytes) in hostile::generated() {
        match run(parser, &name, &bytes) {
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
