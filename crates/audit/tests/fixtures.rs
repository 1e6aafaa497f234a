//! Hand-computed fixtures: a Twilio console export (forwarded calls, a duplicate row, a call
//! back, bad rows) and a foreign export read through `--columns`, checked figure by figure.
//! The expected figures are worked out in the comments next to them.

mod common;

use common::{fixture, run, run_json};
use serde_json::json;

#[test]
fn a_twilio_export_gives_the_figures_worked_out_by_hand() {
    let path = fixture("twilio_export.csv");
    let (r, err) = run_json(&[&path, "--ad-cost-per-lead", "35"]);

    // 26 data rows: 14 inbound legs, 8 forwarding legs, 1 call back, 1 duplicate, 2 unreadable.
    assert_eq!(r["input"]["rows"], 26);
    assert_eq!(r["input"]["bad_rows"], 2);
    assert_eq!(r["input"]["duplicate_rows"], 1);
    assert_eq!(r["input"]["forwarded_legs"], 8);
    assert_eq!(r["input"]["outbound_calls"], 1);
    assert_eq!(
        r["input"]["unfinished_calls"], 1,
        "the ringing call is left out"
    );
    assert_eq!(r["input"]["other_numbers_rows"], 0);

    // 13 inbound calls counted once each.
    let c = &r["calls"];
    assert_eq!(c["total"], 13);
    assert_eq!(c["answered"], 4, "A twice, B's third try, D's morning call");
    assert_eq!(
        c["missed"], 4,
        "B no-answer, B busy, hidden no-answer, G canceled"
    );
    assert_eq!(
        c["voicemail"], 1,
        "C reached the cell phone's voicemail (8 s)"
    );
    assert_eq!(
        c["after_hours_missed"], 4,
        "D Mon 19:30, E Sat 14:00, I twice on Sunday"
    );
    assert_eq!(c["after_hours_total"], 4);
    assert_eq!(c["answered_after_hours"], 0);
    assert_eq!(c["unanswered"], 9);
    assert_eq!(c["from_hidden_numbers"], 1);
    assert_eq!(c["unanswered_percent"], 69.2);

    let k = &r["callers"];
    assert_eq!(k["total"], 7, "A B C D E G I");
    assert_eq!(k["with_a_missed_call"], 6);
    assert_eq!(k["got_through_later"], 2, "B and D");
    assert_eq!(k["called_back_by_shop"], 1, "E");
    assert_eq!(k["never_got_through"], 3, "C G I");

    let rp = &r["repeat_attempts"];
    assert_eq!(rp["total"], 4);
    assert_eq!(rp["got_through"], 2);
    assert_eq!(rp["missed_again"], 2);

    // Leads: B, C, D, E, G, I once each plus the hidden caller = 7.
    // 7 × 60% × $400 = $1,680; 7 × $35 = $245; total $1,925 over 7 days.
    let m = &r["money"];
    assert_eq!(m["missed_leads"], 7);
    assert_eq!(m["lost_jobs"], "4.2");
    assert_eq!(m["avg_ticket_cents"], 40_000);
    assert_eq!(m["booking_rate_ppm"], 600_000);
    assert_eq!(m["lost_revenue_cents"], 168_000);
    assert_eq!(m["wasted_ad_spend_cents"], 24_500);
    assert_eq!(m["total_lost_cents"], 192_500);
    assert_eq!(m["recoverable_per_month_cents"], 825_000, "1925 × 30 / 7");
    assert_eq!(
        m["recoverable_per_year_cents"], 10_037_500,
        "1925 × 365 / 7"
    );

    assert_eq!(
        r["period"],
        json!({"first_call": "2026-11-02 09:00", "last_call": "2026-11-08 10:05", "days": 7})
    );
    assert_eq!(r["zone"], "America/Chicago");

    // Misses by local hour of the week (Monday first).
    let how = &r["hour_of_week"]["unanswered"];
    assert_eq!(how[0][9], 2);
    assert_eq!(how[0][12], 1);
    assert_eq!(how[0][19], 1);
    assert_eq!(how[1][10], 2);
    assert_eq!(how[5][14], 1);
    assert_eq!(how[6][10], 2);
    let sum: u64 = how
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|d| d.as_array().expect("hours").iter())
        .map(|v| v.as_u64().expect("count"))
        .sum();
    assert_eq!(sum, 9);
    assert_eq!(r["hour_of_week"]["open"][0][9], true);
    assert_eq!(r["hour_of_week"]["open"][5][14], false);

    let days = r["days"].as_array().expect("days");
    assert_eq!(days.len(), 7);
    assert_eq!(days[0]["date"], "2026-11-02");
    assert_eq!(days[0]["weekday"], "Mon");
    assert_eq!(days[0]["calls"], 6);
    assert_eq!(days[0]["answered"], 2);
    assert_eq!(days[0]["missed"], 2);
    assert_eq!(days[0]["voicemail"], 1);
    assert_eq!(days[0]["after_hours_missed"], 1);
    assert_eq!(days[0]["missed_leads"], 3);
    assert_eq!(days[0]["cumulative_lost_cents"], 82_500, "3 × ($240 + $35)");
    assert_eq!(days[3]["calls"], 0, "Thursday had no calls");
    assert_eq!(days[6]["cumulative_lost_cents"], 192_500);

    let lost = r["lost_callers"].as_array().expect("list");
    let numbers: Vec<&str> = lost
        .iter()
        .map(|l| l["number"].as_str().expect("number"))
        .collect();
    assert_eq!(
        numbers,
        ["(512) 555-1009", "(512) 555-1007", "(512) 555-1003"]
    );
    assert_eq!(lost[0]["calls"], 2);
    assert_eq!(lost[0]["after_hours_only"], true);
    assert_eq!(lost[0]["first_call"], "2026-11-08 10:00");

    // Bad rows are named by row (line in the file) and column, and the run goes on.
    let bad = &r["input"]["bad_row_examples"];
    assert_eq!(bad[0]["row"], 9);
    assert_eq!(bad[0]["column"], "Status");
    assert_eq!(bad[1]["row"], 13);
    assert_eq!(bad[1]["column"], "Start Time");
    assert!(
        err.contains("row 9, column \"Status\": unknown call status \"transferred\""),
        "{err}"
    );
    assert!(
        err.contains(
            "row 13, column \"Start Time\": cannot read date \"Tue, 31 Nov 2026 10:00:00 +0000\""
        ),
        "{err}"
    );
}

