//! A hostile local server against `convoy run`: a million empty streamed messages, an
//! endless stream of small valid ones, a non-streamed body far past the limit. Each run
//! must end with the request classed `too_large`, reports of a bounded size, and a peak
//! RSS of the convoy process within 100 MB of a normal run's. Long chunk texts are cut in
//! the reports at `--max-chunk-text`.

mod common;

use common::convoy_process;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";

#[derive(Clone, Copy)]
enum Hostility {
    /// `[{"responseChunk":{}},…]`: 1,000,000 messages of an unknown (empty) chunk, which
    /// a client must keep; 21 MB.
    MillionEmpty,
    /// NDJSON TEXT messages, written until the client hangs up (or 30 s).
    EndlessSmall,
    /// A non-streamed 200 whose body never stops (or 30 s).
    HugeBody,
    /// A non-streamed 200 of 1,000,000 `{}` response chunks: 3 MB, within the body
    /// limit, so only the chunk limit stops it.
    MillionUnary,
    /// A non-streamed 200 of 9,000 chunks of an unknown type with a long name: accepted,
    /// but their types would make one turns.csv cell of 450,000 characters.
    ManyUnknown,
}

/// Reads one request (head and Content-Length body) so the client sees a proper exchange.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<()> {
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().ok()?;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()
}

fn answer(mut socket: TcpStream, how: Hostility) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut reader = BufReader::new(socket.try_clone().expect("socket clones"));
    if read_request(&mut reader).is_none() {
        return;
    }
    let message = format!(
        "{{\"responseChunk\":{{\"chunkType\":\"TEXT\",\"textDetails\":{{\"text\":\"Hi\"}}}},\"interactiveFormSession\":{{\"id\":\"s1\",\"formId\":\"{FORM_ID}\"}}}}\n"
    );
    let (head, piece): (&str, Vec<u8>) = match how {
        Hostility::MillionEmpty => {
            let empty = "{\"responseChunk\":{}}";
            let mut body = b"[".to_vec();
            body.extend(format!("{empty},").repeat(999_999).as_bytes());
            body.extend(format!("{empty}]").as_bytes());
            ("content-type: application/json", body)
        }
        Hostility::EndlessSmall => (
            "content-type: application/x-ndjson",
            message.repeat(100).into_bytes(),
        ),
        Hostility::HugeBody => ("content-type: application/json", vec![b' '; 64 * 1024]),
        Hostility::MillionUnary | Hostility::ManyUnknown => {
            let (count, chunk) = match how {
                Hostility::MillionUnary => (1_000_000, "{}".to_string()),
                _ => (9_000, format!("{{\"chunkType\":\"{}\"}}", "K".repeat(48))),
            };
            let chunks = vec![chunk; count].join(",");
            let body = format!(
                "{{\"responseChunks\":[{chunks}],\"interactiveFormSession\":{{\"id\":\"s1\",\"formId\":\"{FORM_ID}\"}}}}"
            );
            ("content-type: application/json", body.into_bytes())
        }
    };
    let start = format!("HTTP/1.1 200 OK\r\n{head}\r\nconnection: close\r\n\r\n");
    if socket.write_all(start.as_bytes()).is_err() {
        return;
    }
    match how {
        Hostility::MillionEmpty | Hostility::MillionUnary | Hostility::ManyUnknown => {
            let _ = socket.write_all(&piece);
        }
        Hostility::EndlessSmall | Hostility::HugeBody => {
            while Instant::now() < deadline && socket.write_all(&piece).is_ok() {}
        }
    }
}

/// Serves every connection in its own thread until the test process ends.
fn serve(how: Hostility) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    std::thread::spawn(move || {
        for socket in listener.incoming().flatten() {
            std::thread::spawn(move || answer(socket, how));
        }
    });
    format!("http://{addr}/forms")
}

