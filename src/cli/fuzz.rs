//! `sluice bench --fuzz [SECONDS]`: each parser of outside input (JSON, CSV and raw records,
//! Kinesis `GetRecords` answers, SQL parsed and planned, `%md` markdown, regular expressions,
//! LIKE patterns, `.zpln` and `.sql` imports, `#share=`/`#embed=` fragments) fed generated hostile
//! inputs for a few seconds: mutated seeds, nesting from a few levels to 300,000 (in each
//! parser's own brackets), long numbers, strings, keys and runs, repeated parts, random bytes. Prints executions per second and the crashes found (panics; a stack overflow
//! would end the process), and saves each crashing input to a file.
//!
//! A benchmark, not a test: `tests/hostile_input.rs` and the proptest suites check; this shows
//! how fast the parsers refuse junk and that a few million tries find nothing.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::connectors::format::csv::{CsvDecoder, CsvOptions};
use crate::connectors::format::json::{JsonDecoder, JsonOptions, TimestampStandard};
use crate::connectors::format::raw::RawDecoder;
use crate::connectors::kinesis::client::KinesisClient;
use crate::connectors::kinesis::transport::{block_on, Reply, Transport};
use crate::engine::like::LikePattern;
use crate::engine::regex::Regex;
use crate::session::Session;
use crate::types::{DataType, Field, SqlType};
use crate::views::markdown;
use crate::views::note::{script, share, zeppelin};

const SEED_TABLE: &str = "CREATE TABLE sensor_data (sensor_id INT, current_temperature DOUBLE, status STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')";
const SEED_QUERY: &str = "SELECT status, COUNT(*) AS n, AVG(current_temperature + 1 * 2) FROM sensor_data \
    WHERE status LIKE 'O%' AND (sensor_id > 3 OR REGEXP(status, '^(a|b)*$')) \
    GROUP BY TUMBLE(event_time, INTERVAL '10' SECOND), status";
const SEED_MARKDOWN: &str =
    "%md\n# Title\n> a *quote* with **strong** _em_ and [a link](http://x/?a=1) `code`\n\n- item\n  1. sub\n\n```sql\nSELECT 1\n```\n";
const SEED_ZPLN: &str =
    r#"{"name": "n", "paragraphs": [{"text": "%flink.ssql\nSELECT 1;", "config": {"editorHide": false}}, {"text": "%md\n# hi"}]}"#;
const SEED_SCRIPT: &str =
    "-- a note\nCREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n/* block */ SELECT a FROM t;\n\nSELECT 'x;y' AS s;\n";
const SEED_SHARED: &str = r#"{"v": 1, "name": "n", "paragraphs": [{"text": "%md\n> *hi*"}, {"text": "SELECT 1"}]}"#;

/// A record of the walkthrough's stream, the seed most inputs are mutated from.
const SEED_RECORD: &str = r#"{"sensor_id": 77, "current_temperature": 93.11, "status": "OK", "event_time": "2021-05-19T11:20:00.978", "extra": {"a": [1, 2.5e3, "x", null, true]}}"#;
const SEED_REPLY: &str = r#"{"Records": [{"SequenceNumber": "4959", "PartitionKey": "77", "Data": "eyJzZW5zb3JfaWQiOjc3fQ==", "ApproximateArrivalTimestamp": 1795625139.594}], "NextShardIterator": "AAA", "MillisBehindLatest": 0}"#;

/// Pieces spliced into inputs: the characters and tokens parsers trip over.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u",
    "\\ud800",
    "null",
    "true",
    "-",
    "1e999999",
    "NaN",
    "\"status\": ",
    "\"sensor_id\": ",
    "\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{feff}",
    "é",
    "=",
    "'",
    "\"\"",
];

/// xorshift64*: repeatable inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// How a text parser nests (its opening and closing brackets), for deep inputs; JSON parsers
/// have their own.
type Nest = Option<(&'static str, &'static str)>;

