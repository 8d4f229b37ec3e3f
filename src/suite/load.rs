//! Loading suites from files and directories: walking directories for `*.yaml`/`*.yml`
//! (hidden entries skipped, sorted), reading and validating each file, the cross-file check
//! that a form id always has the same fields, and resolving `${VAR}` form ids.

pub use crate::common::diagnostic::Diagnostic;
use crate::common::diagnostic::source_line;
use crate::suite::context::Ctx;
use crate::suite::file;
use crate::suite::form::is_guid;
use crate::suite::model::{Form, FormId, Suite};
use crate::suite::validate::{Validated, validate_suite};
use crate::suite::yaml;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Everything loaded from a set of paths: the valid suites and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub suites: Vec<Suite>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file that validated, with what the cross-file checks need to point into it.
struct LoadedFile {
    label: String,
    source: String,
    validated: Validated,
}

/// Loads every suite below `paths` (files, or directories walked recursively), reporting
/// every problem of every file.
pub fn load_paths(paths: &[PathBuf]) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        for file in suite_files(path, &mut diagnostics) {
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    let mut loaded = Vec::new();
    for file in files {
        match load_file(&file) {
            Ok(ok) => loaded.push(ok),
            Err(mut found) => diagnostics.append(&mut found),
        }
    }
    diagnostics.extend(conflicting_forms(&loaded));
    Loaded {
        suites: loaded.into_iter().map(|f| f.validated.suite).collect(),
        diagnostics,
    }
}

/// Loads one suite from text; `path_label` names the file in diagnostics and locations.
pub fn load_str(path_label: &str, text: &str) -> Result<Suite, Vec<Diagnostic>> {
    load_text(path_label, Path::new(path_label), text).map(|v| v.suite)
}

/// Loads one suite from raw bytes (checked for UTF-8 first), as read from a file.
pub fn load_bytes(path_label: &str, bytes: &[u8]) -> Result<Suite, Vec<Diagnostic>> {
    let text = yaml::decode(path_label, bytes).map_err(|d| vec![d])?;
    load_str(path_label, text)
}

fn load_text(label: &str, path: &Path, text: &str) -> Result<Validated, Vec<Diagnostic>> {
    let raw = yaml::parse(label, text).map_err(|d| vec![d])?;
    let mut cx = Ctx::new(label, text);
    match validate_suite(raw, path, &mut cx) {
        Some(v) if cx.diagnostics.is_empty() => Ok(v),
        _ => {
            // Validation visits keys in its own order; the user reads the file top down.
            let mut diagnostics = cx.diagnostics;
            diagnostics.sort_by_key(|d| (d.line, d.column));
            // A data-driven conversation is validated once per row: one mistake in it
            // would otherwise be reported once per row.
            let mut unique: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
            for d in diagnostics {
                if !unique.contains(&d) {
                    unique.push(d);
                }
            }
            Err(unique)
        }
    }
}

fn load_file(path: &Path) -> Result<LoadedFile, Vec<Diagnostic>> {
    let label = path.display().to_string();
    let bytes = file::read_capped(path, file::MAX_SUITE_BYTES).map_err(|err| {
        let help = match err {
            file::ReadError::TooLarge { limit } => {
                format!("a suite file is at most {limit} bytes; split it into several files")
            }
            _ => "check that the path is a readable suite file".to_owned(),
        };
        vec![Diagnostic::whole_file(
            &label,
            format!("cannot read the file: {err}"),
            help,
        )]
    })?;
    let text = yaml::decode(&label, &bytes).map_err(|d| vec![d])?;
    let validated = load_text(&label, path, text)?;
    Ok(LoadedFile {
        source: text.to_owned(),
        label,
        validated,
    })
}