#[test]
fn a_foreign_export_read_through_a_column_mapping_gives_the_figures_worked_out_by_hand() {
    let path = fixture("foreign_mapped.csv");
    let (r, err) = run_json(&[
        &path,
        "--columns",
        "from=Caller,to=Called,start=Date,status=Result,duration=Seconds",
        "--business-number",
        "+1 303 555 0100",
        "--zone",
        "America/Denver",
        "--open",
        "Mon-Fri 07:30-17:30",
        "--avg-ticket",
        "350",
        "--booking-rate",
        "50%",
    ]);
    assert_eq!(r["input"]["rows"], 13);
    assert_eq!(r["input"]["bad_rows"], 2);
    assert_eq!(
        r["input"]["outbound_calls"], 1,
        "the shop's call back to 2002"
    );
    assert_eq!(
        r["input"]["other_numbers_rows"], 1,
        "the call to the other line"
    );
    assert_eq!(r["input"]["forwarded_legs"], 0);

    let c = &r["calls"];
    assert_eq!(c["total"], 9);
    assert_eq!(c["answered"], 3);
    assert_eq!(
        c["answered_after_hours"], 1,
        "2003 at 5:45 PM talked to someone"
    );
    assert_eq!(c["missed"], 3);
    assert_eq!(
        c["voicemail"], 2,
        "2002's voicemail and 2004's 12-second call"
    );
    assert_eq!(c["after_hours_missed"], 1, "2005 on Saturday");
    assert_eq!(c["after_hours_total"], 2);
    assert_eq!(c["unanswered"], 6);
    assert_eq!(c["from_hidden_numbers"], 1);

    let k = &r["callers"];
    assert_eq!(k["total"], 5);
    assert_eq!(k["with_a_missed_call"], 3);
    assert_eq!(k["got_through_later"], 0);
    assert_eq!(k["called_back_by_shop"], 1);
    assert_eq!(k["never_got_through"], 2);

    assert_eq!(
        r["repeat_attempts"]["total"], 1,
        "2004's second call came 24 h 15 min later"
    );
    assert_eq!(r["repeat_attempts"]["missed_again"], 1);

    // Leads 5 × 50% × $350 = $875 over 6 days.
    let m = &r["money"];
    assert_eq!(m["missed_leads"], 5);
    assert_eq!(m["lost_jobs"], "2.5");
    assert_eq!(m["lost_revenue_cents"], 87_500);
    assert_eq!(m["wasted_ad_spend_cents"], 0);
    assert_eq!(m["ad_cost_per_lead_cents"], serde_json::Value::Null);
    assert_eq!(m["total_lost_cents"], 87_500);
    assert_eq!(m["recoverable_per_month_cents"], 437_500);
    assert_eq!(
        m["recoverable_per_year_cents"], 5_322_900,
        "$53,229.17 rounded to the dollar"
    );
    assert_eq!(r["period"]["days"], 6);
    assert_eq!(r["hours"], "Mon-Fri 07:30-17:30");

    let how = &r["hour_of_week"]["unanswered"];
    assert_eq!(how[0][8], 2);
    assert_eq!(how[1][12], 1);
    assert_eq!(how[2][12], 1);
    assert_eq!(how[2][15], 1);
    assert_eq!(how[5][10], 1);

    let lost: Vec<&str> = r["lost_callers"]
        .as_array()
        .expect("list")
        .iter()
        .map(|l| l["number"].as_str().expect("number"))
        .collect();
    assert_eq!(lost, ["(720) 555-2004", "(720) 555-2005"]);

    assert!(
        err.contains("row 12, column \"Seconds\": cannot read duration \"abc\""),
        "{err}"
    );
    assert!(
        err.contains("row 13, column \"Date\": cannot read date \"13/02/2026 9:00 AM\""),
        "{err}"
    );
}

