//! Opening hours turned into real instants in the business's time zone.
//!
//! A shift is stored as local wall-clock times; this module says which UTC instants it covers on a
//! given date, including on daylight-saving days: an opening or closing time that falls in a
//! spring-forward gap becomes the instant the clocks jump (the first moment the wall clock reads
//! that time or later), an opening time in a fall-back fold becomes its first occurrence and a
//! closing time its last. Slot-grid wall times that do not exist are dropped and those that occur
//! twice are kept once, at the first occurrence, so no slot is phantom or duplicated.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

use crate::Rules;

/// Which end of a range a wall-clock time bounds, to pick an instant in a gap or fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    /// The range starts here: in a fold take the first occurrence.
    Open,
    /// The range ends here: in a fold take the last occurrence.
    Close,
}

/// The instant a local wall-clock time bounds a range at; `None` only outside jiff's range.
pub(crate) fn wall_to_instant(zone: &TimeZone, wall: DateTime, edge: Edge) -> Option<Timestamp> {
    let amb = zone.to_ambiguous_timestamp(wall);
    match amb.offset() {
        AmbiguousOffset::Unambiguous { .. } => amb.compatible().ok(),
        AmbiguousOffset::Gap { .. } => {
            // The wall time never shows on the clock: use the instant the clock jumps over it.
            let before_jump = amb.earlier().ok()?;
            zone.following(before_jump)
                .next()
                .map(|t| t.timestamp())
                .or_else(|| amb.later().ok())
        }
        AmbiguousOffset::Fold { .. } => match edge {
            Edge::Open => amb.earlier().ok(),
            Edge::Close => amb.later().ok(),
        },
    }
}

/// The instant a slot-grid wall time starts at: `None` when it does not exist (a gap); its first
/// occurrence when it happens twice (a fold).
pub(crate) fn grid_instant(zone: &TimeZone, wall: DateTime) -> Option<Timestamp> {
    let amb = zone.to_ambiguous_timestamp(wall);
    match amb.offset() {
        AmbiguousOffset::Gap { .. } => None,
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => amb.earlier().ok(),
    }
}

/// One opening shift on one date, in local and absolute terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shift {
    pub open_wall: DateTime,
    pub close_wall: DateTime,
    pub open: Timestamp,
    pub close: Timestamp,
}

/// The weekly hours cleaned up once per call: shifts sorted and merged, closed dates sorted.
#[derive(Debug, Clone)]
pub(crate) struct Hours {
    weekly: [Vec<(Time, Time)>; 7],
    closed: Vec<Date>,
}

impl Hours {
    pub fn new(rules: &Rules) -> Hours {
        let weekly = std::array::from_fn(|i| normalize(&rules.weekly[i]));
        let mut closed = rules.closed_dates.clone();
        closed.sort_unstable();
        closed.dedup();
        Hours { weekly, closed }
    }

    /// True when no weekday has any opening shift.
    pub fn never_open(&self) -> bool {
        self.weekly.iter().all(Vec::is_empty)
    }

    /// The local shifts of `date`, empty when it is a closed date or a closed weekday.
    pub fn local_shifts(&self, date: Date) -> &[(Time, Time)] {
        if self.closed.binary_search(&date).is_ok() {
            return &[];
        }
        let idx = date.weekday().to_monday_zero_offset() as usize;
        &self.weekly[idx]
    }

    /// The shifts of `date` resolved to instants; shifts that vanish (e.g. entirely inside a
    /// spring-forward gap) are left out.
    pub fn shifts<'a>(
        &'a self,
        zone: &'a TimeZone,
        date: Date,
    ) -> impl Iterator<Item = Shift> + 'a {
        self.local_shifts(date)
            .iter()
            .filter_map(move |&(open, close)| resolve(zone, date, open, close))
    }
}

fn resolve(zone: &TimeZone, date: Date, open: Time, close: Time) -> Option<Shift> {
    let open_wall = date.to_datetime(open);
    let close_wall = date.to_datetime(close);
    let open_ts = wall_to_instant(zone, open_wall, Edge::Open)?;
    let close_ts = wall_to_instant(zone, close_wall, Edge::Close)?;
    (open_ts < close_ts).then_some(Shift {
        open_wall,
        close_wall,
        open: open_ts,
        close: close_ts,
    })
}

/// Sorts shifts, drops empty or inverted ones and merges overlapping or touching ones.
fn normalize(shifts: &[(Time, Time)]) -> Vec<(Time, Time)> {
    let mut v: Vec<(Time, Time)> = shifts.iter().copied().filter(|(o, c)| o < c).collect();
    v.sort_unstable();
    let mut out: Vec<(Time, Time)> = Vec::with_capacity(v.len());
    for (open, close) in v {
        match out.last_mut() {
            Some(last) if open <= last.1 => last.1 = last.1.max(close),
            _ => out.push((open, close)),
        }
    }
    out
}

