//! The `--format` flag shared by `run`, `report` and `merge`: which report files to write.

use crate::report::files::Format;

/// A parsed `--format` list (a newtype so clap takes it as one value, not many).
#[derive(Debug, Clone, PartialEq)]
pub struct FormatList(pub Vec<Format>);

pub fn parse_format_list(text: &str) -> Result<FormatList, String> {
    let formats = crate::report::files::parse_formats(text)?;
    if formats.is_empty() {
        return Err("--format needs at least one of json, csv, junit, md, html".to_string());
    }
    Ok(FormatList(formats))
}
