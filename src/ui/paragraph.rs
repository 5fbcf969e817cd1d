//! One paragraph of a note: its text, the job it started, its view settings, and the bar of
//! actions (run, stop, move, clear, collapse, remove). `%md` paragraphs render instead of
//! running. The interpreter line's properties (`type`, `refreshInterval`, `template`,
//! `parallelism`) are read when it runs.

use leptos::prelude::*;

use super::editor::Editor;
use super::exercise::ExerciseCheck;
use super::host::{ask, send};
use super::output::{remove_output, set_output, with_output, with_output_mut, Output, RESULT_ROWS};
use super::result::ResultView;
use super::strategies::StrategiesPanel;
use super::with_mirror;
use crate::session::{Change, JobId, Outcome};
use crate::sql::Location;
use crate::types::RowKind;
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::markdown;
use crate::views::note::{is_markdown, ChartColumns, ParagraphDoc, ViewKind, ViewSettings};
use crate::views::properties::ParagraphProperties;
use crate::views::{ChartSpec, ResultMode};

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

/// A paragraph's reactive state (all handles, so it is `Copy`).
#[derive(Clone, Copy)]
pub struct ParagraphState {
    /// The page's key for this paragraph (outputs and lists are keyed by it).
    pub id: u32,
    /// The id it is saved and exported under.
    pub doc_id: StoredValue<String>,
    pub text: RwSignal<String>,
    pub status: RwSignal<Status>,
    pub error: RwSignal<Option<String>>,
    /// Where in the text the error is, when it has a place (the editor underlines it).
    pub error_at: RwSignal<Option<Location>>,
    /// The interpreter line's properties as of the last run.
    pub properties: RwSignal<ParagraphProperties>,
    /// When the views last redrew (ms), for `refreshInterval`.
    last_redraw: StoredValue<f64>,
    pub messages: RwSignal<Vec<String>>,
    pub text_output: RwSignal<Option<String>>,
    pub job: RwSignal<Option<JobId>>,
    /// Moves whenever the shown output changes.
    pub version: RwSignal<u64>,
    /// Changes arrived since the views last redrew.
    dirty: StoredValue<bool>,
    pub paused: RwSignal<bool>,
    pub view: RwSignal<ViewKind>,
    /// The chart's columns as chosen (saved by name) …
    pub chart_columns: RwSignal<Option<ChartColumns>>,
    /// … and as they apply to the current result.
    pub chart: RwSignal<Option<ChartSpec>>,
    pub collapsed: RwSignal<bool>,
    /// Runs started: an answer to an older run than the latest is not shown (its job stops).
    runs: StoredValue<u64>,
}

impl ParagraphState {
    pub fn from_doc(id: u32, doc: ParagraphDoc) -> Self {
        ParagraphState {
            id,
            doc_id: StoredValue::new(doc.id),
            text: RwSignal::new(doc.text),
            status: RwSignal::new(Status::Ready),
            error: RwSignal::new(None),
            error_at: RwSignal::new(None),
            properties: RwSignal::new(ParagraphProperties::default()),
            last_redraw: StoredValue::new(0.0),
            messages: RwSignal::new(Vec::new()),
            text_output: RwSignal::new(None),
            job: RwSignal::new(None),
            version: RwSignal::new(0),
            paused: RwSignal::new(false),
            dirty: StoredValue::new(false),
            view: RwSignal::new(doc.settings.view),
            chart_columns: RwSignal::new(doc.settings.chart),
            chart: RwSignal::new(None),
            collapsed: RwSignal::new(doc.settings.collapsed),
            runs: StoredValue::new(0),
        }
    }

    /// What is saved and exported (tracked, so autosave follows every change).
    pub fn to_doc(self) -> ParagraphDoc {
        ParagraphDoc {
            id: self.doc_id.get_value(),
            text: self.text.get(),
            settings: ViewSettings { view: self.view.get(), chart: self.chart_columns.get(), collapsed: self.collapsed.get() },
        }
    }