fn write_suite(dir: &Path, streamed: bool) -> std::path::PathBuf {
    let suite = format!(
        "version: 1\nname: hostile\nform:\n  id: {FORM_ID}\n  fields:\n    - {{key: name, label: Name, type: string}}\nconversations:\n  - name: one\n    streamed: {streamed}\n    turns:\n      - user: hi\n"
    );
    let path = dir.join("hostile.yaml");
    std::fs::write(&path, suite).expect("suite written");
    path
}

/// Runs convoy to its end, polling its peak RSS (VmHWM, kB) while it lives.
fn run_measured(args: &[&str], suite: &Path, out: &Path) -> (Option<i32>, u64, String) {
    let mut child = convoy_process()
        .arg("run")
        .arg(suite)
        .args(args)
        .args(["--timeout", "20s", "--out"])
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("convoy starts");
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let deadline = Instant::now() + Duration::from_secs(90);
    let code = loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("child status") {
            break status.code();
        }
        assert!(Instant::now() < deadline, "convoy did not end within 90 s");
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        let _ = pipe.read_to_string(&mut stdout);
    }
    (code, peak_kb, stdout)
}

/// The peak RSS of a normal run of the same suite on the embedded mock, in kB.
fn baseline_kb(dir: &Path) -> u64 {
    let suite = write_suite(dir, false);
    let (code, kb, stdout) = run_measured(&["--format", "json"], &suite, &dir.join("base"));
    // The embedded mock has no such form fields to extract: the turn may fail, not error.
    assert!(matches!(code, Some(0) | Some(1)), "baseline run: {stdout}");
    kb
}

/// Every report under 2 MB, and every turns.csv cell within bounds.
fn assert_reports_bounded(out: &Path) {
    for entry in std::fs::read_dir(out).expect("reports") {
        let entry = entry.expect("entry");
        let size = entry.metadata().expect("metadata").len();
        assert!(size < 2_000_000, "{:?} is {size} bytes", entry.file_name());
    }
    assert_cells_bounded(out);
}

/// Every turns.csv cell short enough for CSV readers with a field limit (Python's `csv`
/// refuses cells over 131,072 characters): at most 65,536 and the cut marker.
fn assert_cells_bounded(out: &Path) {
    let turns = std::fs::read(out.join("turns.csv")).expect("turns.csv written");
    let mut reader = csv::Reader::from_reader(turns.as_slice());
    let longest = reader
        .records()
        .map(|row| row.expect("a CSV row"))
        .flat_map(|row| row.iter().map(|c| c.chars().count()).collect::<Vec<_>>())
        .max()
        .unwrap_or(0);
    assert!(
        longest <= 70_000,
        "a turns.csv cell of {longest} characters"
    );
}

fn assert_bounded(how: Hostility, streamed: bool) {
    assert_bounded_with(how, streamed, &[]);
}

/// Runs with `extra` flags against the hostile server: `too_large`, exit 3, bounded
/// reports and RSS.
fn assert_bounded_with(how: Hostility, streamed: bool, extra: &[&str]) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let base_kb = baseline_kb(dir.path());
    let url = serve(how);
    let suite = write_suite(dir.path(), streamed);
    let out = dir.path().join("out");
    let mut args = vec!["--base-url", url.as_str()];
    args.extend(extra);
    let (code, peak_kb, stdout) = run_measured(&args, &suite, &out);
    assert_eq!(code, Some(3), "every session errored: {stdout}");
    assert!(
        stdout.contains("too_large") || stdout.contains("too large"),
        "{stdout}"
    );
    let run_json = std::fs::read_to_string(out.join("run.json")).expect("run.json written");
    assert!(
        run_json.contains("\"too_large\""),
        "classed too_large in run.json"
    );
    assert_reports_bounded(&out);
    assert!(
        peak_kb < base_kb + 100 * 1024,
        "peak RSS {peak_kb} kB against a normal run's {base_kb} kB"
    );
}

#[test]
fn a_million_empty_messages_stay_bounded() {
    assert_bounded(Hostility::MillionEmpty, true);
}

