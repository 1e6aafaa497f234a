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

/// 500 one-hour appointments spread over the 30 days on the slot grid (a deterministic LCG, so
/// every run measures the same calendar), plus a few external blocks.
fn busy(now: Timestamp) -> Vec<Busy> {
    let mut seed: u64 = 0x5eed;
    let mut out = Vec::with_capacity(505);
    for _ in 0..500 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let half_hours = (seed >> 33) % (30 * 48);
        let start = now + SignedDuration::from_mins(30 * half_hours as i64);
        out.push(Busy::appointment(
            start,
            start + SignedDuration::from_mins(60),
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
    let busy = busy(now);
    let any = Want::default();
    let n = free_slots(&rules, 60, &busy, now, &any, usize::MAX).len();
    println!(
        "free 1-hour starts over 30 days with {} busy entries: {n}",
        busy.len()
    );

    c.bench_function(
        "free_slots 30 days, 2 bays, 500 appointments, all slots",
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
    c.bench_function("offer 3 choices, 2 bays, 500 appointments", |b| {
        b.iter(|| offer(black_box(&rules), 60, black_box(&busy), now, &any, 3))
    });
    let start: Timestamp = "2026-03-16T15:00:00Z".parse().expect("valid timestamp");
    c.bench_function("check_slot, 500 appointments", |b| {
        b.iter(|| check_slot(black_box(&rules), 60, black_box(&busy), now, start))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
