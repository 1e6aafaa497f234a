//! A realistic sample call log in Twilio's export format (`frontdesk audit --sample 30d`), so a
//! newcomer can try the audit without a real export. It models a forwarding auto shop open
//! Mon-Fri 08:00-18:00 and Sat 08:00-13:00: morning and lunch peaks when the front desk is
//! swamped, after-hours calls that reach a voicemail box, callers who try again, and the odd call
//! back from the shop. The same seed and end date always give the same file.

use std::io::{self, Write};
use std::str::FromStr;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::hours::{DEFAULT_OPEN, WeeklyHours, local_parts};

/// `--sample 30d`: a length in days (`30d`, `4w` or `30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleLength {
    pub days: u32,
}

impl FromStr for SampleLength {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let (num, mult) = if let Some(n) = t.strip_suffix('d') {
            (n, 1)
        } else if let Some(n) = t.strip_suffix('w') {
            (n, 7)
        } else {
            (t.as_str(), 1)
        };
        let days = num
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|n| n.checked_mul(mult))
            .filter(|d| (1..=3660).contains(d))
            .ok_or_else(|| {
                format!(
                    "cannot read sample length \"{s}\" (write it like 30d or 4w, up to 3660 days)"
                )
            })?;
        Ok(SampleLength { days })
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleSpec {
    pub days: u32,
    pub seed: u64,
    /// The last day of the log (in `zone`).
    pub end: Date,
    pub zone: TimeZone,
    /// Call volume multiplier (1.0 is a busy single-location shop, about 35 calls a weekday).
    pub volume: f64,
}

pub const SHOP_NUMBER: u64 = 5_125_550_142;
const FORWARD_TO: u64 = 5_125_550_199;
const ACCOUNT_SID: &str = "AC5f1e0c3b9a7d4e2f8b6a1c0d9e8f7a6b";

struct Row {
    created: i64,
    start: Option<i64>,
    duration: u32,
    from: u64,
    to: u64,
    direction: &'static str,
    status: &'static str,
    sid: u128,
    parent: u128,
}

const WEEKDAY_HOURS: [u32; 24] = [
    0, 0, 0, 0, 0, 0, 1, 3, 12, 11, 9, 8, 10, 8, 8, 7, 7, 6, 2, 2, 1, 1, 0, 0,
];
const SATURDAY_HOURS: [u32; 24] = [
    0, 0, 0, 0, 0, 0, 1, 3, 8, 9, 8, 6, 4, 3, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0,
];
const SUNDAY_HOURS: [u32; 24] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0,
];
const DAILY_CALLS: [f64; 7] = [46.0, 40.0, 38.0, 38.0, 42.0, 20.0, 6.0];

fn pick_hour(rng: &mut ChaCha8Rng, weights: &[u32; 24]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total.max(1));
    for (h, &w) in weights.iter().enumerate() {
        if x < w {
            return h;
        }
        x -= w;
    }
    12
}

fn phone(rng: &mut ChaCha8Rng) -> u64 {
    let area = [512u64, 737, 830, 254][rng.random_range(0..4)];
    area * 10_000_000 + rng.random_range(200..1000u64) * 10_000 + rng.random_range(0..10_000u64)
}

struct Gen<'a> {
    rng: ChaCha8Rng,
    rows: Vec<Row>,
    week: WeeklyHours,
    zone: &'a TimeZone,
}

