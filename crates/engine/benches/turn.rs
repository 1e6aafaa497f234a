//! One caller turn (understanding plus flow, with slot offers) on the example shop whose calendar
//! holds about 300 appointments over the booking horizon.
//!
//! Also a turn on 26 kB of hostile junk, to show no input is slow to read.
//!
//! `cargo bench -p frontdesk-engine --bench turn`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use frontdesk_engine::{CalendarView, Caller, Channel, Engine, Input, State, TurnContext};
use frontdesk_schedule::Busy;
use jiff::{SignedDuration, Timestamp};

/// About 300 one-hour appointments inside opening hours, deterministically spread.
fn crowded_calendar(now: Timestamp) -> Vec<Busy> {
    let mut busy = Vec::new();
    let mut seed: u64 = 7;
    for day in 0..30i64 {
        for _ in 0..10 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // 13:30 to 23:00 UTC is 7:30 AM to 5 PM in Austin.
            let minutes = 13 * 60 + 30 + i64::try_from((seed >> 33) % 19).unwrap_or(0) * 30;
            let start =
                now + SignedDuration::from_hours(24 * day) + SignedDuration::from_mins(minutes);
            busy.push(Busy::appointment(
                start,
                start + SignedDuration::from_hours(1),
            ));
        }
    }
    busy
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(frontdesk_profile::example());
    let midnight: Timestamp = "2026-11-24T06:00:00Z".parse().unwrap();
    let now: Timestamp = "2026-11-24T16:00:00Z".parse().unwrap();
    let calendar = CalendarView {
        busy: crowded_calendar(midnight),
        reachable: true,
    };
    let caller = Caller {
        phone: Some("+15125550199".to_string()),
        ..Caller::default()
    };
    let ctx = TurnContext {
        now,
        channel: Channel::Voice,
        caller: &caller,
        calendar: &calendar,
    };
    let first = engine.turn(
        &State::default(),
        Input::Said("Hi, my check engine light is on".to_string()),
        &ctx,
    );
    c.bench_function("turn: check engine light, first offers", |b| {
        b.iter(|| {
            engine.turn(
                black_box(&State::default()),
                Input::Said("Hi, my check engine light is on".to_string()),
                &ctx,
            )
        })
    });
    c.bench_function("turn: counter-offer for Friday afternoon", |b| {
        b.iter(|| {
            engine.turn(
                black_box(&first.state),
                Input::Said("do you have anything Friday afternoon?".to_string()),
                &ctx,
            )
        })
    }); // Hostile input: 26 kB of control characters, dates, digits and repeated words.
    let junk = "\u{0}\u{ffff}ŝ 9/9/9/9 :: 99999999999999 at at at the the 1st of ".repeat(400);
    c.bench_function("turn: 26 kB of junk", |b| {
        b.iter(|| {
            engine.turn(
                black_box(&State::default()),
                Input::Said(junk.clone()),
                &ctx,
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
