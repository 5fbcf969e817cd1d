//! The side panels: the catalog (tables with columns, types, watermark), the local streams
//! with their generators, and the running jobs.

use leptos::prelude::*;

use super::data_files::DataFiles;
use super::host::{ask, send};
use super::sample::{SampleOf, TableFromSample};
use super::settings::{KafkaAccess, KinesisAccess};
use super::with_mirror;
use crate::session::{StreamInfo, TableInfo};
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::plan_graph::thousands;

#[component]
pub fn Sidebar(tick: RwSignal<u64>) -> impl IntoView {
    // Re-read on every tick, but the lists only re-render when their keys change, so an input
    // the user is typing in is never replaced under them.
    let tables = move || {
        tick.get();
        with_mirror(|m| m.tables().to_vec())
    };
    let stream_names = move || {
        tick.get();
        with_mirror(|m| m.streams().iter().map(|s| s.name.clone()).collect::<Vec<_>>())
    };
    let job_ids = move || {
        tick.get();
        with_mirror(|m| m.jobs().iter().map(|j| j.id).collect::<Vec<_>>())
    };

    view! {
        <aside class="sidebar">
            <section class="panel" data-testid="catalog">
                <h2>"Catalog"</h2>
                <Show when=move || tables().is_empty()>
                    <p class="empty">"No tables yet. Run a CREATE TABLE."</p>
                </Show>
                <For each=tables key=|t| format!("{t:?}") let:table>
                    <TableEntry table=table />
                </For>
            </section>
            <section class="panel" data-testid="streams">
                <h2>"Streams"</h2>
                <KinesisAccess tick=tick />
                <KafkaAccess />
                <For each=stream_names key=|n| n.clone() let:name>
                    <StreamEntry name=name tick=tick />
                </For>
            </section>
            <section class="panel" data-testid="jobs">
                <h2>"Jobs"</h2>
                <Show when=move || job_ids().is_empty()>
                    <p class="empty">"No jobs. A SELECT or INSERT INTO starts one."</p>
                </Show>
                <For each=job_ids key=|id| *id let:id>
                    <JobEntry id=id tick=tick />
                </For>
            </section>
            <DataFiles />
            <PrintedPanel tick=tick />
        </aside>
    }
}

#[component]
fn TableEntry(table: TableInfo) -> impl IntoView {
    let source = match &table.stream {
        Some(stream) => format!("{} · {}", table.connector, stream),
        None => table.connector.clone(),
    };
    view! {
        <div class="catalog-table" data-table=table.name.clone()>
            <div class="catalog-name">{table.name.clone()}<span class="catalog-source">{source}</span></div>
            <ul class="columns">
                {table.columns.iter().map(|c| view! {
                    <li data-testid="column" data-name=c.name.clone() data-type=c.ty.to_string()>
                        <span class="column-name">{c.name.clone()}</span>
                        <span class="column-type">{c.ty.to_string()}</span>
                    </li>
                }).collect_view()}
            </ul>
            {table.watermark.clone().map(|w| view! {
                <div class="watermark" data-testid="watermark">"WATERMARK " {w}</div>
            })}
        </div>
    }
}

