//! A paragraph's result: the table (kept as its `type=` mode says; `single` through its
//! template), the charts, and the changelog as it arrived; counts of rows and changes;
//! downloads of the rows as CSV and JSON and of the chart as PNG.

use leptos::prelude::*;

use super::chart::{draw_chart, LegendEntry};
use super::files;
use super::output::with_output;
use super::paragraph::ParagraphState;
use super::theme::Theme;
use crate::session::ColumnInfo;
use crate::types::{RowKind, Value};
use crate::views::chart::{hit_test, Hit};
use crate::views::note::ViewKind;
use crate::views::plan_graph::thousands;
use crate::views::properties::render_template;
use crate::views::{download, Aggregate, ChartKind, ChartSpec, ResultMode};

/// Rows the table and the changelog show (the newest).
const SHOWN_ROWS: usize = 100;

/// One value of `column` (a TIMESTAMP_LTZ in the session zone, as Flink's SQL client shows it).
fn cell(column: Option<&ColumnInfo>, v: &Value) -> AnyView {
    let text = || column.map_or_else(|| v.to_string(), |c| c.show(v));
    match v {
        Value::Null => view! { <td class="null">"NULL"</td> }.into_any(),
        Value::Int(_) | Value::Double(_) | Value::Decimal(..) => view! { <td class="num">{text()}</td> }.into_any(),
        _ => view! { <td>{text()}</td> }.into_any(),
    }
}

/// A row's cells, each shown as its column says.
fn cells(columns: &[ColumnInfo], row: &[Value]) -> impl IntoView {
    row.iter().enumerate().map(|(i, v)| cell(columns.get(i), v)).collect_view()
}

