//! A server that echoes the API key back in successful responses — in a chunk's text,
//! raw and JSON-escaped, in unary and streamed replies, and in the request id header —
//! and credentials in the base URL: none of it may reach the terminal or any report
//! file; `<redacted>` shows where the key was.

mod common;

use common::convoy_process;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";
/// Has a `/`, which some JSON writers escape as `\/`.
const KEY: &str = "IST.secret/key+123456";
const URL_PASSWORD: &str = "hunter2-url-password";

/// Reads one request; returns whether it is for a streamed endpoint, and its
/// `Authorization` header.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(bool, String)> {
    let (mut length, mut authorization) = (0usize, String::new());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let streamed = request_line.contains("-streamed");
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().ok()?;
        }
        if lower.starts_with("authorization:") {
            authorization = line["authorization:".len()..].trim().to_string();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((streamed, authorization))
}

fn answer(mut socket: TcpStream) {
    let mut reader = BufReader::new(socket.try_clone().expect("socket clones"));
    while let Some((streamed, key)) = read_request(&mut reader) {
        let escaped = key.replace('/', "\\/");
        let chunk = format!(
            "{{\"chunkType\":\"TEXT\",\"textDetails\":{{\"text\":\"echo {key} and {escaped}\"}}}}"
        );
        let session =
            format!("\"interactiveFormSession\":{{\"id\":\"s1\",\"formId\":\"{FORM_ID}\"}}");
        let (content_type, message) = if streamed {
            let end = "{\"responseChunk\":{\"chunkType\":\"END_OF_RESPONSE\"}}";
            let first = format!("{{\"responseChunk\":{chunk},{session}}}");
            ("application/x-ndjson", format!("{first}\n{end}\n"))
        } else {
            let body = format!("{{\"responseChunks\":[{chunk}],{session}}}");
            ("application/json", body)
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nx-wix-request-id: req-{key}\r\ncontent-length: {}\r\n\r\n",
            message.len()
        );
        if socket.write_all(head.as_bytes()).is_err()
            || socket.write_all(message.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    std::thread::spawn(move || {
        for socket in listener.incoming().flatten() {
            std::thread::spawn(move || answer(socket));
        }
    });
    format!("http://user:{URL_PASSWORD}@{addr}/forms")
}

fn write_suite(dir: &Path) -> std::path::PathBuf {
    let suite = format!(
        "version: 1\nname: echo\nform:\n  id: {FORM_ID}\n  fields:\n    - {{key: name, label: Name, type: string}}\nconversations:\n  - name: unary\n    turns:\n      - user: hi\n        expect:\n          text: {{contains: nothing-like-this}}\n  - name: streamed\n    streamed: true\n    turns:\n      - user: hi\n        expect:\n          text: {{contains: nothing-like-this}}\n"
    );
    let path = dir.join("echo.yaml");
    std::fs::write(&path, suite).expect("suite written");
    path
}

/// Every file under `dir`, as text.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).expect("report directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(files(&path));
        } else {
            let bytes = std::fs::read(&path).expect("readable");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            all.push((path.display().to_string(), text));
        }
    }
    all
}

#[test]
fn an_echoed_key_and_url_credentials_reach_no_output() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let suite = write_suite(dir.path());
    let out = dir.path().join("out");
    let output = convoy_process()
        .arg("run")
        .arg(&suite)
        .args([
            "--target",
            "wix",
            "--base-url",
            &serve(),
            "--timeout",
            "10s",
        ])
        .arg("--out")
        .arg(&out)
        .env("WIX_API_KEY", KEY)
        .env("WIX_SITE_ID", "site-1")
        .output()
        .expect("convoy runs");
    let mut outputs = files(&out);
    outputs.push((
        "stdout".into(),
        String::from_utf8_lossy(&output.stdout).into(),
    ));
    outputs.push((
        "stderr".into(),
        String::from_utf8_lossy(&output.stderr).into(),
    ));
    let escaped = KEY.replace('/', "\\/");
    for (name, text) in &outputs {
        for secret in [KEY, escaped.as_str(), URL_PASSWORD] {
            assert!(!text.contains(secret), "{name} contains a secret:\n{text}");
        }
    }
    let run_json = outputs
        .iter()
        .find(|(name, _)| name.ends_with("run.json"))
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| {
            panic!(
                "no run.json; stderr: {}",
                outputs.last().map_or("", |o| &o.1)
            )
        });
    // The echo did arrive, scrubbed, in the text (unary and streamed) and the request id.
    let echoes = run_json.matches("echo <redacted> and <redacted>").count();
    assert!(echoes >= 2, "{run_json}");
    assert!(run_json.contains("req-<redacted>"), "{run_json}");
}

/// A key too short to redact inside other text is refused before anything is sent or
/// written, and the refusal does not show it.
#[test]
fn a_key_shorter_than_eight_characters_is_refused_unshown() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("out");
    let output = convoy_process()
        .args(["run", "suites/event.yaml", "--target", "wix"])
        .args(["--base-url", "http://127.0.0.1:9/forms", "--out"])
        .arg(&out)
        .env("WIX_API_KEY", "k3y!x")
        .output()
        .expect("convoy runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shorter than 8 characters"), "{stderr}");
    assert!(!stderr.contains("k3y!x") && !stdout.contains("k3y!x"));
    assert!(!out.join("run.json").exists());
}
