//! What the page's address asks for, read once at start: the studio as usual, a shared note
//! (`#share=…`, read-only with "Make a copy"), one embedded paragraph (`#embed=…`, or `?embed`
//! with `#share=…`), and the virtual clock's start (`?start=2021-05-19T11:20:00`, local time)
//! and state (`?paused`). Plain Rust, so the page only hands over `location.search` and
//! `location.hash`.

use super::note::share::{self, Shared};

#[derive(Clone, Debug, PartialEq)]
pub enum PageMode {
    Studio,
    /// A note from a link, shown read-only.
    Shared(Shared),
    /// One paragraph of a note from a link, run with minimal chrome.
    Embed(Shared),
    /// The link's note could not be read: why.
    Broken(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    pub mode: PageMode,
    /// Where the virtual clock starts (ms since the epoch, local time); `None`: now.
    pub clock_start_ms: Option<i64>,
    pub clock_paused: bool,
    /// A `?start=` that is not a timestamp (the clock then starts now).
    pub problem: Option<String>,
}

/// Reads `search` (`?a=b&c`) and `hash` (`#share=…`) as `window.location` gives them.
pub fn read(search: &str, hash: &str, new_id: impl FnMut() -> String) -> Address {
    let params: Vec<(&str, &str)> =
        search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect();
    let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let mut problem = None;
    let clock_start_ms = param("start").and_then(|s| {
        let text = percent_decoded(s).replace('T', " ");
        let parsed = crate::types::parse_timestamp(&text);
        if parsed.is_none() {
            problem =
                Some(format!("`start={s}` in the address is not a timestamp (write e.g. start=2021-05-19T11:20:00); the clock starts now"));
        }
        parsed
    });
    let hash = hash.trim_start_matches('#');
    let (key, value) = hash.split_once('=').unwrap_or((hash, ""));
    let embed = key == "embed" || param("embed").is_some();
    let mode = match key {
        "share" | "embed" => match share::decode(value, new_id) {
            Ok(shared) if embed => PageMode::Embed(shared),
            Ok(shared) => PageMode::Shared(shared),
            Err(why) => PageMode::Broken(why),
        },
        _ => PageMode::Studio,
    };
    Address { mode, clock_start_ms, clock_paused: param("paused").is_some(), problem }
}

/// `%3A` → `:` (a browser may escape what a person typed).
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', ..) => {
                out.push(b' ');
                i += 1;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::seed;

    use crate::views::note::test_ids as ids;

    #[test]
    fn a_plain_address_is_the_studio_on_the_wall_clock() {
        let a = read("", "", ids());
        assert_eq!(a, Address { mode: PageMode::Studio, clock_start_ms: None, clock_paused: false, problem: None });
        assert_eq!(read("?x=1", "#other", ids()).mode, PageMode::Studio);
    }

    #[test]
    fn the_clock_can_start_at_a_moment_and_paused() {
        let a = read("?start=2021-05-19T11%3A20%3A00&paused", "", ids());
        assert_eq!(a.clock_start_ms, Some(1_621_423_200_000));
        assert!(a.clock_paused);
        let bad = read("?start=yesterday", "", ids());
        assert_eq!(bad.clock_start_ms, None);
        assert!(bad.problem.unwrap().contains("`start=yesterday` in the address is not a timestamp"));
    }

    #[test]
    fn share_and_embed_links_carry_a_note() {
        let note = seed::sensors(ids());
        let value = share::encode(&note, Some(2)).unwrap().fragment_value;
        let shared = Shared { note: note.clone(), show: Some(2) };
        assert_eq!(read("", &format!("#share={value}"), ids()).mode, PageMode::Shared(shared.clone()));
        assert_eq!(read("", &format!("#embed={value}"), ids()).mode, PageMode::Embed(shared.clone()));
        assert_eq!(read("?embed", &format!("#share={value}"), ids()).mode, PageMode::Embed(shared));
        match read("", "#share=garbage!", ids()).mode {
            PageMode::Broken(why) => assert!(why.starts_with("it is not base64url text"), "{why}"),
            other => panic!("expected a broken link, got {other:?}"),
        }
    }
}
