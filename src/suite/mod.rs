//! Suite files: the YAML model, loading, validation with `file:line:col` diagnostics, and
//! matchers. Pure: no I/O but reading files; never depends on the client, runner or reports.
//!
//! The pipeline of one file: [`yaml`] checks the encoding and parses into the serde types
//! of [`raw`] (free-form parts as position-keeping [`node::Node`]s); [`expand`] (with
//! [`expand_data`] for `data:` CSVs) expands data-driven conversations and personas;
//! [`validate`] (with [`form`], [`validate_conv`], [`expect`], [`expect_prompt`],
//! [`matcher_parse`] and [`matcher_range`] for conversations, [`validate_persona`],
//! [`fact_check`] and [`persona_expect`] for personas) turns them into the [`model`],
//! reporting every problem as a [`Diagnostic`]; expectations and facts are checked against
//! the form's fields ([`form_keys`], [`matcher_check`]); [`load`] walks paths and runs the
//! cross-file checks; [`file`] reads suite and data files with a size cap, refusing devices
//! and FIFOs. [`schema`] derives the format's JSON Schema from the [`raw`] types (the shapes
//! of their free-form parts in `schema_shapes`).

mod context;
mod expand;
mod expand_data;
mod expect;
mod expect_prompt;
mod fact_check;
pub mod file;
pub mod form;
mod form_keys;
pub mod load;
pub mod matcher;
mod matcher_check;
mod matcher_parse;
mod matcher_range;
pub mod model;
pub mod node;
mod persona_expect;
mod raw;
pub mod schema;
mod schema_shapes;
pub mod summary_expect;
mod validate;
mod validate_conv;
mod validate_persona;
mod yaml;

pub use crate::common::diagnostic::Diagnostic;
pub use load::{Loaded, load_bytes, load_paths, load_str, resolve_form_id};
pub use model::*;
pub use summary_expect::{Mention, SummaryExpect, SummaryMiss};
