//! The HTML report: self-contained (nothing fetched, no scripts), readable, and rendered for real
//! by headless Chromium, which takes a screenshot.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{fixture, run};

fn report_for(path: &str, extra: &[&str], out_dir: &Path) -> (PathBuf, String) {
    let html = out_dir.join("report.html");
    let mut list = vec![path, "--html", html.to_str().expect("utf-8 path")];
    list.extend_from_slice(extra);
    let (out, _) = run(&list).expect("audit runs");
    (html, out)
}

#[test]
fn the_html_report_is_one_self_contained_page_with_three_charts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (html, out) = report_for(
        &fixture("twilio_export.csv"),
        &["--ad-cost-per-lead", "35"],
        dir.path(),
    );
    assert!(out.contains("HTML report written to"), "{out}");
    let page = std::fs::read_to_string(html).expect("report written");
    assert!(page.starts_with("<!doctype html>"));
    assert_eq!(
        page.matches("<svg").count(),
        3,
        "heat map, calls per day, lost revenue"
    );
    for forbidden in [
        "<script",
        "http://cdn",
        "https://",
        "<link",
        "@import",
        "src=\"",
    ] {
        assert!(
            !page.contains(forbidden),
            "the page must work offline: found {forbidden}"
        );
    }
    assert!(page.contains("9 of your 13 calls"));
    assert!(page.contains("$1,925 lost"));
    assert!(page.contains("(512) 555-1009"));
    assert!(page.contains("Mon 9am: 2 of 3 calls not answered"));
    assert!(page.contains("row 9, column &quot;Status&quot;"));
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: chromium is not installed (CI installs it with `apt-get install -y chromium`)"
        );
        return;
    };
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-html");
    std::fs::create_dir_all(&out_dir).expect("output dir");
    // A month of the sample log, the way a newcomer would see it.
    let (csv, _) = run(&["--sample", "30d", "--sample-end", "2026-11-22"]).expect("sample");
    let csv_path = out_dir.join("calls.csv");
    std::fs::write(&csv_path, csv).expect("write sample");
    let (html, _) = report_for(
        csv_path.to_str().expect("utf-8"),
        &["--ad-cost-per-lead", "35"],
        &out_dir,
    );
    let png = out_dir.join("report.png");
    let _ = std::fs::remove_file(&png);
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            &format!("file://{}", html.display()),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for chromium") {
            break Some(s);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.is_some_and(|s| s.success()),
        "chromium did not finish the screenshot: {status:?}"
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    // A blank 1280x2000 page compresses to a few kilobytes; charts and text make it far larger.
    assert!(
        bytes.len() > 60_000,
        "screenshot looks empty: {} bytes",
        bytes.len()
    );
    eprintln!("screenshot: {}", png.display());
}
