//! `convoy record` never drops a hand-written check: on every example suite, record and
//! accept keep each check (counted by loading the suite before and after); a check that
//! fails on the observed response gets the observed value proposed beside it and is
//! listed on the terminal; a response with an unknown chunk type records a valid suite.

mod common;
mod mock_common;

use common::convoy_in as convoy;
use convoy::common::chunk::{Chunk, ChunkBody, TextDataDetails, TextDetails};
use convoy::mock::replay::{
    TRANSCRIPT_VERSION, Transcript, TranscriptConversation, TranscriptTurn,
};
use convoy::mock::{MockConfig, Replay};
use convoy::suite::matcher::{MatchOp, Matcher};
use convoy::suite::{Expect, FieldExpect, Suite};
use mock_common::{FORM_ID, start};
use serde_json::json;
use std::fs;
use std::path::Path;
use std::sync::Arc;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs convoy in `dir`, asserts exit 0, returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = convoy(dir).args(args).output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "convoy {args:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn load(path: &Path) -> Suite {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    convoy::suite::load_str(&path.display().to_string(), &text)
        .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()))
}

/// The checks a suite makes, one text per check, with counts of the kinds that recording
/// must never drop (`text`, `no_fields`, `display`, `regex`).
#[derive(Debug, Default)]
struct Inventory {
    checks: Vec<String>,
    text: usize,
    no_fields: usize,
    display: usize,
    regex: usize,
}

impl Inventory {
    fn of(suite: &Suite) -> Inventory {
        let mut inv = Inventory::default();
        for c in &suite.conversations {
            if let Some(start) = &c.start {
                inv.expect(&format!("{} start", c.name), start);
            }
            for (i, turn) in c.turns.iter().enumerate() {
                inv.expect(&format!("{} turn {}", c.name, i + 1), &turn.expect);
            }
            if let Some(f) = &c.final_state {
                let at = format!("{} final", c.name);
                inv.fields(&at, &f.fields);
                inv.no_fields += f.no_fields.len();
                inv.checks
                    .extend(f.no_fields.iter().map(|k| format!("{at} no {}", k.value)));
                inv.checks
                    .extend(f.submitted.iter().map(|s| format!("{at} sub {}", s.value)));
            }
        }
        inv.checks.sort();
        inv
    }

    fn expect(&mut self, at: &str, e: &Expect) {
        self.fields(at, &e.fields);
        self.no_fields += e.no_fields.len();
        let mut checks: Vec<String> = e
            .no_fields
            .iter()
            .map(|k| format!("no {}", k.value))
            .collect();
        if let Some(text) = &e.text {
            self.text += 1;
            self.matcher(&text.value);
            checks.push(format!("text {}", text.value.describe()));
        }
        checks.extend(e.chunks.iter().map(|c| format!("chunks {:?}", c.value)));
        checks.extend(e.prompt.iter().map(|p| format!("prompt {:?}", p.value)));
        checks.extend(e.submitted.iter().map(|s| format!("submitted {}", s.value)));
        checks.extend(e.error.iter().map(|s| format!("error {}", s.value)));
        checks.extend(
            e.max_latency
                .iter()
                .map(|d| format!("max_latency {:?}", d.value)),
        );
        self.checks
            .extend(checks.into_iter().map(|c| format!("{at} {c}")));
    }

    fn fields(&mut self, at: &str, fields: &[FieldExpect]) {
        for f in fields {
            self.matcher(&f.matcher);
            self.checks
                .push(format!("{at} {} {}", f.key, f.matcher.describe()));
        }
    }

    fn matcher(&mut self, m: &Matcher) {
        if matches!(m.op, Some(MatchOp::Regex(_))) {
            self.regex += 1;
        }
        if let Some(display) = &m.display {
            self.display += 1;
            self.matcher(display);
        }
    }

    /// Whether every check of `self` is still in `after` (duplicates counted).
    fn missing_from(&self, after: &Inventory) -> Vec<String> {
        let mut left = after.checks.clone();
        let mut missing = Vec::new();
        for check in &self.checks {
            match left.iter().position(|c| c == check) {
                Some(i) => {
                    left.remove(i);
                }
                None => missing.push(check.clone()),
            }
        }
        missing
    }
}

