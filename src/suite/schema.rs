//! The suite format's JSON Schema (draft 2020-12), generated from the loader's own serde
//! types in [`super::raw`] so it cannot drift from what the loader accepts; `convoy schema`
//! prints it and `schema/suite.schema.json` keeps a copy for editors.
//!
//! Describes only: the schema helps an editor complete and flag keys, while the validator
//! stays the authority (with positions and every semantic rule).

use super::raw::RawSuite;
use schemars::generate::SchemaSettings;

/// The schema as JSON.
pub fn suite_schema() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<RawSuite>().to_value()
}

/// The schema as `convoy schema` prints it: pretty JSON ending in a newline, the exact
/// text of `schema/suite.schema.json`.
pub fn suite_schema_text() -> String {
    // A `Value` always serializes; the fallback only keeps this free of a panic path.
    let mut text = serde_json::to_string_pretty(&suite_schema()).unwrap_or_default();
    text.push('\n');
    text
}
