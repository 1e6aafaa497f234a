//! The availability search: walk the open days, the shifts and the slot grid in order, and keep
//! the starts that satisfy the rules and the caller's wishes.
//!
//! Everything that does not depend on the candidate (cleaned hours, the busy step function, the
//! caller's filters as instants, the date range) is prepared once per call; each candidate then
//! costs one time-zone lookup, a few comparisons and a binary search, with no allocation.

use std::ops::ControlFlow;

use jiff::civil::{Date, DateTime, Time};
use jiff::{SignedDuration, Timestamp};

use crate::load::Load;
use crate::zone::{Edge, Hours, Shift, grid_instant, wall_to_instant};
use crate::{Busy, MAX_HORIZON_DAYS, Refusal, Rules, Slot, Want};

/// Everything about one call that does not depend on the candidate.
pub(crate) struct Ctx<'a> {
    pub rules: &'a Rules,
    pub hours: Hours,
    pub load: Load,
    pub duration: SignedDuration,
    pub buffer: SignedDuration,
    pub step: SignedDuration,
    /// now + minimum notice: no start before this.
    pub earliest: Timestamp,
    /// Today's local date.
    pub today: Date,
    /// The last local date that may be booked; `None` when that is past jiff's range.
    pub last_day: Option<Date>,
}

impl<'a> Ctx<'a> {
    /// Prepares a search; `None` when nothing can possibly be free (no duration, no grid, no bay,
    /// no opening hours).
    pub fn new(
        rules: &'a Rules,
        duration_minutes: u32,
        busy: &[Busy],
        now: Timestamp,
    ) -> Option<Ctx<'a>> {
        if duration_minutes == 0 || rules.slot_minutes == 0 || rules.bays == 0 {
            return None;
        }
        let hours = Hours::new(rules);
        if hours.never_open() {
            return None;
        }
        let (duration, buffer, earliest, today, last_day) = basics(rules, duration_minutes, now);
        let to = match last_day
            .and_then(|d| d.tomorrow().ok())
            .and_then(|d| d.tomorrow().ok())
        {
            Some(d) => wall_to_instant(&rules.zone, d.to_datetime(Time::midnight()), Edge::Close)
                .unwrap_or(Timestamp::MAX),
            None => Timestamp::MAX,
        };
        let load = Load::new(busy, rules.bays, buffer, earliest, to);
        Some(Ctx {
            rules,
            hours,
            load,
            duration,
            buffer,
            step: SignedDuration::from_mins(i64::from(rules.slot_minutes)),
            earliest,
            today,
            last_day,
        })
    }

    /// Calls `f` with every free start matching `filter`, in chronological order, until it breaks.
    pub fn scan(&self, filter: &Filter, mut f: impl FnMut(Slot, DateTime) -> ControlFlow<()>) {
        if filter.impossible {
            return;
        }
        let zone = &self.rules.zone;
        let mut day = self.today.max(zone.to_datetime(self.earliest).date());
        if let Some(nb) = filter.first_day {
            day = day.max(nb);
        }
        let last = match (self.last_day, filter.last_day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        loop {
            if last.is_some_and(|l| day > l) {
                return;
            }
            if !filter.except[day.weekday().to_monday_zero_offset() as usize] {
                for shift in self.hours.shifts(zone, day) {
                    if self.scan_shift(&shift, filter, &mut f).is_break() {
                        return;
                    }
                }
            }
            day = match day.tomorrow() {
                Ok(d) => d,
                Err(_) => return,
            };
        }
    }

    fn scan_shift(
        &self,
        shift: &Shift,
        filter: &Filter,
        f: &mut impl FnMut(Slot, DateTime) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if shift.close <= self.earliest || shift.close.duration_since(shift.open) < self.duration {
            return ControlFlow::Continue(());
        }
        let zone = &self.rules.zone;
        let mut wall = shift.open_wall;
        while wall < shift.close_wall {
            if let Some(start) = grid_instant(zone, wall) {
                let Some(end) = start.checked_add(self.duration).ok() else {
                    return ControlFlow::Continue(());
                };
                if end > shift.close {
                    return ControlFlow::Continue(());
                }
                if start >= self.earliest
                    && filter.accepts(start, wall)
                    && self.load.fits(
                        start,
                        end.checked_add(self.buffer).unwrap_or(Timestamp::MAX),
                        self.rules.bays,
                    )
                {
                    f(Slot { start, end }, wall)?;
                }
            }
            wall = match wall.checked_add(self.step) {
                Ok(w) => w,
                Err(_) => return ControlFlow::Continue(()),
            };
        }
        ControlFlow::Continue(())
    }
}

