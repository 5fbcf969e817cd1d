//! The notes the studio starts from: on a first visit, "Sensors", which is the walkthrough
//! (SEED-WALKTHROUGH.md steps 2–5, the SQL verbatim in `walkthrough.sql`, one paragraph per
//! statement, not yet run);
//! "Watermarks and late data", a lesson the Notes panel adds; and the blank note "New note"
//! makes.

use super::{NoteDoc, ParagraphDoc};

/// The walkthrough's paragraphs as one file: step 2's source table, step 3's raw stream, step 4's
/// sliding window, step 5's sink table and the job writing to it. A line starting with `%` begins
/// a paragraph. The tests (native, wasm, Kinesis, the Flink export check, the page's end-to-end
/// tests) read this same file, so the walkthrough is written once.
pub const WALKTHROUGH_SQL: &str = include_str!("walkthrough.sql");

/// The walkthrough's paragraphs, in order.
pub fn walkthrough() -> Vec<&'static str> {
    paragraphs(WALKTHROUGH_SQL)
}

/// A script's paragraphs: each starts at a line beginning with `%` and runs to the next one,
/// trailing blank lines left out.
pub fn paragraphs(text: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| text[i..].starts_with('%')).collect();
    if text.starts_with('%') {
        starts.insert(0, 0);
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&a, b)| text[a..b].trim_end()).collect()
}

/// "Watermarks and late data": a lesson on the virtual clock, with the generator made untidy
/// by its own `SET`s (`sluice.generator.*`, the Streams panel's knobs) so it runs as written.
pub const WATERMARKS: [&str; 7] = [
    "%md
# Watermarks and late data

Sensors do not report in order: a reading can reach the stream seconds after a later one. An
event-time window cannot wait forever for stragglers, so Flink asks each table how long to wait:

```sql
WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
```

The **watermark** is the largest `event_time` seen so far, minus 5 seconds. A window fires when
the watermark passes its end; a reading that arrives for a window that has already fired is
**late**, and Flink drops it.

This note makes the built-in generator untidy on purpose, then lets you watch. Run the
paragraphs top to bottom (**Run all**), then use the clock in the top bar: **❚❚ Pause**, then
**→ next window** steps until a window fires.",
    "%flink.ssql

CREATE TABLE readings (
    sensor_id INTEGER,
    current_temperature DOUBLE,
    status VARCHAR(6),
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
)
WITH (
    'connector' = 'kinesis',
    'stream' = 'my-input-stream',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
)",
    "%md
## Make the stream untidy

Two session settings (the Streams panel has the same knobs) change how the generator stamps its
readings: 30 % arrive **out of order**, up to 3 s earlier than sent (within the 5 s the watermark
waits, so no window misses them), and 5 % arrive **late**, more than 10 s earlier than sent (their
windows have fired by then).",
    "%flink.ssql

SET 'sluice.generator.out-of-order-percent' = '30';
SET 'sluice.generator.late-percent' = '5';",
    "%md
## Count readings in 5-second windows

Each row is one window, written when the watermark passes its end. Switch the result to **Plan**
to see the query's stages: the watermark assigner shows the watermark and how far it trails the
clock, and the window aggregate counts the late readings it dropped. The paragraph's bar counts
them too (`late dropped`).",
    "%flink.ssql(type=append)

SELECT window_start, window_end,
       COUNT(*) AS readings,
       MAX(event_time) AS newest_reading
  FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
 GROUP BY window_start, window_end;",
    "%md
## Things to try

- **Pause** the clock, then **+1 s** a few times: rows appear only when the watermark passes a
  window's end, 5 s after it.
- Set `late-percent` to `0` and run the query again: nothing is dropped.
- Wait longer: drop the table, create it with `INTERVAL '15' SECOND`, and run the query again.
  Late readings now make it into their windows, and every window fires 10 s later. That is the
  trade: completeness against latency.
- Open **Why do windows fire when they do?** under the query: the watermark, each input's, the
  windows waiting and how long until each fires. `EXPLAIN JOB '<id>'` (the id is in the
  paragraph's bar) says the same.
- Open **… records dropped as late**: each late reading with the window it missed and by how much.
  Drag the delay slider: the same readings are replayed under that delay, and you see which of
  them would have counted and how much later the results would come.
- **Break it** from the Streams panel: an idle shard, a burst of late records, a sensor whose
  clock runs behind, duplicated records, a paused producer. Watch the query explain each.
- Put the generator back in order in a new paragraph:

```sql
RESET 'sluice.generator.out-of-order-percent';
RESET 'sluice.generator.late-percent';
```",
];

/// The "Watermarks and late data" note; `new_id` gives each paragraph its id.
pub fn watermarks(mut new_id: impl FnMut() -> String) -> NoteDoc {
    NoteDoc {
        name: "Watermarks and late data".into(),
        paragraphs: WATERMARKS.iter().map(|text| ParagraphDoc::new(new_id(), *text)).collect(),
    }
}

/// What a new paragraph starts with.
pub const NEW_PARAGRAPH: &str = "%flink.ssql\n\n";

/// The "Sensors" note; `new_id` gives each paragraph its id.
pub fn sensors(mut new_id: impl FnMut() -> String) -> NoteDoc {
    NoteDoc { name: "Sensors".into(), paragraphs: walkthrough().into_iter().map(|text| ParagraphDoc::new(new_id(), text)).collect() }
}

/// A note with one empty paragraph.
pub fn blank(name: &str, mut new_id: impl FnMut() -> String) -> NoteDoc {
    NoteDoc { name: name.into(), paragraphs: vec![ParagraphDoc::new(new_id(), "")] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walkthrough_file_is_the_five_paragraphs_of_steps_2_to_5() {
        let texts = walkthrough();
        assert_eq!(texts.len(), 5, "{texts:#?}");
        assert!(texts[0].starts_with("%flink.ssql\n\nCREATE TABLE sensor_data ("), "{}", texts[0]);
        assert_eq!(texts[1], "%flink.ssql(type=update)\n\nSELECT * FROM sensor_data;");
        assert!(texts[3].starts_with("%flink.ssql\n\nCREATE TABLE sensor_state ("), "{}", texts[3]);
        assert!(
            texts[4].starts_with("%flink.ssql(type=update)\n\nINSERT INTO sensor_state\n") && texts[4].ends_with("sensor_data.status;")
        );
    }

    #[test]
    fn a_paragraph_starts_at_a_percent_line_and_loses_trailing_blank_lines() {
        assert_eq!(paragraphs("%md\n# A\n\n%flink.ssql\n\nSELECT 1\n\n\n"), ["%md\n# A", "%flink.ssql\n\nSELECT 1"]);
        assert_eq!(paragraphs("SELECT 1\n%md\nx"), ["%md\nx"], "text before the first % line is not a paragraph");
        assert!(paragraphs("").is_empty());
    }
}
