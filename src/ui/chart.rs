//! Drawing a result's chart — bar, line, area, pie or scatter — on a canvas with
//! plotters-canvas, sized by the device pixel ratio so it stays crisp on HiDPI screens, in the
//! page's light or dark colours. What to draw comes from [`crate::views::chart`]; this file
//! only paints it, and says where each mark landed (for tooltips) and in which colour (for the
//! legend).

use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::views::chart::{format_value, value_range, CategoryData, Hit, Shape};
use crate::views::{ChartKind, ChartSpec, ResultTable};

/// The chart's height in CSS pixels before layout (then the canvas's own box decides).
const CSS_HEIGHT: f64 = 280.0;

const PALETTE: [RGBColor; 8] = [
    RGBColor(0x3b, 0x82, 0xc4),
    RGBColor(0xe0, 0x8a, 0x1e),
    RGBColor(0x7a, 0x4f, 0xc9),
    RGBColor(0x17, 0xa2, 0x9b),
    RGBColor(0xc9, 0x4f, 0x8a),
    RGBColor(0x6b, 0x8e, 0x23),
    RGBColor(0x8c, 0x5a, 0x3c),
    RGBColor(0x4f, 0x5b, 0x93),
];

/// A mark's colour: the sensor statuses get traffic-light colours, other labels the palette.
fn color_for(label: &str, index: usize) -> RGBColor {
    match label {
        "OK" => RGBColor(0x2e, 0x9e, 0x5b),
        "WARNING" => RGBColor(0xf0, 0xb4, 0x29),
        "ERROR" => RGBColor(0xd6, 0x3b, 0x3b),
        _ => PALETTE[index % PALETTE.len()],
    }
}

fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The chart's own colours (a canvas does not follow the stylesheet).
struct Ink {
    background: RGBColor,
    text: RGBColor,
    muted: RGBColor,
    light_grid: RGBColor,
    grid: RGBColor,
    axis: RGBColor,
}

const LIGHT: Ink = Ink {
    background: RGBColor(0xff, 0xff, 0xff),
    text: RGBColor(0x1d, 0x23, 0x30),
    muted: RGBColor(0x66, 0x66, 0x66),
    light_grid: RGBColor(0xee, 0xee, 0xee),
    grid: RGBColor(0xdd, 0xdd, 0xdd),
    axis: RGBColor(0x99, 0x99, 0x99),
};

const DARK: Ink = Ink {
    background: RGBColor(0x1a, 0x1f, 0x29),
    text: RGBColor(0xd8, 0xdd, 0xe6),
    muted: RGBColor(0x94, 0x9c, 0xab),
    light_grid: RGBColor(0x26, 0x2c, 0x38),
    grid: RGBColor(0x33, 0x3a, 0x48),
    axis: RGBColor(0x6b, 0x73, 0x82),
};

/// A legend line: what a colour stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    /// CSS colour, `#rrggbb`.
    pub color: String,
}

/// What was drawn: where the marks are (CSS px) and the legend.
#[derive(Default)]
pub struct Drawn {
    pub hits: Vec<Hit>,
    pub legend: Vec<LegendEntry>,
}

/// The canvas being drawn on: its area, scale and colours.
struct Canvas<'a> {
    root: DrawingArea<CanvasBackend, Shift>,
    dpr: f64,
    ink: &'a Ink,
}

impl Canvas<'_> {
    fn px(&self, v: f64) -> i32 {
        (v * self.dpr).round() as i32
    }
    fn font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * self.dpr).into_font().color(&self.ink.text)
    }
    /// Device pixels back to CSS pixels (hits are in CSS pixels, as mouse events are).
    fn css(&self, (x, y): (i32, i32)) -> (f64, f64) {
        (f64::from(x) / self.dpr, f64::from(y) / self.dpr)
    }
}

fn err(e: impl std::fmt::Debug) -> String {
    format!("cannot draw the chart: {e:?}")
}