/// The opening shifts of `date` as UTC instants, earliest first; empty on a closed day.
///
/// Shifts are sorted, overlapping or touching shifts are merged, and a shift whose close is not
/// after its open is ignored. On daylight-saving days the instants follow the wall clock: a shop
/// opening at 02:00 on a spring-forward day (when 02:00 does not exist) opens at the jump.
pub fn day_hours(rules: &Rules, date: Date) -> Vec<(Timestamp, Timestamp)> {
    Hours::new(rules)
        .shifts(&rules.zone, date)
        .map(|s| (s.open, s.close))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn chicago_rules(weekly_all: Vec<(Time, Time)>) -> Rules {
        Rules {
            zone: TimeZone::get("America/Chicago").unwrap(),
            weekly: std::array::from_fn(|_| weekly_all.clone()),
            closed_dates: vec![date(2026, 12, 25)],
            bays: 1,
            slot_minutes: 30,
            buffer_minutes: 0,
            min_notice_minutes: 0,
            max_days_ahead: 30,
        }
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn split_shift_day_gives_two_ranges_in_utc() {
        let rules = chicago_rules(vec![
            (time(13, 0, 0, 0), time(17, 0, 0, 0)),
            (time(8, 0, 0, 0), time(12, 0, 0, 0)),
        ]);
        // 2026-03-05 is a Thursday in CST (UTC-6).
        assert_eq!(
            day_hours(&rules, date(2026, 3, 5)),
            vec![
                (ts("2026-03-05T14:00:00Z"), ts("2026-03-05T18:00:00Z")),
                (ts("2026-03-05T19:00:00Z"), ts("2026-03-05T23:00:00Z")),
            ]
        );
    }

    #[test]
    fn closed_date_has_no_hours() {
        let rules = chicago_rules(vec![(time(8, 0, 0, 0), time(17, 0, 0, 0))]);
        assert!(day_hours(&rules, date(2026, 12, 25)).is_empty());
        assert_eq!(day_hours(&rules, date(2026, 12, 24)).len(), 1);
    }

    #[test]
    fn empty_inverted_and_overlapping_shifts_are_cleaned_up() {
        let rules = chicago_rules(vec![
            (time(9, 0, 0, 0), time(9, 0, 0, 0)),
            (time(17, 0, 0, 0), time(8, 0, 0, 0)),
            (time(8, 0, 0, 0), time(12, 0, 0, 0)),
            (time(11, 0, 0, 0), time(14, 0, 0, 0)),
        ]);
        assert_eq!(
            day_hours(&rules, date(2026, 3, 5)),
            vec![(ts("2026-03-05T14:00:00Z"), ts("2026-03-05T20:00:00Z"))]
        );
    }

    #[test]
    fn hours_follow_the_wall_clock_across_both_dst_changes() {
        let rules = chicago_rules(vec![(time(8, 0, 0, 0), time(17, 0, 0, 0))]);
        // Saturday before spring forward: CST; Sunday 2026-03-08: CDT (UTC-5).
        assert_eq!(
            day_hours(&rules, date(2026, 3, 7)),
            vec![(ts("2026-03-07T14:00:00Z"), ts("2026-03-07T23:00:00Z"))]
        );
        assert_eq!(
            day_hours(&rules, date(2026, 3, 8)),
            vec![(ts("2026-03-08T13:00:00Z"), ts("2026-03-08T22:00:00Z"))]
        );
        // Fall back on 2026-11-01: CDT before, CST on the day.
        assert_eq!(
            day_hours(&rules, date(2026, 10, 31)),
            vec![(ts("2026-10-31T13:00:00Z"), ts("2026-10-31T22:00:00Z"))]
        );
        assert_eq!(
            day_hours(&rules, date(2026, 11, 1)),
            vec![(ts("2026-11-01T14:00:00Z"), ts("2026-11-01T23:00:00Z"))]
        );
    }

    #[test]
    fn opening_inside_the_spring_forward_gap_opens_when_the_clocks_jump() {
        let rules = chicago_rules(vec![(time(2, 0, 0, 0), time(6, 0, 0, 0))]);
        // 02:00 CST does not exist on 2026-03-08; the clock jumps to 03:00 CDT at 08:00 UTC.
        assert_eq!(
            day_hours(&rules, date(2026, 3, 8)),
            vec![(ts("2026-03-08T08:00:00Z"), ts("2026-03-08T11:00:00Z"))]
        );
    }

    #[test]
    fn a_shift_entirely_inside_the_gap_vanishes() {
        let rules = chicago_rules(vec![(time(2, 0, 0, 0), time(2, 45, 0, 0))]);
        assert!(day_hours(&rules, date(2026, 3, 8)).is_empty());
        assert_eq!(day_hours(&rules, date(2026, 3, 9)).len(), 1);
    }

    #[test]
    fn a_shift_across_the_fall_back_fold_lasts_one_hour_longer() {
        let rules = chicago_rules(vec![(time(0, 0, 0, 0), time(4, 0, 0, 0))]);
        // 00:00 CDT = 05:00 UTC, 04:00 CST = 10:00 UTC: five real hours.
        assert_eq!(
            day_hours(&rules, date(2026, 11, 1)),
            vec![(ts("2026-11-01T05:00:00Z"), ts("2026-11-01T10:00:00Z"))]
        );
    }

    #[test]
    fn a_close_time_inside_the_fold_means_its_last_occurrence() {
        let rules = chicago_rules(vec![(time(0, 0, 0, 0), time(1, 30, 0, 0))]);
        // 01:30 happens at 06:30 UTC (CDT) and again at 07:30 UTC (CST).
        assert_eq!(
            day_hours(&rules, date(2026, 11, 1)),
            vec![(ts("2026-11-01T05:00:00Z"), ts("2026-11-01T07:30:00Z"))]
        );
    }
}
