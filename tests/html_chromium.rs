//! report.html in a real browser: headless Chromium renders the page of a real
//! `convoy run suites/`, takes a screenshot, and the DOM it ends with shows the verdict,
//! the charts and the personas (with their reasons) with no script error. Skipped, with
//! the reason printed, when Chromium is not installed (`.ci/run` installs Debian's
//! `chromium`).

mod common;

use common::{convoy, skipped};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn find_chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.exists() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|candidate| candidate.exists())
}

/// Runs Chromium headless on `page` with `mode` (`--screenshot=…` or `--dump-dom`),
/// killing it if it has not finished within a minute.
fn chromium(binary: &Path, profile: &Path, mode: &str, page: &Path) -> Output {
    let mut child = std::process::Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(mode)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
    // The pipes are drained while Chromium runs: a DOM larger than the pipe's buffer
    // (64 KiB) would otherwise block Chromium on its write, and it would never exit.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium's status") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    }
}

/// The page renders in Chromium: a non-empty screenshot, the verdict and three SVG
/// charts in the DOM, no script error (the page's own error hook leaves a marker in the
/// DOM; the console log has no page message).
#[test]
fn report_renders_in_headless_chromium() {
    let Some(binary) = find_chromium() else {
        skipped(
            "chromium not found (/usr/bin/chromium or on PATH): report.html not rendered \
             in a browser (apt-get install chromium)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = convoy()
        .args(["run", "suites/", "--threshold", "pass_rate>=0.99", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let page = out.join("report.html");

    let png = dir.path().join("report.png");
    let shot = chromium(
        &binary,
        &dir.path().join("profile-shot"),
        &format!("--screenshot={}", png.display()),
        &page,
    );
    assert!(shot.status.success(), "{shot:?}");
    let image = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    assert!(image.starts_with(b"\x89PNG"), "not a PNG");
    assert!(image.len() > 20_000, "a suspiciously small screenshot");

    let dom = chromium(
        &binary,
        &dir.path().join("profile-dom"),
        "--dump-dom",
        &page,
    );
    assert!(dom.status.success(), "{dom:?}");
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom_text.contains("<span class=\"word\">PASSED</span>"),
        "no verdict"
    );
    assert_eq!(dom_text.matches("<svg").count(), 3, "three charts");
    // suites/ has personas: their section renders, reasons included.
    assert!(
        dom_text.contains("<section id=\"personas\">"),
        "no personas"
    );
    assert!(
        dom_text.contains("<div class=\"reason\">why: "),
        "no reason"
    );
    assert!(
        !dom_text.contains("JS-ERROR-SEEN"),
        "a script error: {dom_text}"
    );
    for log in [&shot.stderr, &dom.stderr] {
        let log = String::from_utf8_lossy(log);
        assert!(!log.contains("Uncaught"), "{log}");
        assert!(
            !log.contains("CONSOLE"),
            "the page logged to the console: {log}"
        );
    }
}