/// One hostile input, grown from `seed`.
fn hostile_input(rng: &mut Rng, seed: &str, nest: Nest) -> Vec<u8> {
    let mut out = seed.as_bytes().to_vec();
    if let Some((open, close)) = nest {
        match rng.below(8) {
            // Deep nesting around the seed, sometimes left open.
            0 => {
                let depth = if rng.below(20) == 0 { 300_000 } else { rng.below(2_000) };
                let closed = if rng.below(4) == 0 { depth / 2 } else { depth };
                return format!("{}{seed}{}", open.repeat(depth), close.repeat(closed)).into_bytes();
            }
            // A long run of one piece spliced in.
            1 => {
                let at = rng.below(out.len() + 1);
                let piece = [open, close, PIECES[rng.below(PIECES.len())]][rng.below(3)];
                out.splice(at..at, piece.repeat(1 + rng.below(30_000)).bytes());
                return out;
            }
            // The seed many times.
            2 => return seed.repeat(1 + rng.below(2_000)).into_bytes(),
            _ => {}
        }
    }
    match rng.below(8) {
        // Deep nesting wrapped around a value, mostly near Jackson's 1000, sometimes far past it.
        0 => {
            let depth = if rng.below(20) == 0 { 300_000 } else { rng.below(2_000) };
            let (open, close) = if rng.below(2) == 0 { ("[", "]") } else { ("{\"a\":", "}") };
            let key = ["\"x\"", "\"status\"", "\"Records\"", "\"sensor_id\""][rng.below(4)];
            let closed = if rng.below(4) == 0 { depth / 2 } else { depth };
            out = format!("{{{key}: {}1{}}}", open.repeat(depth), close.repeat(closed)).into_bytes();
        }
        // A long number, string or key.
        1 => {
            let n = 1 + rng.below(3_000);
            let long = match rng.below(3) {
                0 => format!("{{\"current_temperature\": {}}}", "9".repeat(n)),
                1 => format!("{{\"status\": \"{}\"}}", "s".repeat(n * 10)),
                _ => format!("{{\"{}\": 1}}", "k".repeat(n * 20)),
            };
            out = long.into_bytes();
        }
        // One key many times.
        2 => out = format!("{{{}}}", vec!["\"status\": \"OK\""; 1 + rng.below(5_000)].join(",")).into_bytes(),
        // Random bytes.
        3 => out = (0..rng.below(200)).map(|_| rng.next() as u8).collect(),
        // Mutations of the seed: splices, flips, cuts.
        _ => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(out.len() + 1);
                match rng.below(3) {
                    0 => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        out.splice(at..at, piece.bytes());
                    }
                    1 if at < out.len() => out[at] = rng.next() as u8,
                    _ => out.truncate(at),
                }
            }
        }
    }
    out
}

struct Replay(Option<Reply>);

impl Transport for Replay {
    async fn send(&mut self, _action: &str, _body: &[u8]) -> Result<Reply, String> {
        self.0.take().ok_or_else(|| "asked twice".to_string())
    }
}

fn fields() -> Vec<Field> {
    let row = vec![Field { name: "a".into(), ty: SqlType::nullable(DataType::Int) }];
    [
        ("sensor_id", DataType::Int),
        ("current_temperature", DataType::Double),
        ("status", DataType::Varchar(6)),
        ("event_time", DataType::Timestamp(3)),
        ("extra", DataType::Row(row)),
    ]
    .into_iter()
    .map(|(name, ty)| Field { name: name.into(), ty: SqlType::nullable(ty) })
    .collect()
}

