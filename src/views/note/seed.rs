//! The notes the studio starts from: on a first visit, "Sensors", which is the walkthrough
//! (SEED-WALKTHROUGH.md steps 2–5, the SQL verbatim, one paragraph per statement, not yet run);
//! and the blank note "New note" makes.

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
