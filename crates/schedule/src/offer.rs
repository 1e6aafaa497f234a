//! Choosing the few free starts the receptionist reads out, so that they are few, soon and
//! genuinely different.
//!
//! Without a preferred time the offer comes from the first two days that have a matching free
//! start: each day's earliest start first, then one start per other part of the day (morning
//! before 12:00, afternoon before 17:00, evening after), then other starts; every start offered on
//! a day is at least two hours from the others offered that day. The result is chronological, e.g. Thu 8:00, Thu 1:30 PM,
//! Fri 8:00, and never three adjacent half-hours; when the calendar cannot give that much variety
//! fewer choices are returned. With a preferred time, that exact start comes first if it is free,
//! followed by the nearest free start before it and the nearest after it (when there is room for
//! both), then the next nearest by distance, in chronological order.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp};

use crate::search::{Ctx, Filter};
use crate::zone::{Edge, wall_to_instant};
use crate::{Busy, Rules, Slot, Want};

/// Two starts offered on the same day, once every part of the day is used, are at least this far apart.
const MIN_GAP: SignedDuration = SignedDuration::from_hours(2);

/// The starts to offer a caller for a service of `duration_minutes`: at most `choices` of them.
///
/// See the module documentation for how they are chosen. Returns nothing when nothing matches.
pub fn offer(
    rules: &Rules,
    duration_minutes: u32,
    busy: &[Busy],
    now: Timestamp,
    want: &Want,
    choices: usize,
) -> Vec<Slot> {
    if choices == 0 {
        return Vec::new();
    }
    let Some(ctx) = Ctx::new(rules, duration_minutes, busy, now) else {
        return Vec::new();
    };
    let filter = Filter::new(rules, want);
    match want
        .preferred
        .and_then(|p| wall_to_instant(&rules.zone, p, Edge::Open))
    {
        Some(preferred) => around(&ctx, &filter, preferred, choices),
        None => spread(&ctx, &filter, choices),
    }
}