/// Record + accept on a copy of every example suite keeps every hand-written check; the
/// accepted suites validate and pass against the mock they were recorded from.
#[test]
fn every_example_suite_keeps_its_checks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let names = [
        "booking.yaml",
        "contact.yaml",
        "event.yaml",
        "leads.yaml",
        "leads.csv",
    ];
    for name in names {
        let from = Path::new(ROOT).join("suites").join(name);
        fs::copy(&from, dir.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let suites = &names[..4];
    let before: Vec<Inventory> = suites
        .iter()
        .map(|n| Inventory::of(&load(&dir.path().join(n))))
        .collect();
    let total = |f: fn(&Inventory) -> usize| before.iter().map(f).sum::<usize>();
    // The examples exercise each kind, so the comparison below cannot pass vacuously.
    assert!(total(|i| i.text) >= 5 && total(|i| i.no_fields) >= 10);
    assert!(total(|i| i.display) >= 3 && total(|i| i.regex) >= 2);

    let recorded = ok(dir.path(), &["record", "."]);
    assert!(!recorded.contains("did not hold"), "{recorded}");
    ok(dir.path(), &["accept", "."]);
    for (name, before) in suites.iter().zip(&before) {
        assert!(
            !dir.path()
                .join(name.replace(".yaml", ".pending.yaml"))
                .exists()
        );
        let after = Inventory::of(&load(&dir.path().join(name)));
        let counts = |i: &Inventory| (i.text, i.no_fields, i.display, i.regex);
        assert_eq!(
            counts(&after),
            counts(before),
            "{name}: text, no_fields, display, regex"
        );
        assert_eq!(before.missing_from(&after), Vec::<String>::new(), "{name}");
    }
    ok(dir.path(), &["validate", "."]);
    ok(dir.path(), &["run", ".", "--out", "reports"]);
    // Recording an accepted suite again against the same target changes nothing.
    ok(dir.path(), &["record", "."]);
    for name in suites {
        let read = |n: &str| fs::read_to_string(dir.path().join(n)).unwrap_or_default();
        let pending = read(&name.replace(".yaml", ".pending.yaml"));
        assert_eq!(pending, read(name), "{name}: a second recording differs");
    }
}

/// The create answered with a chunk type this build does not know, and a turn with it
/// beside known ones: recording writes a suite that validates, noting the type in comments.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_chunk_type_records_a_valid_suite() {
    let video = || {
        Chunk::from(ChunkBody::Unknown {
            chunk_type: "VIDEO_EMBED".into(),
            details: json!({"url": "https://example.com/welcome.mp4"}),
        })
    };
    let text = Chunk::from(ChunkBody::Text(TextDetails {
        text: "Welcome!".into(),
        ..TextDetails::default()
    }));
    let dana = Chunk::from(ChunkBody::TextData(TextDataDetails {
        field_target: "first_name".into(),
        value: json!("Dana"),
        ..TextDataDetails::default()
    }));
    let turn = |turn, input: Option<&str>, chunks| TranscriptTurn {
        turn,
        input: input.map(str::to_owned),
        current_values: None,
        chunks,
        latency_ms: 1.0,
    };
    let transcript = Transcript {
        version: TRANSCRIPT_VERSION,
        form_id: FORM_ID.into(),
        conversations: vec![TranscriptConversation {
            name: "video".into(),
            turns: vec![
                turn(0, None, vec![text.clone(), video()]),
                turn(1, Some("I'm Dana"), vec![dana, video(), text]),
            ],
        }],
    };
    let replay = Replay::from_transcripts(&[transcript]);
    let mock = start(MockConfig {
        replay: Some(Arc::new(replay)),
        ..MockConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let suite = format!(
        "form:\n  id: {FORM_ID}\n  fields:\n    - {{key: first_name, type: string}}\n\
         conversations:\n  - name: video\n    turns:\n      - user: \"I'm Dana\"\n        \
         expect:\n          chunks: {{exact: [TEXT_DATA, TEXT]}}\n"
    );
    fs::write(dir.path().join("v.yaml"), suite).unwrap_or_else(|e| panic!("{e}"));
    let (path, base) = (dir.path().to_owned(), mock.base_url());
    let stdout =
        tokio::task::spawn_blocking(move || ok(&path, &["record", "v.yaml", "--base-url", &base]))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        stdout.contains("1 hand-written check(s) did not hold"),
        "{stdout}"
    );
    let pending = dir.path().join("v.pending.yaml");
    let text = fs::read_to_string(&pending).unwrap_or_else(|e| panic!("{e}"));
    load(&pending);
    assert_eq!(
        text.matches("also observed VIDEO_EMBED").count(),
        2,
        "{text}"
    );
    assert!(
        text.contains("chunks: {in_order: [TEXT_DATA, TEXT]}"),
        "{text}"
    );
    assert!(text.contains("# convoy record: observed [TEXT_DATA, VIDEO_EMBED, TEXT] — was: chunks: {exact: [TEXT_DATA, TEXT]}"), "{text}");
}

/// Two hand-written checks that do not hold on the mock: each is replaced by what was
/// observed with the original kept in a comment above it, the terminal lists both with
/// file:line, conversation and turn, and the accepted suite passes.
#[test]
fn a_failing_check_is_proposed_beside_the_original() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original = fs::read_to_string(Path::new(ROOT).join("suites/contact.yaml"));
    let original = original.unwrap_or_else(|e| panic!("{e}"));
    let edited = original
        .replacen(
            "            first_name: Dana\n",
            "            first_name: Dora\n",
            1,
        )
        .replacen(
            "text: {contains: \"couldn't find\"}",
            "text: {contains: \"no idea\"}",
            1,
        );
    assert_eq!(
        edited.matches("Dora").count(),
        1,
        "the suite changed: fix the edit"
    );
    assert!(
        edited.contains("no idea"),
        "the suite changed: fix the edit"
    );
    fs::write(dir.path().join("contact.yaml"), &edited).unwrap_or_else(|e| panic!("{e}"));

    let stdout = ok(dir.path(), &["record", "contact.yaml"]);
    insta::assert_snapshot!(stdout);
    let pending = fs::read_to_string(dir.path().join("contact.pending.yaml"));
    let pending = pending.unwrap_or_else(|e| panic!("{e}"));
    let proposed = "            # convoy record: observed \"Dana\" — was: first_name: Dora\n            \
                    first_name: \"Dana\"\n";
    assert!(pending.contains(proposed), "{pending}");
    assert!(
        pending.contains("          # convoy record: observed \"")
            && pending.contains("— was: text: {contains: \"no idea\"}\n          text: \""),
        "{pending}"
    );
    // The checks that held around them are still there as written.
    for kept in [
        "            email: {regex: \"^dana@example\\\\.com$\"}",
        "          text: {regex: \"(?i)email\"}",
    ] {
        assert!(pending.contains(kept), "`{kept}` was not kept:\n{pending}");
    }
    ok(dir.path(), &["accept", "contact.yaml"]);
    ok(dir.path(), &["run", "contact.yaml", "--out", "reports"]);
}
