//! The `data:` file of a data-driven conversation or persona: a CSV whose header row names
//! the variables and whose every row is one expansion, with cells typed when they print
//! back as written. Owns reading and checking that one file (size cap, row cap, ragged
//! rows); must not fill any placeholder, which is [`crate::suite::expand`]'s job.

use crate::suite::context::Ctx;
use crate::suite::expand::{Vars, is_name};
use crate::suite::file;
use crate::suite::node::{NodeValue, Pos};
use serde_json::Number;
use serde_saphyr::Spanned;
use std::path::Path;

/// More rows than this is a load-test corpus, not a suite; refused rather than expanded.
const MAX_ROWS: usize = 10_000;

/// The rows of a `data:` CSV (header = variable names), numbered from 1 after the header.
pub(super) fn read_rows(
    data: &Spanned<String>,
    suite_path: &Path,
    cx: &mut Ctx,
) -> Option<Vec<(usize, Vars)>> {
    let pos = Pos::of(data);
    let path = suite_path
        .parent()
        .unwrap_or(Path::new(""))
        .join(&data.value);
    let fail = |cx: &mut Ctx, title: String, help: &str| {
        cx.error(pos, title, help);
        None
    };
    let bytes = match file::read_capped(&path, file::MAX_DATA_BYTES) {
        Ok(bytes) => bytes,
        Err(err) => {
            let help = match err {
                file::ReadError::TooLarge { .. } => "split the rows over several data files",
                file::ReadError::NotRegular { .. } => {
                    "`data:` must name a regular CSV file, not a device, FIFO or directory"
                }
                _ => "`data:` names a CSV file relative to the suite file",
            };
            let title = format!("cannot read data file `{}`: {err}", data.value);
            return fail(cx, title, help);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(err) => return fail(cx, csv_problem(&data.value, &err), CSV_HELP),
    };
    if let Some(bad) = headers.iter().find(|h| !is_name(h)) {
        let title = format!("`{}`: column `{bad}` is not a variable name", data.value);
        return fail(
            cx,
            title,
            "the header row names the variables: letters, digits and `_`",
        );
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(err) => return fail(cx, csv_problem(&data.value, &err), CSV_HELP),
        };
        if rows.len() == MAX_ROWS {
            let title = format!("`{}` has more than {MAX_ROWS} rows", data.value);
            return fail(cx, title, "split the data over several conversations");
        }
        let vars = headers
            .iter()
            .zip(record.iter())
            .map(|(h, cell)| (h.clone(), cell_value(cell)))
            .collect();
        rows.push((index + 1, vars));
    }
    if rows.is_empty() {
        let title = format!("`{}` has no data rows", data.value);
        return fail(
            cx,
            title,
            "add one row per conversation below the header row",
        );
    }
    Some(rows)
}

const CSV_HELP: &str = "every row of a `data:` file has as many values as the header row";

fn csv_problem(file: &str, err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(0, csv::Position::line);
            format!("`{file}` line {line} has {len} values, the header has {expected_len}")
        }
        _ => format!("`{file}` is not valid CSV: {err}"),
    }
}

/// A CSV cell as a typed value: `true`/`false` and numbers that print back exactly as
/// written (so `01234` stays text) are typed; everything else is text.
fn cell_value(cell: &str) -> NodeValue {
    match cell {
        "true" => return NodeValue::Bool(true),
        "false" => return NodeValue::Bool(false),
        _ => {}
    }
    let number = cell
        .parse::<i64>()
        .ok()
        .map(Number::from)
        .or_else(|| cell.parse::<f64>().ok().and_then(Number::from_f64));
    match number {
        Some(n) if n.to_string() == cell => NodeValue::Number(n),
        _ => NodeValue::String(cell.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_typed_only_when_they_print_back() {
        assert_eq!(cell_value("2"), NodeValue::Number(2.into()));
        assert_eq!(cell_value("01234"), NodeValue::String("01234".into()));
        assert_eq!(cell_value("true"), NodeValue::Bool(true));
        assert_eq!(cell_value("Dana"), NodeValue::String("Dana".into()));
    }
}
