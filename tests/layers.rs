//! The layers of ARCHITECTURE.md, checked: code in `src/` may use only its own layer and the
//! layers listed before it (data flows down the list). A `crate::…` path in code (not in a
//! comment) that reaches a later layer fails here, naming the file and line.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its place in ARCHITECTURE.md's order (`types` is the
/// shared vocabulary under all of them; modules of one rank do not use each other).
const LAYERS: &[(&str, u8)] = &[
    ("types", 0),
    ("sql", 1),
    ("plan", 2),
    ("engine", 3),
    ("connectors", 4),
    ("session", 5),
    ("views", 6),
    ("workload", 6),
    ("export", 7),
    ("ui", 8),
    ("proxy", 8),
    ("cli", 9),
];

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::<module>` paths of one line of code, comments left out.
fn crate_paths(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .filter(|(i, _)| !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(i, m)| {
            let rest = &code[i + m.len()..];
            &rest[..rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len())]
        })
        .collect()
}

#[test]
fn no_layer_uses_a_layer_below_it_in_the_architecture() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs");
        // The crate roots: the library and the two binaries (the CLI and the page's worker module).
        if module == "lib" || module == "main" || module == "worker_main" {
            continue;
        }
        let own = rank(module).unwrap_or_else(|| panic!("src/{first}: a module tests/layers.rs does not place; add it to LAYERS"));
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for target in crate_paths(line) {
                if rank(target).is_some_and(|r| r > own) {
                    wrong.push(format!("src/{}:{}: {module} uses crate::{target}, a later layer", relative.display(), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "arrows running back up the layers (ARCHITECTURE.md):\n{}", wrong.join("\n"));
}

#[test]
fn crate_paths_are_read_from_code_not_comments() {
    assert_eq!(crate_paths("use crate::export::{a, b}; // crate::ui"), ["export"]);
    assert_eq!(crate_paths("    .filter(|l| !l.starts_with(crate::export::DERIVED))"), ["export"]);
    assert_eq!(crate_paths("//! see [`crate::export::flink_script`]"), Vec::<&str>::new());
    assert_eq!(crate_paths("let x = my_crate::views::y;"), Vec::<&str>::new());
}
