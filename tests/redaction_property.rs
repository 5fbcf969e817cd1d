//! Property test: a credential's value never leaves the tab. Random SQL around a credential
//! option — stray quotes, `--` and `/* */` comments, unicode, odd casing of the key, key, `=`
//! and value on different lines, `''` inside the value — goes out every way a note can: a share
//! link (decoded again, and its raw JSON searched), an embed link, a `.zpln` and a Flink `.sql`
//! download, and the copy saved in `localStorage`. None may hold the secret; refusing to share
//! or export is allowed (and says why).
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;
use sluice::export::{flink_script, ExportOptions};
use sluice::views::note::storage::{SavedNotebook, VERSION};
use sluice::views::note::{redact, share, zeppelin, NoteDoc, ParagraphDoc};

const KEYS: &[&str] = &[
    "aws.credentials.basic.secretkey",
    "aws.credentials.basic.accesskeyid",
    "aws.credentials.\nbasic.secretkey",
    "aws.credentials.session.token",
    "password",
    "properties.ssl.keystore.password",
    "properties.sasl.jaas.config",
    "client.secret",
];

/// Between the key, `=` and the value.
const GAPS: &[&str] = &["", " ", "\n", "  \n\t ", " /* c */ ", " -- note\n", "/* '' */", " -- it's ' \n  ", "\r\n"];

/// Around the option.
const NOISE: &[&str] = &[
    "'",
    "\"",
    "`",
    "--",
    "/*",
    "*/",
    "''",
    "\n",
    " ",
    ",",
    "(",
    ")",
    "=",
    "SELECT 'x' FROM t;",
    "CREATE TABLE t (a INT) WITH (",
    "'connector' = 'kinesis',",
    "'it''s'",
    "ünï ✓ 😀",
    "%flink.ssql\n",
    "%md\n# *Title*\n",
    "'password'",
    "= '",
    "-- 'token' = \n",
];

fn case_flips(key: &str, flips: &[bool]) -> String {
    key.chars().zip(flips.iter().cycle()).map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c }).collect()
}

/// A paragraph holding one credential option, and the secret's distinctive core.
fn paragraph() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec(prop::sample::select(NOISE), 0..8),
        prop::sample::select(KEYS),
        prop::collection::vec(any::<bool>(), 1..8),
        prop::sample::select(GAPS),
        prop::sample::select(GAPS),
        "[A-Za-z0-9+/]{8,16}",
        prop::sample::select(&["", "''", "é✓", "'' ü", " -- ", "/*"][..]),
        prop::sample::select(&["'", "\""][..]),
        prop::collection::vec(prop::sample::select(NOISE), 0..8),
    )
        .prop_map(|(before, key, flips, gap1, gap2, core, tail, quote, after)| {
            let core = format!("ZQX{core}");
            let value = if quote == "\"" { format!("\"{core}{}\"", tail.replace('"', "")) } else { format!("'{core}{tail}'") };
            let text = format!("{}'{}'{gap1}={gap2}{value}{}", before.concat(), case_flips(key, &flips), after.concat());
            (text, core)
        })
}

fn note_of(texts: &[String]) -> NoteDoc {
    NoteDoc {
        name: "Hostile".into(),
        paragraphs: texts.iter().enumerate().map(|(i, t)| ParagraphDoc::new(format!("p{i}"), t.as_str())).collect(),
    }
}

fn check_link(value: &str, secret: &str) -> Result<(), TestCaseError> {
    let deflated = URL_SAFE_NO_PAD.decode(value).expect("a link is base64url");
    let json = miniz_oxide::inflate::decompress_to_vec(&deflated).expect("a link inflates");
    let json = String::from_utf8(json).expect("a link's note is UTF-8");
    prop_assert!(!json.contains(secret), "the link holds the secret: {json}");
    let shared = share::decode(value, || "id".into()).expect("a link reads back");
    for p in &shared.note.paragraphs {
        prop_assert!(!p.text.contains(secret), "the shared note holds the secret: {}", p.text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn no_link_export_or_saved_note_holds_a_credential((text, secret) in paragraph(), other in paragraph()) {
        let texts = vec![text, "SELECT 1".to_string(), other.0];
        let secrets = [secret, other.1];
        let note = note_of(&texts);
        let leaks = |out: &str| secrets.iter().find(|s| out.contains(s.as_str())).cloned();

        match share::encode(&note, None) {
            Ok(link) => {
                prop_assert!(link.redacted >= 1, "{texts:?}");
                for s in &secrets { check_link(&link.fragment_value, s)?; }
            }
            Err(why) => prop_assert!(why.contains("cannot be left out safely"), "{why}"),
        }
        if let Ok(embed) = share::encode(&note, Some(2)) {
            for s in &secrets { check_link(&embed.fragment_value, s)?; }
        }

        // Downloads go through the same redaction before they are written.
        if let Ok((doc, _)) = redact::for_sharing(&note) {
            let zpln = zeppelin::to_zpln(&doc);
            prop_assert_eq!(leaks(&zpln), None, "the .zpln holds a secret: {}", zpln);
            let paragraph_texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
            if let Ok(script) = flink_script(&doc.name, &paragraph_texts, &ExportOptions::default()) {
                prop_assert_eq!(leaks(&script), None, "the .sql holds a secret: {}", script);
            }
        }

        let saved = SavedNotebook { version: VERSION, current: 0, notes: vec![note], based_on: None };
        let json = saved.for_storage().0.to_json();
        prop_assert_eq!(leaks(&json), None, "the saved notebook holds a secret: {}", json);
    }
}
