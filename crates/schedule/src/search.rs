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