#[test]
fn an_endless_stream_of_small_messages_stays_bounded() {
    assert_bounded(Hostility::EndlessSmall, true);
}

/// Two VUs for 3 s, each session a million-message response: requests in flight at
/// once and many sessions in a row stay within the same bound.
#[test]
fn a_load_run_of_million_message_responses_stays_bounded() {
    let load = ["--vus", "2", "--duration", "3s"];
    assert_bounded_with(Hostility::MillionEmpty, true, &load);
}

/// The chunk limit holds for unary replies too, before their chunks are decoded.
#[test]
fn a_million_unary_chunks_stay_bounded() {
    assert_bounded(Hostility::MillionUnary, false);
}

/// A reply within the limits whose chunk types fill turns.csv: the cell is cut, marked.
#[test]
fn many_chunk_types_are_cut_in_turns_csv() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = serve(Hostility::ManyUnknown);
    let suite = write_suite(dir.path(), false);
    let out = dir.path().join("out");
    let (code, _, stdout) = run_measured(&["--base-url", url.as_str()], &suite, &out);
    assert!(matches!(code, Some(0) | Some(1)), "{stdout}");
    // run.json keeps the 9,000 chunks (within --max-chunks); turns.csv cuts their types.
    assert_cells_bounded(&out);
    let turns = std::fs::read_to_string(out.join("turns.csv")).expect("turns.csv");
    assert!(turns.contains("…[cut: "), "the chunk types are not cut");
}

#[test]
fn an_endless_unary_body_stays_bounded() {
    assert_bounded(Hostility::HugeBody, false);
}

/// `--max-chunks` and `--max-response-bytes` move the limits, and the error says which.
#[test]
fn the_limits_follow_their_flags() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases = [
        (
            Hostility::EndlessSmall,
            true,
            ["--max-chunks", "50"],
            "more than 50 streamed messages",
        ),
        (
            Hostility::HugeBody,
            false,
            ["--max-response-bytes", "1KiB"],
            "body larger than 1024 bytes",
        ),
    ];
    for (index, (how, streamed, flag, expected)) in cases.into_iter().enumerate() {
        let url = serve(how);
        let suite = write_suite(dir.path(), streamed);
        let out = dir.path().join(format!("out-{index}"));
        let args = ["--base-url", url.as_str(), flag[0], flag[1]];
        let (code, _, stdout) = run_measured(&args, &suite, &out);
        assert_eq!(code, Some(3), "{stdout}");
        let run_json = std::fs::read_to_string(out.join("run.json")).expect("run.json written");
        assert!(run_json.contains(expected), "{flag:?}: {run_json}");
    }
}

/// Long texts are cut in the reports at `--max-chunk-text` characters, with a marker
/// giving their whole length; the limits in force are recorded in run.json.
#[test]
fn chunk_texts_are_cut_at_the_flag_and_the_limits_recorded() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = convoy_process()
        .args([
            "run",
            "suites/event.yaml",
            "--max-chunk-text",
            "16",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .expect("convoy runs");
    assert_eq!(output.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("run.json")).expect("run.json written");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let limits = &json["config"]["limits"];
    assert_eq!(limits["max_chunk_text"], 16, "{limits}");
    assert_eq!(limits["max_chunks"], 10_000, "{limits}");
    assert_eq!(limits["max_response_bytes"], 16 * 1024 * 1024, "{limits}");
    let texts: Vec<&str> = json["conversations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["turns"].as_array().into_iter().flatten())
        .flat_map(|t| t["chunks"].as_array().into_iter().flatten())
        .filter_map(|c| c["text"].as_str())
        .collect();
    assert!(!texts.is_empty(), "no chunk texts: {text}");
    let cut: Vec<&&str> = texts.iter().filter(|t| t.contains("…[cut: ")).collect();
    assert!(!cut.is_empty(), "nothing was cut: {texts:?}");
    for text in texts {
        let kept = text.split("…[cut: ").next().unwrap_or_default();
        assert!(kept.chars().count() <= 16, "{text}");
    }
}