#[component]
fn StreamEntry(name: String, tick: RwSignal<u64>) -> impl IntoView {
    let info = {
        let name = name.clone();
        move || -> Option<StreamInfo> {
            tick.get();
            stream_info(&name)
        }
    };
    let rate_error = RwSignal::new(None::<String>);
    let records = {
        let info = info.clone();
        move || info().map(|i| thousands(i.records)).unwrap_or_default()
    };
    let shards = {
        let info = info.clone();
        move || info().map(|i| i.shards).unwrap_or(0)
    };
    let unit = {
        let info = info.clone();
        move || if info().is_some_and(|i| i.kafka_topic) { "partition" } else { "shard" }
    };
    let generator = {
        let info = info.clone();
        move || info().and_then(|i| i.generator)
    };
    let toggle = {
        let name = name.clone();
        let generator = generator.clone();
        move |_| {
            if let Some(g) = generator() {
                let request =
                    SessionRequest::SetGenerator { stream: name.clone(), running: !g.running, records_per_second: g.records_per_second };
                ask(request, move |_| tick.update(|t| *t += 1));
            }
        }
    };
    let set_rate = {
        let name = name.clone();
        let generator = generator.clone();
        move |ev| {
            let text = event_target_value(&ev);
            match text.trim().parse::<f64>() {
                Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 100_000.0 => {
                    rate_error.set(None);
                    let running = generator().is_some_and(|g| g.running);
                    send(SessionRequest::SetGenerator { stream: name.clone(), running, records_per_second: rate });
                }
                _ => rate_error.set(Some(format!("`{text}` is not a rate: give records per second, from 0.1 to 100000"))),
            }
        }
    };
    // A mirror holds the real stream's records only: its generator's controls come back when
    // the streams are local again.
    let has_generator = {
        let info = info.clone();
        move || info().is_some_and(|i| i.generator.is_some() && !i.kinesis_mirror && !i.kafka_mirror)
    };
    let kind = {
        let info = info.clone();
        move || match info() {
            Some(i) if i.kinesis_mirror => "Kinesis mirror",
            Some(i) if i.kafka_mirror => "Kafka mirror",
            Some(i) if i.kafka_topic && i.generator.is_some() => "Kafka topic · generator-fed",
            Some(i) if i.kafka_topic => "Kafka topic",
            Some(i) if i.generator.is_some() => "local · generator-fed",
            _ => "local",
        }
    };
    let stream = name.clone();
    // Any local stream can be fed by a generator of its own (a mirror holds real records only).
    let can_attach = {
        let info = info.clone();
        move || info().is_some_and(|i| i.generator.is_none() && !i.kinesis_mirror && !i.kafka_mirror)
    };
    let attach = {
        let name = name.clone();
        move |_| {
            let request =
                SessionRequest::AttachGenerator { stream: name.clone(), records_per_second: crate::session::DEFAULT_GENERATOR_RATE };
            ask(request, move |_| tick.update(|t| *t += 1));
        }
    };
    view! {
        <div class="stream" data-stream=name.clone()>
            <div class="stream-name">{name.clone()}</div>
            <div class="stream-meta">
                <span class="badge" data-testid="stream-kind">{kind}</span>
                <span>{move || format!("{} {}{}", shards(), unit(), if shards() == 1 { "" } else { "s" })}</span>
                <span><span data-testid="stream-records">{records}</span>" records"</span>
            </div>
            <TableFromSample of=SampleOf::Stream(name.clone()) />
            <Show when=can_attach>
                <div class="generator">
                    <button data-testid="generator-attach" on:click=attach.clone()>"Feed with the sensor generator"</button>
                </div>
            </Show>
            <Show when=has_generator.clone()>{
                let generator = generator.clone();
                let running = move || generator().is_some_and(|g| g.running);
                // Read once, untracked: the input is not replaced while someone types in it.
                let rate = stream_info(&stream).and_then(|i| i.generator).map_or(crate::session::DEFAULT_GENERATOR_RATE, |g| g.records_per_second);
                view! {
                    <div class="generator">
                        <button data-testid="generator-toggle" class:active=running.clone() on:click=toggle.clone()>
                            {let running = running.clone(); move || if running() { "Stop generator" } else { "Start generator" }}
                        </button>
                        <label>
                            <input type="number" min="0.1" max="100000" step="any" data-testid="generator-rate"
                                value=rate on:change=set_rate.clone() />
                            " rec/s"
                        </label>
                    </div>
                    <Show when=move || rate_error.with(Option::is_some)>
                        <div class="error small">{move || rate_error.get().unwrap_or_default()}</div>
                    </Show>
                    <DisorderControls stream=stream.clone() />
                    <super::break_it::BreakItButtons stream=stream.clone() tick=tick />
                }
            }</Show>
        </div>
    }
}

