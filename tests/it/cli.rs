//! The command line as a newcomer meets it: help, profile checks, clear errors for bad setups.

use crate::support::{bin, root};

fn run(args: &[&str]) -> (bool, String, String) {
    let out = bin().args(args).output().expect("run frontdesk");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_lists_every_subcommand_of_the_design() {
    let (ok, out, _) = run(&["--help"]);
    assert!(ok);
    for cmd in [
        "serve",
        "chat",
        "demo",
        "check",
        "eval",
        "test-calls",
        "audit",
    ] {
        assert!(out.contains(cmd), "help mentions {cmd}:\n{out}");
    }
}

#[test]
fn user_add_without_an_email_says_what_is_missing() {
    let out = bin().args(["user", "add"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<EMAIL>"), "{err}");
}

#[test]
fn checking_the_example_profile_prints_its_summary() {
    let example = root().join("examples/auto-shop.toml");
    let (ok, out, err) = run(&["check", example.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("Joe's Auto Repair"), "{out}");
    assert!(out.contains("oil change"), "{out}");
    assert!(out.contains("ok: 1 business profile(s) valid"), "{out}");
}

#[test]
fn checking_a_broken_profile_fails_with_file_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let text = frontdesk_profile::EXAMPLE_TOML
        .replace(
            "timezone = \"America/Chicago\"",
            "timezone = \"America/Chicgo\"",
        )
        .replace("bays = 2", "bayz = 2");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let (ok, _, err) = run(&["check", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains(&format!("broken.toml:{}:", line_of("America/Chicgo"))),
        "{err}"
    );
    assert!(
        err.contains(&format!("broken.toml:{}:", line_of("bayz"))),
        "{err}"
    );
    assert!(
        err.contains("America/Chicago"),
        "the hint names the right zone: {err}"
    );
}

#[test]
fn an_unknown_database_scheme_is_a_clear_error() {
    let example = root().join("examples/auto-shop.toml");
    let (ok, _, err) = run(&[
        "serve",
        "--db",
        "mysql://localhost/x",
        "--profile",
        example.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("unsupported database url \"mysql://localhost/x\""),
        "{err}"
    );
}

#[test]
fn a_mistyped_sqlite_path_is_an_error_not_a_new_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("frontdsk.db");
    let url = format!("sqlite://{}", missing.display());
    let example = root().join("examples/auto-shop.toml");
    let (ok, _, err) = run(&[
        "serve",
        "--db",
        &url,
        "--profile",
        example.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!missing.exists());
}

#[test]
fn serve_without_a_profile_explains_how_to_give_one() {
    let out = bin()
        .args(["serve"])
        .env_remove("FRONTDESK_PROFILE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--profile"));
}

#[test]
fn test_calls_runs_every_shipped_scenario_and_they_all_pass() {
    let out = bin()
        .args(["test-calls"])
        .arg(root().join("scenarios"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("PASS seven-step-call.toml"), "{stdout}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

#[test]
fn a_failing_scenario_is_reported_with_its_transcript_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let profile = root().join("examples/auto-shop.toml");
    let scenario = format!(
        "profile = {:?}\nnow = \"2026-11-24T19:30\"\ncaller = \"+15125550143\"\nchannel = \"voice\"\n\n[[turn]]\nsay = \"how much is an oil change\"\nreply_contains = \"free oil changes forever\"\n\n[expect]\nno_appointment = true\n",
        profile.display().to_string()
    );
    std::fs::write(dir.path().join("wrong.toml"), scenario).unwrap();
    let out = bin()
        .args(["test-calls"])
        .arg(dir.path().join("wrong.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(stdout.contains("FAIL wrong.toml"), "{stdout}");
    assert!(
        stdout.contains("does not mention \"free oil changes forever\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("caller: how much is an oil change"),
        "the transcript is shown: {stdout}"
    );
}

#[test]
fn chat_books_the_seven_step_call_and_prints_each_effect() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = bin()
        .current_dir(dir.path())
        .args(["chat", "--now", "2026-11-24T19:30", "--as", "+15125550143"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"my check engine light is on\nthursday at 2pm\nSam, 2008 Honda Civic\nyes\nthat's all, bye\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("booking diagnostic Thu Nov 26 2:00 PM for Sam"),
        "{stdout}"
    );
    assert!(
        stdout.contains("text queued to +15125550143 (confirmation)"),
        "{stdout}"
    );
    assert!(stdout.contains("(conversation over)"), "{stdout}");
    // chat keeps its conversations in the default database, like the server.
    assert!(dir.path().join("frontdesk-data/frontdesk.db").exists());
}

#[test]
fn the_audit_of_a_sample_log_prints_missed_calls_and_lost_revenue_with_the_shops_hours() {
    let dir = tempfile::tempdir().unwrap();
    let sample = bin()
        .args(["audit", "--sample", "30d", "--seed", "7"])
        .output()
        .unwrap();
    assert!(
        sample.status.success(),
        "{}",
        String::from_utf8_lossy(&sample.stderr)
    );
    let csv = dir.path().join("calls.csv");
    std::fs::write(&csv, &sample.stdout).unwrap();
    let html = dir.path().join("report.html");
    let example = root().join("examples/auto-shop.toml");
    let out = bin()
        .args([
            "audit",
            csv.to_str().unwrap(),
            "--profile",
            example.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("missed"), "{stdout}");
    assert!(
        stdout.contains("after hours") || stdout.contains("after-hours"),
        "{stdout}"
    );
    assert!(stdout.contains('$'), "lost revenue in dollars: {stdout}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg"), "charts are inline SVG");
}
