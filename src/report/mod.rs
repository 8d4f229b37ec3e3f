//! Renders finished runs for people and machines. Writers only read results; they never
//! run anything, and everything that came from the API is shown as data, not markup.
//!
//! [`result::RunResult`] is the model every file is rendered from; [`files`] writes a
//! chosen set of files into a directory; [`threshold`] evaluates thresholds on a result;
//! [`html`] renders the self-contained `report.html`; [`merge`] combines the results of
//! the shards of one run.

pub mod cells;
pub mod compare;
pub mod console;
mod console_failures;
mod console_figures;
pub mod diff;
pub mod fields_csv;
pub mod files;
pub mod html;
pub mod junit;
mod junit_run;
pub mod latency_csv;
pub mod load_console;
pub mod merge;
pub mod regress_text;
pub mod result;
mod stream_console;
pub mod summary_md;
pub mod threshold;
pub mod turns_csv;

pub use files::{Format, ReportError, write_reports};
pub use result::RunResult;
pub use turns_csv::TurnsCsvWriter;
