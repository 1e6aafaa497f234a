//! What the owner sees when the audit cannot run: every message names the file, column or value
//! at fault, and says what would work.

mod common;

use common::{fixture, run, try_args};

fn error_of(list: &[&str]) -> String {
    match run(list) {
        Ok((out, _)) => panic!("expected an error, got a report:\n{out}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_log_without_a_status_column_is_refused_naming_what_is_missing_and_what_is_there() {
    let e = error_of(&[&fixture("no_status.csv")]);
    assert!(e.contains("no column for status"), "{e}");
    assert!(e.contains("\"Seconds\""), "{e}");
    assert!(e.contains("--columns status="), "{e}");
}

#[test]
fn a_mapping_to_a_column_the_file_does_not_have_names_that_column() {
    let e = error_of(&[
        &fixture("foreign_mapped.csv"),
        "--columns",
        "from=Caller,start=When,status=Result",
    ]);
    assert!(e.contains("column \"When\" given for start"), "{e}");
    assert!(e.contains("\"Date\""), "{e}");
}

#[test]
fn a_missing_file_is_named_in_the_error() {
    let e = error_of(&["/nonexistent/calls.csv"]);
    assert!(
        e.starts_with("cannot read \"/nonexistent/calls.csv\""),
        "{e}"
    );
}

#[test]
fn an_empty_file_is_refused_with_a_hint_about_the_header() {
    let e = error_of(&[&fixture("empty.csv")]);
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn an_unknown_time_zone_is_refused_by_name() {
    let e = error_of(&[&fixture("twilio_export.csv"), "--zone", "Mars/Olympus"]);
    assert_eq!(
        e,
        "unknown time zone \"Mars/Olympus\" (use an IANA name such as America/Chicago)"
    );
}

#[test]
fn mistyped_numbers_and_hours_are_refused_on_the_command_line() {
    for bad in [
        &["x.csv", "--avg-ticket", "four hundred"][..],
        &["x.csv", "--booking-rate", "1.5"],
        &["x.csv", "--open", "Mon-Fri 9-5pm"],
        &["x.csv", "--columns", "phone=Caller"],
        &["--sample", "a month"],
    ] {
        let e = try_args(bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains('"'),
            "{bad:?} should be refused quoting the value: {e}"
        );
    }
}

#[test]
fn a_business_number_that_is_not_a_phone_number_is_refused() {
    let e = error_of(&[
        &fixture("twilio_export.csv"),
        "--business-number",
        "front desk",
    ]);
    assert_eq!(e, "cannot read business number \"front desk\"");
}

#[test]
fn garbage_input_never_panics_and_every_bad_row_is_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("garbage.csv");
    let mut text = String::from(
        "From,Start Time,Status,Duration\n+15125550100,2026-11-02 15:00:00 UTC,no-answer,0\n",
    );
    let junk = [
        "",
        ",,,,,,,",
        "+1512,2026-11-02 10:00:00 UTC,completed,-1",
        "\u{feff}x,y,z",
        "é,ü,ß,∞",
        "+1512,2026-02-29 10:00:00 UTC,busy,0",
        "+1512,Mon, 02 Nov 2026,busy,0",
    ];
    for (i, j) in junk.iter().cycle().take(200).enumerate() {
        text.push_str(j);
        if i % 7 == 0 {
            text.push_str("\u{0}\u{7f}");
        }
        text.push('\n');
    }
    // An unterminated quote swallows the rest of the file, as CSV says: one more bad row.
    text.push_str("\"+1512,2026-11-02 15:00:00 UTC,busy,0\n");
    std::fs::write(&path, &text).expect("write");
    let (r, _) = common::run_json(&[path.to_str().expect("utf-8")]);
    assert_eq!(r["calls"]["total"], 1, "the one good row is counted");
    let rows = r["input"]["rows"].as_u64().expect("rows");
    let bad = r["input"]["bad_rows"].as_u64().expect("bad");
    assert_eq!(rows, bad + 1, "every other row is counted as bad");
    assert!(bad >= 170, "{bad}");
}

#[test]
fn a_log_with_a_header_and_no_calls_gives_an_empty_report_not_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("header_only.csv");
    std::fs::write(
        &path,
        "Date Created,Start Time,End Time,Duration,From,To,Direction,Status\n",
    )
    .expect("write");
    let html = dir.path().join("empty.html");
    let (out, _) = run(&[
        path.to_str().expect("utf-8"),
        "--html",
        html.to_str().expect("utf-8"),
    ])
    .expect("audit runs");
    assert!(
        out.contains("The call log has no inbound calls to count."),
        "{out}"
    );
    assert!(!out.contains("would recover"), "{out}");
    let page = std::fs::read_to_string(html).expect("html written");
    assert!(page.contains("0 of your 0 calls"));
}

#[test]
fn an_html_report_that_cannot_be_written_names_the_path() {
    let e = error_of(&[
        &fixture("twilio_export.csv"),
        "--html",
        "/nonexistent/dir/report.html",
    ]);
    assert!(
        e.starts_with("cannot write \"/nonexistent/dir/report.html\""),
        "{e}"
    );
}