/// Runs each parser for `seconds` over hostile inputs; 1 when any crashed.
pub fn fuzz(seconds: f64) -> i32 {
    let fields = fields();
    let iso = JsonOptions { timestamp_standard: TimestampStandard::Iso8601, ..JsonOptions::default() };
    let mut strict = JsonDecoder::new(&fields, iso.clone());
    let mut lenient = JsonDecoder::new(&fields, JsonOptions { ignore_parse_errors: true, ..iso });
    let mut csv = CsvDecoder::new(&fields[..4], CsvOptions::default());
    let mut raw = RawDecoder::new(&fields[2..3]);
    let mut session = Session::empty();
    let _ = session.execute(SEED_TABLE, 0);
    let ids = || {
        let mut n = 0;
        move || {
            n += 1;
            format!("p{n}")
        }
    };
    // A value the patterns are matched against: long, and close to what they look for.
    let subject = "ab".repeat(100) + "a1-x";
    type Parse<'a> = Box<dyn FnMut(&[u8]) + 'a>;
    let parsers: Vec<(&str, &str, Nest, Parse)> = vec![
        (
            "json",
            SEED_RECORD,
            None,
            Box::new(|b: &[u8]| {
                let _ = strict.decode(b);
                let _ = lenient.decode(b);
                strict.finish();
                lenient.finish();
            }),
        ),
        (
            "csv",
            "77,93.11,\"OK\",2021-05-19 11:20:00.978",
            Some(("\"", "\"")),
            Box::new(|b: &[u8]| {
                let _ = csv.decode(b);
                csv.finish();
            }),
        ),
        (
            "raw",
            SEED_RECORD,
            None,
            Box::new(|b: &[u8]| {
                raw.decode(b);
                raw.finish();
            }),
        ),
        (
            "kinesis",
            SEED_REPLY,
            None,
            Box::new(|b: &[u8]| {
                let status = if b.len().is_multiple_of(7) { 500 } else { 200 };
                let mut client = KinesisClient::new(Replay(Some(Reply { status, body: b.to_vec() })));
                let _ = block_on(client.get_records("iterator", 100));
            }),
        ),
        (
            "sql",
            SEED_QUERY,
            Some(("(", ")")),
            Box::new(|b: &[u8]| {
                let text = String::from_utf8_lossy(b);
                let _ = crate::sql::parse_script(&text);
                let _ = session.plan_query(&text);
            }),
        ),
        ("markdown", SEED_MARKDOWN, Some(("> ", "")), Box::new(|b: &[u8]| drop(markdown::to_html(&String::from_utf8_lossy(b))))),
        (
            "regex",
            r"^(a|b)*?\d{1,3}[-x-z]+(?i)X$",
            Some(("(", ")*")),
            Box::new(|b: &[u8]| {
                if let Ok(regex) = Regex::new(&String::from_utf8_lossy(b)) {
                    let _ = regex.is_match(&subject);
                }
            }),
        ),
        (
            "like",
            "%a%b_1!%x",
            Some(("%a", "")),
            Box::new(|b: &[u8]| {
                if let Ok(like) = LikePattern::new(&String::from_utf8_lossy(b), Some('!')) {
                    like.matches(&subject);
                }
            }),
        ),
        (
            "zpln",
            SEED_ZPLN,
            None,
            Box::new(|b: &[u8]| {
                let _ = zeppelin::from_zpln(&String::from_utf8_lossy(b), "fuzz.zpln", ids());
            }),
        ),
        (
            "sql-file",
            SEED_SCRIPT,
            Some(("/*", "*/")),
            Box::new(|b: &[u8]| {
                let _ = script::from_sql(&String::from_utf8_lossy(b), "fuzz.sql", ids());
            }),
        ),
        (
            "share",
            SEED_SHARED,
            None,
            Box::new(|b: &[u8]| {
                // As written in a link (mostly not base64), and the input as the note's JSON
                // inside a well-formed link; a note that opens has its markdown rendered.
                let _ = share::decode(&String::from_utf8_lossy(b), ids());
                let link = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b, 1));
                if let Ok(shared) = share::decode(&link, ids()) {
                    for p in shared.note.paragraphs.iter().filter(|p| p.text.starts_with("%md")) {
                        drop(markdown::to_html(&p.text));
                    }
                }
            }),
        ),
    ];
    // Panics are counted, not printed one by one.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut total_crashes = 0;
    let mut rng = Rng(0x5eed_1e55_c0ff_ee00);
    for (name, seed, nest, mut parse) in parsers {
        let (mut executions, mut crashes, mut bytes) = (0u64, 0u64, 0u64);
        let start = Instant::now();
        while start.elapsed().as_secs_f64() < seconds {
            let input = hostile_input(&mut rng, seed, nest);
            bytes += input.len() as u64;
            executions += 1;
            if catch_unwind(AssertUnwindSafe(|| parse(&input))).is_err() {
                crashes += 1;
                let path = std::env::temp_dir().join(format!("sluice-fuzz-crash-{name}-{crashes}.bin"));
                let _ = std::fs::write(&path, &input);
                eprintln!("fuzz {name}: crash, input saved to {}", path.display());
            }
        }
        let elapsed = start.elapsed().as_secs_f64();
        total_crashes += crashes;
        let _ = writeln!(
            std::io::stdout(),
            "fuzz     {name:<9} {executions} hostile inputs ({:.0} MB) in {elapsed:.1} s: {:.0} executions/s, {crashes} crashes",
            bytes as f64 / 1e6,
            executions as f64 / elapsed
        );
    }
    std::panic::set_hook(previous_hook);
    i32::from(total_crashes > 0)
}
