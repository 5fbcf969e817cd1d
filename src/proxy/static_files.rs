//! The built studio (`trunk build --release` → `dist/`) served by `sluice proxy --serve dist`,
//! so one command gives a page and the proxy it calls, on the same origin.
//!
//! Only files under the directory are served: a path with `..` (or any segment that is not a
//! plain name) is refused before the file system is asked.

use std::path::{Path, PathBuf};

/// A file to send, or the status to answer instead.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    File { path: PathBuf, content_type: &'static str },
    NotFound,
    Forbidden,
}

/// Where `url` (the request target, maybe with a query) points inside `root`. `/` is the
/// page; a path with no extension that is not a file is the page too, as the app routes it.
pub fn lookup(root: &Path, url: &str) -> Lookup {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(['\\', '%', ':']) || segment.starts_with('.') {
            return Lookup::Forbidden;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    if file.is_file() {
        let content_type = content_type(&file);
        return Lookup::File { path: file, content_type };
    }
    let last = path.rsplit('/').next().unwrap_or("");
    let index = root.join("index.html");
    if !last.contains('.') && index.is_file() {
        return Lookup::File { path: index, content_type: "text/html; charset=utf-8" };
    }
    Lookup::NotFound
}

/// The types a Trunk build holds; `application/wasm` lets the browser compile while it downloads.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "zpln" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "sql" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A built page in a directory removed when the value is dropped.
    fn dist() -> tempfile::TempDir {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dir.join("sluice-1a2b.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("assets/style.css"), "body{}").unwrap();
        temp
    }

    #[test]
    fn serves_the_page_its_files_and_app_routes() {
        let dist = dist();
        let root = dist.path().to_path_buf();
        assert_eq!(lookup(&root, "/"), Lookup::File { path: root.join("index.html"), content_type: "text/html; charset=utf-8" });
        assert_eq!(
            lookup(&root, "/sluice-1a2b.wasm?v=1"),
            Lookup::File { path: root.join("sluice-1a2b.wasm"), content_type: "application/wasm" }
        );
        assert_eq!(
            lookup(&root, "/assets/style.css"),
            Lookup::File { path: root.join("assets/style.css"), content_type: "text/css; charset=utf-8" }
        );
        assert!(matches!(lookup(&root, "/notes/sensors"), Lookup::File { path, .. } if path == root.join("index.html")));
        assert_eq!(lookup(&root, "/missing.js"), Lookup::NotFound);
    }

    #[test]
    fn nothing_outside_the_directory_is_served() {
        let dist = dist();
        let root = dist.path().to_path_buf();
        for url in ["/../etc/passwd", "/assets/../../x", "/%2e%2e/x", "/.git/config", "/C:/x"] {
            assert_eq!(lookup(&root, url), Lookup::Forbidden, "{url}");
        }
    }
}
