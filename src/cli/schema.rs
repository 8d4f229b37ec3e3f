//! `convoy schema [--out FILE]`: prints the suite format's JSON Schema, or writes it to a
//! file (atomically, so an editor never reads half a schema). The schema itself comes from
//! [`crate::suite::schema`]; this file only chooses where it goes.

use super::exit;
use crate::report::files::write_atomically;
use crate::suite::schema::suite_schema_text;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to FILE instead of standard output (e.g. schema/suite.schema.json).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn schema(args: SchemaArgs) -> u8 {
    let text = suite_schema_text();
    let Some(path) = args.out else {
        out!("{text}");
        return exit::PASSED;
    };
    match write_atomically(&path, text.as_bytes()) {
        Ok(()) => exit::PASSED,
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", path.display());
            exit::USAGE
        }
    }
}
