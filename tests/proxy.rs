//! `HTTP_PROXY`/`HTTPS_PROXY`: requests to a remote base URL go through a CONNECT tunnel
//! of the proxy; a loopback base URL (the local mock) never does. The proxy here is a
//! minimal CONNECT proxy on loopback that sends every tunnel to the standalone mock,
//! whatever host it was asked for, so the "remote" host never needs to resolve.

mod common;

use common::{StandaloneMock, convoy, scratch_dir};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

/// A CONNECT proxy that tunnels everything to `target`; records each CONNECT line.
struct TunnelProxy {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl TunnelProxy {
    fn start(target: String) -> TunnelProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy binds");
        let port = listener.local_addr().expect("proxy address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let target = target.clone();
                let seen = Arc::clone(&seen);
                thread::spawn(move || tunnel(client, &target, &seen));
            }
        });
        TunnelProxy { port, requests }
    }

    fn connects(&self) -> Vec<String> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

fn tunnel(client: TcpStream, target: &str, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(client.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    seen.lock()
        .expect("not poisoned")
        .push(request_line.trim().to_string());
    let Ok(upstream) = TcpStream::connect(target) else {
        return;
    };
    let mut client_write = client.try_clone().expect("clone");
    if client_write
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let mut upstream_read = upstream.try_clone().expect("clone");
    let mut upstream_write = upstream;
    let up = thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut upstream_write);
        let _ = upstream_write.shutdown(Shutdown::Write);
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

fn run_contact(base_url: &str, proxy_port: u16) -> std::process::Output {
    let out = scratch_dir();
    convoy()
        .env("HTTP_PROXY", format!("http://127.0.0.1:{proxy_port}"))
        .env("HTTPS_PROXY", format!("http://127.0.0.1:{proxy_port}"))
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .args([
            "run",
            "suites/contact.yaml",
            "--base-url",
            base_url,
            "--out",
        ])
        .arg(out.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("convoy runs")
}

#[test]
fn a_remote_base_url_goes_through_the_proxy_tunnel() {
    let mock = StandaloneMock::start();
    let authority = mock_authority(&mock);
    let port = authority.rsplit(':').next().expect("a port").to_string();
    let proxy = TunnelProxy::start(authority);
    // `.test` never resolves: only the proxy can reach this host.
    let remote = format!("http://mock.convoy.test:{port}");
    let output = run_contact(&remote, proxy.port);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let connects = proxy.connects();
    assert!(!connects.is_empty(), "the proxy saw no tunnel");
    assert!(
        connects
            .iter()
            .all(|line| line.starts_with(&format!("CONNECT mock.convoy.test:{port} "))),
        "{connects:?}"
    );
}

#[test]
fn the_local_mock_is_never_proxied() {
    let mock = StandaloneMock::start();
    let proxy = TunnelProxy::start("127.0.0.1:9".to_string());
    let output = run_contact(&mock.base_url, proxy.port);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(proxy.connects().is_empty(), "{:?}", proxy.connects());
}
