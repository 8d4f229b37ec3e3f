//! The documentation stands alone: every relative link of README.md and docs/*.md names a
//! file of the repository, and no page sends the reader to a document the repository
//! does not have (the design notes and API notes convoy was written from, or a `shared/`
//! folder beside the checkout). A reader of a clone has only what is in it.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Names of documents outside the repository, lower-case (matched case-insensitively).
const OUTSIDE: [&str; 3] = ["design.md", "api.md", "shared/"];

/// README.md and every docs/*.md.
fn pages() -> Vec<PathBuf> {
    let root = Path::new(ROOT);
    let mut pages = vec![root.join("README.md")];
    let docs = root.join("docs");
    let mut in_docs: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap_or_else(|e| panic!("{}: {e}", docs.display()))
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    in_docs.sort();
    pages.extend(in_docs);
    pages
}

/// The prose of a page: fenced code blocks and inline code spans blanked out, so that a
/// shell example or a JSON sample is not read as a link. Lines keep their numbers.
fn prose(text: &str) -> Vec<String> {
    let mut fenced = false;
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                return String::new();
            }
            if fenced {
                return String::new();
            }
            let mut out = String::with_capacity(line.len());
            let mut in_code = false;
            for c in line.chars() {
                if c == '`' {
                    in_code = !in_code;
                } else if !in_code {
                    out.push(c);
                }
            }
            out
        })
        .collect()
}

/// (line number, target) of every inline link or image `[text](target)` and every
/// reference definition `[label]: target` in the page's prose.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in prose(text).iter().enumerate() {
        let number = index + 1;
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            // `[text](target "title")`: the target is the first word.
            let target = after[..end].split_whitespace().next().unwrap_or_default();
            found.push((number, target.trim_matches(['<', '>']).to_string()));
            rest = &after[end..];
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[')
            && let Some((_, target)) = trimmed.split_once("]: ")
        {
            found.push((number, target.trim().to_string()));
        }
    }
    found
}

/// Whether a link leaves the repository's files: a URL (`https:`, `mailto:`) or an
/// anchor of the same page.
fn is_relative_file(target: &str) -> bool {
    !target.is_empty() && !target.starts_with('#') && !target.contains(':')
}

/// The broken relative links of `page` (whose text is `text`): a target that does not
/// exist, or that resolves outside the repository.
fn broken_links(page: &Path, text: &str) -> Vec<String> {
    let root = Path::new(ROOT).canonicalize().expect("the repository root");
    let dir = page.parent().expect("a page is in a directory");
    links(text)
        .into_iter()
        .filter(|(_, target)| is_relative_file(target))
        .filter_map(|(line, target)| {
            let file = target.split('#').next().unwrap_or_default();
            match dir.join(file).canonicalize() {
                Ok(resolved) if resolved.starts_with(&root) => None,
                Ok(resolved) => Some(format!(
                    "{}:{line}: `{target}` is outside the repository ({})",
                    page.display(),
                    resolved.display()
                )),
                Err(e) => Some(format!("{}:{line}: `{target}`: {e}", page.display())),
            }
        })
        .collect()
}

/// Every mention, code and links included, of a document outside the repository.
fn outside_mentions(page: &Path, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        for name in OUTSIDE {
            if lower.contains(name) {
                found.push(format!(
                    "{}:{}: mentions `{name}`, which is not in the repository: {line}",
                    page.display(),
                    index + 1
                ));
            }
        }
    }
    found
}

#[test]
fn every_relative_link_names_a_file_of_the_repository() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        checked += links(&text)
            .iter()
            .filter(|(_, t)| is_relative_file(t))
            .count();
        broken.extend(broken_links(&page, &text));
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The README links every docs page, so finding none would mean the parser broke.
    assert!(checked >= 10, "only {checked} relative links found");
}

#[test]
fn no_page_refers_to_a_document_outside_the_repository() {
    let mut found = Vec::new();
    for page in pages() {
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        found.extend(outside_mentions(&page, &text));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The checks themselves catch what they are for, so the two tests above can fail.
#[test]
fn the_checks_catch_a_bad_page() {
    let page = Path::new(ROOT).join("docs/example.md");
    let bad = "See [the mock](mock.md), [gone](no-such-page.md#x), [up](../..),\n\
               [web](https://example.com), [here](#errors) and `[code](nowhere.md)`.\n\
               ```\n[fenced](nowhere.md)\n```\n\
               [ref]: missing.md\n\
               As DESIGN.md says; see Api.md and ../Shared/notes.\n";
    let broken = broken_links(&page, bad);
    assert_eq!(broken.len(), 3, "{broken:#?}");
    assert!(
        broken[0].contains(":1: `no-such-page.md#x`"),
        "{}",
        broken[0]
    );
    assert!(
        broken[1].contains(":1: `../..` is outside"),
        "{}",
        broken[1]
    );
    assert!(broken[2].contains(":6: `missing.md`"), "{}", broken[2]);
    let mentions = outside_mentions(&page, bad);
    assert_eq!(mentions.len(), 3, "{mentions:#?}");
}