    /// Takes another tab's saved text and view settings, keeping its output. A text that saves
    /// as the same (credentials redacted) is left as it is, so a secret typed here stays here.
    pub fn take_doc(&self, doc: ParagraphDoc) {
        if crate::views::note::redact::redact(&self.text.get_untracked()).text != doc.text {
            self.text.set(doc.text);
        }
        if self.view.get_untracked() != doc.settings.view {
            self.view.set(doc.settings.view);
        }
        if self.chart_columns.get_untracked() != doc.settings.chart {
            self.chart_columns.set(doc.settings.chart);
        }
        if self.collapsed.get_untracked() != doc.settings.collapsed {
            self.collapsed.set(doc.settings.collapsed);
        }
    }

    pub fn is_running(&self) -> bool {
        self.status.get_untracked() == Status::Running
    }

    /// Stops the paragraph's job, if it has one running.
    pub fn stop(&self) {
        if let Some(job) = self.job.get_untracked() {
            send(SessionRequest::StopJob { job });
            if self.status.get_untracked() == Status::Running {
                self.status.set(Status::Stopped);
            }
        }
    }

    /// Stops the job and forgets the output (the paragraph is going away).
    pub fn discard(&self) {
        self.stop();
        remove_output(self.id);
    }

    /// Runs the paragraph: SQL goes to the session (a previous job of this paragraph stops
    /// first); markdown just renders.
    pub fn run(&self) {
        self.run_then(|| {});
    }

    /// Runs the paragraph, then `done` once the session has answered (its status is then
    /// Done, Running or Failed).
    pub fn run_then(&self, done: impl FnOnce() + 'static) {
        self.stop();
        self.paused.set(false);
        self.job.set(None);
        self.error.set(None);
        self.error_at.set(None);
        self.messages.set(Vec::new());
        self.text_output.set(None);
        remove_output(self.id);
        let text = self.text.get_untracked();
        // An exercise is checked by its own button, never run as SQL.
        if is_markdown(&text) || crate::views::exercise::is_exercise(&text) {
            self.status.set(Status::Done);
            self.version.update(|v| *v += 1);
            return done();
        }
        if super::python::is_python(&text) {
            return self.run_python(&text, done);
        }
        let properties = match ParagraphProperties::parse(&text) {
            Ok(p) => p,
            Err(e) => {
                self.error_at.set(Some(Location { line: 1, column: 1 }));
                self.fail(format!("1:1: {e}"));
                return done();
            }
        };
        let mode = properties.mode;
        self.properties.set(properties);
        // Running until the session answers; a second run meanwhile stops this one's job.
        self.status.set(Status::Running);
        let p = *self;
        self.runs.update_value(|n| *n += 1);
        let run = self.runs.get_value();
        ask(SessionRequest::Execute { sql: text }, move |reply| {
            // The paragraph was removed, or run again, while the session ran it.
            if p.runs.try_get_value() != Some(run) {
                stop_jobs(&reply);
            } else {
                p.executed(reply, mode);
            }
            done();
        });
    }

    /// Runs a Python paragraph where the session is (Python loads with the first one).
    fn run_python(&self, text: &str, done: impl FnOnce() + 'static) {
        self.properties.set(ParagraphProperties::default());
        self.status.set(Status::Running);
        if !PYTHON_STARTED.get() {
            self.messages.set(vec![STARTING_PYTHON.to_string()]);
        }
        self.version.update(|v| *v += 1);
        let p = *self;
        self.runs.update_value(|n| *n += 1);
        let run = self.runs.get_value();
        ask(SessionRequest::RunPython { code: super::python::code_of(text) }, move |reply| {
            if p.runs.try_get_value() != Some(run) {
                stop_jobs(&reply);
                return done();
            }
            p.messages.set(Vec::new());
            let SessionReply::PythonRan(ran) = reply else {
                p.fail(format!("the session answered {reply:?} to a Python run"));
                return done();
            };
            if !ran.error.as_ref().is_some_and(|e| e.message.starts_with("Python could not start")) {
                PYTHON_STARTED.set(true);
            }
            if !ran.printed.is_empty() {
                p.text_output.set(Some(ran.printed.trim_end().to_string()));
            }
            if let Some(e) = ran.error {
                p.error_at.set(e.location);
                p.fail(e.message);
            } else {
                let mode = ResultMode::from_property(ran.stream_type.as_deref()).unwrap_or_default();
                p.executed(SessionReply::Executed(Ok(ran.outcomes)), mode);
            }
            done();
        });
    }

