//! The missed-lead audit (`frontdesk audit CALLS.csv`): before a shop buys anything it sees its
//! own numbers. The audit reads a call-log CSV (Twilio's export as is, other providers' through
//! `--columns`), counts the calls nobody answered, and prices them with the shop's average
//! ticket and booking rate, as a one-screen text report, a self-contained HTML report with
//! charts (`--html`), or JSON (`--json`). `--sample 30d` writes a realistic log to try it on.
//!
//! # How calls are counted
//!
//! - **One call, one count.** Only inbound calls are counted. Twilio logs a forwarded call as an
//!   `inbound` leg plus `outbound-dial` legs (child legs naming it as `Parent Call Sid`); the
//!   children decide whether a person answered and are not counted themselves. A row whose `Sid`
//!   was already seen (overlapping exports) is skipped. Without a direction column every row is
//!   inbound, unless `--business-number` says which calls the shop made.
//! - **Answered**: completed (or in progress) and at least `--voicemail-seconds` long (default
//!   20). For a forwarded call, a forwarding leg must meet that. In a log that has forwarding
//!   legs, a call without any was only answered by the phone system (greeting, voicemail box):
//!   it is not answered by a person.
//! - **Voicemail**: picked up but shorter than `--voicemail-seconds`, or reported as voicemail.
//! - **Missed**: `no-answer`, `busy`, `canceled` or `failed`.
//! - **After hours**: the call started outside opening hours (the profile's, or `--open` in
//!   `--zone`). After-hours calls that no person answered are counted as *after hours*, apart from
//!   in-hours *missed* and *voicemail*; an after-hours call answered by voicemail is a miss.
//!   `queued` and `ringing` calls (still live at export) are left out and counted as unfinished.
//! - **Unanswered** = missed + voicemail + after hours (not answered).
//! - **Repeat attempt**: a call from the same number within `--repeat-window-hours` (default 24)
//!   after one of its unanswered calls (each miss restarts the window). Repeat attempts are
//!   counted, with how many got through.
//! - **Missed lead**: an unanswered call that is not a repeat attempt, i.e. one person wanting
//!   something once; a caller who tried three times in an hour is one lead. Every unanswered
//!   call from a hidden number is its own lead.
//! - **Never got through**: a number all of whose calls in the log went unanswered, and whom the
//!   shop did not reach with an answered outbound call after their first miss. They are listed
//!   so the owner can call them back. Hidden numbers are not counted here.
//! - **Lost revenue** = missed leads × booking rate × average ticket, plus missed leads × ad
//!   cost per lead when `--ad-cost-per-lead` is given. **What answering every call would
//!   recover** is that total scaled from the log's span to 30 and 365 days. Money is held in
//!   cents and rates in parts per million; figures are exact and rounded half up to the cent.
//! - The heat map places each call in the shop's week by its local start hour.
//!
//! # Reading the log
//!
//! Columns are found by their names (Twilio's `Start Time`, `From`, `Status`, `Duration`,
//! `Direction`, `Sid`, `Parent Call Sid`, and common synonyms such as `Caller` or `Result`), or
//! by `--columns`. Only a caller, a start time (or `Date Created`) and a status are required.
//! Dates with a zone or offset are exact; dates without one are read in the shop's zone. A row
//! that cannot be read is skipped, counted, and named as `row N, column "C": problem`, where N
//! is the line in the file (the header is line 1). Statuses from other providers are mapped
//! (`answered`, `missed`, `abandoned`, `voicemail`, ...). Hours come from the profile passed to
//! [`run`], unless `--open` or `--zone` is given, which then override it.

pub mod analyze;
pub mod columns;
pub mod hours;
pub mod html;
pub mod money;
pub mod parse;
pub mod sample;
pub mod text;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use jiff::tz::TimeZone;

pub use analyze::{Report, Settings, analyze};
pub use columns::ColumnMap;
pub use hours::{BusinessHours, DEFAULT_OPEN, SimpleHours, WeeklyHours};
pub use money::{Cents, Rate};
pub use sample::{SampleLength, SampleSpec, write_sample};

/// The zone used when neither a profile nor `--zone` gives one.
pub const DEFAULT_ZONE: &str = "America/Chicago";
/// The average ticket used when neither `--avg-ticket` nor the profile gives one: $400.
pub const DEFAULT_TICKET: Cents = Cents(40_000);