/// Draws `spec` over `table` as a `kind` chart. `columns` are the result's column names.
pub fn draw_chart(
    canvas: &HtmlCanvasElement,
    kind: ChartKind,
    spec: &ChartSpec,
    table: &ResultTable,
    columns: &[String],
    dark: bool,
) -> Result<Drawn, String> {
    let ink = if dark { &DARK } else { &LIGHT };
    let window = web_sys::window().ok_or("no window")?;
    let dpr = window.device_pixel_ratio().max(1.0);
    let css_width = match canvas.client_width() {
        w if w > 0 => w as f64,
        _ => 640.0,
    };
    // The bitmap matches the content box (inside any border), so one pixel is one device pixel.
    let css_height = match canvas.client_height() {
        h if h > 0 => h as f64,
        _ => CSS_HEIGHT,
    };
    let (width, height) = ((css_width * dpr).round() as u32, (css_height * dpr).round() as u32);
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let c = Canvas { root: backend.into_drawing_area(), dpr, ink };
    c.root.fill(&ink.background).map_err(err)?;
    let value_label = spec.value_label(columns);
    let key_name = columns.get(spec.keys).map_or("", String::as_str);
    let caption = format!("{value_label} by {key_name}");
    let drawn = match kind {
        ChartKind::Bar | ChartKind::Line | ChartKind::Area => {
            let data = spec.categories(table, &value_label);
            if data.keys.is_empty() {
                return waiting(&c);
            }
            draw_categories(&c, kind, &data, &caption)?
        }
        ChartKind::Pie => draw_pie(&c, spec, table, &caption)?,
        ChartKind::Scatter => draw_scatter(&c, spec, table, &value_label, &caption)?,
    };
    c.root.present().map_err(err)?;
    Ok(drawn)
}

fn waiting(c: &Canvas) -> Result<Drawn, String> {
    c.root
        .draw(&Text::new("waiting for rows…", (c.px(16.0), c.px(16.0)), ("sans-serif", 14.0 * c.dpr).into_font().color(&c.ink.muted)))
        .map_err(err)?;
    c.root.present().map_err(err)?;
    Ok(Drawn::default())
}