    /// Shows what the session answered to running the paragraph.
    fn executed(&self, reply: SessionReply, mode: ResultMode) {
        let outcomes = match reply {
            SessionReply::Executed(Ok(o)) => o,
            SessionReply::Executed(Err(e)) => {
                self.error_at.set(e.location);
                return self.fail(e.message);
            }
            other => return self.fail(format!("the session answered {other:?} to a run")),
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
                    let mut output = Output::new(columns, ResultMode::Append, rows.len().max(1));
                    let changes: Vec<_> = rows.into_iter().map(|row| Change { kind: RowKind::Insert, row }).collect();
                    output.apply(&changes);
                    self.set_output(output);
                }
                Outcome::Text(t) => self.text_output.set(Some(t)),
                Outcome::Diagnosis(d) => self.text_output.set(Some(crate::views::diagnosis::render(&d))),
                Outcome::Query { job, columns, warnings } => {
                    messages.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
                    self.set_output(Output::new(columns, mode, RESULT_ROWS));
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

    fn set_output(&self, output: Output) {
        let types: Vec<_> = output.table.columns.iter().map(|c| c.ty.data_type.clone()).collect();
        let mut chart = ChartSpec::default_for(&types);
        // The saved choice wins when the result has those columns.
        if let (Some(chart), Some(chosen)) = (&mut chart, self.chart_columns.get_untracked()) {
            let position = |name: &str| output.table.columns.iter().position(|c| c.name == name);
            if let (Some(keys), Some(values)) = (position(&chosen.keys), position(&chosen.values)) {
                let group = chosen.groups.as_deref().and_then(position);
                *chart = ChartSpec { keys, group, value: values, aggregate: chosen.aggregate };
            }
        }
        self.chart.set(chart);
        set_output(self.id, output);
    }

    /// Chart settings changed by the person: apply them and remember them by column name.
    pub fn set_chart(&self, chart: ChartSpec) {
        let names = with_output(self.id, |o| {
            let columns = &o?.table.columns;
            let groups = chart.group.and_then(|g| columns.get(g)).map(|c| c.name.clone());
            Some((columns.get(chart.keys)?.name.clone(), columns.get(chart.value)?.name.clone(), groups))
        });
        if let Some((keys, values, groups)) = names {
            self.chart_columns.set(Some(ChartColumns { keys, values, aggregate: chart.aggregate, groups }));
        }
        self.chart.set(Some(chart));
    }

    /// Clears what the paragraph shows; a running query keeps running into an empty result.
    pub fn clear_output(&self) {
        self.error.set(None);
        self.messages.set(Vec::new());
        self.text_output.set(None);
        if self.is_running() {
            with_output_mut(self.id, |o| {
                if let Some(o) = o {
                    *o = o.emptied();
                }
            });
        } else {
            remove_output(self.id);
            self.job.set(None);
            self.status.set(Status::Ready);
        }
        self.version.update(|v| *v += 1);
    }

    /// Redraws the views if changes arrived since the last redraw (and the paragraph is not
    /// paused). Called less often than [`Self::pull_changes`]: the engine keeps up in small steps,
    /// the page redraws a few times a second — unless the paragraph sets its own
    /// `refreshInterval`, which [`Self::pull_changes`] keeps.
    pub fn refresh_view(&self) {
        if self.properties.with_untracked(|p| p.refresh_interval_ms.is_none()) {
            self.redraw();
        }
    }

    fn redraw(&self) {
        if self.dirty.get_value() && !self.paused.get_untracked() {
            self.dirty.set_value(false);
            self.last_redraw.set_value(js_sys::Date::now());
            self.version.update(|v| *v += 1);
        }
    }

    /// Applies the job's new changes to the output (called on every engine tick).
    pub fn pull_changes(&self) {
        let Some(job) = self.job.get_untracked() else { return };
        let (changes, info) = with_mirror(|m| (m.take_changes(job), m.job(job)));
        if !changes.is_empty() {
            with_output_mut(self.id, |o| {
                if let Some(o) = o {
                    o.apply(&changes);
                }
            });
            self.dirty.set_value(true);
        }
        if let Some(every) = self.properties.with_untracked(|p| p.refresh_interval_ms) {
            if js_sys::Date::now() - self.last_redraw.get_value() >= f64::from(every) {
                self.redraw();
            }
        }
        if let Some(info) = info {
            let ended = if let Some(e) = info.error {
                let now = self.status.get_untracked() != Status::Failed;
                if now {
                    self.error.set(Some(format!("the job failed: {e}")));
                    self.status.set(Status::Failed);
                }
                now
            } else if !info.running && self.status.get_untracked() == Status::Running {
                // Stopped elsewhere (the Jobs panel, STOP JOB, another Kinesis access) or done.
                self.status.set(if info.finished { Status::Done } else { Status::Stopped });
                true
            } else {
                false
            };
            // The job's last rows and counts show with its end, not at the next view tick.
            if ended {
                self.dirty.set_value(true);
                self.redraw();
            }
        }
    }
}

/// Shown in a Python paragraph while Python loads (the first Python paragraph of the page).
const STARTING_PYTHON: &str = "Starting Python (Pyodide, ~13 MB the first time): the first Python paragraph loads it…";

thread_local! {
    /// Whether a Python paragraph has run (Python is loaded where the session runs).
    static PYTHON_STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Stops the jobs an answer nobody shows started.
fn stop_jobs(reply: &SessionReply) {
    let outcomes = match reply {
        SessionReply::Executed(Ok(outcomes)) => Some(outcomes),
        SessionReply::PythonRan(ran) => Some(&ran.outcomes),
        _ => None,
    };
    if let Some(outcomes) = outcomes {
        for outcome in outcomes {
            if let Outcome::Query { job, .. } | Outcome::Insert { job, .. } = outcome {
                send(SessionRequest::StopJob { job: *job });
            }
        }
    }
}

/// What a paragraph's bar can ask of its note.
#[derive(Clone, Copy)]
pub struct ParagraphActions {
    pub remove: Callback<u32>,
    pub move_by: Callback<(u32, isize)>,
    /// A file name for downloads of this paragraph's rows (no extension).
    pub file_stem: Callback<u32, String>,
}

#[component]
pub fn Paragraph(state: ParagraphState, tick: RwSignal<u64>, actions: ParagraphActions) -> impl IntoView {
    let p = state;
    let markdown = Memo::new(move |_| p.text.with(|t| is_markdown(t)));
    let has_output = move || {
        p.version.get();
        with_output(p.id, |o| o.is_some())
    };
    let job_line = move || {
        tick.get();
        // Redrawn with the rows too (a job's end redraws at once).
        p.version.get();
        let job = p.job.get()?;
        let info = with_mirror(|m| m.job(job))?;
        let wm = info.watermark.map(crate::types::format_timestamp).unwrap_or_else(|| "—".into());
        // Accepted and exported as Flink's `parallelism.default`; the page runs one task.
        let parallelism = p.properties.with(|p| p.parallelism).map(|n| format!(" · parallelism {n}")).unwrap_or_default();
        Some(format!(
            "job {} · {} in · {} out · {} late dropped · watermark {}{parallelism}",
            info.id, info.records_in, info.records_out, info.late_records_dropped, wm
        ))
    };
    // Shown in the bar of a collapsed paragraph: its first line that is not the interpreter's.
    let summary =
        move || p.text.with(|t| t.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('%')).unwrap_or("(empty)").to_string());
    // A `%md` paragraph's rendering follows its text one task later, once per burst of edits:
    // rendering and laying out a large paragraph in the task of the keystroke (which also
    // redraws the editor) held the page for over 200 ms.
    let rendered = RwSignal::new(String::new());
    let pending: std::rc::Rc<std::cell::Cell<Option<gloo_timers::callback::Timeout>>> = Default::default();
    Effect::new(move |_| {
        if !markdown.get() {
            return;
        }
        let text = p.text.get();
        let render = gloo_timers::callback::Timeout::new(0, move || rendered.set(markdown::to_html(crate::views::note::body(&text))));
        // Replacing the pending render cancels it.
        pending.set(Some(render));
    });
    let collapsed = move || p.collapsed.get();
    let comparing = RwSignal::new(false);

    view! {
        <section class="paragraph" data-testid="paragraph" data-status=move || p.status.get().label()
            class:collapsed=collapsed class:markdown-paragraph=move || markdown.get()>
            <div class="paragraph-bar">
                <span class=move || format!("status status-{}", p.status.get().label()) data-testid="status">
                    {move || p.status.get().label()}
                </span>
                <Show when=collapsed fallback=move || view! { <span class="job-line">{job_line}</span> }>
                    <span class="summary" data-testid="summary">{summary}</span>
                </Show>
                <span class="spacer"></span>
                <button class="primary" data-testid="run" title="Run (Shift+Enter)" on:click=move |_| p.run()>"Run"</button>
                <Show when=move || p.status.get() == Status::Running>
                    <button data-testid="stop" title="Cancel the running job" on:click=move |_| p.stop()>"Stop"</button>
                </Show>
                <span class="tools">
                    <button class="ghost icon" data-testid="move-up" title="Move up" on:click=move |_| actions.move_by.run((p.id, -1))>"↑"</button>
                    <button class="ghost icon" data-testid="move-down" title="Move down" on:click=move |_| actions.move_by.run((p.id, 1))>"↓"</button>
                    <button class="ghost icon" data-testid="compare-watermarks" title="Compare two watermark delays on this query's records"
                        class:active=move || comparing.get() on:click=move |_| comparing.update(|c| *c = !*c)>"⇆"</button>
                    <button class="ghost icon" data-testid="clear-output" title="Clear output" on:click=move |_| p.clear_output()>"⌫"</button>
                    <button class="ghost icon" data-testid="collapse" title=move || if collapsed() { "Expand" } else { "Collapse" }
                        aria-expanded=move || (!collapsed()).to_string()
                        on:click=move |_| p.collapsed.update(|c| *c = !*c)>
                        {move || if collapsed() { "▸" } else { "▾" }}
                    </button>
                    <button class="ghost icon" data-testid="remove" title="Remove this paragraph" on:click=move |_| actions.remove.run(p.id)>"✕"</button>
                </span>
            </div>
            <Show when=move || !collapsed()>
                <Editor text=p.text error_at=p.error_at on_run=Callback::new(move |()| p.run()) />
            </Show>
            <Show when=move || markdown.get() && p.text.with(|t| !crate::views::note::body(t).trim().is_empty())>
                <div class="markdown" data-testid="markdown" inner_html=rendered></div>
            </Show>
            <Show when=move || comparing.get() && !collapsed()>
                <StrategiesPanel p=p />
            </Show>
            <Show when=move || p.text.with(|t| crate::views::exercise::is_exercise(t))>
                <ExerciseCheck p=p />
            </Show>
            <Show when=move || !collapsed()>
                <Show when=move || p.error.with(Option::is_some)>
                    <pre class="error" data-testid="error">{move || p.error.get().unwrap_or_default()}</pre>
                </Show>
                <For each=move || p.messages.get() key=|m| m.clone() let:m>
                    <div class=if m.starts_with("warning") { "message warning" } else { "message" } data-testid="message">{m.clone()}</div>
                </For>
                <Show when=move || p.text_output.with(Option::is_some)>
                    <pre class="text-output">{move || p.text_output.get().unwrap_or_default()}</pre>
                </Show>
                <Show when=has_output>
                    <ResultView p=p file_stem=Signal::derive(move || actions.file_stem.run(p.id)) />
                </Show>
                <super::why_empty::WhyEmpty p=p />
                <super::late_ledger::LateLedgerPanel p=p />
            </Show>
        </section>
    }
}
