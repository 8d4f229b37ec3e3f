//! Live progress of a load run: an updating line on a terminal (indicatif), a plain line
//! every 10 seconds otherwise (CI logs), nothing with `--quiet`. Written to stderr so the
//! summary on stdout stays clean.

use crate::runner::describe::format_duration;
use crate::runner::load::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Seconds between plain progress lines when stderr is not a terminal.
const PLAIN_EVERY: u64 = 10;

pub enum ProgressView {
    Quiet,
    Bar(ProgressBar),
    Plain { last_line_at: u64 },
}

impl ProgressView {
    pub fn new(quiet: bool) -> ProgressView {
        if quiet {
            ProgressView::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            ProgressView::Bar(bar)
        } else {
            ProgressView::Plain { last_line_at: 0 }
        }
    }

    pub fn update(&mut self, progress: &Progress) {
        match self {
            ProgressView::Quiet => {}
            ProgressView::Bar(bar) => bar.set_message(describe(progress)),
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
        if let ProgressView::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// `12s / 1m · 128 active · 845 req/s · 0 errors · p50 4ms p95 9ms · pass 99.8%`
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
    let us = |v: u64| format_duration(Duration::from_micros(v));
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
