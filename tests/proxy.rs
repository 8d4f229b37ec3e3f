//! Proxies as curl reads them (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`): an `http://` base
//! URL is sent to the proxy in absolute form (`POST http://host/ HTTP/1.1`, no CONNECT),
//! an `https://` one through a CONNECT tunnel, both with the proxy URL's credentials in
//! `Proxy-Authorization` and never in any output; `NO_PROXY` and a loopback base URL (the
//! local mock) bypass the proxy.
//!
//! The proxy here is a minimal one on loopback that records the first request line and
//! `Proxy-Authorization` of every connection and forwards what it is sent to the standalone
//! mock, whatever host was asked for, so the "remote" host (`.test`, which never resolves)
//! is only ever reached through it. Proxy variables are set on the spawned `convoy` only.

mod common;

use common::{StandaloneMock, convoy, scratch_dir};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;

/// What the proxy saw first on one connection.
#[derive(Clone, Debug)]
struct Seen {
    request_line: String,
    authorization: Option<String>,
}

/// A proxy that forwards absolute-form requests to `target` and refuses tunnels (the mock
/// speaks no TLS), recording what each connection opened with.
struct RecordingProxy {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl RecordingProxy {
    fn start(target: String) -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy binds");
        let port = listener.local_addr().expect("proxy address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        // Ends with the test process; each connection's thread ends when convoy hangs up.
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let target = target.clone();
                let record = Arc::clone(&record);
                thread::spawn(move || serve(client, &target, &record));
            }
        });
        RecordingProxy { port, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

fn serve(client: TcpStream, target: &str, record: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(client.try_clone().expect("clone"));
    let mut head = String::new();
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    head.push_str(&request_line);
    let mut authorization = None;
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) => head.push_str(&header),
        }
        if header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("proxy-authorization")
        {
            authorization = Some(value.trim().to_string());
        }
    }
    record.lock().expect("not poisoned").push(Seen {
        request_line: request_line.trim().to_string(),
        authorization,
    });
    let mut client_write = client.try_clone().expect("clone");
    if request_line.starts_with("CONNECT ") {
        let _ = client_write.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
        return;
    }
    let Ok(mut upstream) = TcpStream::connect(target) else {
        return;
    };
    if upstream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut upstream_read = upstream.try_clone().expect("clone");
    // Later requests on this connection go to the mock as they come.
    let up = thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut upstream);
        let _ = upstream.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut upstream_read, &mut client_write);
    let _ = client_write.shutdown(Shutdown::Write);
    let _ = up.join();
}

fn mock_authority(mock: &StandaloneMock) -> String {
    mock.base_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

const PROXY_USER: &str = "alice";
const PROXY_PASSWORD: &str = "proxy-pass-99";
/// base64("alice:proxy-pass-99")
const PROXY_TOKEN: &str = "YWxpY2U6cHJveHktcGFzcy05OQ==";

/// `convoy run suites/contact.yaml` against `base_url` with `vars` as its only proxy
/// variables; returns its output and the report directory.
fn run_contact(
    base_url: &str,
    vars: &[(&str, String)],
) -> (std::process::Output, tempfile::TempDir) {
    let out = scratch_dir();
    let mut command = convoy();
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        command.env_remove(name).env_remove(name.to_lowercase());
    }
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command
        .args([
            "run",
            "suites/contact.yaml",
            "--timeout",
            "10s",
            "--base-url",
            base_url,
            "--out",
        ])
        .arg(out.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("convoy runs");
    (output, out)
}

fn proxy_url(proxy: &RecordingProxy) -> String {
    format!(
        "http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{}",
        proxy.port
    )
}

/// No output (stdout, stderr, any report file) shows the proxy's password or token.
fn assert_no_credentials(output: &std::process::Output, reports: &Path) {
    let mut texts = vec![
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ];
    for entry in std::fs::read_dir(reports).expect("report dir").flatten() {
        texts.push(
            String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap_or_default()).into_owned(),
        );
    }
    for text in texts {
        assert!(!text.contains(PROXY_PASSWORD), "password shown:\n{text}");
        assert!(!text.contains(PROXY_TOKEN), "token shown:\n{text}");
    }
}

#[test]
fn an_http_base_url_is_sent_to_the_proxy_in_absolute_form() {
    let mock = StandaloneMock::start();
    let proxy = RecordingProxy::start(mock_authority(&mock));
    // No port: the bug this guards against sent `CONNECT api.example.test:443` here.
    let (output, reports) = run_contact(
        "http://api.example.test",
        &[("HTTP_PROXY", proxy_url(&proxy))],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen = proxy.seen();
    assert!(!seen.is_empty(), "the proxy saw nothing");
    for first in &seen {
        assert!(
            first
                .request_line
                .starts_with("POST http://api.example.test/")
                && first.request_line.ends_with(" HTTP/1.1"),
            "{seen:?}"
        );
        assert_eq!(
            first.authorization.as_deref(),
            Some(&*format!("Basic {PROXY_TOKEN}"))
        );
    }
    assert_no_credentials(&output, reports.path());
}

#[test]
fn an_https_base_url_goes_through_a_connect_tunnel() {
    let proxy = RecordingProxy::start("127.0.0.1:9".to_string());
    let (output, reports) = run_contact(
        "https://api.example.test",
        &[("HTTPS_PROXY", proxy_url(&proxy))],
    );
    // The proxy refuses the tunnel: every conversation errors.
    assert!(!output.status.success());
    let seen = proxy.seen();
    assert!(!seen.is_empty(), "the proxy saw no tunnel");
    for first in &seen {
        assert_eq!(
            first.request_line, "CONNECT api.example.test:443 HTTP/1.1",
            "{seen:?}"
        );
        assert_eq!(
            first.authorization.as_deref(),
            Some(&*format!("Basic {PROXY_TOKEN}"))
        );
    }
    assert_no_credentials(&output, reports.path());
}

#[test]
fn no_proxy_matching_the_host_bypasses_the_proxy() {
    let proxy = RecordingProxy::start("127.0.0.1:9".to_string());
    let vars = [
        ("HTTP_PROXY", proxy_url(&proxy)),
        ("NO_PROXY", "localhost,.example.test".to_string()),
    ];
    let (output, _reports) = run_contact("http://api.example.test", &vars);
    // Straight to a host that never resolves: a connect error, not a proxied request.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.to_lowercase().contains("connect"), "{stdout}");
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}

#[test]
fn the_local_mock_is_never_proxied() {
    let mock = StandaloneMock::start();
    let proxy = RecordingProxy::start("127.0.0.1:9".to_string());
    let vars = [
        ("HTTP_PROXY", proxy_url(&proxy)),
        ("HTTPS_PROXY", proxy_url(&proxy)),
        ("ALL_PROXY", proxy_url(&proxy)),
    ];
    let (output, _reports) = run_contact(&mock.base_url, &vars);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}
