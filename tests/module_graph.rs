//! The module map of docs/architecture.md, checked: which top-level module may use which.
//! Reads every `.rs` file under `src/` and collects the `crate::<module>` paths each
//! top-level module names (test code included: a test that needs a forbidden module is a
//! sign the code is in the wrong place). Fails on a forbidden arrow and on any cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level module → the other top-level modules it names.
fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap_or(&file);
        let first = relative.components().next();
        let Some(first) = first.and_then(|c| c.as_os_str().to_str()) else {
            continue;
        };
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let uses = graph.entry(module.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let name: String = text[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                uses.insert(name);
            }
        }
    }
    graph
}

fn uses(graph: &Graph, module: &str) -> BTreeSet<String> {
    graph
        .get(module)
        .cloned()
        .unwrap_or_else(|| panic!("no module {module} in {graph:?}"))
}

#[test]
fn shared_vocabulary_depends_on_nothing_and_suites_only_on_it() {
    let graph = graph();
    assert_eq!(uses(&graph, "common"), BTreeSet::new(), "common");
    let suite = uses(&graph, "suite");
    assert!(
        suite.iter().all(|m| m == "common"),
        "suite may only use common, uses {suite:?}"
    );
}

#[test]
fn reports_never_see_the_runner() {
    let graph = graph();
    for module in ["report", "metrics", "api", "mock"] {
        let used = uses(&graph, module);
        for forbidden in ["runner", "pipeline", "cli"] {
            assert!(
                !used.contains(forbidden),
                "{module} uses {forbidden}: {used:?}"
            );
        }
    }
}

#[test]
fn no_cycle_between_top_level_modules() {
    let graph = graph();
    // Depth-first search for a back edge; the path found is printed.
    fn visit(graph: &Graph, node: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("import cycle: {} → {node}", path[at..].join(" → "));
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(graph, next, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(&graph, node, &mut Vec::new(), &mut done);
    }
    assert!(graph.len() >= 9, "{graph:?}");
}
