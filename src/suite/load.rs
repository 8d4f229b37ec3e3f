//! Loading suite files and directories (scaffold: replaced by the real loader).

use crate::suite::Suite;
use std::fmt;
use std::path::PathBuf;

/// A rendered, user-facing suite error (`--> file:line:col`, the line, a caret, a fix).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rendered: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

/// Everything loaded from a set of paths: the valid suites and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub suites: Vec<Suite>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load_paths(_paths: &[PathBuf]) -> Loaded {
    Loaded::default()
}
