//! The studio's frame: the note with its paragraphs, the side panels, and the clock that moves
//! the session on.

use leptos::prelude::*;

use super::paragraph::{Paragraph, ParagraphState};
use super::sidebar::Sidebar;
use super::{now_ms, with_session};

/// How often the page moves time on: generators produce, jobs consume, views refresh.
const TICK_MS: u32 = 250;

/// The walkthrough's paragraphs, for "Load the walkthrough".
const WALKTHROUGH: &[&str] = &[
    "%flink.ssql\n\nCREATE TABLE sensor_data (\n    sensor_id INTEGER,\n    current_temperature DOUBLE,\n    status VARCHAR(6),\n    event_time TIMESTAMP(3),\n    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND\n)\nPARTITIONED BY (sensor_id)\nWITH (\n    'connector' = 'kinesis',\n    'stream' = 'my-input-stream',\n    'aws.region' = 'us-east-1',\n    'scan.stream.initpos' = 'LATEST',\n    'format' = 'json',\n    'json.timestamp-format.standard' = 'ISO-8601'\n)",
    "%flink.ssql(type=update)\n\nSELECT * FROM sensor_data;",
    "%flink.ssql(type=update)\n\nSELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature\nFROM sensor_data\nGROUP BY status",
    "%flink.ssql(type=update)\n\nSELECT sensor_data.status,\n       COUNT(*) AS num,\n       AVG(sensor_data.current_temperature) AS avg_current_temperature,\n       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time\n  FROM sensor_data\n GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;",
];

#[component]
pub fn App() -> impl IntoView {
    let paragraphs: RwSignal<Vec<ParagraphState>> = RwSignal::new(vec![ParagraphState::new(0, "")]);
    let next_id = StoredValue::new(1u32);
    let tick = RwSignal::new(0u64);

    // The clock: move the session on, hand each paragraph its new changes.
    let interval = gloo_timers::callback::Interval::new(TICK_MS, move || {
        with_session(|s| s.advance(now_ms()));
        for p in paragraphs.get_untracked() {
            p.pull_changes();
        }
        tick.update(|t| *t += 1);
    });
    // The interval lives as long as the page.
    interval.forget();

    let add = move |text: &str| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        paragraphs.update(|ps| ps.push(ParagraphState::new(id, text)));
    };
    let load_walkthrough = move |_| {
        let empty_first = paragraphs.with_untracked(|ps| ps.len() == 1 && ps[0].text.get_untracked().trim().is_empty());
        if empty_first {
            paragraphs.update(|ps| ps.clear());
        }
        for text in WALKTHROUGH {
            add(text);
        }
    };
    let remove = move |id: u32| {
        paragraphs.update(|ps| {
            if let Some(i) = ps.iter().position(|p| p.id == id) {
                ps.remove(i).stop();
            }
        })
    };

    view! {
        <header class="topbar">
            <span class="logo">"Sluice"</span>
            <span class="note-title">"Sensors"</span>
            <span class="topbar-hint">"Flink SQL in your browser · Shift+Enter runs a paragraph"</span>
            <button class="ghost" on:click=load_walkthrough data-testid="load-walkthrough">"Load the walkthrough"</button>
        </header>
        <div class="layout">
            <Sidebar tick=tick />
            <main class="note">
                <For each=move || paragraphs.get() key=|p| p.id let:p>
                    <Paragraph state=p tick=tick on_remove=remove />
                </For>
                <button class="add-paragraph" data-testid="add-paragraph" on:click=move |_| add("%flink.ssql\n\n")>
                    "+ Add paragraph"
                </button>
            </main>
        </div>
    }
}
