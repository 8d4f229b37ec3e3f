//! Suite files: the YAML model, loading, validation with `file:line:col` diagnostics, and
//! matchers. Pure: no I/O but reading files; never depends on the client, runner or reports.

pub mod matcher;
pub mod model;

pub use model::*;
pub mod load;

pub use load::{Diagnostic, Loaded, load_paths};