/// Duration, buffer, earliest start, today and the last bookable day, with overflow handled.
fn basics(
    rules: &Rules,
    duration_minutes: u32,
    now: Timestamp,
) -> (
    SignedDuration,
    SignedDuration,
    Timestamp,
    Date,
    Option<Date>,
) {
    let duration = SignedDuration::from_mins(i64::from(duration_minutes));
    let buffer = SignedDuration::from_mins(i64::from(rules.buffer_minutes));
    let notice = SignedDuration::from_mins(i64::from(rules.min_notice_minutes));
    let earliest = now.checked_add(notice).unwrap_or(Timestamp::MAX);
    let today = rules.zone.to_datetime(now).date();
    let horizon = i64::from(rules.max_days_ahead.min(MAX_HORIZON_DAYS));
    let last_day = today.checked_add(jiff::Span::new().days(horizon)).ok();
    (duration, buffer, earliest, today, last_day)
}

/// The caller's wishes, resolved to instants and lookup tables once per call.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    windows: Vec<(Timestamp, Timestamp)>,
    not_before: Option<Timestamp>,
    time_of_day: Option<(Time, Time)>,
    /// Indexed by Monday-zero weekday: true = the caller cannot do that day.
    except: [bool; 7],
    first_day: Option<Date>,
    last_day: Option<Date>,
    /// True when no start can ever match (e.g. every window is empty, every weekday excluded).
    impossible: bool,
}

impl Filter {
    pub fn new(rules: &Rules, want: &Want) -> Filter {
        let zone = &rules.zone;
        let mut windows: Vec<(Timestamp, Timestamp)> = want
            .windows
            .iter()
            .filter(|(a, b)| a < b)
            .filter_map(|&(a, b)| {
                let a = wall_to_instant(zone, a, Edge::Open)?;
                let b = wall_to_instant(zone, b, Edge::Close)?;
                (a < b).then_some((a, b))
            })
            .collect();
        windows.sort_unstable();
        let mut except = [false; 7];
        for w in &want.except_weekdays {
            except[w.to_monday_zero_offset() as usize] = true;
        }
        let not_before = want
            .not_before
            .and_then(|nb| wall_to_instant(zone, nb, Edge::Open));
        let mut first_day = not_before.map(|t| zone.to_datetime(t).date());
        let mut last_day = None;
        if let (Some(lo), Some(hi)) = (
            windows.iter().map(|w| w.0).min(),
            windows.iter().map(|w| w.1).max(),
        ) {
            let lo = zone.to_datetime(lo).date();
            first_day = Some(first_day.map_or(lo, |d| d.max(lo)));
            last_day = Some(zone.to_datetime(hi).date());
        }
        let impossible =
            (!want.windows.is_empty() && windows.is_empty()) || except.iter().all(|&x| x);
        Filter {
            windows,
            not_before,
            time_of_day: want.time_of_day,
            except,
            first_day,
            last_day,
            impossible,
        }
    }

    /// True when a start at `start` (local wall time `wall`) is what the caller asked for.
    pub fn accepts(&self, start: Timestamp, wall: DateTime) -> bool {
        if self.except[wall.weekday().to_monday_zero_offset() as usize] {
            return false;
        }
        if self.not_before.is_some_and(|nb| start < nb) {
            return false;
        }
        if let Some((a, b)) = self.time_of_day {
            let t = wall.time();
            let ok = match a.cmp(&b) {
                std::cmp::Ordering::Less => a <= t && t < b,
                std::cmp::Ordering::Greater => t >= a || t < b,
                std::cmp::Ordering::Equal => t == a,
            };
            if !ok {
                return false;
            }
        }
        self.windows.is_empty() || self.windows.iter().any(|&(a, b)| a <= start && start < b)
    }
}

