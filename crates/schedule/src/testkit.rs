//! Fixtures shared by the unit tests: a Chicago auto shop and helpers that speak local time.
//!
//! The shop is open Monday to Friday 8:00-12:00 and 13:00-17:00, Saturday 8:00-12:00, closed on
//! Sunday, with one bay, a 30-minute grid and no buffer, notice or short horizon unless a test says
//! otherwise. 2026-03-05 is a Thursday.

use jiff::Timestamp;
use jiff::civil::{Time, date, time};
use jiff::tz::TimeZone;

use crate::{Rules, Slot};

pub fn chicago() -> TimeZone {
    TimeZone::get("America/Chicago").expect("America/Chicago is in the tz database")
}

pub fn hm(h: i8, m: i8) -> Time {
    time(h, m, 0, 0)
}

pub fn shop() -> Rules {
    let day = vec![(hm(8, 0), hm(12, 0)), (hm(13, 0), hm(17, 0))];
    Rules {
        zone: chicago(),
        weekly: [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            vec![(hm(8, 0), hm(12, 0))],
            vec![],
        ],
        closed_dates: vec![],
        bays: 1,
        slot_minutes: 30,
        buffer_minutes: 0,
        min_notice_minutes: 0,
        max_days_ahead: 60,
    }
}

/// A shop open every day with the same single shift.
pub fn every_day(open: Time, close: Time) -> Rules {
    Rules {
        weekly: std::array::from_fn(|_| vec![(open, close)]),
        ..shop()
    }
}

/// The instant of a local Chicago wall time (first occurrence in a fold).
pub fn at(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
    date(y, mo, d)
        .at(h, mi, 0, 0)
        .to_zoned(chicago())
        .expect("valid local time")
        .timestamp()
}

pub fn utc(s: &str) -> Timestamp {
    s.parse().expect("valid timestamp")
}

/// Slots as "Thu 2026-03-05 08:00-09:00" in Chicago time, to read failures easily.
pub fn local(slots: &[Slot]) -> Vec<String> {
    let tz = chicago();
    slots
        .iter()
        .map(|s| {
            let a = s.start.to_zoned(tz.clone());
            let b = s.end.to_zoned(tz.clone());
            format!("{}-{}", a.strftime("%a %F %H:%M"), b.strftime("%H:%M"))
        })
        .collect()
}