/// The exact preferred start if free, then the nearest free starts on either side.
fn around(ctx: &Ctx<'_>, filter: &Filter, preferred: Timestamp, choices: usize) -> Vec<Slot> {
    let cap = choices.min(64);
    let mut before: VecDeque<Slot> = VecDeque::with_capacity(cap);
    let mut after: Vec<Slot> = Vec::with_capacity(cap);
    ctx.scan(filter, |slot, _| {
        if slot.start < preferred {
            if before.len() == choices {
                before.pop_front();
            }
            before.push_back(slot);
            ControlFlow::Continue(())
        } else {
            after.push(slot);
            if after.len() >= choices {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    });
    let mut out = Vec::with_capacity(cap);
    let mut after = after.into_iter().peekable();
    let exact = after.next_if(|s| s.start == preferred);
    let mut rest = Vec::with_capacity(cap);
    let wanted = choices - usize::from(exact.is_some());
    // One on each side first, so the caller hears "earlier or later"; then by distance.
    if wanted >= 2 {
        rest.extend(before.pop_back());
        rest.extend(after.next());
    }
    while rest.len() < wanted {
        let earlier = before.back().map(|s| preferred.duration_since(s.start));
        let later = after.peek().map(|s| s.start.duration_since(preferred));
        match (earlier, later) {
            (Some(e), Some(l)) if e <= l => rest.extend(before.pop_back()),
            (Some(_), None) => rest.extend(before.pop_back()),
            (_, Some(_)) => rest.extend(after.next()),
            (None, None) => break,
        }
    }
    rest.sort_unstable();
    out.extend(exact);
    out.extend(rest);
    out
}

/// Soonest matching starts from at most two days, spread over each day.
fn spread(ctx: &Ctx<'_>, filter: &Filter, choices: usize) -> Vec<Slot> {
    // The matching starts of the first two days that have any.
    let mut days: Vec<(Date, Vec<(Slot, DateTime)>)> = Vec::with_capacity(2);
    ctx.scan(filter, |slot, wall| {
        let date = wall.date();
        let n = days.len();
        match days.last_mut() {
            Some((d, v)) if *d == date => v.push((slot, wall)),
            _ if n == 2 => return ControlFlow::Break(()),
            _ => days.push((date, vec![(slot, wall)])),
        }
        ControlFlow::Continue(())
    });
    let mut taken: Vec<Vec<bool>> = days.iter().map(|(_, v)| vec![false; v.len()]).collect();
    let mut picked = 0;

    // Round 1: each day's earliest start.
    for t in taken.iter_mut() {
        if picked < choices {
            t[0] = true;
            picked += 1;
        }
    }
    // Then one start per part of the day not yet used, alternating days; then widely spaced ones.
    for pass in [Pass::NewPartOfDay, Pass::FarApart] {
        loop {
            let mut progressed = false;
            for (i, (_, slots)) in days.iter().enumerate() {
                if picked >= choices {
                    break;
                }
                if let Some(j) = next_pick(slots, &taken[i], pass) {
                    taken[i][j] = true;
                    picked += 1;
                    progressed = true;
                }
            }
            if !progressed || picked >= choices {
                break;
            }
        }
    }
    let mut out: Vec<Slot> = days
        .iter()
        .zip(&taken)
        .flat_map(|((_, slots), t)| slots.iter().zip(t).filter(|(_, k)| **k).map(|(s, _)| s.0))
        .collect();
    out.sort_unstable();
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    NewPartOfDay,
    FarApart,
}

/// Morning, afternoon or evening of a local start.
fn part_of_day(wall: DateTime) -> u8 {
    match wall.hour() {
        0..12 => 0,
        12..17 => 1,
        _ => 2,
    }
}

/// The earliest not-yet-taken start of one day allowed in this pass.
fn next_pick(slots: &[(Slot, DateTime)], taken: &[bool], pass: Pass) -> Option<usize> {
    let chosen = || slots.iter().zip(taken).filter(|(_, k)| **k).map(|(s, _)| s);
    (0..slots.len()).find(|&j| {
        if taken[j] {
            return false;
        }
        let (slot, wall) = slots[j];
        let far = chosen().all(|(s, _)| s.start.duration_since(slot.start).abs() >= MIN_GAP);
        match pass {
            Pass::NewPartOfDay => {
                far && chosen().all(|(_, w)| part_of_day(*w) != part_of_day(wall))
            }
            Pass::FarApart => far,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{at, hm, local, shop};
    use crate::{check_slot, free_slots};
    use jiff::civil::{Weekday, date};

    fn now() -> Timestamp {
        at(2026, 3, 4, 18, 0) // Wednesday evening; Thursday 2026-03-05 is next
    }

    fn any() -> Want {
        Want::default()
    }

    #[test]
    fn three_choices_are_the_morning_and_afternoon_of_the_first_day_and_the_next_morning() {
        let busy = [Busy::appointment(
            at(2026, 3, 5, 13, 0),
            at(2026, 3, 5, 13, 30),
        )];
        let got = offer(&shop(), 60, &busy, now(), &any(), 3);
        assert_eq!(
            local(&got),
            [
                "Thu 2026-03-05 08:00-09:00",
                "Thu 2026-03-05 13:30-14:30",
                "Fri 2026-03-06 08:00-09:00"
            ]
        );
    }

    #[test]
    fn two_choices_span_two_days() {
        let got = offer(&shop(), 60, &[], now(), &any(), 2);
        assert_eq!(
            local(&got),
            ["Thu 2026-03-05 08:00-09:00", "Fri 2026-03-06 08:00-09:00"]
        );
    }

    #[test]
    fn many_choices_stay_within_two_days_and_two_hours_apart() {
        let got = offer(&shop(), 60, &[], now(), &any(), 10);
        assert_eq!(
            local(&got),
            [
                "Thu 2026-03-05 08:00-09:00",
                "Thu 2026-03-05 10:00-11:00",
                "Thu 2026-03-05 13:00-14:00",
                "Thu 2026-03-05 15:00-16:00",
                "Fri 2026-03-06 08:00-09:00",
                "Fri 2026-03-06 10:00-11:00",
                "Fri 2026-03-06 13:00-14:00",
                "Fri 2026-03-06 15:00-16:00",
            ]
        );
    }

    #[test]
    fn a_nearly_full_calendar_never_yields_three_adjacent_half_hours() {
        let mut rules = shop();
        rules.max_days_ahead = 1;
        // Thursday: only 8:00, 8:30 and 9:00 are free for 30 minutes; Friday is blocked.
        let busy = [
            Busy::blocked(at(2026, 3, 5, 9, 30), at(2026, 3, 5, 17, 0)),
            Busy::blocked(at(2026, 3, 6, 8, 0), at(2026, 3, 6, 17, 0)),
        ];
        let got = offer(&rules, 30, &busy, now(), &any(), 3);
        assert_eq!(local(&got), ["Thu 2026-03-05 08:00-08:30"]);
    }

    #[test]
    fn offers_respect_the_callers_wishes() {
        let want = Want {
            except_weekdays: vec![Weekday::Thursday],
            time_of_day: Some((hm(12, 0), hm(17, 0))),
            ..any()
        };
        let got = offer(&shop(), 60, &[], now(), &want, 3);
        assert_eq!(
            local(&got),
            [
                "Fri 2026-03-06 13:00-14:00",
                "Fri 2026-03-06 15:00-16:00",
                "Mon 2026-03-09 13:00-14:00"
            ]
        );
    }

    #[test]
    fn a_free_preferred_time_comes_first_then_its_nearest_neighbours() {
        let want = Want {
            preferred: Some(date(2026, 3, 5).at(14, 0, 0, 0)),
            ..any()
        };
        let got = offer(&shop(), 60, &[], now(), &want, 3);
        assert_eq!(
            local(&got),
            [
                "Thu 2026-03-05 14:00-15:00",
                "Thu 2026-03-05 13:30-14:30",
                "Thu 2026-03-05 14:30-15:30"
            ]
        );
    }

    #[test]
    fn a_taken_preferred_time_gives_the_nearest_free_times_on_either_side() {
        let busy = [Busy::appointment(
            at(2026, 3, 5, 13, 0),
            at(2026, 3, 5, 15, 0),
        )];
        let want = Want {
            preferred: Some(date(2026, 3, 5).at(14, 0, 0, 0)),
            ..any()
        };
        let got = offer(&shop(), 60, &busy, now(), &want, 2);
        assert_eq!(
            local(&got),
            ["Thu 2026-03-05 11:00-12:00", "Thu 2026-03-05 15:00-16:00"]
        );
        let one = offer(&shop(), 60, &busy, now(), &want, 1);
        assert_eq!(local(&one), ["Thu 2026-03-05 15:00-16:00"]);
    }

    #[test]
    fn a_preferred_time_off_the_grid_gives_the_grid_times_around_it() {
        let want = Want {
            preferred: Some(date(2026, 3, 5).at(14, 10, 0, 0)),
            ..any()
        };
        let got = offer(&shop(), 60, &[], now(), &want, 2);
        assert_eq!(
            local(&got),
            ["Thu 2026-03-05 14:00-15:00", "Thu 2026-03-05 14:30-15:30"]
        );
    }

    #[test]
    fn a_preferred_time_in_the_past_gives_the_soonest_free_times() {
        let want = Want {
            preferred: Some(date(2026, 3, 2).at(9, 0, 0, 0)),
            ..any()
        };
        let got = offer(&shop(), 60, &[], now(), &want, 2);
        assert_eq!(
            local(&got),
            ["Thu 2026-03-05 08:00-09:00", "Thu 2026-03-05 08:30-09:30"]
        );
    }

    #[test]
    fn offers_on_a_crowded_calendar_are_bookable_spread_and_from_at_most_two_days() {
        let mut rules = shop();
        rules.bays = 2;
        rules.buffer_minutes = 10;
        rules.min_notice_minutes = 90;
        let mut seed: u64 = 7;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as i64
        };
        let busy: Vec<Busy> = (0..120)
            .map(|_| {
                let start = at(2026, 3, 5, 8, 0)
                    + SignedDuration::from_hours(24 * next(10))
                    + SignedDuration::from_mins(30 * next(18));
                Busy::appointment(start, start + SignedDuration::from_mins(30 * (1 + next(4))))
            })
            .collect();
        for hour in 0..48 {
            let now = at(2026, 3, 4, 18, 0) + SignedDuration::from_hours(hour * 5);
            let got = offer(&rules, 60, &busy, now, &any(), 4);
            assert!(!got.is_empty(), "something is free after {now}");
            let days: Vec<Date> = got
                .iter()
                .map(|s| rules.zone.to_datetime(s.start).date())
                .collect();
            let mut distinct = days.clone();
            distinct.dedup();
            assert!(distinct.len() <= 2, "{:?}", local(&got));
            for (i, a) in got.iter().enumerate() {
                assert_eq!(check_slot(&rules, 60, &busy, now, a.start), Ok(*a));
                for (j, b) in got.iter().enumerate().skip(i + 1) {
                    if days[i] == days[j] {
                        assert!(
                            b.start.duration_since(a.start) >= MIN_GAP,
                            "{:?}",
                            local(&got)
                        );
                    }
                }
            }
            let first = free_slots(&rules, 60, &busy, now, &any(), 1);
            assert_eq!(
                got.first(),
                first.first(),
                "the soonest free start is always offered"
            );
        }
    }

    #[test]
    fn nothing_to_offer_gives_an_empty_list() {
        assert!(offer(&shop(), 60, &[], now(), &any(), 0).is_empty());
        assert!(offer(&shop(), 0, &[], now(), &any(), 3).is_empty());
        let closed = Rules {
            weekly: Default::default(),
            ..shop()
        };
        assert!(offer(&closed, 60, &[], now(), &any(), 3).is_empty());
        let want = Want {
            preferred: Some(date(2026, 3, 5).at(9, 0, 0, 0)),
            ..any()
        };
        assert!(offer(&closed, 60, &[], now(), &want, 3).is_empty());
        assert!(offer(&shop(), 60, &[], Timestamp::MAX, &want, usize::MAX).is_empty());
    }
}