/// Free starts for a service of `duration_minutes`, soonest first, at most `limit` of them.
///
/// `want` narrows the starts (its `preferred` is ignored here; see [`offer`](crate::offer)).
/// Nothing is returned for a zero duration, a zero slot grid, zero bays or a business with no
/// hours; the search never looks further than the booking horizon.
pub fn free_slots(
    rules: &Rules,
    duration_minutes: u32,
    busy: &[Busy],
    now: Timestamp,
    want: &Want,
    limit: usize,
) -> Vec<Slot> {
    let mut out = Vec::new();
    if limit == 0 {
        return out;
    }
    let Some(ctx) = Ctx::new(rules, duration_minutes, busy, now) else {
        return out;
    };
    let filter = Filter::new(rules, want);
    ctx.scan(&filter, |slot, _| {
        out.push(slot);
        if out.len() >= limit {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    out
}

/// Whether a service of `duration_minutes` may be booked to start exactly at `start`.
///
/// Returns the slot when it may, or the first rule it breaks, checked in this order: duration,
/// notice, horizon, opening hours, slot grid, shift end (break or closing), free bays. Agrees with
/// [`free_slots`]: a start is accepted here exactly when `free_slots` with no wishes lists it.
pub fn check_slot(
    rules: &Rules,
    duration_minutes: u32,
    busy: &[Busy],
    now: Timestamp,
    start: Timestamp,
) -> Result<Slot, Refusal> {
    if duration_minutes == 0 {
        return Err(Refusal::InvalidDuration);
    }
    let zone = &rules.zone;
    let (duration, buffer, earliest, _today, last_day) = basics(rules, duration_minutes, now);
    if start < earliest {
        return Err(Refusal::TooSoon { earliest });
    }
    let wall = zone.to_datetime(start);
    if last_day.is_some_and(|l| wall.date() > l) {
        return Err(Refusal::TooFar);
    }
    let hours = Hours::new(rules);
    let mut shifts = hours.shifts(zone, wall.date());
    let Some(shift) = shifts.by_ref().find(|s| s.open <= start && start < s.close) else {
        return Err(Refusal::Closed);
    };
    if !on_grid(rules, &shift, start, wall) {
        return Err(Refusal::Misaligned);
    }
    let end = match start.checked_add(duration) {
        Ok(end) if end <= shift.close => end,
        _ => {
            return Err(if shifts.next().is_some() {
                Refusal::OverlapsBreak
            } else {
                Refusal::PastClosing
            });
        }
    };
    let until = end.checked_add(buffer).unwrap_or(Timestamp::MAX);
    let load = Load::new(busy, rules.bays, buffer, start, until);
    if !load.fits(start, until, rules.bays) {
        return Err(Refusal::Full);
    }
    Ok(Slot { start, end })
}

/// True when `start` (local `wall`) is a grid point of `shift` that the search would produce.
fn on_grid(rules: &Rules, shift: &Shift, start: Timestamp, wall: DateTime) -> bool {
    if rules.slot_minutes == 0 || wall >= shift.close_wall {
        return false;
    }
    let since = wall.duration_since(shift.open_wall);
    let step = i64::from(rules.slot_minutes) * 60;
    since >= SignedDuration::ZERO
        && since.subsec_nanos() == 0
        && since.as_secs() % step == 0
        && grid_instant(&rules.zone, wall) == Some(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{at, every_day, hm, local, shop, utc};
    use jiff::civil::{Weekday, date};

    const ALL: usize = usize::MAX;

    fn any() -> Want {
        Want::default()
    }

    fn starts_on(
        rules: &Rules,
        minutes: u32,
        busy: &[Busy],
        now: Timestamp,
        day: Date,
    ) -> Vec<String> {
        let want = Want {
            windows: vec![(day.at(0, 0, 0, 0), day.tomorrow().unwrap().at(0, 0, 0, 0))],
            ..any()
        };
        free_slots(rules, minutes, busy, now, &want, ALL)
            .iter()
            .map(|s| {
                rules
                    .zone
                    .to_datetime(s.start)
                    .time()
                    .strftime("%H:%M")
                    .to_string()
            })
            .collect()
    }

    fn now() -> Timestamp {
        // Wednesday 2026-03-04, 18:00 Chicago: the shop is closed, Thursday is next.
        at(2026, 3, 4, 18, 0)
    }

    #[test]
    fn split_shift_day_offers_no_start_that_would_run_into_lunch_or_past_closing() {
        let got = starts_on(&shop(), 60, &[], now(), date(2026, 3, 5));
        assert_eq!(
            got,
            [
                "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "13:30",
                "14:00", "14:30", "15:00", "15:30", "16:00"
            ]
        );
    }

    #[test]
    fn first_free_slots_come_soonest_first_with_utc_instants() {
        let got = free_slots(&shop(), 90, &[], now(), &any(), 2);
        assert_eq!(
            got,
            [
                Slot {
                    start: utc("2026-03-05T14:00:00Z"),
                    end: utc("2026-03-05T15:30:00Z")
                },
                Slot {
                    start: utc("2026-03-05T14:30:00Z"),
                    end: utc("2026-03-05T16:00:00Z")
                },
            ]
        );
    }

    #[test]
    fn a_service_longer_than_a_shift_starts_only_where_a_shift_holds_it_entirely() {
        let mut rules = shop();
        rules.weekly[3] = vec![(hm(8, 0), hm(12, 0)), (hm(13, 0), hm(17, 30))];
        // 4.5 hours: too long for the 4-hour morning, fits the Thursday afternoon exactly once.
        assert_eq!(
            starts_on(&rules, 270, &[], now(), date(2026, 3, 5)),
            ["13:00"]
        );
        assert!(starts_on(&rules, 270, &[], now(), date(2026, 3, 6)).is_empty());
        assert_eq!(
            check_slot(&rules, 270, &[], now(), at(2026, 3, 5, 8, 0)),
            Err(Refusal::OverlapsBreak)
        );
    }

    #[test]
    fn closed_dates_and_closed_weekdays_have_no_slots() {
        let mut rules = shop();
        rules.closed_dates = vec![date(2026, 3, 5)];
        assert!(starts_on(&rules, 60, &[], now(), date(2026, 3, 5)).is_empty());
        assert!(
            starts_on(&rules, 60, &[], now(), date(2026, 3, 8)).is_empty(),
            "Sunday"
        );
        let first = free_slots(&rules, 60, &[], now(), &any(), 1);
        assert_eq!(local(&first), ["Fri 2026-03-06 08:00-09:00"]);
        assert_eq!(
            check_slot(&rules, 60, &[], now(), at(2026, 3, 5, 9, 0)),
            Err(Refusal::Closed)
        );
    }

    #[test]
    fn a_second_bay_keeps_a_booked_time_open_until_both_are_taken() {
        let mut rules = shop();
        rules.bays = 2;
        let one = [Busy::appointment(
            at(2026, 3, 5, 9, 0),
            at(2026, 3, 5, 10, 0),
        )];
        assert!(check_slot(&rules, 60, &one, now(), at(2026, 3, 5, 9, 0)).is_ok());
        let two = [one[0], one[0]];
        assert_eq!(
            check_slot(&rules, 60, &two, now(), at(2026, 3, 5, 9, 0)),
            Err(Refusal::Full)
        );
        let got = starts_on(&rules, 60, &two, now(), date(2026, 3, 5));
        assert_eq!(&got[..3], ["08:00", "10:00", "10:30"]);
    }

    #[test]
    fn back_to_back_appointments_do_not_fill_two_bays() {
        let mut rules = shop();
        rules.bays = 2;
        let busy = [
            Busy::appointment(at(2026, 3, 5, 9, 0), at(2026, 3, 5, 10, 0)),
            Busy::appointment(at(2026, 3, 5, 10, 0), at(2026, 3, 5, 11, 0)),
        ];
        assert!(check_slot(&rules, 60, &busy, now(), at(2026, 3, 5, 9, 30)).is_ok());
    }

    #[test]
    fn overlapping_appointments_fill_two_bays_only_where_they_overlap() {
        let mut rules = shop();
        rules.bays = 2;
        let busy = [
            Busy::appointment(at(2026, 3, 5, 9, 0), at(2026, 3, 5, 10, 0)),
            Busy::appointment(at(2026, 3, 5, 9, 30), at(2026, 3, 5, 10, 30)),
        ];
        // Both bays are taken 9:30-10:00 only.
        assert_eq!(
            starts_on(&rules, 60, &busy, now(), date(2026, 3, 5))[..4],
            ["08:00", "08:30", "10:00", "10:30"]
        );
        assert_eq!(
            starts_on(&rules, 30, &busy, now(), date(2026, 3, 5))[..4],
            ["08:00", "08:30", "09:00", "10:00"]
        );
        let third = [
            busy[0],
            busy[1],
            Busy::appointment(at(2026, 3, 5, 10, 0), at(2026, 3, 5, 11, 0)),
        ];
        assert_eq!(
            check_slot(&rules, 60, &third, now(), at(2026, 3, 5, 10, 0)),
            Err(Refusal::Full)
        );
    }

    #[test]
    fn an_external_busy_block_takes_every_bay() {
        let mut rules = shop();
        rules.bays = 3;
        let busy = [Busy::blocked(at(2026, 3, 5, 8, 0), at(2026, 3, 5, 12, 0))];
        let got = starts_on(&rules, 60, &busy, now(), date(2026, 3, 5));
        assert_eq!(got.first().map(String::as_str), Some("13:00"));
        assert_eq!(
            check_slot(&rules, 60, &busy, now(), at(2026, 3, 5, 10, 0)),
            Err(Refusal::Full)
        );
    }

    #[test]
    fn buffer_keeps_the_bay_free_after_every_appointment_including_the_new_one() {
        let mut rules = shop();
        rules.buffer_minutes = 15;
        let busy = [Busy::appointment(
            at(2026, 3, 5, 10, 0),
            at(2026, 3, 5, 11, 0),
        )];
        let got = starts_on(&rules, 60, &busy, now(), date(2026, 3, 5));
        // 8:30-9:30 + 15 min is clear of 10:00; 9:00 would need the bay until 10:15;
        // 11:00 is inside the previous turnaround; 11:30 would run into lunch.
        assert_eq!(&got[..3], ["08:00", "08:30", "13:00"]);
        assert_eq!(
            check_slot(&rules, 60, &busy, now(), at(2026, 3, 5, 9, 0)),
            Err(Refusal::Full)
        );
        assert_eq!(
            check_slot(&rules, 30, &busy, now(), at(2026, 3, 5, 11, 0)),
            Err(Refusal::Full)
        );
        assert!(check_slot(&rules, 30, &busy, now(), at(2026, 3, 5, 11, 30)).is_ok());
    }

    #[test]
    fn min_notice_moves_the_first_slot_to_the_next_grid_time_after_it() {
        let mut rules = shop();
        rules.min_notice_minutes = 60;
        let now = at(2026, 3, 5, 9, 10);
        assert_eq!(
            local(&free_slots(&rules, 60, &[], now, &any(), 1)),
            ["Thu 2026-03-05 10:30-11:30"]
        );
        assert_eq!(
            check_slot(&rules, 60, &[], now, at(2026, 3, 5, 10, 0)),
            Err(Refusal::TooSoon {
                earliest: at(2026, 3, 5, 10, 10)
            })
        );
        assert!(check_slot(&rules, 60, &[], now, at(2026, 3, 5, 10, 30)).is_ok());
    }

    #[test]
    fn past_starts_are_too_soon() {
        assert_eq!(
            check_slot(&shop(), 60, &[], now(), at(2026, 3, 4, 9, 0)),
            Err(Refusal::TooSoon { earliest: now() })
        );
    }

    #[test]
    fn horizon_counts_business_local_days() {
        let mut rules = every_day(hm(8, 0), hm(17, 0));
        rules.max_days_ahead = 1;
        // 23:30 Wednesday in Chicago is already Thursday in UTC; tomorrow is still Thursday.
        let now = at(2026, 3, 4, 23, 30);
        let got = free_slots(&rules, 60, &[], now, &any(), ALL);
        assert_eq!(got.len(), 17);
        assert_eq!(local(&got).last().unwrap(), "Thu 2026-03-05 16:00-17:00");
        assert_eq!(
            check_slot(&rules, 60, &[], now, at(2026, 3, 6, 8, 0)),
            Err(Refusal::TooFar)
        );
        rules.max_days_ahead = 0;
        assert!(free_slots(&rules, 60, &[], now, &any(), ALL).is_empty());
    }

    #[test]
    fn windows_limit_the_start_to_the_callers_ranges() {
        let want = Want {
            windows: vec![
                (
                    date(2026, 3, 6).at(14, 0, 0, 0),
                    date(2026, 3, 6).at(15, 30, 0, 0),
                ),
                (
                    date(2026, 3, 5).at(11, 0, 0, 0),
                    date(2026, 3, 5).at(13, 30, 0, 0),
                ),
            ],
            ..any()
        };
        let got = free_slots(&shop(), 60, &[], now(), &want, ALL);
        assert_eq!(
            local(&got),
            [
                "Thu 2026-03-05 11:00-12:00",
                "Thu 2026-03-05 13:00-14:00",
                "Fri 2026-03-06 14:00-15:00",
                "Fri 2026-03-06 14:30-15:30",
                "Fri 2026-03-06 15:00-16:00",
            ]
        );
    }

    #[test]
    fn after_five_on_any_day_finds_the_late_opening_day() {
        let mut rules = shop();
        rules.weekly[1] = vec![(hm(8, 0), hm(19, 0))]; // Tuesdays open late
        let want = Want {
            time_of_day: Some((hm(17, 0), hm(23, 59))),
            ..any()
        };
        let got = free_slots(&rules, 60, &[], now(), &want, 3);
        assert_eq!(
            local(&got),
            [
                "Tue 2026-03-10 17:00-18:00",
                "Tue 2026-03-10 17:30-18:30",
                "Tue 2026-03-10 18:00-19:00"
            ]
        );
    }

    #[test]
    fn mornings_wrapping_and_exact_time_of_day_ranges_filter_starts() {
        let mornings = Want {
            time_of_day: Some((hm(8, 0), hm(10, 0))),
            ..any()
        };
        let got = free_slots(&shop(), 60, &[], now(), &mornings, 5);
        assert_eq!(
            local(&got)[3..],
            ["Thu 2026-03-05 09:30-10:30", "Fri 2026-03-06 08:00-09:00"]
        );
        let wrap = Want {
            time_of_day: Some((hm(16, 0), hm(8, 30))),
            ..any()
        };
        let got = free_slots(&shop(), 60, &[], now(), &wrap, 3);
        assert_eq!(
            local(&got),
            [
                "Thu 2026-03-05 08:00-09:00",
                "Thu 2026-03-05 16:00-17:00",
                "Fri 2026-03-06 08:00-09:00"
            ]
        );
        let at_two = Want {
            time_of_day: Some((hm(14, 0), hm(14, 0))),
            ..any()
        };
        let got = free_slots(&shop(), 60, &[], now(), &at_two, 2);
        assert_eq!(
            local(&got),
            ["Thu 2026-03-05 14:00-15:00", "Fri 2026-03-06 14:00-15:00"]
        );
    }

    #[test]
    fn except_friday_skips_fridays_and_not_before_skips_earlier_days() {
        let want = Want {
            except_weekdays: vec![Weekday::Friday],
            not_before: Some(date(2026, 3, 5).at(16, 0, 0, 0)),
            ..any()
        };
        let got = free_slots(&shop(), 60, &[], now(), &want, 2);
        assert_eq!(
            local(&got),
            ["Thu 2026-03-05 16:00-17:00", "Sat 2026-03-07 08:00-09:00"]
        );
    }

    #[test]
    fn excluding_every_weekday_or_giving_only_empty_windows_finds_nothing() {
        let all_days = Want {
            except_weekdays: vec![
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday,
            ],
            ..any()
        };
        assert!(free_slots(&shop(), 60, &[], now(), &all_days, 5).is_empty());
        let d = date(2026, 3, 5).at(9, 0, 0, 0);
        let empty = Want {
            windows: vec![(d, d)],
            ..any()
        };
        assert!(free_slots(&shop(), 60, &[], now(), &empty, 5).is_empty());
    }

    #[test]
    fn spring_forward_day_slots_are_real_local_times_with_the_new_offset() {
        let rules = every_day(hm(8, 0), hm(10, 0));
        let now = at(2026, 3, 7, 12, 0);
        let got = free_slots(&rules, 60, &[], now, &any(), 6);
        let starts: Vec<Timestamp> = got.iter().map(|s| s.start).collect();
        assert_eq!(
            starts,
            [
                utc("2026-03-08T13:00:00Z"),
                utc("2026-03-08T13:30:00Z"),
                utc("2026-03-08T14:00:00Z"),
                utc("2026-03-09T13:00:00Z"),
                utc("2026-03-09T13:30:00Z"),
                utc("2026-03-09T14:00:00Z"),
            ]
        );
        assert_eq!(local(&got)[0], "Sun 2026-03-08 08:00-09:00");
    }

    #[test]
    fn fall_back_day_slots_are_real_local_times_with_the_new_offset() {
        let rules = every_day(hm(8, 0), hm(10, 0));
        let now = at(2026, 10, 31, 12, 0);
        let got = free_slots(&rules, 60, &[], now, &any(), 4);
        let starts: Vec<Timestamp> = got.iter().map(|s| s.start).collect();
        assert_eq!(
            starts,
            [
                utc("2026-11-01T14:00:00Z"),
                utc("2026-11-01T14:30:00Z"),
                utc("2026-11-01T15:00:00Z"),
                utc("2026-11-02T14:00:00Z"),
            ]
        );
        assert_eq!(local(&got)[0], "Sun 2026-11-01 08:00-09:00");
    }

    #[test]
    fn a_shop_opening_at_two_on_spring_forward_day_offers_no_nonexistent_time() {
        let rules = every_day(hm(2, 0), hm(5, 0));
        let now = at(2026, 3, 7, 12, 0);
        let got = free_slots(&rules, 30, &[], now, &any(), 4);
        // 02:00 and 02:30 do not exist that night; 03:00 CDT is 08:00 UTC.
        assert_eq!(
            got.iter().map(|s| s.start).collect::<Vec<_>>(),
            [
                utc("2026-03-08T08:00:00Z"),
                utc("2026-03-08T08:30:00Z"),
                utc("2026-03-08T09:00:00Z"),
                utc("2026-03-08T09:30:00Z"),
            ]
        );
        assert_eq!(local(&got)[0], "Sun 2026-03-08 03:00-03:30");
        assert_eq!(
            check_slot(&rules, 30, &[], now, utc("2026-03-08T07:30:00Z")),
            Err(Refusal::Closed),
            "01:30 CST is before the shop opens"
        );
    }

    #[test]
    fn the_fall_back_fold_offers_each_wall_time_once_and_the_extra_hour_holds_appointments() {
        let rules = every_day(hm(0, 0), hm(3, 0));
        let now = at(2026, 10, 31, 12, 0);
        let day = date(2026, 11, 1);
        let got = starts_on(&rules, 60, &[], now, day);
        // 01:00 and 01:30 happen twice; each is offered once (the first, CDT, occurrence).
        assert_eq!(got, ["00:00", "00:30", "01:00", "01:30", "02:00"]);
        let want = Want {
            windows: vec![(day.at(0, 0, 0, 0), day.at(23, 0, 0, 0))],
            ..Want::default()
        };
        let slots = free_slots(&rules, 60, &[], now, &want, ALL);
        let instants: Vec<(Timestamp, Timestamp)> =
            slots.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(
            instants,
            [
                (utc("2026-11-01T05:00:00Z"), utc("2026-11-01T06:00:00Z")),
                (utc("2026-11-01T05:30:00Z"), utc("2026-11-01T06:30:00Z")),
                (utc("2026-11-01T06:00:00Z"), utc("2026-11-01T07:00:00Z")),
                (utc("2026-11-01T06:30:00Z"), utc("2026-11-01T07:30:00Z")),
                (utc("2026-11-01T08:00:00Z"), utc("2026-11-01T09:00:00Z")),
            ]
        );
        // The second 01:00 (CST) is a real instant inside hours but not a grid start.
        assert_eq!(
            check_slot(&rules, 60, &[], now, utc("2026-11-01T07:00:00Z")),
            Err(Refusal::Misaligned)
        );
    }

    #[test]
    fn a_service_across_the_spring_forward_jump_lasts_its_real_duration() {
        let rules = every_day(hm(0, 0), hm(5, 0));
        let now = at(2026, 3, 7, 12, 0);
        let got = free_slots(&rules, 120, &[], now, &any(), ALL);
        let night: Vec<(Timestamp, Timestamp)> = got
            .iter()
            .filter(|s| s.start < utc("2026-03-08T12:00:00Z"))
            .map(|s| (s.start, s.end))
            .collect();
        // Open 00:00 CST (06:00 UTC) to 05:00 CDT (10:00 UTC): four real hours. A 01:30 start ends
        // at 04:30 on the wall clock; 02:00 and 02:30 do not exist; 03:00 is the last start.
        assert_eq!(
            night,
            [
                (utc("2026-03-08T06:00:00Z"), utc("2026-03-08T08:00:00Z")),
                (utc("2026-03-08T06:30:00Z"), utc("2026-03-08T08:30:00Z")),
                (utc("2026-03-08T07:00:00Z"), utc("2026-03-08T09:00:00Z")),
                (utc("2026-03-08T07:30:00Z"), utc("2026-03-08T09:30:00Z")),
                (utc("2026-03-08T08:00:00Z"), utc("2026-03-08T10:00:00Z")),
            ]
        );
        assert_eq!(
            local(&got[3..5]),
            ["Sun 2026-03-08 01:30-04:30", "Sun 2026-03-08 03:00-05:00"]
        );
        assert_eq!(
            check_slot(&rules, 120, &[], now, utc("2026-03-08T08:30:00Z")),
            Err(Refusal::PastClosing),
            "03:30 CDT + 2 h runs past 05:00"
        );
    }

    #[test]
    fn check_slot_names_each_reason() {
        let rules = shop();
        let n = now();
        let thu = |h, m| at(2026, 3, 5, h, m);
        assert_eq!(
            check_slot(&rules, 0, &[], n, thu(9, 0)),
            Err(Refusal::InvalidDuration)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(7, 0)),
            Err(Refusal::Closed)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(12, 30)),
            Err(Refusal::Closed)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(17, 0)),
            Err(Refusal::Closed)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(9, 10)),
            Err(Refusal::Misaligned)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(9, 0) + SignedDuration::from_secs(1)),
            Err(Refusal::Misaligned)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(11, 30)),
            Err(Refusal::OverlapsBreak)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, thu(16, 30)),
            Err(Refusal::PastClosing)
        );
        assert_eq!(
            check_slot(&rules, 60, &[], n, at(2026, 6, 4, 9, 0)),
            Err(Refusal::TooFar)
        );
        let busy = [Busy::appointment(thu(9, 30), thu(10, 0))];
        assert_eq!(
            check_slot(&rules, 60, &busy, n, thu(9, 0)),
            Err(Refusal::Full)
        );
        assert_eq!(
            check_slot(&rules, 60, &busy, n, thu(10, 0)),
            Ok(Slot {
                start: thu(10, 0),
                end: thu(11, 0)
            })
        );
    }

    #[test]
    fn check_slot_accepts_exactly_what_free_slots_lists() {
        let mut rules = every_day(hm(0, 0), hm(3, 0));
        rules.weekly[0] = vec![(hm(8, 0), hm(12, 0)), (hm(13, 0), hm(17, 0))];
        rules.bays = 2;
        rules.buffer_minutes = 10;
        rules.min_notice_minutes = 45;
        rules.max_days_ahead = 3;
        rules.closed_dates = vec![date(2026, 11, 3)];
        let now = at(2026, 10, 31, 1, 20);
        let busy = [
            Busy::appointment(utc("2026-11-01T05:30:00Z"), utc("2026-11-01T06:30:00Z")),
            Busy::appointment(utc("2026-11-01T06:00:00Z"), utc("2026-11-01T07:00:00Z")),
            Busy::blocked(at(2026, 11, 2, 14, 0), at(2026, 11, 2, 15, 0)),
        ];
        let listed = free_slots(&rules, 45, &busy, now, &any(), ALL);
        assert!(!listed.is_empty());
        // Every 5 minutes from now to past the horizon, across the fall-back night.
        let mut t = now - SignedDuration::from_hours(1);
        let mut accepted = Vec::new();
        while t < now + SignedDuration::from_hours(24 * 6) {
            if let Ok(slot) = check_slot(&rules, 45, &busy, now, t) {
                accepted.push(slot);
            }
            t += SignedDuration::from_mins(5);
        }
        assert_eq!(local(&accepted), local(&listed));
        assert_eq!(accepted, listed);
    }

    #[test]
    fn degenerate_rules_and_inputs_give_nothing_instead_of_panicking() {
        let n = now();
        assert!(free_slots(&shop(), 0, &[], n, &any(), ALL).is_empty());
        assert!(free_slots(&shop(), 60, &[], n, &any(), 0).is_empty());
        assert!(
            free_slots(
                &Rules {
                    slot_minutes: 0,
                    ..shop()
                },
                60,
                &[],
                n,
                &any(),
                ALL
            )
            .is_empty()
        );
        assert!(free_slots(&Rules { bays: 0, ..shop() }, 60, &[], n, &any(), ALL).is_empty());
        assert!(
            free_slots(
                &Rules {
                    weekly: Default::default(),
                    ..shop()
                },
                60,
                &[],
                n,
                &any(),
                ALL
            )
            .is_empty()
        );
        assert!(free_slots(&shop(), u32::MAX, &[], n, &any(), ALL).is_empty());
        assert_eq!(
            check_slot(&shop(), u32::MAX, &[], n, at(2026, 3, 7, 8, 0)),
            Err(Refusal::PastClosing)
        );
        assert_eq!(
            check_slot(
                &Rules {
                    slot_minutes: 0,
                    ..shop()
                },
                60,
                &[],
                n,
                at(2026, 3, 5, 8, 0)
            ),
            Err(Refusal::Misaligned)
        );
        assert_eq!(
            check_slot(
                &Rules { bays: 0, ..shop() },
                60,
                &[],
                n,
                at(2026, 3, 5, 8, 0)
            ),
            Err(Refusal::Full)
        );
        for edge in [Timestamp::MIN, Timestamp::MAX] {
            assert!(free_slots(&shop(), 60, &[], edge, &any(), 3).len() <= 3);
            let _ = check_slot(&shop(), 60, &[], edge, edge);
            let _ = check_slot(
                &shop(),
                60,
                &[Busy::blocked(Timestamp::MIN, Timestamp::MAX)],
                n,
                edge,
            );
        }
        let huge = Rules {
            max_days_ahead: u32::MAX,
            min_notice_minutes: u32::MAX,
            buffer_minutes: u32::MAX,
            slot_minutes: u32::MAX,
            ..shop()
        };
        assert!(free_slots(&huge, 60, &[], n, &any(), ALL).is_empty());
    }

    #[test]
    fn a_horizon_of_u32_max_days_is_capped_and_an_unmatchable_wish_returns_quickly() {
        let rules = Rules {
            max_days_ahead: u32::MAX,
            ..shop()
        };
        let want = Want {
            time_of_day: Some((hm(22, 0), hm(23, 0))),
            ..any()
        };
        let started = std::time::Instant::now();
        assert!(free_slots(&rules, 60, &[], now(), &want, 3).is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let far = at(2026, 3, 5, 9, 0) + SignedDuration::from_hours(24 * 7 * 600);
        assert_eq!(
            check_slot(&rules, 60, &[], now(), far),
            Err(Refusal::TooFar)
        );
        let whole = [Busy::blocked(Timestamp::MIN, Timestamp::MAX)];
        assert!(free_slots(&rules, 60, &whole, now(), &any(), 3).is_empty());
    }
}
