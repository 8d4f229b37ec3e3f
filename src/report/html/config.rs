//! The Configuration section of `report.html`: what the run was asked to do, as a small
//! definition list of the settings that are set ([`RunConfig::entries`]). Markup is
//! maud's `html!` (every value escaped); nothing here is inserted unescaped.

use super::text::visible;
use crate::report::result::RunConfig;
use maud::{Markup, html};

/// `None` when nothing is recorded (cannot happen for a run.json with a target).
pub fn configuration(config: &RunConfig) -> Option<Markup> {
    let entries = config.entries();
    if entries.is_empty() {
        return None;
    }
    Some(html! {
        dl.config {
            @for (label, value) in &entries {
                dt { (visible(label)) }
                dd { code { (visible(value)) } }
            }
        }
    })
}
