//! Business hours: the `BusinessHours` trait the main binary implements for a shop profile, and
//! `SimpleHours`, the built-in weekly schedule parsed from `--open "Mon-Fri 08:00-18:00,Sat
//! 08:00-13:00"` in a time zone from `--zone`. A call is after hours when it starts outside them.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// What the audit needs to know about a shop: its zone, when it is open, its name and (if the
/// profile knows it) its average ticket.
pub trait BusinessHours {
    fn zone(&self) -> &TimeZone;
    fn is_open(&self, at: Timestamp) -> bool;
    fn name(&self) -> &str;
    fn average_ticket_cents(&self) -> Option<i64>;
}

pub const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Opening hours for each day of the week (Monday first), as minute ranges `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    days: [Vec<(u16, u16)>; 7],
}

/// The hours assumed when neither a profile nor `--open` says otherwise.
pub const DEFAULT_OPEN: &str = "Mon-Fri 08:00-18:00,Sat 08:00-13:00";

impl WeeklyHours {
    /// Whether minute `minute` (0..1440) of weekday `day` (0 = Monday) is within opening hours.
    pub fn is_open_at(&self, day: usize, minute: u16) -> bool {
        self.days
            .get(day)
            .is_some_and(|spans| spans.iter().any(|&(s, e)| minute >= s && minute < e))
    }
}

fn parse_day(s: &str) -> Option<usize> {
    let l = s.trim().to_ascii_lowercase();
    let l = l.get(..3)?;
    DAY_NAMES.iter().position(|d| d.eq_ignore_ascii_case(l))
}

fn parse_clock(s: &str) -> Option<u16> {
    let s = s.trim();
    let (h, m) = s.split_once(':').unwrap_or((s, "0"));
    if h.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

impl FromStr for WeeklyHours {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut week = WeeklyHours::default();
        for item in s.split([',', ';']).map(str::trim).filter(|i| !i.is_empty()) {
            let bad = |why: &str| {
                format!(
                    "cannot read opening hours \"{item}\": {why} (write them like \"Mon-Fri 08:00-18:00,Sat 08:00-13:00\")"
                )
            };
            let (days, times) = item
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad("expected days then hours"))?;
            let day_list: Vec<usize> = if days.eq_ignore_ascii_case("daily") {
                (0..7).collect()
            } else if let Some((a, b)) = days.split_once('-') {
                let a = parse_day(a).ok_or_else(|| bad("unknown day"))?;
                let b = parse_day(b).ok_or_else(|| bad("unknown day"))?;
                let mut v = vec![a];
                let mut d = a;
                while d != b {
                    d = (d + 1) % 7;
                    v.push(d);
                }
                v
            } else {
                vec![parse_day(days).ok_or_else(|| bad("unknown day"))?]
            };
            let times = times.trim();
            if times.eq_ignore_ascii_case("closed") {
                continue;
            }
            let (open, close) = times
                .split_once('-')
                .ok_or_else(|| bad("expected hours like 08:00-18:00"))?;
            let open = parse_clock(open).ok_or_else(|| bad("unreadable opening time"))?;
            let close = parse_clock(close).ok_or_else(|| bad("unreadable closing time"))?;
            if close <= open {
                return Err(bad("closing time must be after opening time"));
            }
            for d in day_list {
                week.days[d].push((open, close));
            }
        }
        Ok(week)
    }
}

impl fmt::Display for WeeklyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        let mut d = 0;
        while d < 7 {
            let mut e = d;
            while e + 1 < 7 && self.days[e + 1] == self.days[d] {
                e += 1;
            }
            if !self.days[d].is_empty() {
                let days = if e == d {
                    DAY_NAMES[d].to_string()
                } else {
                    format!("{}-{}", DAY_NAMES[d], DAY_NAMES[e])
                };
                let spans: Vec<String> = self.days[d]
                    .iter()
                    .map(|&(s, e)| {
                        format!("{:02}:{:02}-{:02}:{:02}", s / 60, s % 60, e / 60, e % 60)
                    })
                    .collect();
                parts.push(format!("{days} {}", spans.join(" ")));
            }
            d = e + 1;
        }
        if parts.is_empty() {
            f.write_str("closed all week")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Local calendar position of an instant: days since 1970-01-01 (local), weekday (0 = Monday)
/// and minute of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalParts {
    pub day: i64,
    pub weekday: usize,
    pub minute: u16,
}

/// Splits a Unix time into local parts in `zone`, without allocating.
pub fn local_parts(unix_seconds: i64, zone: &TimeZone) -> LocalParts {
    let offset = Timestamp::from_second(unix_seconds)
        .map(|ts| zone.to_offset(ts).seconds())
        .unwrap_or(0);
    let local = unix_seconds + i64::from(offset);
    let day = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    LocalParts {
        day,
        // 1970-01-01 was a Thursday (index 3 when Monday is 0).
        weekday: (day + 3).rem_euclid(7) as usize,
        minute: (secs / 60) as u16,
    }
}

/// The built-in hours: a weekly schedule in one time zone.
#[derive(Debug, Clone)]
pub struct SimpleHours {
    week: WeeklyHours,
    zone: TimeZone,
    name: String,
}

impl SimpleHours {
    pub fn new(week: WeeklyHours, zone: TimeZone, name: impl Into<String>) -> Self {
        Self {
            week,
            zone,
            name: name.into(),
        }
    }

    pub fn week(&self) -> &WeeklyHours {
        &self.week
    }
}

impl BusinessHours for SimpleHours {
    fn zone(&self) -> &TimeZone {
        &self.zone
    }

    fn is_open(&self, at: Timestamp) -> bool {
        let p = local_parts(at.as_second(), &self.zone);
        self.week.is_open_at(p.weekday, p.minute)
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn average_ticket_cents(&self) -> Option<i64> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chicago() -> SimpleHours {
        let tz = TimeZone::get("America/Chicago").expect("bundled zone");
        SimpleHours::new(
            DEFAULT_OPEN.parse().expect("default hours parse"),
            tz,
            "Shop",
        )
    }

    #[test]
    fn a_weekday_morning_call_is_within_hours_and_a_sunday_call_is_not() {
        let h = chicago();
        // Monday 2026-11-02 09:00 CST = 15:00 UTC.
        assert!(h.is_open("2026-11-02T15:00:00Z".parse().expect("ts")));
        // Monday 07:59 CST.
        assert!(!h.is_open("2026-11-02T13:59:00Z".parse().expect("ts")));
        // Monday 18:00 CST is closing time: closed.
        assert!(!h.is_open("2026-11-03T00:00:00Z".parse().expect("ts")));
        // Saturday 12:30 CST open, 13:00 closed.
        assert!(h.is_open("2026-11-07T18:30:00Z".parse().expect("ts")));
        assert!(!h.is_open("2026-11-07T19:00:00Z".parse().expect("ts")));
        // Sunday noon.
        assert!(!h.is_open("2026-11-08T18:00:00Z".parse().expect("ts")));
    }

    #[test]
    fn hours_follow_daylight_saving_time_in_the_shop_zone() {
        let h = chicago();
        // Friday 2026-10-30 08:30 CDT = 13:30 UTC (open); the same UTC time a week later is 07:30 CST.
        assert!(h.is_open("2026-10-30T13:30:00Z".parse().expect("ts")));
        assert!(!h.is_open("2026-11-06T13:30:00Z".parse().expect("ts")));
    }

    #[test]
    fn opening_hours_are_read_back_the_way_the_owner_wrote_them() {
        let w: WeeklyHours = "Mon-Fri 7:30-17:30; Sat 08:00-12:00, Sun closed"
            .parse()
            .expect("parse");
        assert_eq!(w.to_string(), "Mon-Fri 07:30-17:30, Sat 08:00-12:00");
        let wrap: WeeklyHours = "Fri-Mon 10:00-14:00".parse().expect("parse");
        assert!(wrap.is_open_at(6, 600) && wrap.is_open_at(0, 600) && !wrap.is_open_at(2, 600));
        let err = "Mon-Fri 18:00-08:00".parse::<WeeklyHours>().unwrap_err();
        assert!(err.contains("\"Mon-Fri 18:00-08:00\""), "{err}");
        assert!("Funday 08:00-10:00".parse::<WeeklyHours>().is_err());
        assert!("Mon 08:00-25:00".parse::<WeeklyHours>().is_err());
    }
}