/// What the session says of local stream `name` now (untracked).
fn stream_info(name: &str) -> Option<StreamInfo> {
    with_mirror(|m| m.stream(name))
}

/// The generator's teaching knobs: a share of readings out of order (up to 3 s, within the
/// walkthrough's 5 s watermark delay) and a share of late ones (over 10 s behind: dropped by
/// its windows).
#[component]
fn DisorderControls(stream: String) -> impl IntoView {
    let stream = StoredValue::new(stream);
    let shares = RwSignal::new((0.0f64, 0.0f64));
    let problem = RwSignal::new(None::<String>);
    let set = move |which: usize, text: String| {
        let Some(percent) = text.trim().parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p)) else {
            problem.set(Some(format!("`{text}` is not a percentage from 0 to 100")));
            return;
        };
        problem.set(None);
        shares.update(|s| if which == 0 { s.0 = percent / 100.0 } else { s.1 = percent / 100.0 });
        let (out_of_order_share, late_share) = shares.get_untracked();
        let disorder = crate::connectors::Disorder { out_of_order_share, max_delay_ms: 3_000, late_share, late_bound_ms: 10_000 };
        send(SessionRequest::SetGeneratorDisorder { stream: stream.get_value(), disorder });
    };
    view! {
        <div class="generator disorder">
            <label title="Readings stamped up to 3 s earlier than sent: within a 5 s watermark delay">
                <input type="number" min="0" max="100" step="any" value="0" data-testid="generator-out-of-order"
                    on:change=move |ev| set(0, event_target_value(&ev)) />
                " % out of order"
            </label>
            <label title="Readings stamped over 10 s earlier than sent: their windows have fired">
                <input type="number" min="0" max="100" step="any" value="0" data-testid="generator-late"
                    on:change=move |ev| set(1, event_target_value(&ev)) />
                " % late"
            </label>
        </div>
        <Show when=move || problem.with(Option::is_some)>
            <div class="error small">{move || problem.get().unwrap_or_default()}</div>
        </Show>
    }
}

/// Lines `print` sinks wrote, newest last (kept for the panel between ticks).
#[component]
pub fn PrintedPanel(tick: RwSignal<u64>) -> impl IntoView {
    let lines = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        tick.get();
        let new = with_mirror(|m| m.take_printed());
        if !new.is_empty() {
            lines.update(|l| {
                l.extend(new);
                let excess = l.len().saturating_sub(PRINTED_SHOWN);
                l.drain(..excess);
            });
        }
    });
    view! {
        <Show when=move || lines.with(|l| !l.is_empty())>
            <section class="panel" data-testid="printed">
                <h2>"Printed"</h2>
                <pre class="printed">{move || lines.get().join("\n")}</pre>
            </section>
        </Show>
    }
}

/// Lines the Printed panel keeps.
const PRINTED_SHOWN: usize = 200;