/// The suite files a path names: itself if it is a file, else the `*.yaml`/`*.yml` files
/// below it, sorted.
fn suite_files(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let label = path.display().to_string();
    match fs::metadata(path) {
        Err(err) => {
            let title = if err.kind() == std::io::ErrorKind::NotFound {
                "no such file or directory".to_owned()
            } else {
                format!("cannot read the path: {err}")
            };
            diagnostics.push(Diagnostic::whole_file(
                &label,
                title,
                "give suite files or directories of suites (the default is `suites`)",
            ));
            Vec::new()
        }
        Ok(meta) if meta.is_dir() => {
            let mut files = Vec::new();
            walk(path, &mut files, diagnostics);
            files.sort();
            if files.is_empty() {
                diagnostics.push(Diagnostic::whole_file(
                    &label,
                    "no suite files in this directory",
                    "suite files end in `.yaml` or `.yml`; hidden files and directories are skipped",
                ));
            }
            files
        }
        Ok(_) => vec![path.to_path_buf()],
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            diagnostics.push(Diagnostic::whole_file(
                &dir.display().to_string(),
                format!("cannot read the directory: {err}"),
                "check its permissions, or leave it out",
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        // Symlinked directories are not followed, so a link cycle cannot loop the walk;
        // symlinked files are read.
        if kind.is_dir() {
            walk(&path, files, diagnostics);
        } else if is_suite_name(&path)
            && !is_pending_name(&path)
            && (kind.is_file() || path.is_file())
        {
            files.push(path);
        }
    }
}

/// `x.pending.yaml`, written by `convoy record`: not a suite until accepted, so a
/// directory walk leaves it out (named explicitly, it loads like any file).
fn is_pending_name(path: &Path) -> bool {
    path.file_stem()
        .is_some_and(|s| s.to_string_lossy().ends_with(".pending"))
}

fn is_suite_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// How a form id is compared across files: GUIDs in any case, placeholders by name.
fn form_key(id: &FormId) -> String {
    match id {
        FormId::Guid(g) => g.to_ascii_lowercase(),
        FormId::Env { var, .. } => format!("${{{var}}}"),
    }
}

/// The same form id declared with different fields in two files: the mock could serve
/// only one of them, so one suite would silently test another form.
fn conflicting_forms(files: &[LoadedFile]) -> Vec<Diagnostic> {
    let mut first: HashMap<String, &LoadedFile> = HashMap::new();
    let mut diagnostics = Vec::new();
    for file in files {
        let form = &file.validated.suite.form;
        let key = form_key(&form.id);
        match first.get(&key) {
            None => {
                first.insert(key, file);
            }
            Some(earlier) if earlier.validated.suite.form.fields != form.fields => {
                diagnostics.push(Diagnostic::at(
                    &file.label,
                    &file.source,
                    file.validated.form_id_pos,
                    format!(
                        "form `{key}` is declared with different fields in `{}`",
                        earlier.label
                    ),
                    "declare a form identically in every file that uses it, or keep it in one \
                     form-only file; the mock serves one set of fields per form id",
                ));
            }
            Some(_) => {}
        }
    }
    diagnostics
}

/// The form id to send: the GUID, or the value of its `${VAR}` (which must be set to a GUID).
pub fn resolve_form_id(
    form: &Form,
    env: impl Fn(&str) -> Option<String>,
) -> Result<String, Diagnostic> {
    let (var, loc) = match &form.id {
        FormId::Guid(guid) => return Ok(guid.clone()),
        FormId::Env { var, loc } => (var, loc),
    };
    let (title, help) = match env(var).map(|v| v.trim().to_owned()) {
        Some(value) if is_guid(&value) => return Ok(value),
        Some(value) if !value.is_empty() => (
            format!("environment variable `{var}` is not a GUID: `{value}`"),
            format!("set `{var}` to the form's GUID (8-4-4-4-12 hex digits)"),
        ),
        _ => (
            format!("environment variable `{var}` is not set"),
            format!(
                "set it to the form's GUID (e.g. `export {var}=5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10`), \
                 or write the GUID in `form.id`"
            ),
        ),
    };
    // Best effort: the suite may have been loaded from a string or moved since.
    let line = fs::read_to_string(&*loc.file)
        .ok()
        .and_then(|text| source_line(&text, loc.line));
    Err(Diagnostic {
        file: loc.file.to_string(),
        line: loc.line,
        column: loc.column,
        span_len: var.chars().count() + 3,
        source_line: line,
        title,
        help,
    })
}
