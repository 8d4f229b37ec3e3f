//! `fields.csv`: the extraction scorecard, one row per field key overall (`scope` =
//! `overall`) then per suite (`scope` = `suite`). Only reads a [`RunResult`].

use crate::report::cells::csv_cell;
use crate::report::result::{FieldScoreRow, RunResult};

const HEADER: [&str; 10] = [
    "scope",
    "suite",
    "field",
    "expected",
    "correct",
    "wrong",
    "missed",
    "unexpected",
    "precision",
    "recall",
];

/// Renders `fields.csv` (a header only when the run checked no field).
pub fn fields_csv(result: &RunResult) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER)?;
    let overall = result.scorecard.overall.iter().map(|f| ("overall", "", f));
    let suites = result
        .scorecard
        .suites
        .iter()
        .flat_map(|s| s.fields.iter().map(move |f| ("suite", s.suite.as_str(), f)));
    for (scope, suite, field) in overall.chain(suites) {
        writer.write_record(
            row(scope, suite, field)
                .iter()
                .map(|c| csv_cell(c).into_owned()),
        )?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn row(scope: &str, suite: &str, f: &FieldScoreRow) -> [String; 10] {
    // Ratios as fractions with 4 decimals; empty when undefined (nothing to divide by).
    let ratio = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
    [
        scope.to_string(),
        suite.to_string(),
        f.field.clone(),
        f.expected.to_string(),
        f.correct.to_string(),
        f.wrong.to_string(),
        f.missed.to_string(),
        f.unexpected.to_string(),
        ratio(f.precision),
        ratio(f.recall),
    ]
}
