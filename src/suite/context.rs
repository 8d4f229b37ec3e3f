//! The validation context of one file: its name and text, and the diagnostics found so far.
//! Validators push every problem here and carry on, so one run reports them all.

use crate::common::diagnostic::Diagnostic;
use crate::suite::model::Loc;
use crate::suite::node::{Node, Pos};
use serde_json::Value;
use std::sync::Arc;

pub struct Ctx<'a> {
    pub file: Arc<str>,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &str, source: &'a str) -> Ctx<'a> {
        Ctx {
            file: Arc::from(file),
            source,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, pos: Pos, title: impl Into<String>, help: impl Into<String>) {
        let diagnostic = Diagnostic::at(&self.file, self.source, pos, title, help);
        self.diagnostics.push(diagnostic);
    }

    pub fn loc(&self, pos: Pos) -> Loc {
        Loc {
            file: Arc::clone(&self.file),
            line: pos.line,
            column: pos.column,
        }
    }

    /// The node as JSON, or an error where a mapping key is not a plain value.
    pub fn json(&mut self, node: &Node) -> Option<Value> {
        match node.to_json() {
            Ok(value) => Some(value),
            Err(bad) => {
                self.error(
                    bad.pos,
                    "a mapping key must be a plain value",
                    "use a string, number or boolean as the key, not a list or a mapping",
                );
                None
            }
        }
    }
}
