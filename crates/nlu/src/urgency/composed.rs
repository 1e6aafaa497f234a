//! Emergencies said in parts rather than in a set phrase: a collision happening now ("someone
//! ran a red light and smashed into my passenger side"), a car stopped where stopping is
//! dangerous ("the car just shut off in the fast lane", "stuck on the railroad tracks"), or
//! control lost while driving ("the power steering went out", "the pedal went all the way
//! down"). Each part is one small word list; an emergency needs the parts together, and a
//! collision told as the past cause of a repair ("a fender bender last year") is not one.

use crate::normalize::Normalized;

/// Words of a collision.
const COLLISION: &[&str] = &[
    "smashed into",
    "slammed into",
    "crashed into",
    "ran into me",
    "ran into my",
    "rammed",
    "collided",
    "collision",
    "wreck",
    "wrecked",
    "totaled",
    "fender bender",
    "slid into",
    "went off the road",
    "into a ditch",
    "in a ditch",
    "hit me",
    "hit my car",
    "hit a car",
    "almost hit",
    "t boned",
    "tboned",
    "sideswiped",
    "side swiped",
    "hit and run",
];

/// A car that stopped or cannot go on.
const STOPPED: &[&str] = &[
    "shut off",
    "shut down",
    "died",
    "stalled",
    "wont start",
    "wont move",
    "wont go",
    "cant move",
    "cant get out",
    "stuck",
    "broke down",
    "broken down",
    "quit",
    "lost power",
    "flat",
    "blocking traffic",
];

/// Places where a stopped car is in danger (traffic itself is not: "stuck in traffic" is late,
/// not stranded; "blocking traffic" is a stop of its own).
const DANGEROUS_PLACE: &[&str] = &[
    "lane",
    "highway",
    "freeway",
    "interstate",
    "expressway",
    "tollway",
    "turnpike",
    "tracks",
    "intersection",
    "ditch",
    "bridge",
    "ramp",
    "shoulder",
];

/// Control lost while driving: (what, how, window in words).
const CONTROL_LOST: &[(&[&str], &[&str], usize)] = &[
    (
        &["steering"],
        &["out", "locked", "jerking", "gone", "failed"],
        4,
    ),
    (&["pedal"], &["floor", "down"], 6),
    (
        &["shaking", "shakes", "vibrating"],
        &["violently", "badly"],
        2,
    ),
    (
        &["see"],
        &["road", "driving", "highway", "interstate", "freeway"],
        8,
    ),
    (&["accelerator", "throttle", "gas"], &["stuck"], 3),
    (&["slow", "stop"], &["cant", "wont"], 1),
];

/// A collision, a stop or a fault told as something past ("last year", "a while ago"), the
/// reason for a repair rather than the caller's situation now.
const LONG_AGO: &[&str] = &[
    "last year",
    "last month",
    "last week",
    "years ago",
    "months ago",
    "weeks ago",
    "a while ago",
    "a while back",
    "no rush",
];

fn near(words: &[&str], a: &[&str], b: &[&str], window: usize) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        a.contains(w)
            && words[i.saturating_sub(window)..words.len().min(i + window + 1)]
                .iter()
                .any(|x| b.contains(x))
    })
}

/// "on 290", "on i 35", "on the 101": a numbered road.
fn on_a_numbered_road(words: &[&str]) -> bool {
    words.windows(2).any(|p| {
        matches!(p[0], "on" | "the" | "i")
            && p[1].len() >= 2
            && p[1].chars().all(|c| c.is_ascii_digit())
    })
}

/// Whether the words tell an emergency in parts (see the module docs).
pub(super) fn emergency(n: &Normalized, words: &[&str]) -> bool {
    if n.has_any(LONG_AGO) {
        return false;
    }
    let collision = n.has_any(COLLISION);
    // What stopped is the car, or the caller in it ("I'm broken down"), not a card or a lift.
    let the_car = words.iter().any(|w| super::is_car_word(w))
        || words.windows(2).any(|p| {
            matches!(p[0], "im" | "were" | "we" | "i")
                && matches!(p[1], "stuck" | "broken" | "broke" | "stalled" | "stranded")
        });
    let stopped_in_danger = the_car
        && n.has_any(STOPPED)
        && (words.iter().any(|w| DANGEROUS_PLACE.contains(w)) || on_a_numbered_road(words));
    // In traffic only the car stopping counts ("it died in traffic"), not a stuck driver.
    let car_stopped_in_traffic = the_car
        && words.contains(&"traffic")
        && STOPPED
            .iter()
            .filter(|p| !matches!(**p, "stuck" | "cant get out"))
            .any(|p| n.has_any(std::slice::from_ref(p)));
    let control_lost = CONTROL_LOST.iter().any(|(a, b, w)| near(words, a, b, *w));
    collision || stopped_in_danger || car_stopped_in_traffic || control_lost
}
