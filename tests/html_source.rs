//! The source of `report.html` (src/report/html) escapes by construction: markup is
//! written with maud's `html!`, which escapes every spliced value. This reads each file
//! and fails on what would bring hand-made escaping back: an `esc(` call, a `write!`
//! into the page, a `format!` whose format string holds a tag, a string literal opening
//! a tag, or a `PreEscaped(` without a `// safe:` comment saying why its content cannot
//! come from a suite or a server. Test code (after `#[cfg(test)]`) is not checked.

use std::path::{Path, PathBuf};

fn html_sources() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report/html");
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .expect("src/report/html")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable source");
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            (p, code)
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 9,
        "only {} files in {}",
        files.len(),
        dir.display()
    );
    files
}

/// The format string of each `format!(` in `code`: the first string literal after it.
fn format_strings(code: &str) -> Vec<&str> {
    code.match_indices("format!(")
        .filter_map(|(at, _)| {
            let rest = &code[at..];
            let open = rest.find('"')? + 1;
            let close = rest[open..].find('"')?;
            Some(&rest[open..open + close])
        })
        .collect()
}

#[test]
fn no_hand_made_escaping_or_tag_building() {
    for (path, code) in html_sources() {
        let name = path.display();
        assert!(!code.contains("esc("), "{name}: calls esc(");
        for banned in ["write!(", "writeln!(", "push_str(\"<"] {
            assert!(
                !code.contains(banned),
                "{name}: builds markup with {banned}"
            );
        }
        for s in format_strings(&code) {
            assert!(!s.contains('<'), "{name}: format!(\"{s}\") builds a tag");
        }
        for (n, line) in code.lines().enumerate() {
            assert!(
                !line.contains("\"<"),
                "{name}:{}: a string literal opens a tag: {line}",
                n + 1
            );
        }
    }
}

#[test]
fn every_raw_insertion_says_why_it_is_safe() {
    let mut seen = 0;
    for (path, code) in html_sources() {
        let lines: Vec<&str> = code.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !line.contains("PreEscaped(") {
                continue;
            }
            seen += 1;
            let before = if n > 0 { lines[n - 1] } else { "" };
            assert!(
                line.contains("// safe:") || before.contains("// safe:"),
                "{}:{}: PreEscaped( without a `// safe:` comment",
                path.display(),
                n + 1
            );
        }
    }
    // The page's CSS and its two scripts: a check that found none would check nothing.
    assert!(seen >= 3, "only {seen} PreEscaped( found");
}
