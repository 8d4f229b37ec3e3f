//! A server that echoes the API key back in successful responses — in a chunk's text,
//! raw and JSON-escaped, in unary and streamed replies, and in the request id header —
//! and in a 401's message, with the proxy's `Proxy-Authorization` token and password
//! beside it (the server is the proxy too), and credentials in the base URL: none of it
//! may reach the terminal (`-vv` exchanges included), any report file or the `--trace`
//! HAR; `<redacted>` shows where the key was.

mod common;

use common::convoy_process;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

const FORM_ID: &str = "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10";
/// Has a `/`, which some JSON writers escape as `\/`.
const KEY: &str = "IST.secret/key+123456";
const URL_PASSWORD: &str = "hunter2-url-password";

const PROXY_PASSWORD: &str = "proxy-pass-99";
/// `Basic` credentials of `alice:proxy-pass-99`.
const PROXY_TOKEN: &str = "YWxpY2U6cHJveHktcGFzcy05OQ==";

/// One request as the echoing server saw it.
struct Seen {
    streamed: bool,
    authorization: String,
    proxy_authorization: String,
    body: Vec<u8>,
}

/// Reads one request with its `Authorization` and `Proxy-Authorization` headers.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut length = 0usize;
    let (mut authorization, mut proxy_authorization) = (String::new(), String::new());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let streamed = request_line.contains("-streamed");
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let lower = line.to_ascii_lowercase();
        let value = || line[line.find(':').unwrap_or(0) + 1..].trim().to_string();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().ok()?;
        } else if lower.starts_with("authorization:") {
            authorization = value();
        } else if lower.starts_with("proxy-authorization:") {
            proxy_authorization = value();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        streamed,
        authorization,
        proxy_authorization,
        body,
    })
}

/// The reply to `seen`: its secrets echoed in a 200 (unary or streamed), or in a 401's
/// message when the user said `deny`.
fn reply(seen: &Seen) -> (u16, &'static str, String) {
    let key = &seen.authorization;
    let escaped = key.replace('/', "\\/");
    let proxy = format!("{} {PROXY_PASSWORD}", seen.proxy_authorization);
    if String::from_utf8_lossy(&seen.body).contains("deny") {
        let body = format!("{{\"message\":\"invalid token {key} ({escaped}) via {proxy}\"}}");
        return (401, "application/json", body);
    }
    let chunk = format!(
        "{{\"chunkType\":\"TEXT\",\"textDetails\":{{\"text\":\"echo {key} and {escaped} via {proxy}\"}}}}"
    );
    let session = format!("\"interactiveFormSession\":{{\"id\":\"s1\",\"formId\":\"{FORM_ID}\"}}");
    if seen.streamed {
        let end = "{\"responseChunk\":{\"chunkType\":\"END_OF_RESPONSE\"}}";
        let first = format!("{{\"responseChunk\":{chunk},{session}}}");
        (200, "application/x-ndjson", format!("{first}\n{end}\n"))
    } else {
        let body = format!("{{\"responseChunks\":[{chunk}],{session}}}");
        (200, "application/json", body)
    }
}

fn answer(mut socket: TcpStream) {
    let mut reader = BufReader::new(socket.try_clone().expect("socket clones"));
    while let Some(seen) = read_request(&mut reader) {
        let (status, content_type, message) = reply(&seen);
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\nx-wix-request-id: req-{}\r\ncontent-length: {}\r\n\r\n",
            seen.authorization,
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
    addr.to_string()
}

fn write_suite(dir: &Path) -> std::path::PathBuf {
    let suite = format!(
        "version: 1\nname: echo\nform:\n  id: {FORM_ID}\n  fields:\n    - {{key: name, label: Name, type: string}}\nconversations:\n  - name: unary\n    turns:\n      - user: hi\n        expect:\n          text: {{contains: nothing-like-this}}\n  - name: streamed\n    streamed: true\n    turns:\n      - user: hi\n        expect:\n          text: {{contains: nothing-like-this}}\n  - name: denied\n    turns:\n      - user: deny\n"
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
    let trace = dir.path().join("trace.har");
    // The host is not resolved: every request goes to the proxy, which is the server.
    let base_url = format!("http://user:{URL_PASSWORD}@api.example.test/forms");
    let mut command = convoy_process();
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        command.env_remove(name).env_remove(name.to_lowercase());
    }
    let output = command
        .arg("run")
        .arg(&suite)
        .args(["--target", "wix", "--base-url", &base_url])
        .args(["--timeout", "10s", "-vv", "--trace"])
        .arg(&trace)
        .arg("--out")
        .arg(&out)
        .env("WIX_API_KEY", KEY)
        .env("WIX_SITE_ID", "site-1")
        .env(
            "HTTP_PROXY",
            format!("http://alice:{PROXY_PASSWORD}@{}", serve()),
        )
        .output()
        .expect("convoy runs");
    let mut outputs = files(&out);
    let har = std::fs::read_to_string(&trace).expect("the trace is written");
    outputs.push(("trace.har".into(), har.clone()));
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
        for secret in [
            KEY,
            escaped.as_str(),
            URL_PASSWORD,
            PROXY_PASSWORD,
            PROXY_TOKEN,
        ] {
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
    let echoes = run_json
        .matches("echo <redacted> and <redacted> via <redacted> <redacted>")
        .count();
    assert!(echoes >= 2, "{run_json}");
    assert!(run_json.contains("req-<redacted>"), "{run_json}");
    // The 401's message is kept, scrubbed, and the trace holds every exchange.
    assert!(
        run_json.contains("invalid token <redacted> (<redacted>) via <redacted> <redacted>"),
        "{run_json}"
    );
    let names = [
        "stdout",
        "stderr",
        "trace.har",
        "run.json",
        "turns.csv",
        "latency.csv",
    ];
    let more = ["fields.csv", "junit.xml", "summary.md", "report.html"];
    for name in names.into_iter().chain(more) {
        assert!(outputs.iter().any(|(n, _)| n.ends_with(name)), "no {name}");
    }
    assert!(har.matches("\"request\"").count() >= 5, "{har}");
    // `-vv` printed the raw exchanges, headers included, with the same secrets scrubbed.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("> host: api.example.test"), "{stdout}");
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
