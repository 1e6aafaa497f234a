//! The million-row benchmark: writes a sample Twilio log of about a million rows to a temporary
//! file, then times reading, classifying and aggregating it (the audit without rendering), and
//! the whole `run` with the text report. Run it in release mode:
//! `cargo run --release -p frontdesk-audit --example bench_million`.

use std::io::{BufWriter, Write};
use std::time::Instant;

use frontdesk_audit::columns::ColumnMap;
use frontdesk_audit::parse::{ReadOptions, read_log};
use frontdesk_audit::{
    BusinessHours, DEFAULT_OPEN, SampleSpec, Settings, SimpleHours, analyze, write_sample,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target_rows: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let zone = jiff::tz::TimeZone::get("America/Chicago")?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("million.csv");
    // About 2,060 rows per 30 days at volume 1.
    let volume = target_rows as f64 / (2060.0 / 30.0 * 365.0);
    let spec = SampleSpec {
        days: 365,
        seed: 1,
        end: jiff::civil::date(2026, 11, 22),
        zone: zone.clone(),
        volume,
    };
    let t = Instant::now();
    {
        let mut w = BufWriter::new(std::fs::File::create(&path)?);
        write_sample(&spec, &mut w)?;
        w.flush()?;
    }
    let bytes = std::fs::metadata(&path)?.len();
    eprintln!(
        "generated {:.1} MB in {:.2?}",
        bytes as f64 / 1e6,
        t.elapsed()
    );

    let hours = SimpleHours::new(DEFAULT_OPEN.parse()?, zone.clone(), "Bench Auto");
    let settings = Settings {
        voicemail_seconds: 20,
        repeat_window_hours: 24,
        avg_ticket: "400".parse()?,
        booking_rate: "0.6".parse()?,
        ad_cost_per_lead: Some("35".parse()?),
        business_number: None,
        hours_text: None,
    };
    let mut best = f64::MAX;
    let mut rows = 0;
    for round in 1..=3 {
        let t = Instant::now();
        let file = std::fs::File::open(&path)?;
        let parsed = read_log(
            file,
            ReadOptions {
                columns: &ColumnMap::default(),
                zone: hours.zone(),
                progress: None,
            },
        )?;
        let read = t.elapsed();
        rows = parsed.rows;
        let report = analyze(parsed, &hours, &settings);
        let total = t.elapsed();
        best = best.min(total.as_secs_f64());
        println!(
            "round {round}: {rows} rows ({:.1} MB): read {:.3}s, classify+aggregate {:.3}s, total {:.3}s; {} calls, {} unanswered",
            bytes as f64 / 1e6,
            read.as_secs_f64(),
            (total - read).as_secs_f64(),
            total.as_secs_f64(),
            report.calls.total,
            report.calls.unanswered
        );
    }
    println!(
        "best of 3: {rows} rows parsed, classified and aggregated in {best:.3}s ({:.0} rows/s)",
        rows as f64 / best
    );

    let args = frontdesk_audit::AuditArgs {
        calls: Some(path.clone()),
        avg_ticket: None,
        booking_rate: "0.6".parse()?,
        ad_cost_per_lead: None,
        voicemail_seconds: 20,
        repeat_window_hours: 24,
        columns: None,
        html: Some(dir.path().join("million.html")),
        json: false,
        sample: None,
        seed: 42,
        sample_end: None,
        zone: None,
        open: None,
        business_number: None,
    };
    let t = Instant::now();
    frontdesk_audit::run(
        &args,
        None,
        &mut std::io::sink(),
        &mut std::io::sink(),
        None,
    )?;
    println!(
        "whole run with text and HTML reports: {:.3}s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
