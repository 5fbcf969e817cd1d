//! Drawing a bar chart on a canvas with plotters-canvas, sized by the device pixel ratio so it
//! stays crisp on HiDPI screens, in the page's light or dark colours.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::views::Bar;

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

/// A bar's colour: the sensor statuses get traffic-light colours, other labels the palette.
fn color_for(label: &str, index: usize) -> RGBColor {
    match label {
        "OK" => RGBColor(0x2e, 0x9e, 0x5b),
        "WARNING" => RGBColor(0xf0, 0xb4, 0x29),
        "ERROR" => RGBColor(0xd6, 0x3b, 0x3b),
        _ => PALETTE[index % PALETTE.len()],
    }
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

pub fn draw_bar_chart(canvas: &HtmlCanvasElement, bars: &[Bar], caption: &str, dark: bool) -> Result<(), String> {
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
    let root = backend.into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| format!("cannot draw the chart: {e:?}");
    root.fill(&ink.background).map_err(err)?;
    let px = |v: f64| (v * dpr).round() as i32;
    let font = |size: f64| ("sans-serif", size * dpr);
    if bars.is_empty() {
        root.draw(&Text::new("waiting for rows…", (px(16.0), px(16.0)), font(14.0).into_font().color(&ink.muted)))
            .map_err(err)?;
        return root.present().map_err(err);
    }
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let min = bars.iter().map(|b| b.value).fold(0.0_f64, f64::min);
    let span = if max > min { max - min } else { 1.0 };
    let (low, high) = (if min < 0.0 { min - span * 0.08 } else { 0.0 }, max + span * 0.08);
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, font(13.0).into_font().color(&ink.text))
        .margin(px(12.0))
        .x_label_area_size(px(28.0))
        .y_label_area_size(px(56.0))
        // plotters' integer ranges include their end: 0..n-1 is n segments.
        .build_cartesian_2d((0..bars.len() - 1).into_segmented(), low..high)
        .map_err(err)?;
    let labels = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => bars.get(*i).map(|b| b.label.clone()).unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(ink.light_grid)
        .bold_line_style(ink.grid)
        .x_labels(bars.len())
        .x_label_formatter(&labels)
        .label_style(font(12.0).into_font().color(&ink.text))
        .axis_style(ink.axis)
        .draw()
        .map_err(err)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, bar)| {
            let mut rect = Rectangle::new(
                [(SegmentValue::Exact(i), 0.0_f64.max(low)), (SegmentValue::Exact(i + 1), bar.value)],
                color_for(&bar.label, i).filled(),
            );
            rect.set_margin(0, 0, px(10.0) as u32, px(10.0) as u32);
            rect
        }))
        .map_err(err)?;
    root.present().map_err(err)
}