/// `frontdesk audit`: what missed calls cost the shop.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct AuditArgs {
    /// The call log: Twilio's CSV export as is, or another provider's with --columns ("-" reads
    /// standard input).
    #[cfg_attr(
        feature = "cli",
        arg(value_name = "CALLS.csv", required_unless_present = "sample")
    )]
    pub calls: Option<PathBuf>,

    /// Average repair ticket in dollars [default: the profile's, else 400].
    #[cfg_attr(feature = "cli", arg(long, value_name = "DOLLARS"))]
    pub avg_ticket: Option<Cents>,

    /// Share of callers who book when answered (0.6 or 60%).
    #[cfg_attr(feature = "cli", arg(long, value_name = "RATE", default_value = "0.6"))]
    pub booking_rate: Rate,

    /// What the shop pays in advertising for each call (dollars); added to the loss per missed lead.
    #[cfg_attr(feature = "cli", arg(long, value_name = "DOLLARS"))]
    pub ad_cost_per_lead: Option<Cents>,

    /// Calls picked up but shorter than this many seconds count as voicemail, not answered.
    #[cfg_attr(
        feature = "cli",
        arg(long, value_name = "SECONDS", default_value_t = 20)
    )]
    pub voicemail_seconds: u32,

    /// Calls from the same number within this many hours after a miss are repeat attempts.
    #[cfg_attr(feature = "cli", arg(long, value_name = "HOURS", default_value_t = 24))]
    pub repeat_window_hours: u32,

    /// Column mapping for other providers' exports, e.g.
    /// from=Caller,start=Date,status=Result,duration=Seconds (fields: from, to, start, created,
    /// status, duration, direction, sid, parent).
    #[cfg_attr(feature = "cli", arg(long, value_name = "FIELD=HEADER,..."))]
    pub columns: Option<ColumnMap>,

    /// Also write a self-contained HTML report with charts to this file.
    #[cfg_attr(feature = "cli", arg(long, value_name = "OUT.html"))]
    pub html: Option<PathBuf>,

    /// Print the figures as JSON instead of the text report.
    #[cfg_attr(feature = "cli", arg(long))]
    pub json: bool,

    /// Write a realistic sample Twilio call log of this length (e.g. 30d) to standard output
    /// instead of auditing.
    #[cfg_attr(feature = "cli", arg(long, value_name = "LENGTH"))]
    pub sample: Option<SampleLength>,

    /// Seed for --sample: the same seed and end date give the same log.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 42))]
    pub seed: u64,

    /// Last day of the --sample log (YYYY-MM-DD) [default: yesterday in the shop's zone].
    #[cfg_attr(feature = "cli", arg(long, value_name = "DATE"))]
    pub sample_end: Option<jiff::civil::Date>,

    /// The shop's time zone, an IANA name [default: the profile's, else America/Chicago]. With a
    /// profile, --zone or --open replace the profile's hours.
    #[cfg_attr(feature = "cli", arg(long, value_name = "IANA ZONE"))]
    pub zone: Option<String>,

    /// Opening hours, e.g. "Mon-Fri 08:00-18:00,Sat 08:00-13:00" [default: the profile's, else
    /// that].
    #[cfg_attr(feature = "cli", arg(long, value_name = "HOURS"))]
    pub open: Option<WeeklyHours>,

    /// The shop's phone number, to tell its own calls from customers' when the export does not
    /// say (and to skip calls to other numbers).
    #[cfg_attr(feature = "cli", arg(long, value_name = "NUMBER"))]
    pub business_number: Option<String>,
}

/// Everything that stops an audit. Bad rows are not errors: they are counted and reported.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("no call log given: pass CALLS.csv, or try --sample 30d to make one")]
    NoInput,
    #[error("cannot read \"{path}\": {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write \"{path}\": {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write the report: {0}")]
    Output(#[from] std::io::Error),
    #[error("the call log is empty: expected a header row such as \"Date Created,Start Time,...\"")]
    EmptyLog,
    #[error(
        "the call log has no column for {field} ({hint}); columns found: {found}; map one with --columns {field}=HEADER"
    )]
    MissingColumn {
        field: &'static str,
        hint: String,
        found: String,
    },
    #[error(
        "column \"{column}\" given for {field} in --columns is not in the call log; columns found: {found}"
    )]
    MappedColumnMissing {
        field: &'static str,
        column: String,
        found: String,
    },
    #[error("cannot read the call log at row {row}: {problem}")]
    Csv { row: u64, problem: String },
    #[error("unknown time zone \"{0}\" (use an IANA name such as America/Chicago)")]
    Zone(String),
    #[error("{0}")]
    Hours(String),
    #[error("cannot read business number \"{0}\"")]
    BusinessNumber(String),
    #[error("cannot make the sample: {0}")]
    Sample(String),
}

