//! Live progress of a load run: an updating line on a terminal (indicatif), a plain line
//! every 10 seconds otherwise (CI logs), nothing with `--quiet`. Written to stderr so the
//! summary on stdout stays clean.

use crate::common::format::format_duration;
use crate::runner::load::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Seconds between plain progress lines when stderr is not a terminal.
const PLAIN_EVERY: u64 = 10;

pub enum ProgressView {
    Quiet,
    /// Drawn from the first update on, so that it never starts before (and on the same
    /// line as) the header that `convoy run` prints when the run starts.
    Bar(Option<ProgressBar>),
    Plain {
        last_line_at: u64,
    },
}

impl ProgressView {
    pub fn new(quiet: bool) -> ProgressView {
        if quiet {
            ProgressView::Quiet
        } else if std::io::stderr().is_terminal() {
            ProgressView::Bar(None)
        } else {
            ProgressView::Plain { last_line_at: 0 }
        }
    }

    pub fn update(&mut self, progress: &Progress) {
        match self {
            ProgressView::Quiet => {}
            ProgressView::Bar(bar) => bar
                .get_or_insert_with(spinner)
                .set_message(describe(progress)),
            ProgressView::Plain { last_line_at } => {
                let second = progress.elapsed.as_secs();
                if second >= *last_line_at + PLAIN_EVERY {
                    *last_line_at = second - second % PLAIN_EVERY;
                    eprintln!("{}", describe(progress));
                }
            }
        }
    }

    pub fn finish(&self) {
        if let ProgressView::Bar(Some(bar)) = self {
            bar.finish_and_clear();
        }
    }
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// `12s (48s left) · 128 active · 845 req/s · 0 errors · p50 4.12ms p95 9.03ms · 310
/// sessions, pass 99.8%`; `p50 - p95 -` before the first answer.
pub fn describe(p: &Progress) -> String {
    let elapsed = format!("{}s", p.elapsed.as_secs());
    let clock = match p.remaining {
        Some(remaining) if !p.stopping => format!("{elapsed} ({}s left)", remaining.as_secs()),
        _ if p.stopping => format!("{elapsed} (stopping)"),
        _ => elapsed,
    };
    let pass = match p.sessions_completed {
        0 => "-".to_string(),
        n => format!("{:.1}%", 100.0 * p.sessions_passed as f64 / n as f64),
    };
    // No latency is ever 0 µs: both at 0 means nothing was answered yet.
    let no_samples = p.p50_us == 0 && p.p95_us == 0;
    let us = |v: u64| {
        if no_samples {
            "-".to_string()
        } else {
            format_duration(Duration::from_micros(v))
        }
    };
    format!(
        "{clock} · {} active · {} req/s · {} errors · p50 {} p95 {} · {} sessions, pass {pass}",
        p.active_sessions,
        p.requests_per_second,
        p.errors,
        us(p.p50_us),
        us(p.p95_us),
        p.sessions_completed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(p50_us: u64, p95_us: u64) -> Progress {
        Progress {
            elapsed: Duration::from_secs(12),
            remaining: Some(Duration::from_secs(48)),
            active_sessions: 4,
            sessions_completed: 0,
            sessions_passed: 0,
            requests: 0,
            errors: 0,
            requests_per_second: 0,
            p50_us,
            p95_us,
            stopping: false,
        }
    }

    /// Latency in three significant figures, and none at all before the first answer.
    #[test]
    fn describes_latency_or_its_absence() {
        let line = describe(&progress(1_234, 12_345));
        assert!(line.contains("p50 1.23ms p95 12.3ms"), "{line}");
        let line = describe(&progress(0, 0));
        assert!(line.contains("p50 - p95 -"), "{line}");
        assert!(!line.contains("µs"), "{line}");
    }
}
