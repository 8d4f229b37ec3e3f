//! Inline SVG charts of `report.html`, drawn in Rust: the latency percentile distribution
//! (HDR-style log "percentile" axis) and latency and throughput over time.
//!
//! Only reads a [`RunResult`] (decoding its HDR histograms). The SVG is written with
//! maud's `html!` like the rest of the page, so every label is escaped; coordinates are
//! numbers this module computes. Nothing here is inserted unescaped.

use crate::report::result::{LatencyKey, LatencyRecord, RunResult, decode_histogram};
use maud::{Markup, html};

const H: f64 = 280.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 30.0;
/// Width of the percentile chart (a full row) and of the time charts (half a row).
const WIDE: f64 = 1000.0;
const NARROW: f64 = 720.0;
/// Room above the plot for the legend.
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;
const COLORS: [&str; 6] = [
    "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#dc2626",
];
/// The percentile axis ends at 99.99% (x = 4 "nines").
const NINES: f64 = 4.0;

/// One line of a chart: a label and points in data units.
struct Line {
    label: String,
    points: Vec<(f64, f64)>,
    dashed: bool,
    /// Mark each point: per-second series of a short run have only a few.
    dots: bool,
}

/// Latency (ms) against percentile on a log axis: x = log10(1 / (1 - q)), so 90%, 99%,
/// 99.9% and 99.99% are evenly spaced, as HDR histogram plots draw them. One line per
/// operation, dashed for time to first chunk. `None` when there is nothing to draw.
pub fn percentile_chart(result: &RunResult) -> Option<Markup> {
    let mut lines = Vec::new();
    let latency = &result.latency;
    let rows = latency
        .operations
        .iter()
        .map(|r| (r, false))
        .chain(latency.ttfc.iter().map(|r| (r, true)));
    for (record, dashed) in rows {
        if let Some(line) = percentile_line(record, dashed) {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        return None;
    }
    let x_ticks: Vec<(f64, String)> = ["0%", "90%", "99%", "99.9%", "99.99%"]
        .iter()
        .enumerate()
        .map(|(i, l)| (i as f64, (*l).to_string()))
        .collect();
    Some(chart(
        WIDE,
        "Latency by percentile",
        &lines,
        (0.0, NINES),
        &x_ticks,
        "percentile",
        "ms",
    ))
}

fn percentile_line(record: &LatencyRecord, dashed: bool) -> Option<Line> {
    let LatencyKey::Operation { operation } = &record.key else {
        return None;
    };
    let h = decode_histogram(&record.hdr)
        .ok()
        .filter(|h| !h.is_empty())?;
    // Beyond 1 - 1/count every percentile is the maximum: stop there rather than draw a
    // flat line the data cannot support (but always draw up to 90%).
    let end = (h.len() as f64).log10().clamp(1.0, NINES);
    let steps = (end * 40.0).ceil() as usize;
    let points = (0..=steps)
        .map(|i| {
            let x = (i as f64 / 40.0).min(end);
            let q = 1.0 - 10f64.powf(-x);
            (x, h.value_at_quantile(q) as f64 / 1000.0)
        })
        .collect();
    let label = if dashed {
        format!("{} ttfc", operation.as_str())
    } else {
        operation.as_str().to_string()
    };
    Some(Line {
        label,
        points,
        dashed,
        dots: false,
    })
}

/// p50/p95/p99 of the requests finishing in each second. `None` without a timeline.
pub fn latency_over_time(result: &RunResult) -> Option<Markup> {
    let with_samples: Vec<_> = result
        .timeline
        .iter()
        .filter(|p| p.turns > p.errors)
        .collect();
    if with_samples.is_empty() {
        return None;
    }
    let at = |p: &&crate::report::result::TimelinePoint, v: u64| {
        (p.second as f64 + p.seconds as f64 / 2.0, v as f64 / 1000.0)
    };
    let lines = [("p50", 0), ("p95", 1), ("p99", 2)]
        .into_iter()
        .map(|(label, which)| Line {
            label: label.to_string(),
            points: with_samples
                .iter()
                .map(|p| at(p, [p.p50_us, p.p95_us, p.p99_us][which]))
                .collect(),
            dashed: false,
            dots: true,
        })
        .collect::<Vec<_>>();
    let span = time_span(result);
    Some(chart(
        NARROW,
        "Latency over time",
        &lines,
        (0.0, span),
        &time_ticks(span),
        "seconds since start",
        "ms",
    ))
}

/// Requests per second (all, and errors) over time. `None` without a timeline.
pub fn throughput_over_time(result: &RunResult) -> Option<Markup> {
    if result.timeline.iter().all(|p| p.turns == 0) {
        return None;
    }
    let per_second = |p: &crate::report::result::TimelinePoint, n: u64| {
        (
            p.second as f64 + p.seconds as f64 / 2.0,
            n as f64 / p.seconds.max(1) as f64,
        )
    };
    let lines = vec![
        Line {
            label: "requests/s".into(),
            points: result
                .timeline
                .iter()
                .map(|p| per_second(p, p.turns))
                .collect(),
            dashed: false,
            dots: true,
        },
        Line {
            label: "errors/s".into(),
            points: result
                .timeline
                .iter()
                .map(|p| per_second(p, p.errors))
                .collect(),
            dashed: true,
            dots: false,
        },
    ];
    let span = time_span(result);
    Some(chart(
        NARROW,
        "Throughput over time",
        &lines,
        (0.0, span),
        &time_ticks(span),
        "seconds since start",
        "req/s",
    ))
}

fn time_span(result: &RunResult) -> f64 {
    result
        .timeline
        .last()
        .map(|p| (p.second + p.seconds) as f64)
        .unwrap_or(1.0)
        .max(1.0)
}

fn time_ticks(span: f64) -> Vec<(f64, String)> {
    let step = nice_step(span / 5.0);
    (0..=((span / step).floor() as usize))
        .map(|i| (i as f64 * step, trim_number(i as f64 * step)))
        .collect()
}

/// 1, 2 or 5 × 10^k at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let m = raw / magnitude;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

fn trim_number(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Data → SVG coordinates for one chart.
struct Scale {
    w: f64,
    x0: f64,
    x1: f64,
    y1: f64,
}

impl Scale {
    fn x(&self, x: f64) -> f64 {
        LEFT + (x - self.x0) / (self.x1 - self.x0).max(f64::EPSILON) * (self.w - LEFT - RIGHT)
    }

    fn y(&self, y: f64) -> f64 {
        H - BOTTOM - y / self.y1 * (H - TOP - BOTTOM)
    }
}

/// A coordinate as the SVG carries it: one decimal.
fn at(v: f64) -> String {
    format!("{v:.1}")
}

/// The shared frame: axes, grid, ticks, lines and a legend, scaled to the data. SVG
/// elements are never void in HTML, so each is closed (`{}`) rather than left open.
fn chart(
    w: f64,
    title: &str,
    lines: &[Line],
    (x0, x1): (f64, f64),
    x_ticks: &[(f64, String)],
    x_label: &str,
    y_label: &str,
) -> Markup {
    let y_max_data = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let y_step = nice_step(y_max_data.max(0.001) / 4.0);
    let y1 = (y_max_data / y_step).ceil().max(1.0) * y_step;
    let scale = Scale { w, x0, x1, y1 };
    html! {
        figure {
            figcaption { (title) }
            svg.chart viewBox={ "0 0 " (w) " " (H) } role="img" aria-label=(title) {
                (axes(&scale, y_step, x_ticks, (x_label, y_label)))
                @for (i, line) in lines.iter().enumerate() { (draw_line(&scale, line, i)) }
            }
        }
    }
}

/// Horizontal grid lines with y ticks every `y_step`, vertical ones at `x_ticks`, and the
/// axis labels.
fn axes(
    s: &Scale,
    y_step: f64,
    x_ticks: &[(f64, String)],
    (x_label, y_label): (&str, &str),
) -> Markup {
    let y_ticks = (0..=((s.y1 / y_step).round() as usize).min(20)).map(|i| i as f64 * y_step);
    let mid_y = at((TOP + H - BOTTOM) / 2.0);
    html! {
        @for v in y_ticks {
            @let y = at(s.y(v));
            line.grid x1=(LEFT) x2=(at(s.w - RIGHT)) y1=(y) y2=(y) {}
            text.tick x=(at(LEFT - 6.0)) y=(at(s.y(v) + 4.0)) text-anchor="end" { (trim_number(v)) }
        }
        @for (x, label) in x_ticks {
            @let px = at(s.x(*x));
            line.grid x1=(px) x2=(px) y1=(TOP) y2=(at(H - BOTTOM)) {}
            text.tick x=(px) y=(at(H - BOTTOM + 16.0)) text-anchor="middle" { (label) }
        }
        text.axis x=(at((LEFT + s.w - RIGHT) / 2.0)) y=(at(H - 6.0)) text-anchor="middle" {
            (x_label)
        }
        text.axis x="14" y=(mid_y) text-anchor="middle" transform={ "rotate(-90 14 " (mid_y) ")" } {
            (y_label)
        }
    }
}

/// One series: its polyline, dots when it has few points, and its legend entry.
fn draw_line(s: &Scale, line: &Line, index: usize) -> Markup {
    let color = COLORS[index % COLORS.len()];
    let points: Vec<String> = line
        .points
        .iter()
        .map(|(x, y)| format!("{},{}", at(s.x(*x)), at(s.y(*y))))
        .collect();
    // A one-second run is a single point, which a polyline alone would not show.
    let dots = if line.dots && line.points.len() <= 120 {
        line.points.as_slice()
    } else {
        &[]
    };
    let lx = LEFT + 10.0 + (index as f64) * 110.0;
    html! {
        polyline fill="none" stroke=(color) stroke-width="2"
            stroke-dasharray=[line.dashed.then_some("6 4")] points=(points.join(" ")) {
            title { (line.label) }
        }
        @for (x, y) in dots {
            circle cx=(at(s.x(*x))) cy=(at(s.y(*y))) r="3" fill=(color) {}
        }
        rect x=(at(lx)) y="8" width="12" height="3" fill=(color) {}
        text.legend x=(at(lx + 16.0)) y="13" { (line.label) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_five() {
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(120.0), 200.0);
        assert_eq!(trim_number(2.5), "2.5");
        assert_eq!(trim_number(10.0), "10");
    }
}