/// Runs `frontdesk audit`. `hours` is the shop profile, when the main binary was given one;
/// otherwise `--open` and `--zone` (or their defaults) are used. Reports go to `out`; bad-row
/// notes go to `err`; `progress` hears how far a large file has been read.
pub fn run(
    args: &AuditArgs,
    hours: Option<&dyn BusinessHours>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: Option<&mut dyn Progress>,
) -> Result<(), AuditError> {
    let zone = match &args.zone {
        Some(z) => TimeZone::get(z).map_err(|_| AuditError::Zone(z.clone()))?,
        None => match hours {
            Some(h) => h.zone().clone(),
            None => {
                TimeZone::get(DEFAULT_ZONE).map_err(|_| AuditError::Zone(DEFAULT_ZONE.into()))?
            }
        },
    };

    if let Some(len) = args.sample {
        let end = match args.sample_end {
            Some(d) => d,
            None => jiff::Timestamp::now()
                .to_zoned(zone.clone())
                .date()
                .yesterday()
                .map_err(|e| AuditError::Sample(e.to_string()))?,
        };
        let spec = SampleSpec {
            days: len.days,
            seed: args.seed,
            end,
            zone: zone.clone(),
            volume: 1.0,
        };
        let mut w = BufWriter::new(out);
        write_sample(&spec, &mut w)?;
        w.flush()?;
        return Ok(());
    }

    let profile = hours;
    let simple;
    let (hours, hours_text): (&dyn BusinessHours, Option<String>) = match (profile, &args.open) {
        (Some(h), None) if args.zone.is_none() => (h, None),
        (_, open) => {
            let week = match open {
                Some(w) => w.clone(),
                None => DEFAULT_OPEN.parse().map_err(AuditError::Hours)?,
            };
            let text = week.to_string();
            let name = profile.map_or("Your shop", |p| p.name()).to_string();
            simple = SimpleHours::new(week, zone.clone(), name);
            (&simple, Some(text))
        }
    };

    let business_number = match &args.business_number {
        Some(n) => {
            let (k, hidden) = parse::phone_key(n.as_bytes());
            if hidden || k >> 63 == 1 {
                return Err(AuditError::BusinessNumber(n.clone()));
            }
            Some(k)
        }
        None => None,
    };
    let avg_ticket = args
        .avg_ticket
        .or_else(|| profile.and_then(|p| p.average_ticket_cents()).map(Cents))
        .unwrap_or(DEFAULT_TICKET);
    let settings = Settings {
        voicemail_seconds: args.voicemail_seconds,
        repeat_window_hours: args.repeat_window_hours,
        avg_ticket,
        booking_rate: args.booking_rate,
        ad_cost_per_lead: args.ad_cost_per_lead,
        business_number,
        hours_text,
    };

    let path = args.calls.as_ref().ok_or(AuditError::NoInput)?;
    let columns = args.columns.clone().unwrap_or_default();
    let parsed = if path.as_os_str() == "-" {
        let stdin = std::io::stdin();
        parse::read_log(
            stdin.lock(),
            parse::ReadOptions {
                columns: &columns,
                zone: &zone,
                progress: None,
            },
        )?
    } else {
        let file = File::open(path).map_err(|source| AuditError::Open {
            path: path.display().to_string(),
            source,
        })?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        read_with_progress(file, size, &columns, &zone, progress)?
    };

    // The text report names unreadable rows itself; otherwise they are noted on `err`.
    if args.json || args.html.is_some() {
        for bad in parsed.bad.iter().take(10) {
            writeln!(err, "skipped {bad}")?;
        }
        if parsed.bad_rows > 10 {
            writeln!(
                err,
                "skipped {} more rows that could not be read",
                parsed.bad_rows - 10
            )?;
        }
    }

    let report = analyze(parsed, hours, &settings);
    // The HTML file first, so that a closed standard output does not lose it.
    if let Some(html_path) = &args.html {
        let write = |p: &PathBuf| -> std::io::Result<()> {
            let mut f = BufWriter::new(File::create(p)?);
            html::write_html(&report, &mut f)?;
            f.flush()
        };
        write(html_path).map_err(|source| AuditError::Write {
            path: html_path.display().to_string(),
            source,
        })?;
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        text::write_text(&report, out)?;
        if let Some(html_path) = &args.html {
            writeln!(out, "HTML report written to {}", html_path.display())?;
        }
    }
    Ok(())
}

/// Files at least this large report their progress, when the caller asked for it.
const PROGRESS_MIN_BYTES: u64 = 8 << 20;

/// Told how far a large call log has been read: the binary draws a progress bar with it.
pub trait Progress {
    /// Reading a file of `total` bytes begins.
    fn begin(&mut self, total: u64);
    /// This many bytes are read.
    fn at(&mut self, bytes: u64);
    /// Reading is over.
    fn end(&mut self);
}

fn read_with_progress(
    file: File,
    size: u64,
    columns: &ColumnMap,
    zone: &TimeZone,
    progress: Option<&mut dyn Progress>,
) -> Result<parse::Parsed, AuditError> {
    let Some(progress) = progress.filter(|_| size >= PROGRESS_MIN_BYTES) else {
        return parse::read_log(
            file,
            parse::ReadOptions {
                columns,
                zone,
                progress: None,
            },
        );
    };
    progress.begin(size);
    let result = {
        let mut tick = |bytes: u64| progress.at(bytes);
        parse::read_log(
            file,
            parse::ReadOptions {
                columns,
                zone,
                progress: Some(&mut tick),
            },
        )
    };
    progress.end();
    result
}
