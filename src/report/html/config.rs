//! The Configuration section of `report.html`: what the run was asked to do, as a small
//! definition list of the settings that are set ([`RunConfig::entries`]).

use super::escape::esc;
use crate::report::result::RunConfig;
use std::fmt::Write;

/// `None` when nothing is recorded (cannot happen for a run.json with a target).
pub fn configuration(config: &RunConfig) -> Option<String> {
    let entries = config.entries();
    if entries.is_empty() {
        return None;
    }
    let mut out = String::from("<dl class=\"config\">");
    for (label, value) in entries {
        let _ = write!(
            out,
            "<dt>{}</dt><dd><code>{}</code></dd>",
            esc(label),
            esc(&value)
        );
    }
    out.push_str("</dl>");
    Some(out)
}