#[component]
pub fn ResultView(p: ParagraphState, file_stem: Signal<String>) -> impl IntoView {
    let columns = move || {
        p.version.get();
        with_output(p.id, |o| o.map(|o| o.table.columns.clone()).unwrap_or_default())
    };
    let is_live = move || p.job.get().is_some();
    let row_count = move || {
        p.version.get();
        with_output(p.id, |o| {
            let Some(t) = o.map(|o| &o.table) else { return String::new() };
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
    let change_counts = move || {
        p.version.get();
        with_output(p.id, |o| {
            let Some(log) = o.map(|o| &o.changelog) else { return String::new() };
            let total = log.total();
            format!(
                "{} change{} · +I {} · -U {} · +U {} · -D {}",
                thousands(total),
                if total == 1 { "" } else { "s" },
                thousands(log.count(RowKind::Insert)),
                thousands(log.count(RowKind::UpdateBefore)),
                thousands(log.count(RowKind::UpdateAfter)),
                thousands(log.count(RowKind::Delete))
            )
        })
    };
    // `type=single`: the newest row's first value, or its values through the paragraph's
    // template (HTML, the template's own tags only; values escaped).
    let single = move || {
        p.version.get();
        let template = p.properties.with(|props| props.template.clone());
        with_output(p.id, |o| {
            let table = o.map(|o| &o.table).filter(|t| t.mode() == ResultMode::Single)?;
            Some(match &template {
                Some(template) => (true, table.single_row().map(|row| render_template(template, row)).unwrap_or_default()),
                None => (
                    false,
                    table.single_value().map(|v| table.columns.first().map_or_else(|| v.to_string(), |c| c.show(v))).unwrap_or_default(),
                ),
            })
        })
    };
    // What the body shows, as a memo: a running query bumps `version` several times a second,
    // and only a `single` value changes with it — a table or chart redraws itself in place.
    let shown = Memo::new(move |_| (single(), p.view.get()));
    let download_error = RwSignal::new(None::<String>);
    let download_rows = move |json: bool| {
        let text = with_output(p.id, |o| {
            o.map(|o| {
                if json {
                    download::to_json(&o.table.columns, o.table.rows())
                } else {
                    download::to_csv(&o.table.columns, o.table.rows())
                }
            })
        });
        let Some(text) = text else { return };
        let name = format!("{}.{}", file_stem.get_untracked(), if json { "json" } else { "csv" });
        let mime = if json { "application/json" } else { "text/csv" };
        download_error.set(files::download(&name, mime, &text).err());
    };
    let view_button = move |kind: ViewKind, label: &'static str, testid: &'static str| {
        view! {
            <button data-testid=testid class:active=move || p.view.get() == kind on:click=move |_| p.view.set(kind)>{label}</button>
        }
    };

    view! {
        <div class="result">
            <div class="result-bar">
                <div class="segmented">
                    {view_button(ViewKind::Table, "Table", "view-table")}
                    {view_button(ViewKind::Bar, "Bar", "view-bar")}
                    {view_button(ViewKind::Line, "Line", "view-line")}
                    {view_button(ViewKind::Area, "Area", "view-area")}
                    {view_button(ViewKind::Pie, "Pie", "view-pie")}
                    {view_button(ViewKind::Scatter, "Scatter", "view-scatter")}
                    {view_button(ViewKind::Changelog, "Changelog", "view-changelog")}
                    {view_button(ViewKind::Plan, "Plan", "view-plan")}
                    {view_button(ViewKind::Timeline, "Timeline", "view-timeline")}
                </div>
                <Show when=is_live>
                    <button
                        data-testid="pause"
                        class:active=move || p.paused.get()
                        on:click=move |_| {
                            p.paused.update(|x| *x = !*x);
                            super::output::freeze(p.id, p.paused.get_untracked());
                            p.version.update(|v| *v += 1);
                        }
                    >
                        {move || if p.paused.get() { "Resume" } else { "Pause" }}
                    </button>
                </Show>
                <span class="downloads">
                    <button class="ghost small" data-testid="download-csv" title="Download the rows as CSV" on:click=move |_| download_rows(false)>"⤓ CSV"</button>
                    <button class="ghost small" data-testid="download-json" title="Download the rows as JSON" on:click=move |_| download_rows(true)>"⤓ JSON"</button>
                </span>
                <span class="counts">
                    <span class="row-count" data-testid="row-count">{row_count}</span>
                    <span class="change-counts" data-testid="change-counts">{change_counts}</span>
                </span>
            </div>
            <Show when=move || download_error.with(Option::is_some)>
                <div class="error small">{move || download_error.get().unwrap_or_default()}</div>
            </Show>
            {move || match shown.get() {
                (_, ViewKind::Changelog) => view! { <ChangelogView p=p columns=Signal::derive(columns) /> }.into_any(),
                (_, ViewKind::Plan) => view! { <super::explain::PlanGraphView p=p /> }.into_any(),
                (_, ViewKind::Timeline) => view! { <super::timeline::TimelineView p=p /> }.into_any(),
                (Some((true, html)), _) => view! { <div class="single-value templated" data-testid="single-value" inner_html=html></div> }.into_any(),
                (Some((false, value)), _) => view! { <div class="single-value" data-testid="single-value">{value}</div> }.into_any(),
                (None, ViewKind::Table) => view! { <ResultTableView p=p columns=Signal::derive(columns) /> }.into_any(),
                (None, view) => match view.chart() {
                    Some(kind) => view! { <ChartView p=p kind=kind columns=Signal::derive(columns) file_stem=file_stem /> }.into_any(),
                    None => view! { <ResultTableView p=p columns=Signal::derive(columns) /> }.into_any(),
                },
            }}
        </div>
    }
}

fn header(columns: Signal<Vec<ColumnInfo>>) -> impl IntoView {
    move || {
        columns
            .get()
            .into_iter()
            .map(|c| view! { <th data-column=c.name.clone()>{c.name.clone()}<small>{c.ty.to_string()}</small></th> })
            .collect_view()
    }
}

#[component]
fn ResultTableView(p: ParagraphState, columns: Signal<Vec<ColumnInfo>>) -> impl IntoView {
    let body = move || {
        p.version.get();
        with_output(p.id, |o| {
            let Some(t) = o.map(|o| &o.table) else { return Vec::new() };
            let skip = t.len().saturating_sub(SHOWN_ROWS);
            t.rows().skip(skip).map(|row| view! { <tr>{cells(&t.columns, row)}</tr> }).collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-scroll">
            <table class="result-table" data-testid="result-table">
                <thead><tr>{header(columns)}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <Show when=move || { p.version.get(); with_output(p.id, |o| o.is_some_and(|o| o.table.is_empty())) }>
            <div class="kept" data-testid="no-rows">{move || if p.job.get().is_some() { "No rows yet: waiting for the query's first result." } else { "No rows." }}</div>
        </Show>
    }
}

#[component]
fn ChangelogView(p: ParagraphState, columns: Signal<Vec<ColumnInfo>>) -> impl IntoView {
    let body = move || {
        p.version.get();
        with_output(p.id, |o| {
            let Some((log, columns)) = o.map(|o| (&o.changelog, &o.table.columns)) else { return Vec::new() };
            let skip = log.entries().len().saturating_sub(SHOWN_ROWS);
            log.entries()
                .skip(skip)
                .map(|change| {
                    let op = change.kind.short();
                    let class = if change.kind.is_accumulate() { "op op-add" } else { "op op-retract" };
                    view! { <tr data-op=op><td class=class>{op}</td>{cells(columns, &change.row)}</tr> }
                })
                .collect::<Vec<_>>()
        })
    };
    let kept = move || {
        p.version.get();
        with_output(p.id, |o| {
            let Some(log) = o.map(|o| &o.changelog) else { return String::new() };
            if log.dropped() > 0 {
                format!("Newest {} of {} changes kept.", log.entries().len(), thousands(log.total()))
            } else {
                String::new()
            }
        })
    };
    view! {
        <div class="table-scroll">
            <table class="result-table changelog" data-testid="changelog">
                <thead><tr><th class="op">"op"</th>{header(columns)}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <div class="kept">{kept}</div>
    }
}

/// The chart of a result, redrawn whenever the paragraph's views refresh (every view tick, or
/// at its `refreshInterval`), with Zeppelin's settings above it, a legend beside it and a
/// tooltip for the mark under the pointer.
#[component]
fn ChartView(p: ParagraphState, kind: ChartKind, columns: Signal<Vec<ColumnInfo>>, file_stem: Signal<String>) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let problem = RwSignal::new(None::<String>);
    let legend = RwSignal::new(Vec::<LegendEntry>::new());
    let hits = StoredValue::new(Vec::<Hit>::new());
    let tooltip = RwSignal::new(None::<(String, f64, f64)>);
    Effect::new(move |_| {
        p.version.get();
        let dark = Theme::dark_in_context();
        let chart = p.chart.get();
        let Some(canvas) = canvas.get() else { return };
        let Some(chart) = chart else {
            problem.set(Some("the result has no numeric column to chart".into()));
            return;
        };
        let names: Vec<String> = columns.with_untracked(|c| c.iter().map(|c| c.name.clone()).collect());
        let drawn = with_output(p.id, |o| o.map(|o| draw_chart(&canvas, kind, &chart, &o.table, &names, dark)));
        match drawn {
            Some(Ok(drawn)) => {
                hits.set_value(drawn.hits);
                if legend.with_untracked(|l| *l != drawn.legend) {
                    legend.set(drawn.legend);
                }
                if problem.with_untracked(Option::is_some) {
                    problem.set(None);
                }
            }
            Some(Err(e)) => problem.set(Some(e)),
            None => {}
        }
    });
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let found = hits.with_value(|h| hit_test(h, x, y).map(|h| h.text.clone()));
        tooltip.set(found.map(|text| (text, x, y)));
    };
    let options = move |selected: fn(&ChartSpec) -> Option<usize>| {
        columns
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let is = p.chart.with(|ch| ch.as_ref().is_some_and(|ch| selected(ch) == Some(i)));
                view! { <option value=c.name.clone() selected=is>{c.name.clone()}</option> }
            })
            .collect_view()
    };
    let set_column = move |value: String, which: fn(&mut ChartSpec, Option<usize>)| {
        let i = columns.with_untracked(|c| c.iter().position(|c| c.name == value));
        if let Some(mut chart) = p.chart.get_untracked() {
            which(&mut chart, i);
            p.set_chart(chart);
        }
    };
    let png_error = RwSignal::new(None::<String>);
    let download_png = move |_| {
        let Some(canvas) = canvas.get_untracked() else { return };
        let name = format!("{}-{}.png", file_stem.get_untracked(), kind.name());
        png_error.set(
            canvas
                .to_data_url_with_type("image/png")
                .map_err(|_| format!("could not download {name}: the canvas cannot be read"))
                .and_then(|url| files::download_url(&name, &url))
                .err(),
        );
    };
    view! {
        <div class="chart-settings">
            <label>"Keys " <select data-testid="chart-x" on:change=move |ev| set_column(event_target_value(&ev), |c, i| if let Some(i) = i { c.keys = i })>{move || options(|c| Some(c.keys))}</select></label>
            <label>"Groups "
                <select data-testid="chart-group" on:change=move |ev| set_column(event_target_value(&ev), |c, i| c.group = i)>
                    <option value="" selected=move || p.chart.with(|c| c.as_ref().is_some_and(|c| c.group.is_none()))>"(none)"</option>
                    {move || options(|c| c.group)}
                </select>
            </label>
            <label>"Values " <select data-testid="chart-y" on:change=move |ev| set_column(event_target_value(&ev), |c, i| if let Some(i) = i { c.value = i })>{move || options(|c| Some(c.value))}</select></label>
            <label>"Aggregate "
                <select data-testid="chart-aggregate" on:change=move |ev| {
                    if let (Some(a), Some(mut chart)) = (Aggregate::from_name(&event_target_value(&ev)), p.chart.get_untracked()) {
                        chart.aggregate = a;
                        p.set_chart(chart);
                    }
                }>
                    {Aggregate::ALL.into_iter().map(|a| view! {
                        <option value=a.name() selected=move || p.chart.with(|c| c.as_ref().is_some_and(|c| c.aggregate == a))>{a.name()}</option>
                    }).collect_view()}
                </select>
            </label>
            <button class="ghost small" data-testid="download-png" title="Download the chart as a PNG image" on:click=download_png>"⤓ PNG"</button>
        </div>
        <Show when=move || problem.with(Option::is_some) || png_error.with(Option::is_some)>
            <div class="message warning">{move || problem.get().or_else(|| png_error.get()).unwrap_or_default()}</div>
        </Show>
        <div class="chart-box">
            <div class="chart-canvas-box">
                <canvas class="bar-chart" data-testid=if kind == ChartKind::Bar { "bar-chart" } else { "chart" } data-kind=kind.name() node_ref=canvas
                    on:mousemove=on_move on:mouseleave=move |_| tooltip.set(None)></canvas>
                <Show when=move || tooltip.with(Option::is_some)>
                    <div class="chart-tooltip" data-testid="chart-tooltip" role="tooltip"
                        style=move || tooltip.with(|t| t.as_ref().map(|(_, x, y)| format!("left: {}px; top: {}px", x + 12.0, y + 12.0)).unwrap_or_default())>
                        {move || tooltip.with(|t| t.as_ref().map(|(text, _, _)| text.clone()).unwrap_or_default())}
                    </div>
                </Show>
            </div>
            <ul class="chart-legend" data-testid="chart-legend">
                <For each=move || legend.get() key=|e| (e.label.clone(), e.color.clone()) let:entry>
                    <li data-testid="legend-item" data-label=entry.label.clone()>
                        <span class="swatch" style=format!("background: {}", entry.color)></span>
                        {entry.label.clone()}
                    </li>
                </For>
            </ul>
        </div>
    }
}
