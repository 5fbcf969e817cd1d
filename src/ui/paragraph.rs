//! One paragraph of the note: its SQL, the job it started, and the live view of the result.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::chart::draw_bar_chart;
use super::{now_ms, with_session};
use crate::session::{JobId, Outcome};
use crate::types::Value;
use crate::views::{BarAggregate, BarChart, ResultMode, ResultTable};

/// Rows a result keeps (the newest); older ones are dropped and counted.
const RESULT_ROWS: usize = 500;
/// Rows the table shows (the newest).
const SHOWN_ROWS: usize = 100;

thread_local! {
    /// Each paragraph's result, by paragraph id. Kept outside signals: it changes many times a
    /// second, and views re-read it when the paragraph's `version` moves.
    static RESULTS: RefCell<HashMap<u32, ResultTable>> = RefCell::new(HashMap::new());
}

fn with_result<R>(id: u32, f: impl FnOnce(Option<&ResultTable>) -> R) -> R {
    RESULTS.with(|r| f(r.borrow().get(&id)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ready,
    Running,
    Done,
    Failed,
    Stopped,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Stopped => "stopped",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    Table,
    Bar,
}

/// A paragraph's reactive state (all handles, so it is `Copy`).
#[derive(Clone, Copy)]
pub struct ParagraphState {
    pub id: u32,
    pub text: RwSignal<String>,
    status: RwSignal<Status>,
    error: RwSignal<Option<String>>,
    messages: RwSignal<Vec<String>>,
    text_output: RwSignal<Option<String>>,
    job: RwSignal<Option<JobId>>,
    /// Moves whenever the shown result changes.
    version: RwSignal<u64>,
    paused: RwSignal<bool>,
    view: RwSignal<ViewKind>,
    chart: RwSignal<Option<BarChart>>,
}

impl ParagraphState {
    pub fn new(id: u32, text: &str) -> Self {
        ParagraphState {
            id,
            text: RwSignal::new(text.to_string()),
            status: RwSignal::new(Status::Ready),
            error: RwSignal::new(None),
            messages: RwSignal::new(Vec::new()),
            text_output: RwSignal::new(None),
            job: RwSignal::new(None),
            version: RwSignal::new(0),
            paused: RwSignal::new(false),
            view: RwSignal::new(ViewKind::Table),
            chart: RwSignal::new(None),
        }
    }

    /// Stops the paragraph's job, if it has one running.
    pub fn stop(&self) {
        if let Some(job) = self.job.get_untracked() {
            with_session(|s| s.stop_job(job));
            if self.status.get_untracked() == Status::Running {
                self.status.set(Status::Stopped);
            }
        }
    }

    /// Runs the paragraph's SQL; a previous job of this paragraph stops first.
    pub fn run(&self) {
        self.stop();
        self.job.set(None);
        self.error.set(None);
        self.messages.set(Vec::new());
        self.text_output.set(None);
        RESULTS.with(|r| r.borrow_mut().remove(&self.id));
        let text = self.text.get_untracked();
        let mode = match ResultMode::from_paragraph(&text) {
            Ok(m) => m,
            Err(e) => {
                self.fail(format!("1:1: {e}"));
                return;
            }
        };
        let outcomes = match with_session(|s| s.execute(&text, now_ms())) {
            Ok(o) => o,
            Err(e) => {
                self.fail(e.to_string());
                return;
            }
        };
        let mut messages = Vec::new();
        let mut status = Status::Done;
        for outcome in outcomes {
            match outcome {
                Outcome::Done { message, warnings } => {
                    messages.push(message);
                    messages.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
                }
                Outcome::Table { columns, rows } => {
                    let mut table = ResultTable::new(columns, ResultMode::Append, rows.len().max(1));
                    let changes: Vec<_> = rows.into_iter().map(|row| crate::session::Change { kind: crate::types::RowKind::Insert, row }).collect();
                    table.apply(&changes);
                    self.set_result(table);
                }
                Outcome::Text(t) => self.text_output.set(Some(t)),
                Outcome::Query { job, columns, warnings } => {
                    messages.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
                    self.set_result(ResultTable::new(columns, mode, RESULT_ROWS));
                    self.job.set(Some(job));
                    status = Status::Running;
                }
                Outcome::Insert { job, target, warnings } => {
                    messages.push(format!("Writing to `{target}` (job {job})."));
                    messages.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
                    self.job.set(Some(job));
                    status = Status::Running;
                }
            }
        }
        self.messages.set(messages);
        self.status.set(status);
        self.version.update(|v| *v += 1);
    }

    fn fail(&self, message: String) {
        self.error.set(Some(message));
        self.status.set(Status::Failed);
        self.version.update(|v| *v += 1);
    }

    fn set_result(&self, table: ResultTable) {
        let types: Vec<_> = table.columns.iter().map(|c| c.ty.data_type.clone()).collect();
        self.chart.set(BarChart::default_for(&types));
        RESULTS.with(|r| r.borrow_mut().insert(self.id, table));
    }

    /// Applies the job's new changes to the result (called on every tick).
    pub fn pull_changes(&self) {
        let Some(job) = self.job.get_untracked() else { return };
        let (changes, info) = with_session(|s| (s.take_changes(job), s.job(job)));
        if !changes.is_empty() {
            RESULTS.with(|r| {
                if let Some(t) = r.borrow_mut().get_mut(&self.id) {
                    t.apply(&changes);
                }
            });
            if !self.paused.get_untracked() {
                self.version.update(|v| *v += 1);
            }
        }
        if let Some(info) = info {
            if let Some(e) = info.error {
                if self.status.get_untracked() != Status::Failed {
                    self.error.set(Some(format!("the job failed: {e}")));
                    self.status.set(Status::Failed);
                }
            } else if !info.running && self.status.get_untracked() == Status::Running {
                self.status.set(Status::Done);
            }
        }
    }
}

#[component]
pub fn Paragraph(state: ParagraphState, tick: RwSignal<u64>, on_remove: impl Fn(u32) + Copy + 'static) -> impl IntoView {
    let p = state;
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && (ev.shift_key() || ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            p.run();
        }
    };
    let rows = move || p.text.with(|t| t.lines().count().max(3) + 1);
    let has_result = move || {
        p.version.get();
        with_result(p.id, |r| r.is_some())
    };
    let job_line = move || {
        tick.get();
        let job = p.job.get()?;
        let info = with_session(|s| s.job(job))?;
        let wm = info.watermark.map(crate::types::format_timestamp).unwrap_or_else(|| "—".into());
        Some(format!(
            "job {} · {} in · {} out · {} late dropped · watermark {}",
            info.id, info.records_in, info.records_out, info.late_records_dropped, wm
        ))
    };

    view! {
        <section class="paragraph" data-testid="paragraph" data-status=move || p.status.get().label()>
            <div class="paragraph-bar">
                <span class=move || format!("status status-{}", p.status.get().label()) data-testid="status">
                    {move || p.status.get().label()}
                </span>
                <span class="job-line">{job_line}</span>
                <span class="spacer"></span>
                <button class="primary" data-testid="run" title="Run (Shift+Enter)" on:click=move |_| p.run()>"Run"</button>
                <Show when=move || p.status.get() == Status::Running>
                    <button data-testid="stop" on:click=move |_| p.stop()>"Stop"</button>
                </Show>
                <button class="ghost" title="Remove this paragraph" on:click=move |_| on_remove(p.id)>"✕"</button>
            </div>
            <textarea
                class="editor"
                data-testid="editor"
                spellcheck="false"
                rows=rows
                placeholder="%flink.ssql\n\nSELECT * FROM sensor_data;"
                prop:value=move || p.text.get()
                on:input=move |ev| p.text.set(event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
            <Show when=move || p.error.with(Option::is_some)>
                <pre class="error" data-testid="error">{move || p.error.get().unwrap_or_default()}</pre>
            </Show>
            <For each=move || p.messages.get() key=|m| m.clone() let:m>
                <div class=if m.starts_with("warning") { "message warning" } else { "message" } data-testid="message">{m.clone()}</div>
            </For>
            <Show when=move || p.text_output.with(Option::is_some)>
                <pre class="text-output">{move || p.text_output.get().unwrap_or_default()}</pre>
            </Show>
            <Show when=has_result>
                <ResultView p=p />
            </Show>
        </section>
    }
}

#[component]
fn ResultView(p: ParagraphState) -> impl IntoView {
    let columns = move || {
        p.version.get();
        with_result(p.id, |r| r.map(|t| t.columns.clone()).unwrap_or_default())
    };
    let is_live = move || p.job.get().is_some();
    let row_count = move || {
        p.version.get();
        with_result(p.id, |r| {
            let Some(t) = r else { return String::new() };
            let mut s = format!("{} row{}", t.len(), if t.len() == 1 { "" } else { "s" });
            if t.len() > SHOWN_ROWS {
                s.push_str(&format!(" (newest {SHOWN_ROWS} shown)"));
            }
            if t.dropped() > 0 {
                s.push_str(&format!(" · {} older dropped (keeps {})", t.dropped(), t.cap()));
            }
            s
        })
    };
    let single = move || {
        p.version.get();
        with_result(p.id, |r| r.filter(|t| t.mode() == ResultMode::Single).map(|t| t.single_value().map(ToString::to_string).unwrap_or_default()))
    };

    view! {
        <div class="result">
            <div class="result-bar">
                <div class="segmented">
                    <button data-testid="view-table" class:active=move || p.view.get() == ViewKind::Table on:click=move |_| p.view.set(ViewKind::Table)>"Table"</button>
                    <button data-testid="view-bar" class:active=move || p.view.get() == ViewKind::Bar on:click=move |_| p.view.set(ViewKind::Bar)>"Bar chart"</button>
                </div>
                <Show when=is_live>
                    <button
                        data-testid="pause"
                        class:active=move || p.paused.get()
                        on:click=move |_| {
                            p.paused.update(|x| *x = !*x);
                            p.version.update(|v| *v += 1);
                        }
                    >
                        {move || if p.paused.get() { "Resume" } else { "Pause" }}
                    </button>
                </Show>
                <span class="row-count" data-testid="row-count">{row_count}</span>
            </div>
            {move || match (single(), p.view.get()) {
                (Some(value), _) => view! { <div class="single-value" data-testid="single-value">{value}</div> }.into_any(),
                (None, ViewKind::Table) => view! { <ResultTableView p=p columns=Signal::derive(columns) /> }.into_any(),
                (None, ViewKind::Bar) => view! { <BarChartView p=p columns=Signal::derive(columns) /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ResultTableView(p: ParagraphState, columns: Signal<Vec<crate::session::ColumnInfo>>) -> impl IntoView {
    let body = move || {
        p.version.get();
        with_result(p.id, |r| {
            let Some(t) = r else { return Vec::new() };
            let skip = t.len().saturating_sub(SHOWN_ROWS);
            t.rows()
                .skip(skip)
                .map(|row| {
                    let cells = row
                        .iter()
                        .map(|v| match v {
                            Value::Null => view! { <td class="null">"NULL"</td> }.into_any(),
                            Value::Int(_) | Value::Double(_) | Value::Decimal(..) => view! { <td class="num">{v.to_string()}</td> }.into_any(),
                            v => view! { <td>{v.to_string()}</td> }.into_any(),
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-scroll">
            <table class="result-table" data-testid="result-table">
                <thead>
                    <tr>
                        {move || columns.get().into_iter().map(|c| view! {
                            <th data-column=c.name.clone()>{c.name.clone()}<small>{c.ty.to_string()}</small></th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
fn BarChartView(p: ParagraphState, columns: Signal<Vec<crate::session::ColumnInfo>>) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        p.version.get();
        let chart = p.chart.get();
        let Some(canvas) = canvas.get() else { return };
        let Some(chart) = chart else {
            problem.set(Some("the result has no numeric column to chart".into()));
            return;
        };
        let bars = with_result(p.id, |r| r.map(|t| chart.bars(t)).unwrap_or_default());
        let label = columns.with_untracked(|c| {
            format!("{}({}) by {}", chart.aggregate.name(), c.get(chart.value).map_or("", |c| &c.name), c.get(chart.category).map_or("", |c| &c.name))
        });
        problem.set(draw_bar_chart(&canvas, &bars, &label).err());
    });
    let options = move |selected: fn(&BarChart) -> usize| {
        columns
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let is = p.chart.with(|ch| ch.as_ref().is_some_and(|ch| selected(ch) == i));
                view! { <option value=c.name.clone() selected=is>{c.name.clone()}</option> }
            })
            .collect_view()
    };
    let set_column = move |value: String, which: fn(&mut BarChart, usize)| {
        if let Some(i) = columns.with_untracked(|c| c.iter().position(|c| c.name == value)) {
            p.chart.update(|ch| {
                if let Some(ch) = ch {
                    which(ch, i)
                }
            });
        }
    };
    view! {
        <div class="chart-settings">
            <label>"Keys " <select data-testid="chart-x" on:change=move |ev| set_column(event_target_value(&ev), |c, i| c.category = i)>{move || options(|c| c.category)}</select></label>
            <label>"Values " <select data-testid="chart-y" on:change=move |ev| set_column(event_target_value(&ev), |c, i| c.value = i)>{move || options(|c| c.value)}</select></label>
            <label>"Aggregate "
                <select data-testid="chart-aggregate" on:change=move |ev| {
                    if let Some(a) = BarAggregate::from_name(&event_target_value(&ev)) {
                        p.chart.update(|c| if let Some(c) = c { c.aggregate = a });
                    }
                }>
                    {BarAggregate::ALL.into_iter().map(|a| view! {
                        <option value=a.name() selected=move || p.chart.with(|c| c.as_ref().is_some_and(|c| c.aggregate == a))>{a.name()}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
        <Show when=move || problem.with(Option::is_some)>
            <div class="message warning">{move || problem.get().unwrap_or_default()}</div>
        </Show>
        <canvas class="bar-chart" data-testid="bar-chart" node_ref=canvas></canvas>
    }
}
