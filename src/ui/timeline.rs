//! The timeline of a paragraph's running query, drawn with plotters-canvas: records by event
//! time (up) against arrival on the clock (across), the watermark as a line, the windows in its
//! result as bands of event time that light up when they fire, and the records the engine
//! dropped as late as red crosses; a Kafka table's partitions each as a thin line of its own
//! colour, labelled with its number. What to plot is [`crate::views::timeline`].

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::host::ask;
use super::output::with_output;
use super::paragraph::ParagraphState;
use super::theme::Theme;
use super::RedrawTick;
use crate::types::Value;
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::timeline::{Timeline, MAX_RECORDS};

const CSS_HEIGHT: f64 = 320.0;

struct Ink {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    record: RGBColor,
    watermark: RGBColor,
    window: RGBColor,
}

const LIGHT: Ink = Ink {
    background: RGBColor(0xff, 0xff, 0xff),
    text: RGBColor(0x1d, 0x23, 0x30),
    grid: RGBColor(0xee, 0xee, 0xee),
    record: RGBColor(0x3b, 0x82, 0xc4),
    watermark: RGBColor(0x6d, 0x28, 0xd9),
    window: RGBColor(0x2e, 0x9e, 0x5b),
};

const DARK: Ink = Ink {
    background: RGBColor(0x1a, 0x1f, 0x29),
    text: RGBColor(0xd8, 0xdd, 0xe6),
    grid: RGBColor(0x26, 0x2c, 0x38),
    record: RGBColor(0x4f, 0x8d, 0xf7),
    watermark: RGBColor(0xa7, 0x8b, 0xfa),
    window: RGBColor(0x4c, 0xc3, 0x8a),
};

const LATE: RGBColor = RGBColor(0xd6, 0x3b, 0x3b);

/// A partition's line colour (cycled), readable on both themes.
const PARTITION_COLOURS: [RGBColor; 6] = [
    RGBColor(0xe0, 0x7b, 0x00),
    RGBColor(0x0d, 0x94, 0x88),
    RGBColor(0xdb, 0x27, 0x77),
    RGBColor(0x65, 0xa3, 0x0d),
    RGBColor(0x0e, 0x74, 0x90),
    RGBColor(0x92, 0x40, 0x0e),
];

/// `[start, end)` of the windows in the paragraph's result (its `window_start`, `window_end`).
fn fired_windows(p: ParagraphState) -> Vec<(i64, i64)> {
    with_output(p.id, |o| {
        let Some(t) = o.map(|o| &o.table) else { return Vec::new() };
        let at = |name: &str| t.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name));
        let (Some(s), Some(e)) = (at("window_start"), at("window_end")) else { return Vec::new() };
        t.rows()
            .filter_map(|r| match (r.get(s), r.get(e)) {
                (Some(Value::Timestamp(s)), Some(Value::Timestamp(e))) => Some((*s, *e)),
                _ => None,
            })
            .collect()
    })
}

