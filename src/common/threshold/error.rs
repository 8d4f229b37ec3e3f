//! [`ThresholdError`]: a bad threshold expression, with where it is wrong and how to fix
//! it, rendered with a caret under the bad part for command-line flags.

/// A bad expression: what is wrong, where (a byte range of the trimmed expression) and how
/// to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{title}")]
pub struct ThresholdError {
    pub expression: String,
    pub title: String,
    pub help: String,
    /// Byte offset and length in `expression` of the bad part.
    pub start: usize,
    pub len: usize,
}

impl ThresholdError {
    /// The message for a command-line flag: title, the expression, a caret line, help.
    pub fn render(&self) -> String {
        // `start` is a byte offset at a char boundary when built by `parse`; a hand-made
        // error with a bad offset still renders (caret at the start) instead of panicking.
        let before = self.expression.get(..self.start).unwrap_or("");
        let pad = before.chars().count();
        let width = self
            .expression
            .get(before.len()..)
            .unwrap_or("")
            .chars()
            .take(self.len.max(1))
            .count()
            .max(1);
        format!(
            "invalid threshold: {}\n  | {}\n  | {}{}\n  = help: {}",
            self.title,
            self.expression,
            " ".repeat(pad),
            "^".repeat(width),
            self.help
        )
    }
}