impl Gen<'_> {
    fn is_open(&self, ts: i64) -> bool {
        let p = local_parts(ts, self.zone);
        self.week.is_open_at(p.weekday, p.minute)
    }

    /// One inbound call at `ts` from `caller`; returns whether a person answered.
    fn call(&mut self, ts: i64, caller: u64, depth: u32) -> bool {
        let sid: u128 = self.rng.random();
        let open = self.is_open(ts);
        let hour = usize::from(local_parts(ts, self.zone).minute / 60);
        let mut answered = false;
        if !open {
            // The phone system's after-hours greeting and voicemail box.
            let d = self.rng.random_range(4..75);
            self.rows.push(Row {
                created: ts,
                start: Some(ts),
                duration: d,
                from: caller,
                to: SHOP_NUMBER,
                direction: "inbound",
                status: "completed",
                sid,
                parent: 0,
            });
        } else if self.rng.random_bool(0.03) {
            // Hung up during the greeting, before the call was forwarded.
            self.rows.push(Row {
                created: ts,
                start: None,
                duration: 0,
                from: caller,
                to: SHOP_NUMBER,
                direction: "inbound",
                status: "canceled",
                sid,
                parent: 0,
            });
        } else {
            let swamped =
                matches!(hour, 8 | 12) || local_parts(ts, self.zone).weekday == 0 && hour < 11;
            let p_miss = if swamped { 0.32 } else { 0.13 };
            let child_sid: u128 = self.rng.random();
            let ring = self.rng.random_range(2..6);
            if self.rng.random_bool(p_miss) {
                let (status, d) = match self.rng.random_range(0..100) {
                    0..=59 => ("no-answer", 0),
                    60..=77 => ("busy", 0),
                    78..=91 => ("canceled", 0),
                    _ => ("completed", self.rng.random_range(3..16)),
                };
                let parent_d = self.rng.random_range(15..70);
                self.rows.push(Row {
                    created: ts,
                    start: Some(ts),
                    duration: parent_d,
                    from: caller,
                    to: SHOP_NUMBER,
                    direction: "inbound",
                    status: "completed",
                    sid,
                    parent: 0,
                });
                self.rows.push(Row {
                    created: ts + 1,
                    start: (d > 0).then_some(ts + ring),
                    duration: d,
                    from: SHOP_NUMBER,
                    to: FORWARD_TO,
                    direction: "outbound-dial",
                    status,
                    sid: child_sid,
                    parent: sid,
                });
            } else {
                answered = true;
                let d = self.rng.random_range(35..540);
                self.rows.push(Row {
                    created: ts,
                    start: Some(ts),
                    duration: d + ring as u32 + 1,
                    from: caller,
                    to: SHOP_NUMBER,
                    direction: "inbound",
                    status: "completed",
                    sid,
                    parent: 0,
                });
                self.rows.push(Row {
                    created: ts + 1,
                    start: Some(ts + ring),
                    duration: d,
                    from: SHOP_NUMBER,
                    to: FORWARD_TO,
                    direction: "outbound-dial",
                    status: "completed",
                    sid: child_sid,
                    parent: sid,
                });
            }
        }
        if !answered && depth < 3 {
            if self.rng.random_bool(if open { 0.42 } else { 0.15 }) {
                let later = ts
                    + if self.rng.random_bool(0.6) {
                        self.rng.random_range(120..1800)
                    } else {
                        self.rng.random_range(1800..4 * 3600)
                    };
                self.call(later, caller, depth + 1);
            } else if self.rng.random_bool(0.25) {
                // The shop calls back.
                let later = ts + self.rng.random_range(1800..20 * 3600);
                let ok = self.rng.random_bool(0.75);
                let d = if ok {
                    self.rng.random_range(45..300)
                } else {
                    0
                };
                self.rows.push(Row {
                    created: later,
                    start: Some(later),
                    duration: d,
                    from: SHOP_NUMBER,
                    to: caller,
                    direction: "outbound-api",
                    status: if ok { "completed" } else { "no-answer" },
                    sid: self.rng.random(),
                    parent: 0,
                });
            }
        }
        answered
    }
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn write_utc(w: &mut impl Write, ts: i64) -> io::Result<()> {
    let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
    let s = ts.rem_euclid(86_400);
    write!(
        w,
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Writes a sample log in Twilio's call-log export format, newest call first.
pub fn write_sample(spec: &SampleSpec, w: &mut impl Write) -> io::Result<()> {
    let week: WeeklyHours = DEFAULT_OPEN.parse().map_err(io::Error::other)?;
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        rows: Vec::new(),
        week,
        zone: &spec.zone,
    };
    let pool: Vec<u64> = (0..(300.0 * spec.volume.max(0.01)) as usize + 1)
        .map(|_| phone(&mut g.rng))
        .collect();
    let first = spec
        .end
        .checked_sub(jiff::Span::new().days(i64::from(spec.days) - 1))
        .map_err(io::Error::other)?;
    let mut window = (i64::MAX, i64::MIN);
    for i in 0..spec.days {
        let date = first
            .checked_add(jiff::Span::new().days(i64::from(i)))
            .map_err(io::Error::other)?;
        let wd = date.weekday().to_monday_zero_offset() as usize;
        let weights = match wd {
            5 => &SATURDAY_HOURS,
            6 => &SUNDAY_HOURS,
            _ => &WEEKDAY_HOURS,
        };
        let day_start = spec
            .zone
            .to_ambiguous_timestamp(date.at(0, 0, 0, 0))
            .compatible()
            .map_err(io::Error::other)?
            .as_second();
        let next = date.tomorrow().map_err(io::Error::other)?;
        let day_end = spec
            .zone
            .to_ambiguous_timestamp(next.at(0, 0, 0, 0))
            .compatible()
            .map_err(io::Error::other)?
            .as_second();
        window = (window.0.min(day_start), window.1.max(day_end));
        let n = (DAILY_CALLS[wd] * spec.volume * g.rng.random_range(0.8..1.2)).round() as u32;
        for _ in 0..n {
            let h = pick_hour(&mut g.rng, weights) as i64;
            let ts = day_start + h * 3600 + g.rng.random_range(0..3600);
            let caller = if g.rng.random_bool(0.35) {
                pool[g.rng.random_range(0..pool.len())]
            } else {
                phone(&mut g.rng)
            };
            g.call(ts, caller, 0);
        }
    }
    let mut rows = g.rows;
    rows.retain(|r| r.created >= window.0 && r.created < window.1);
    rows.sort_unstable_by(|a, b| b.created.cmp(&a.created).then(a.sid.cmp(&b.sid)));
    writeln!(
        w,
        "Date Created,Start Time,End Time,Duration,From,To,Direction,Status,Price,Price Unit,Sid,Parent Call Sid,Account Sid"
    )?;
    for r in &rows {
        write_utc(w, r.created)?;
        w.write_all(b",")?;
        if let Some(s) = r.start {
            write_utc(w, s)?;
            w.write_all(b",")?;
            write_utc(w, s + i64::from(r.duration))?;
        } else {
            w.write_all(b",")?;
        }
        let minutes = r.duration.div_ceil(60);
        let price = if r.duration == 0 {
            String::new()
        } else {
            let per = if r.direction == "inbound" { 85 } else { 140 };
            format!("-0.{:04}", (u64::from(minutes) * per).min(9999))
        };
        write!(
            w,
            ",{},+1{},+1{},{},{},{},USD,CA{:032x},",
            r.duration, r.from, r.to, r.direction, r.status, price, r.sid
        )?;
        if r.parent != 0 {
            write!(w, "CA{:032x}", r.parent)?;
        }
        writeln!(w, ",{ACCOUNT_SID}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_lengths_read_in_days_or_weeks() {
        assert_eq!("30d".parse::<SampleLength>(), Ok(SampleLength { days: 30 }));
        assert_eq!("4w".parse::<SampleLength>(), Ok(SampleLength { days: 28 }));
        assert_eq!("7".parse::<SampleLength>(), Ok(SampleLength { days: 7 }));
        assert!("0d".parse::<SampleLength>().is_err());
        assert!(
            "a month"
                .parse::<SampleLength>()
                .unwrap_err()
                .contains("\"a month\"")
        );
    }

    #[test]
    fn utc_dates_are_written_the_way_twilio_writes_them() {
        let mut v = Vec::new();
        write_utc(&mut v, 1_793_628_191).expect("write to vec");
        assert_eq!(
            String::from_utf8(v).expect("ascii"),
            "2026-11-02 14:03:11 UTC"
        );
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