/// Bar, line and area charts: keys along x (one segment each), a colour per series. A bar
/// chart with a single series colours each bar by its key instead.
fn draw_categories(c: &Canvas, kind: ChartKind, data: &CategoryData, caption: &str) -> Result<Drawn, String> {
    let n = data.keys.len();
    let values = data.series.iter().flat_map(|s| s.values.iter().flatten().copied());
    let (low, high) = value_range(values, kind != ChartKind::Line);
    let mut chart = ChartBuilder::on(&c.root)
        .caption(caption, c.font(13.0))
        .margin(c.px(12.0))
        .x_label_area_size(c.px(28.0))
        .y_label_area_size(c.px(56.0))
        // plotters' integer ranges include their end: 0..n-1 is n segments.
        .build_cartesian_2d((0..n - 1).into_segmented(), low..high)
        .map_err(err)?;
    let labels = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => data.keys.get(*i).cloned().unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(c.ink.light_grid)
        .bold_line_style(c.ink.grid)
        .x_labels(n)
        .x_label_formatter(&labels)
        .label_style(c.font(12.0))
        .axis_style(c.ink.axis)
        .draw()
        .map_err(err)?;
    // Everything below is placed in device pixels from the chart's own mapping.
    let x_of = |i: usize| chart.backend_coord(&(SegmentValue::Exact(i), low)).0;
    let y_of = |v: f64| chart.backend_coord(&(SegmentValue::Exact(0), v)).1;
    let baseline = y_of(0.0_f64.max(low));
    let by_key = kind == ChartKind::Bar && data.series.len() == 1;
    let mut drawn = Drawn::default();
    let series_color = |si: usize| color_for(&data.series[si].name, si);
    if by_key {
        drawn.legend = data.keys.iter().enumerate().map(|(i, k)| LegendEntry { label: k.clone(), color: css(color_for(k, i)) }).collect();
    } else {
        drawn.legend =
            data.series.iter().enumerate().map(|(si, s)| LegendEntry { label: s.name.clone(), color: css(series_color(si)) }).collect();
    }
    let tooltip = |key: &str, series: &str, v: f64| {
        if data.series.len() == 1 {
            format!("{key}: {}", format_value(v))
        } else {
            format!("{key} · {series}: {}", format_value(v))
        }
    };
    match kind {
        ChartKind::Bar => {
            let m = data.series.len() as i32;
            for i in 0..n {
                let (left, right) = (x_of(i) + c.px(10.0), x_of(i + 1) - c.px(10.0));
                let width = (right - left).max(m);
                for (si, s) in data.series.iter().enumerate() {
                    let Some(v) = s.values[i] else { continue };
                    let x0 = left + width * si as i32 / m;
                    let x1 = left + width * (si as i32 + 1) / m - if m > 1 { c.px(2.0) } else { 0 };
                    let color = if by_key { color_for(&data.keys[i], i) } else { series_color(si) };
                    let top = y_of(v);
                    c.root.draw(&Rectangle::new([(x0, top), (x1, baseline)], color.filled())).map_err(err)?;
                    let ((l, t), (r, b)) = (c.css((x0, top)), c.css((x1, baseline)));
                    drawn.hits.push(Hit {
                        shape: Shape::Rect { left: l, top: t, right: r, bottom: b },
                        text: tooltip(&data.keys[i], &s.name, v),
                    });
                }
            }
        }
        ChartKind::Line | ChartKind::Area => {
            let center = |i: usize| (x_of(i) + x_of(i + 1)) / 2;
            for (si, s) in data.series.iter().enumerate() {
                let color = series_color(si);
                // A gap (a key this series has no row for) breaks the line.
                let mut runs: Vec<Vec<(i32, i32)>> = vec![Vec::new()];
                for (i, v) in s.values.iter().enumerate() {
                    match v {
                        Some(v) => {
                            if let Some(run) = runs.last_mut() {
                                run.push((center(i), y_of(*v)));
                            }
                        }
                        None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
                        None => {}
                    }
                }
                for run in runs.iter().filter(|r| !r.is_empty()) {
                    if kind == ChartKind::Area {
                        let mut outline = run.clone();
                        outline.push((run[run.len() - 1].0, baseline));
                        outline.push((run[0].0, baseline));
                        c.root.draw(&Polygon::new(outline, color.mix(0.28).filled())).map_err(err)?;
                    }
                    c.root.draw(&PathElement::new(run.clone(), color.stroke_width(c.px(2.0).max(1) as u32))).map_err(err)?;
                    for &point in run {
                        c.root.draw(&Circle::new(point, c.px(3.5), color.filled())).map_err(err)?;
                    }
                }
                for (i, v) in s.values.iter().enumerate() {
                    if let Some(v) = v {
                        let (x, y) = c.css((center(i), y_of(*v)));
                        drawn.hits.push(Hit { shape: Shape::Point { x, y }, text: tooltip(&data.keys[i], &s.name, *v) });
                    }
                }
            }
        }
        ChartKind::Pie | ChartKind::Scatter => {}
    }
    Ok(drawn)
}

