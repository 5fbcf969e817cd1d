//! The notes the studio starts from: on a first visit, "Sensors", which is the walkthrough
//! (SEED-WALKTHROUGH.md steps 2–5, the SQL verbatim, one paragraph per statement, not yet run);
//! "Watermarks and late data", a lesson the Notes panel adds; and the blank note "New note"
//! makes.

use super::{NoteDoc, ParagraphDoc};

/// The walkthrough's paragraphs, in order.
pub const WALKTHROUGH: [&str; 5] = [
    // Step 2: the source table.
    "%flink.ssql

CREATE TABLE sensor_data (
    sensor_id INTEGER,
    current_temperature DOUBLE,
    status VARCHAR(6),
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
)
PARTITIONED BY (sensor_id)
WITH (
    'connector' = 'kinesis',
    'stream' = 'my-input-stream',
    'aws.region' = 'us-east-1',
    'scan.stream.initpos' = 'LATEST',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
)",
    // Step 3: the raw stream.
    "%flink.ssql(type=update)

SELECT * FROM sensor_data;",
    // Step 4: a sliding event-time window.
    "%flink.ssql(type=update)

SELECT sensor_data.status,
       COUNT(*) AS num,
       AVG(sensor_data.current_temperature) AS avg_current_temperature,
       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
  FROM sensor_data
 GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;",
    // Step 5: the sink table …
    "%flink.ssql

CREATE TABLE sensor_state (
    status VARCHAR(6),
    num INTEGER,
    avg_current_temperature DOUBLE,
    hop_time TIMESTAMP(3)
)
WITH (
'connector' = 'kinesis',
'stream' = 'my-output-stream',
'aws.region' = 'us-east-1',
'scan.stream.initpos' = 'LATEST',
'format' = 'json',
'json.timestamp-format.standard' = 'ISO-8601');",
    // … and the job that writes the windows to it.
    "%flink.ssql(type=update)

INSERT INTO sensor_state
SELECT sensor_data.status,
    COUNT(*) AS num,
    AVG(sensor_data.current_temperature) AS avg_current_temperature,
    HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
FROM sensor_data
GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;",
];

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
    NoteDoc { name: "Sensors".into(), paragraphs: WALKTHROUGH.iter().map(|text| ParagraphDoc::new(new_id(), *text)).collect() }
}

/// A note with one empty paragraph.
pub fn blank(name: &str, mut new_id: impl FnMut() -> String) -> NoteDoc {
    NoteDoc { name: name.into(), paragraphs: vec![ParagraphDoc::new(new_id(), "")] }
}