#[component]
pub fn TimelineView(p: ParagraphState) -> impl IntoView {
    let tick = use_context::<RedrawTick>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let timeline = StoredValue::new(Timeline::default());
    let problem = RwSignal::new(None::<String>);
    let late_marked = RwSignal::new(String::new());
    let plotted = RwSignal::new(0usize);
    // `partition:watermark ms` (or `none`), `:idle` when idle, comma-separated: for tests and
    // for the legend.
    let partitions = RwSignal::new(String::new());
    // Asked of the session at each redraw; drawn when it answers.
    let sample = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(RedrawTick(t)) = tick {
            t.get();
        }
        let Some(job) = p.job.get() else {
            sample.set(Some(Err("The timeline shows while the query runs: run the paragraph.".to_string())));
            return;
        };
        ask(SessionRequest::TimelineSample { job, max_records: MAX_RECORDS }, move |reply| {
            if let SessionReply::Timeline(s) = reply {
                sample.try_set(Some(s.map_err(|why| format!("No timeline: {why}."))));
            }
        });
    });
    Effect::new(move |_| {
        let dark = Theme::dark_in_context();
        let Some(sample) = sample.get() else { return };
        let sample = match sample {
            Ok(sample) => sample,
            Err(why) => {
                problem.set(Some(why));
                return;
            }
        };
        let windows = fired_windows(p);
        timeline.update_value(|t| t.update(sample, &windows));
        let Some(canvas) = canvas.get() else { return };
        let drawn = timeline.with_value(|t| {
            late_marked.set(t.late_event_times().iter().map(|t| crate::types::format_timestamp(*t)).collect::<Vec<_>>().join(","));
            plotted.set(t.dots.len());
            partitions.set(
                t.partitions
                    .iter()
                    .map(|p| {
                        let wm = p.watermark.map_or("none".to_string(), |w| w.to_string());
                        format!("{}:{wm}{}", p.partition, if p.idle { ":idle" } else { "" })
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            );
            draw(&canvas, t, dark)
        });
        problem.set(drawn.err());
    });
    view! {
        <div class="timeline" data-testid="timeline" data-late=move || late_marked.get() data-records=move || plotted.get().to_string()
            data-partitions=move || partitions.get()>
            <div class="timeline-legend">
                <span class="legend-record">"● record"</span>
                <span class="legend-late">"✕ dropped as late"</span>
                <span class="legend-watermark">"— watermark"</span>
                <Show when=move || partitions.with(|p| !p.is_empty())>
                    <span class="legend-partitions" data-testid="timeline-partitions">"┄ each partition's watermark (P0, P1, …)"</span>
                </Show>
                <span class="legend-window">"▭ fired window"</span>
                <span class="muted">"event time ↑ · arrival on the clock →"</span>
            </div>
            <Show when=move || problem.with(Option::is_some)>
                <div class="kept" data-testid="timeline-problem">{move || problem.get().unwrap_or_default()}</div>
            </Show>
            <canvas class="timeline-canvas" data-testid="timeline-canvas" node_ref=canvas></canvas>
        </div>
    }
}

fn clock_label(ms: &i64) -> String {
    let t = crate::types::format_timestamp(*ms);
    t.get(11..19).unwrap_or(&t).to_string()
}

fn draw(canvas: &HtmlCanvasElement, t: &Timeline, dark: bool) -> Result<(), String> {
    let ink = if dark { &DARK } else { &LIGHT };
    let dpr = web_sys::window().ok_or("no window")?.device_pixel_ratio().max(1.0);
    let css_width = match canvas.client_width() {
        w if w > 0 => w as f64,
        _ => 640.0,
    };
    let (width, height) = ((css_width * dpr).round() as u32, (CSS_HEIGHT * dpr).round() as u32);
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| format!("cannot draw the timeline: {e:?}");
    root.fill(&ink.background).map_err(err)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr);
    let Some(((x0, x1), (y0, y1))) = t.bounds() else {
        root.draw(&Text::new("waiting for records…", (px(16.0), px(16.0)), font(14.0).into_font().color(&ink.text))).map_err(err)?;
        return root.present().map_err(err);
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(px(10.0))
        .x_label_area_size(px(24.0))
        .y_label_area_size(px(64.0))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(ink.grid)
        .bold_line_style(ink.grid)
        .x_label_formatter(&clock_label)
        .y_label_formatter(&clock_label)
        .label_style(font(11.0).into_font().color(&ink.text))
        .axis_style(ink.grid)
        .draw()
        .map_err(err)?;
    // Windows: a band over their event time, bright from the moment they fired.
    chart
        .draw_series(t.windows.iter().filter(|w| w.end_ms > y0 && w.start_ms < y1).map(|w| {
            let from = w.fired_at_ms.unwrap_or(x1).clamp(x0, x1);
            Rectangle::new([(from, w.start_ms.max(y0)), (x1, w.end_ms.min(y1))], ink.window.mix(0.18).filled())
        }))
        .map_err(err)?;
    chart
        .draw_series(t.windows.iter().filter(|w| w.end_ms > y0 && w.start_ms < y1).map(|w| {
            let from = w.fired_at_ms.unwrap_or(x1).clamp(x0, x1);
            Rectangle::new([(from, w.start_ms.max(y0)), (x1, w.end_ms.min(y1))], ink.window.stroke_width(1))
        }))
        .map_err(err)?;
    let line: Vec<(i64, i64)> =
        t.watermark.iter().copied().filter(|(at, _)| *at >= x0).chain(t.watermark.back().map(|&(_, w)| (x1, w))).collect();
    chart.draw_series(LineSeries::new(line, ink.watermark.stroke_width(px(2.0) as u32))).map_err(err)?;
    // Each partition's own watermark, thin, ending at the clock with its number (`idle` when
    // it no longer holds the job's watermark).
    for p in &t.partitions {
        let colour = PARTITION_COLOURS[p.partition as usize % PARTITION_COLOURS.len()];
        let line: Vec<(i64, i64)> =
            p.points.iter().copied().filter(|(at, _)| *at >= x0).chain(p.points.back().map(|&(_, w)| (x1, w))).collect();
        chart.draw_series(LineSeries::new(line, colour.mix(0.8).stroke_width(px(1.0) as u32))).map_err(err)?;
        if let Some(&(_, w)) = p.points.back().filter(|(_, w)| *w > y0 && *w < y1) {
            let label = format!("P{}{}", p.partition, if p.idle { " idle" } else { "" });
            chart
                .draw_series(std::iter::once(Text::new(label, (x1 - (x1 - x0) / 16, w), font(10.0).into_font().color(&colour))))
                .map_err(err)?;
        }
    }
    chart
        .draw_series(
            t.dots.iter().filter(|d| !d.late).map(|d| Circle::new((d.arrival_ms, d.event_time_ms), px(2.0), ink.record.mix(0.7).filled())),
        )
        .map_err(err)?;
    chart
        .draw_series(
            t.dots
                .iter()
                .filter(|d| d.late)
                .map(|d| Cross::new((d.arrival_ms, d.event_time_ms), px(5.0), LATE.stroke_width(px(2.0) as u32))),
        )
        .map_err(err)?;
    root.present().map_err(err)
}