/// A pie: slices clockwise from twelve o'clock, each labelled with its share when there is
/// room.
fn draw_pie(c: &Canvas, spec: &ChartSpec, table: &ResultTable, caption: &str) -> Result<Drawn, String> {
    let slices = spec.slices(table);
    if slices.is_empty() {
        return waiting(c);
    }
    let (w, h) = c.root.dim_in_pixel();
    c.root.draw(&Text::new(caption.to_string(), (c.px(12.0), c.px(10.0)), c.font(13.0))).map_err(err)?;
    let top = c.px(30.0);
    let radius = ((h as i32 - top - c.px(12.0)).min(w as i32 - c.px(24.0)) / 2).max(c.px(10.0));
    let (cx, cy) = (w as i32 / 2, top + (h as i32 - top - c.px(12.0)) / 2);
    let total: f64 = slices.iter().map(|s| s.value).sum();
    let mut drawn = Drawn::default();
    let mut from = 0.0_f64;
    let tau = std::f64::consts::TAU;
    let at = |angle: f64, r: f64| (cx + (r * angle.sin()).round() as i32, cy - (r * angle.cos()).round() as i32);
    for (i, slice) in slices.iter().enumerate() {
        let sweep = slice.value / total * tau;
        let to = from + sweep;
        let color = color_for(&slice.label, i);
        // An arc of short chords: two degrees each is smooth at any size shown.
        let steps = ((sweep / tau * 180.0).ceil() as usize).max(1);
        let mut outline = vec![(cx, cy)];
        outline.extend((0..=steps).map(|k| at(from + sweep * k as f64 / steps as f64, f64::from(radius))));
        c.root.draw(&Polygon::new(outline, color.filled())).map_err(err)?;
        let share = slice.value / total;
        if share >= 0.06 {
            let (lx, ly) = at(from + sweep / 2.0, f64::from(radius) * 0.62);
            let text = format!("{:.0}%", share * 100.0);
            let style = ("sans-serif", 12.0 * c.dpr).into_font().color(&WHITE).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ));
            c.root.draw(&Text::new(text, (lx, ly), style)).map_err(err)?;
        }
        let (ccx, ccy) = c.css((cx, cy));
        drawn.hits.push(Hit {
            shape: Shape::Wedge { cx: ccx, cy: ccy, radius: f64::from(radius) / c.dpr, from, to },
            text: format!("{}: {} ({:.1}%)", slice.label, format_value(slice.value), share * 100.0),
        });
        drawn.legend.push(LegendEntry { label: slice.label.clone(), color: css(color) });
        from = to;
    }
    Ok(drawn)
}

/// A scatter plot: every row a point; keys along x (numbers, or positions of their labels).
fn draw_scatter(c: &Canvas, spec: &ChartSpec, table: &ResultTable, value_label: &str, caption: &str) -> Result<Drawn, String> {
    let data = spec.scatter(table, value_label);
    if data.series.iter().all(|(_, points)| points.is_empty()) {
        return waiting(c);
    }
    let points = || data.series.iter().flat_map(|(_, p)| p.iter().copied());
    let (low, high) = value_range(points().map(|(_, y)| y), false);
    let (left, right) = match &data.x_labels {
        Some(labels) => (-0.5, labels.len() as f64 - 0.5),
        None => value_range(points().map(|(x, _)| x), false),
    };
    let mut chart = ChartBuilder::on(&c.root)
        .caption(caption, c.font(13.0))
        .margin(c.px(12.0))
        .x_label_area_size(c.px(28.0))
        .y_label_area_size(c.px(56.0))
        .build_cartesian_2d(left..right, low..high)
        .map_err(err)?;
    let x_label = |x: &f64| match &data.x_labels {
        // Labels only at whole positions; plotters' ticks in between stay blank.
        Some(labels) if (x - x.round()).abs() < 1e-6 && x.round() >= 0.0 => labels.get(x.round() as usize).cloned().unwrap_or_default(),
        Some(_) => String::new(),
        None => format_value(*x),
    };
    chart
        .configure_mesh()
        .light_line_style(c.ink.light_grid)
        .bold_line_style(c.ink.grid)
        .x_label_formatter(&x_label)
        .label_style(c.font(12.0))
        .axis_style(c.ink.axis)
        .draw()
        .map_err(err)?;
    let mut drawn = Drawn::default();
    for (si, (name, points)) in data.series.iter().enumerate() {
        let color = color_for(name, si);
        drawn.legend.push(LegendEntry { label: name.clone(), color: css(color) });
        for &(x, y) in points {
            let at = chart.backend_coord(&(x, y));
            c.root.draw(&Circle::new(at, c.px(5.0), color.mix(0.85).filled())).map_err(err)?;
            let (hx, hy) = c.css(at);
            let key = match &data.x_labels {
                Some(labels) => labels.get(x as usize).cloned().unwrap_or_default(),
                None => format_value(x),
            };
            let series = if data.series.len() > 1 { format!(" · {name}") } else { String::new() };
            drawn.hits.push(Hit { shape: Shape::Point { x: hx, y: hy }, text: format!("{key}{series}: {}", format_value(y)) });
        }
    }
    Ok(drawn)
}
