//! Choosing the few free starts the receptionist reads out, so that they are few, soon and
//! genuinely different.
//!
//! Without a preferred time the offer comes from the first two days that have a matching free
//! start: each day's earliest start first, then one start per other part of the day (morning
//! before 12:00, afternoon before 17:00, evening after), then other starts; every start offered on
//! a day is at least two hours from the others offered that day. The result is chronological, e.g. Thu 8:00, Thu 1:30 PM,
//! Fri 8:00, and never three adjacent half-hours; when the calendar cannot give that much variety
//! fewer choices are returned. With a preferred time, that exact start comes first if it is free,
//! followed by the free starts nearest to it on either side in chronological order.

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
    let mut before: VecDeque<Slot> = VecDeque::with_capacity(choices);
    let mut after: Vec<Slot> = Vec::with_capacity(choices);
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
    let mut out = Vec::with_capacity(choices);
    let mut after = after.into_iter().peekable();
    let exact = after.next_if(|s| s.start == preferred);
    let mut rest = Vec::with_capacity(choices);
    let wanted = choices - usize::from(exact.is_some());
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
