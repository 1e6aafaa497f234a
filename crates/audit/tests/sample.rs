//! The sample log generator: what a newcomer runs first (`frontdesk audit --sample 30d`).

mod common;

use common::{args, run, run_json};

fn sample(seed: &str, end: &str, len: &str) -> String {
    let (out, err) =
        run(&["--sample", len, "--seed", seed, "--sample-end", end]).expect("sample is written");
    assert_eq!(err, "");
    out
}

#[test]
fn the_same_seed_gives_the_same_sample_log_and_another_seed_a_different_one() {
    let a = sample("7", "2026-11-22", "30d");
    let b = sample("7", "2026-11-22", "30d");
    let c = sample("8", "2026-11-22", "30d");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn a_thirty_day_sample_reads_back_cleanly_and_looks_like_a_busy_shop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("calls.csv");
    std::fs::write(&path, sample("42", "2026-11-22", "30d")).expect("write sample");
    let p = path.to_str().expect("utf-8 path");
    let (r, err) = run_json(&[p]);
    assert_eq!(err, "");
    assert_eq!(r["input"]["bad_rows"], 0);
    assert_eq!(r["input"]["duplicate_rows"], 0);
    assert_eq!(r["period"]["days"], 30);
    assert_eq!(
        r["period"]["last_call"].as_str().map(|s| &s[..10]),
        Some("2026-11-22")
    );
    let c = &r["calls"];
    let total = c["total"].as_u64().expect("total");
    assert!(
        (700..=1600).contains(&total),
        "about 35 calls a weekday: {total}"
    );
    let sum = ["answered", "missed", "voicemail", "after_hours_missed"]
        .iter()
        .map(|k| c[*k].as_u64().expect("count"))
        .sum::<u64>();
    assert_eq!(sum, total);
    let unanswered = c["unanswered"].as_u64().expect("unanswered");
    assert!(
        unanswered * 100 / total >= 15 && unanswered * 100 / total <= 50,
        "{unanswered} of {total}"
    );
    assert!(
        c["missed"].as_u64() > Some(0)
            && c["voicemail"].as_u64() > Some(0)
            && c["after_hours_missed"].as_u64() > Some(0)
    );
    assert!(
        r["input"]["forwarded_legs"].as_u64() > Some(total / 2),
        "in-hours calls are forwarded"
    );
    assert!(
        r["input"]["outbound_calls"].as_u64() > Some(0),
        "the shop calls some back"
    );
    assert!(r["repeat_attempts"]["total"].as_u64() > Some(0));
    assert!(r["callers"]["called_back_by_shop"].as_u64() > Some(0));
    // The busiest hours of the week are during the day.
    let how = &r["hour_of_week"]["calls"];
    assert_eq!(how[6][3], 0, "nobody calls at 3am on Sunday");
    assert!(how[0][9].as_u64() > Some(10));
}

#[test]
fn a_sample_in_another_zone_follows_that_zones_hours() {
    let (out, _) = run(&[
        "--sample",
        "7d",
        "--sample-end",
        "2026-11-22",
        "--zone",
        "America/Los_Angeles",
    ])
    .expect("sample");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("la.csv");
    std::fs::write(&path, out).expect("write");
    let (r, _) = run_json(&[
        path.to_str().expect("utf-8"),
        "--zone",
        "America/Los_Angeles",
    ]);
    assert_eq!(r["zone"], "America/Los_Angeles");
    assert_eq!(r["period"]["days"], 7);
    // Calls cluster at 8-9am Los Angeles time.
    let total_8am: u64 = (0..5)
        .map(|d| r["hour_of_week"]["calls"][d][8].as_u64().unwrap_or(0))
        .sum();
    let total_5am: u64 = (0..5)
        .map(|d| r["hour_of_week"]["calls"][d][5].as_u64().unwrap_or(0))
        .sum();
    assert!(total_8am > total_5am + 10, "{total_8am} vs {total_5am}");
}

#[test]
fn the_audit_needs_a_log_or_a_sample_request() {
    let parsed = common::try_args(&[]);
    assert!(parsed.is_err(), "CALLS.csv is required without --sample");
    let a = args(&["--sample", "30d"]);
    assert!(a.calls.is_none());
}
