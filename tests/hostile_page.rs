//! The page's share of the hostile-input corpus (`tests/hostile/`, see its README): `%md`
//! rendering, `#share=` links, `.zpln` and `.sql` imports. Each case must give its expected
//! result or error, and never panic or overflow the stack; the folders are discovered, so a new
//! case is a new file. (The e2e test `tests/e2e/hostile.mjs` feeds the same kinds of input to
//! the built page and measures its long tasks.)
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sluice::views::markdown;
use sluice::views::note::{script, share, zeppelin, NoteDoc};

/// `{{N*text}}` → `text` repeated N times (`\n` in `text` a line break).
fn expand(input: &str) -> String {
    let mut out = String::new();
    let mut rest = input;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let (Some(star), Some(end)) = (after.find('*'), after.find("}}")) else {
            out.push_str("{{");
            rest = after;
            continue;
        };
        match after[..star].parse::<usize>() {
            Ok(n) if star < end => {
                out.push_str(&after[star + 1..end].replace("\\n", "\n").repeat(n));
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a case gave: the rendered HTML or the note read, or the error.
enum Outcome {
    Html(String),
    Note(NoteDoc),
    Error(String),
}

fn ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("paragraph_{n}")
    }
}

fn run(folder: &str, path: &Path, input: &str) -> Outcome {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let note = |r: Result<NoteDoc, String>| r.map_or_else(Outcome::Error, Outcome::Note);
    match folder {
        "markdown" => Outcome::Html(markdown::to_html(input)),
        "share" => {
            let link = if name.ends_with(".json") {
                URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(input.as_bytes(), 6))
            } else {
                input.to_string()
            };
            match share::decode(&link, ids()) {
                // A shared note renders its markdown as it opens: render it as the page does.
                Ok(shared) => {
                    for p in &shared.note.paragraphs {
                        if sluice::views::note::is_markdown(&p.text) {
                            markdown::to_html(sluice::views::note::body(&p.text));
                        }
                    }
                    Outcome::Note(shared.note)
                }
                Err(e) => Outcome::Error(e),
            }
        }
        "zpln" => note(zeppelin::from_zpln(input, &name, ids())),
        "sql-script" => note(script::from_sql(input, &name, ids())),
        other => panic!("no runner for tests/hostile/{other}"),
    }
}

fn check(outcome: &Outcome, expect: &str) -> Result<(), String> {
    for line in expect.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (what, arg) = line.split_once(": ").ok_or_else(|| format!("bad expectation `{line}`"))?;
        match (what, outcome) {
            ("error", Outcome::Error(e)) if e.contains(arg) => {}
            ("error", Outcome::Error(e)) => return Err(format!("error `{e}` does not contain `{arg}`")),
            ("error", _) => return Err(format!("expected an error containing `{arg}`, and it was accepted")),
            (_, Outcome::Error(e)) => return Err(format!("expected `{line}`, got the error `{e}`")),
            ("paragraphs", Outcome::Note(n)) => {
                if n.paragraphs.len().to_string() != arg {
                    return Err(format!("{} paragraphs, expected {arg}", n.paragraphs.len()));
                }
            }
            ("contains", Outcome::Html(html)) => {
                if !html.contains(arg) {
                    return Err(format!("the HTML does not contain `{arg}`"));
                }
            }
            ("count", Outcome::Html(html)) => {
                let (needle, n) = arg.rsplit_once(" = ").ok_or_else(|| format!("bad count `{arg}`"))?;
                let found = html.matches(needle).count();
                if found.to_string() != n {
                    return Err(format!("`{needle}` appears {found} times, expected {n}"));
                }
            }
            _ => return Err(format!("`{line}` does not apply to this case")),
        }
    }
    Ok(())
}

fn cases(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile").join(folder);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "expect"))
        .collect();
    cases.sort();
    cases
}

fn run_folder(folder: &str) {
    let cases = cases(folder);
    assert!(!cases.is_empty(), "tests/hostile/{folder} holds no case");
    let mut failures = Vec::new();
    for case in &cases {
        let input = expand(&std::fs::read_to_string(case).unwrap());
        let expect = std::fs::read_to_string(case.with_extension("expect"))
            .unwrap_or_else(|_| panic!("{} has no .expect beside it", case.display()));
        let outcome = run(folder, case, &input);
        if let Err(why) = check(&outcome, &expect) {
            failures.push(format!("{}: {why}", case.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(case).display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn markdown_renders_hostile_text_as_text() {
    run_folder("markdown");
}

#[test]
fn share_links_are_bounded() {
    run_folder("share");
}

#[test]
fn zpln_imports_are_bounded() {
    run_folder("zpln");
}

#[test]
fn sql_script_imports_are_bounded() {
    run_folder("sql-script");
}

#[test]
fn repetition_expands() {
    assert_eq!(expand("a{{3*b\\n}}c{{x}}"), "ab\nb\nb\nc{{x}}");
}
