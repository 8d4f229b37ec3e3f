//! Renders finished runs for people and machines. Writers only read a
//! [`result::RunResult`]; they never run anything and never see a runner type, and
//! everything that came from the API or a suite is shown as data, not markup.
//!
//! - [`result`]: the model every output is rendered from (`run.json`, verbatim).
//! - [`files`]: writes a chosen set of files into a directory: [`turns_csv`],
//!   [`latency_csv`], [`fields_csv`], [`personas_csv`], [`junit`] (with `junit_run` and
//!   `junit_persona`), [`turns_mode`] (which rows `turns.csv` keeps), [`summary_md`] (with
//!   `persona_md`; `form_summary_text` writes the `summary:` checks there, in junit.xml and
//!   in the terminal), [`html`] (the self-contained
//!   `report.html`); `persona_rows` holds the rows the personas tables share.
//! - [`console`] (with `console_failures`, `console_figures`, [`load_console`],
//!   `persona_console` and `stream_console`): the terminal summary, the same for a run
//!   and for `convoy report run.json`.
//! - [`threshold`]: evaluates thresholds on a result; [`regress_text`]: the regression
//!   notes; [`diff`]: structured diffs of expected and actual JSON; [`cells`]: escaping
//!   and number formats shared by the writers.
//! - [`merge`]: combines the results of the shards of one run; [`compare`]: what changed
//!   between two runs, and whether it is larger than the noise.

pub mod cells;
pub mod compare;
pub mod console;
mod console_failures;
mod console_figures;
pub mod console_transcripts;
pub mod diff;
pub mod fields_csv;
pub mod files;
mod form_summary_text;
pub mod html;
pub mod junit;
mod junit_persona;
mod junit_run;
pub mod latency_csv;
pub mod load_console;
pub mod merge;
mod persona_console;
mod persona_md;
mod persona_rows;
pub mod personas_csv;
pub mod regress_text;
pub mod result;
mod stream_console;
pub mod summary_md;
pub mod threshold;
pub mod turns_csv;
pub mod turns_mode;

pub use files::{Format, ReportError, write_reports};
pub use result::RunResult;
pub use turns_csv::TurnsCsvWriter;