#[test]
fn the_text_report_fits_one_screen_and_shows_the_headline_figures() {
    let path = fixture("twilio_export.csv");
    let (out, _) = run(&[&path, "--ad-cost-per-lead", "35"]).expect("audit runs");
    assert!(out.lines().count() <= 30, "{out}");
    assert!(
        out.lines()
            .all(|l| l.chars().count() <= 80 || l.starts_with("  row ")),
        "{out}"
    );
    let figures = |label: &str| -> Vec<String> {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_default();
        line[line.find(label).map_or(0, |i| i + label.len())..]
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(figures("Answered by a person"), ["4", "30.8%"], "{out}");
    assert_eq!(figures("Missed while open"), ["4", "30.8%"], "{out}");
    assert_eq!(
        figures("After hours, not answered"),
        ["4", "30.8%"],
        "{out}"
    );
    assert_eq!(figures("Not answered"), ["9", "69.2%"], "{out}");
    assert!(
        out.contains("Callers who never got through (and were not called back): 3"),
        "{out}"
    );
    assert!(out.contains("$1,680"), "{out}");
    assert!(out.contains("$1,925"), "{out}");
    assert!(
        out.contains("about $8,250 a month ($100,375 a year)"),
        "{out}"
    );
    assert!(
        out.contains(
            "2 of 26 rows could not be read and were skipped:\n  row 9, column \"Status\""
        ),
        "{out}"
    );
    assert!(out.contains("1 call was still ringing"), "{out}");
}

#[test]
fn a_profiles_average_ticket_is_used_when_none_is_given() {
    struct Profile(jiff::tz::TimeZone);
    impl frontdesk_audit::BusinessHours for Profile {
        fn zone(&self) -> &jiff::tz::TimeZone {
            &self.0
        }
        fn is_open(&self, _at: jiff::Timestamp) -> bool {
            true
        }
        fn name(&self) -> &str {
            "Main Street Auto"
        }
        fn average_ticket_cents(&self) -> Option<i64> {
            Some(50_000)
        }
    }
    let p = Profile(jiff::tz::TimeZone::get("America/Chicago").expect("zone"));
    let path = fixture("twilio_export.csv");
    let (out, _) = common::run_with(&[&path, "--json"], Some(&p)).expect("audit runs");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["shop"], "Main Street Auto");
    assert_eq!(r["money"]["avg_ticket_cents"], 50_000);
    // Open around the clock: no after-hours calls; the 4 after-hours misses become in-hours.
    assert_eq!(r["calls"]["after_hours_total"], 0);
    assert_eq!(r["calls"]["missed"], 4);
    assert_eq!(r["calls"]["voicemail"], 5);
    assert_eq!(r["hours"], serde_json::Value::Null);
    // --open replaces the profile's hours (the profile's name stays).
    let (out, _) = common::run_with(
        &[
            &path,
            "--json",
            "--open",
            "Mon-Fri 08:00-18:00,Sat 08:00-13:00",
        ],
        Some(&p),
    )
    .expect("audit runs");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["shop"], "Main Street Auto");
    assert_eq!(r["calls"]["after_hours_total"], 4);
    assert_eq!(r["hours"], "Mon-Fri 08:00-18:00, Sat 08:00-13:00");
    assert_eq!(
        r["money"]["avg_ticket_cents"], 50_000,
        "the profile's ticket still applies"
    );
    // An explicit ticket still wins over the profile's.
    let (out, _) =
        common::run_with(&[&path, "--json", "--avg-ticket", "300"], Some(&p)).expect("audit runs");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["money"]["avg_ticket_cents"], 30_000);
}

#[test]
fn an_export_without_parent_call_sids_warns_that_forwarded_calls_could_not_be_matched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no_parent.csv");
    std::fs::write(
        &path,
        "Start Time,Duration,From,To,Direction,Status,Sid\n\
         2026-11-02 15:00:00 UTC,40,+15125551002,+15125550142,inbound,completed,CA00000000000000000000000000000002\n\
         2026-11-02 15:00:02 UTC,0,+15125550142,+15125550199,outbound-dial,no-answer,CA00000000000000000000000000000102\n",
    )
    .expect("write");
    let p = path.to_str().expect("utf-8");
    let (r, _) = run_json(&[p]);
    assert_eq!(r["input"]["unlinked_dial_legs"], 1);
    assert_eq!(r["input"]["forwarded_legs"], 0);
    assert_eq!(
        r["calls"]["answered"], 1,
        "without the link the 40-second inbound leg looks answered"
    );
    let (out, _) = run(&[p]).expect("audit runs");
    assert!(
        out.contains("Caution: 1 forwarded legs could not be matched"),
        "{out}"
    );
}
