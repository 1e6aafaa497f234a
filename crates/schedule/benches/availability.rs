//! Availability over a 30-day horizon for a 2-bay shop with 500 existing appointments.
//!
//! Run with `cargo bench -p frontdesk-schedule`; the target is a median under 1 ms per
//! `free_slots` call that walks the whole horizon, and per `offer` call.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use frontdesk_schedule::{Busy, Rules, Want, check_slot, free_slots, offer};
use jiff::civil::{Time, date, time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

fn rules() -> Rules {
    let day = vec![
        (time(8, 0, 0, 0), time(12, 0, 0, 0)),
        (time(13, 0, 0, 0), time(17, 30, 0, 0)),
    ];
    let sat = vec![(time(8, 0, 0, 0), time(12, 0, 0, 0))];
    let weekly: [Vec<(Time, Time)>; 7] = [
        day.clone(),
        day.clone(),
        day.clone(),
        day.clone(),
        day,
        sat,
        vec![],
    ];
    Rules {
        zone: TimeZone::get("America/Chicago").expect("America/Chicago is in the tz database"),
        weekly,
        closed_dates: vec![date(2026, 3, 20)],
        bays: 2,
        slot_minutes: 30,
        buffer_minutes: 15,
        min_notice_minutes: 120,
        max_days_ahead: 30,
    }
}

/// 500 one-hour appointments inside opening hours over the 30 days (a
/// deterministic LCG, so every run measures the same calendar; overlaps beyond two bays are
/// allowed, as an external calendar can produce them), plus a few external busy blocks.
fn busy(rules: &Rules, now: Timestamp) -> Vec<Busy> {
    let today = rules.zone.to_datetime(now).date();
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % n) as i64
    };
    let mut out = Vec::with_capacity(505);
    while out.len() < 500 {
        let day = today + jiff::Span::new().days(next(31));
        let wall = day.at(8, 0, 0, 0) + SignedDuration::from_mins(30 * next(18));
        let start = wall
            .to_zoned(rules.zone.clone())
            .expect("valid local time")
            .timestamp();
        out.push(Busy::appointment(
            start,
            start + SignedDuration::from_hours(1),
        ));
    }
    for d in [3, 9, 17, 24, 28] {
        let start = now + SignedDuration::from_hours(24 * d + 3);
        out.push(Busy::blocked(start, start + SignedDuration::from_hours(2)));
    }
    out
}

fn bench(c: &mut Criterion) {
    let rules = rules();
    let now: Timestamp = "2026-03-02T14:00:00Z".parse().expect("valid timestamp");
    let busy = busy(&rules, now);
    let any = Want::default();
    let n = free_slots(&rules, 60, &busy, now, &any, usize::MAX).len();
    println!(
        "free 1-hour starts over 30 days with {} busy entries: {n}",
        busy.len()
    );

    c.bench_function(
        "free_slots: every free start in 30 days, 2 bays, 500 appointments",
        |b| {
            b.iter(|| {
                free_slots(
                    black_box(&rules),
                    60,
                    black_box(&busy),
                    now,
                    &any,
                    usize::MAX,
                )
            })
        },
    );
    c.bench_function("offer: 3 choices, 2 bays, 500 appointments", |b| {
        b.iter(|| offer(black_box(&rules), 60, black_box(&busy), now, &any, 3))
    });
    let start: Timestamp = "2026-03-16T15:00:00Z".parse().expect("valid timestamp");
    c.bench_function("check_slot: one start, 500 appointments", |b| {
        b.iter(|| check_slot(black_box(&rules), 60, black_box(&busy), now, start))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