#[component]
fn JobEntry(id: u32, tick: RwSignal<u64>) -> impl IntoView {
    let info = move || {
        tick.get();
        with_mirror(|m| m.job(id))
    };
    let stop = move |_| {
        ask(SessionRequest::StopJob { job: id }, move |_| tick.update(|t| *t += 1));
    };
    // Flink's stop-with-drain: every window still waiting for the watermark fires first.
    let drain = move |_| {
        ask(SessionRequest::DrainJob { job: id }, move |_| tick.update(|t| *t += 1));
    };
    // The records the job dropped as late (the newest first), shown on request: which rows they
    // were, their event time and the watermark that had passed them.
    let show_late = RwSignal::new(false);
    let late_count = move || {
        tick.get();
        with_mirror(|m| m.job(id)).map_or(0, |j| j.late_records_dropped)
    };
    // Asked of the session at each redraw while shown; listed when it answers.
    let late = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if !show_late.get() {
            return;
        }
        tick.get();
        ask(SessionRequest::LateRecords { job: id }, move |reply| {
            if let SessionReply::LateRecords(records) = reply {
                late.try_set(records);
            }
        });
    });
    let late_list = move || {
        if !show_late.get() {
            return None;
        }
        let records = late.get();
        Some(view! {
            <ul class="late-records" data-testid="late-records">
                {records
                    .iter()
                    .rev()
                    .take(LATE_SHOWN)
                    .map(|r| {
                        let row = r.row.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                        view! {
                            <li>
                                <span class="late-time">{crate::types::format_timestamp(r.event_time)}</span>
                                " behind watermark "
                                <span class="late-time">{crate::types::format_timestamp(r.watermark)}</span>
                                <div class="late-row">{row}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })
    };
    // Records per second, from the counts seen one tick ago.
    let last = StoredValue::new((0u64, 0u64, super::now_ms(), 0.0f64, 0.0f64));
    let rates = move |records_in: u64, records_out: u64| {
        let (prev_in, prev_out, prev_ms, in_rate, out_rate) = last.get_value();
        let now = super::now_ms();
        let elapsed = (now - prev_ms) as f64 / 1000.0;
        if elapsed < 0.9 {
            return (in_rate, out_rate);
        }
        let rates = (records_in.saturating_sub(prev_in) as f64 / elapsed, records_out.saturating_sub(prev_out) as f64 / elapsed);
        last.set_value((records_in, records_out, now, rates.0, rates.1));
        rates
    };
    view! {
        <div class="job" data-job=id>
            {move || info().map(|j| {
                let state = if j.error.is_some() { "failed" } else if j.running { "running" } else { "stopped" };
                let first_line = j.sql.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('%')).unwrap_or("").to_string();
                view! {
                    <div class="job-head">
                        <span class=format!("status status-{state}")>{state}</span>
                        " job " {j.id}
                        {j.running.then(|| view! {
                            <button class="ghost small" on:click=stop>"Stop"</button>
                            <button class="ghost small" data-testid="drain-job" title="STOP JOB … WITH DRAIN: fire every window still waiting, then stop" on:click=drain>"Drain"</button>
                        })}
                    </div>
                    <div class="job-sql" title=j.sql.clone()>{first_line}</div>
                    <div class="job-stats" data-testid="job-counts">
                        {format!("{} in · {} out · {} late", thousands(j.records_in), thousands(j.records_out), thousands(j.late_records_dropped))}
                        {(j.skipped_records > 0).then(|| format!(" · {} unreadable skipped", thousands(j.skipped_records)))}
                    </div>
                    {j.running.then(|| {
                        let (in_rate, out_rate) = rates(j.records_in, j.records_out);
                        let uptime = duration_text(super::now_ms() - j.started_ms);
                        let lag = j.watermark.map(|w| duration_text(super::now_ms() - w)).map_or(String::new(), |d| format!(" · watermark {d} behind the clock"));
                        view! {
                            <div class="job-stats" data-testid="job-live">
                                {format!("{in_rate:.0}/s in · {out_rate:.0}/s out · state {} rows · up {uptime}{lag}", thousands(j.state_rows))}
                            </div>
                        }
                    })}
                    {j.error.map(|e| view! { <div class="error small">{e}</div> })}
                }
            })}
            <Show when=move || { late_count() > 0 }>
                <button class="ghost small" data-testid="late-toggle" on:click=move |_| show_late.update(|v| *v = !*v)>
                    {move || if show_late.get() { "Hide late records" } else { "Show late records" }}
                </button>
            </Show>
            {late_list}
        </div>
    }
}

/// `83_000` ms → `1m 23s`.
fn duration_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

/// Late records a job entry lists (the newest).
const LATE_SHOWN: usize = 20;
