//! Urgency: danger or being stranded (emergency: smoke, fire, an accident, brakes gone, stuck
//! on the highway, leaking fuel) versus an upset caller ("I'm furious", "this is ridiculous",
//! "third time I've called") versus normal.

use crate::Urgency;
use crate::normalize::Normalized;

mod composed;

const EMERGENCY: &[&str] = &[
    "stuck in the left lane",
    "stuck in the middle",
    "in the middle of the road",
    "middle of the intersection",
    "in the intersection",
    "died in the middle",
    "in the middle of traffic",
    "stalled on",
    "stalled in traffic",
    "died on the highway",
    "died on the freeway",
    "died in traffic",
    "shut off while driving",
    "shut off on the",
    "stuck on the highway",
    "stuck on the freeway",
    "stuck on the interstate",
    "side of the road",
    "shoulder of the",
    "on the shoulder",
    "broke down on",
    "broken down on",
    "broke down in",
    "rear ended",
    "rearended",
    "t boned",
    "on fire",
    "flames",
    "burning smell",
    "smells like burning",
    "brakes are gone",
    "brakes gone",
    "brakes went out",
    "brakes failed",
    "brake failure",
    "brakes are out",
    "brakes gave out",
    "no brakes",
    "brakes dont work",
    "brakes arent working",
    "brakes are not working",
    "brakes stopped working",
    "brakes not working",
    "brake pedal went to the floor",
    "car wont stop",
    "overheating on the highway",
    "overheating on the freeway",
    "leaking gas",
    "leaking fuel",
    "fuel leak",
    "gas leak",
    "smell gas",
    "smells like gas",
    "gasoline everywhere",
    "steering locked",
    "steering went out",
    "lost steering",
    "wheel fell off",
    "wheel came off",
    "tire blew out",
    "blowout on",
    "unsafe to drive",
    "not safe to drive",
    "kids in the car",
];

const UPSET: &[&str] = &[
    "furious",
    "ridiculous",
    "unacceptable",
    "angry",
    "pissed",
    "so mad",
    "really mad",
    "im mad",
    "third time",
    "fourth time",
    "3rd time",
    "second time i called",
    "second time ive called",
    "keep calling",
    "kept calling",
    "terrible",
    "worst",
    "awful",
    "horrible",
    "frustrated",
    "frustrating",
    "sick of",
    "fed up",
    "never called me back",
    "nobody called me back",
    "no one called me back",
    "never called back",
    "rip off",
    "ripoff",
    "ripped off",
    "scam",
    "lawyer",
    "lawsuit",
    "complaint",
    "better business bureau",
    "what the hell",
    "wtf",
    "incompetent",
    "disappointed",
    "unbelievable",
    "outrageous",
    "are you kidding me",
    "you people",
    "no one picks up",
    "nobody picks up",
    "no one answers",
    "nobody answers",
    "no one answered",
    "nobody answered",
    "called twice",
    "called three times",
    "called four times",
    "called five times",
    "called so many times",
    "overcharged",
    "waste of time",
    "wasting my time",
];

/// Words that say the car or the road is in it.
pub(super) fn is_car_word(w: &str) -> bool {
    matches!(
        w,
        "car"
            | "truck"
            | "van"
            | "suv"
            | "vehicle"
            | "engine"
            | "motor"
            | "hood"
            | "brakes"
            | "brake"
            | "tire"
            | "tyre"
            | "wheel"
            | "wheels"
            | "exhaust"
            | "tailpipe"
            | "dash"
            | "dashboard"
            | "steering"
            | "highway"
            | "freeway"
            | "interstate"
            | "road"
            | "lane"
            | "traffic"
            | "driving"
            | "drove"
            | "shoulder"
            | "flat"
            | "tow"
            | "bumper"
            | "airbag"
            | "airbags"
            | "windshield"
            | "intersection"
            | "pole"
            | "battery"
            | "parking"
            | "lot"
            | "jack"
            | "towed"
            | "mile"
            | "miles"
            | "exit"
            | "pedal"
            | "accelerator"
            | "gas"
    )
}

/// A trip away from the car: "stranded at the airport" is a traveller's trouble.
fn is_trip_word(w: &str) -> bool {
    matches!(
        w,
        "airport" | "flight" | "flights" | "abroad" | "overseas" | "hotel" | "vacation"
    )
}

/// What crashed just before word `k` is software: "the app crashed", "my laptop keeps crashing".
fn software_before(words: &[&str], k: usize) -> bool {
    words[k.saturating_sub(3)..k].iter().any(|w| {
        matches!(
            *w,
            "app"
                | "website"
                | "site"
                | "computer"
                | "phone"
                | "system"
                | "page"
                | "server"
                | "program"
                | "laptop"
                | "screen"
                | "browser"
        )
    })
}

/// Danger words that also name other things: "smoking" (a room), "accident" (by accident),
/// "crashed" (an app), "got hit" (with a fee), "emergency" (a contact), "won't stop" (asking),
/// "stranded" (at the airport), "fire" (an alarm). Each is danger when said of the car or the
/// road, or of the caller's own plight ("I was in an accident", "it's an emergency", "there's
/// smoke coming out"), and never in a sentence about money.
fn danger_in_its_sense(n: &Normalized, words: &[&str]) -> bool {
    let car = words.iter().any(|w| is_car_word(w));
    if !car
        && words
            .iter()
            .any(|w| crate::intent::frames::is_money_word(w))
    {
        return false;
    }
    let plight = |k: usize| {
        words[k.saturating_sub(4)..k].iter().any(|w| {
            matches!(
                *w,
                "i" | "im"
                    | "we"
                    | "were"
                    | "my"
                    | "wife"
                    | "husband"
                    | "son"
                    | "daughter"
                    | "he"
                    | "she"
                    | "they"
            )
        })
    };
    let next = |k: usize| words.get(k + 1).copied();
    words.iter().enumerate().any(|(k, w)| match *w {
        "smoke" | "smoking" => {
            car || words.len() <= 5
                || (k > 0 && matches!(words[k - 1], "smell" | "smells" | "see"))
                // "it's smoking really bad", "it is smoking": something is smoking
                || (k > 0
                    && matches!(
                        words[k - 1],
                        "its" | "thats" | "started" | "keeps" | "kept" | "still"
                    ))
                || (k > 1
                    && matches!(words[k - 1], "is" | "was")
                    && matches!(words[k - 2], "it" | "that" | "this" | "something"))
                || words[k + 1..words.len().min(k + 5)].iter().any(|x| {
                    matches!(
                        *x,
                        "coming" | "pouring" | "billowing" | "everywhere" | "out" | "from"
                    )
                })
        }
        // "I was in an accident", "there was an accident"; not "by accident" or "the app
        // crashed".
        "accident" => !((k > 0 && words[k - 1] == "by") || accident_with_a_thing(words, k)),
        "crash" | "crashed" => car || plight(k) || !software_before(words, k),
        // "I got hit", "just got hit by a deer"; "got hit with a fee" is money, vetoed above.
        "hit" => k > 0 && matches!(words[k - 1], "got" | "been"),
        // "it's an emergency", "emergency tow"; not "emergency contact" or "emergency
        // brake" (a kind of thing).
        "emergency" => !next(k).is_some_and(|x| {
            matches!(
                x,
                "contact"
                    | "contacts"
                    | "fund"
                    | "funds"
                    | "cash"
                    | "number"
                    | "numbers"
                    | "exit"
                    | "exits"
                    | "room"
                    | "loan"
                    | "credit"
                    | "card"
                    | "kit"
                    | "brake"
            )
        }),
        "stop" => k > 0 && matches!(words[k - 1], "wont" | "cant") && (car || words.len() <= 4),
        "stranded" => car || !words.iter().any(|w| is_trip_word(w)),
        "fire" => {
            (k > 0 && matches!(words[k - 1], "on" | "caught"))
                || car
                || next(k).is_none()
                || words[k + 1..words.len().min(k + 4)]
                    .iter()
                    .any(|x| matches!(*x, "coming" | "everywhere" | "out"))
        }
        _ => false,
    }) && !n.has_any(&["fire up", "fire off", "fired", "fire away", "no fire"])
}

/// Danger said in two parts close together: (first words, second words, window in words).
const DANGER_NEAR: &[(&[&str], &[&str], usize)] = &[
    (
        &[
            "steam",
            "steaming",
            "overheating",
            "overheated",
            "smoke",
            "smoking",
        ],
        &[
            "highway",
            "freeway",
            "interstate",
            "road",
            "driving",
            "traffic",
            "lane",
        ],
        16,
    ),
    (&["brakes", "brake"], &["failed", "gone", "out"], 3),
    (&["steering"], &["out", "locked", "gone"], 3),
];

/// "the wheel came off", "my tire is coming off": off after a verb of coming loose, near a wheel
/// or tire; not a wheel "a bit off center".
fn wheel_coming_off(words: &[&str]) -> bool {
    words.iter().enumerate().any(|(k, w)| {
        *w == "off"
            && k > 0
            && matches!(
                words[k - 1],
                "came"
                    | "come"
                    | "coming"
                    | "fell"
                    | "fall"
                    | "falling"
                    | "flew"
                    | "flying"
                    | "popped"
                    | "ripped"
                    | "tore"
                    | "shredded"
            )
            && words[k.saturating_sub(6)..k]
                .iter()
                .any(|x| matches!(*x, "wheel" | "wheels" | "tire" | "tires" | "tyre"))
    })
}

/// Who or what a car collides with; "an accident with the coffee" is a spill, not a crash.
const COLLIDES_WITH: &[&str] = &[
    "another",
    "someone",
    "somebody",
    "deer",
    "semi",
    "bus",
    "cyclist",
    "pedestrian",
    "guy",
    "driver",
    "pole",
    "tree",
    "wall",
    "guardrail",
    "truck",
    "car",
    "van",
    "suv",
];

/// "I had an accident with the coffee": an accident with a thing that is not a vehicle, a
/// person or something a car hits.
fn accident_with_a_thing(words: &[&str], k: usize) -> bool {
    if words.get(k + 1) != Some(&"with") {
        return false;
    }
    let after = &words[(k + 2).min(words.len())..words.len().min(k + 5)];
    !after
        .iter()
        .any(|w| COLLIDES_WITH.contains(w) || is_car_word(w))
}

/// Words that say the car is out on the road.
const ON_THE_ROAD: &[&str] = &[
    "road",
    "highway",
    "freeway",
    "interstate",
    "driving",
    "traffic",
];

/// "my brake pedal just went to the floor and I'm on the road": the pedal to the floor (not a
/// hotel floor or a car mat), said near the road.
fn pedal_to_the_floor_on_the_road(words: &[&str]) -> bool {
    near(words, &["floor"], &["pedal"], 5) && near(words, &["pedal"], ON_THE_ROAD, 12)
}

fn near(words: &[&str], a: &[&str], b: &[&str], window: usize) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        a.contains(w)
            && words[i.saturating_sub(window)..words.len().min(i + window + 1)]
                .iter()
                .any(|x| b.contains(x))
    })
}

/// Single words of danger or of being stranded. Not an emergency on their own ("brake check",
/// "on the road to Austin"); a language model's emergency needs one of them in the caller's
/// words, so a model that pages the on-call person out of nowhere is not followed.
const DANGER_WORDS: &[&str] = &[
    "smoke",
    "smoking",
    "smoky",
    "fire",
    "flames",
    "burning",
    "burnt",
    "sparks",
    "steam",
    "steaming",
    "overheating",
    "overheated",
    "leak",
    "leaking",
    "gas",
    "fuel",
    "brake",
    "brakes",
    "pedal",
    "steering",
    "wheel",
    "tire",
    "tyre",
    "blowout",
    "blew",
    "stuck",
    "stranded",
    "stalled",
    "died",
    "dead",
    "towed",
    "tow",
    "shoulder",
    "lane",
    "intersection",
    "accident",
    "crash",
    "crashed",
    "hit",
    "wreck",
    "hurt",
    "injured",
    "bleeding",
    "unsafe",
    "dangerous",
    "danger",
    "emergency",
    "scared",
    "help",
    "road",
    "highway",
    "freeway",
    "interstate",
    "driving",
    "traffic",
];

/// Whether the caller's words name a danger or being stranded at all (see [`DANGER_WORDS`]),
/// and do not say it is no emergency.
pub fn names_a_danger(text: &str) -> bool {
    let n = Normalized::new(text);
    if n.has_any(&[
        "not an emergency",
        "no emergency",
        "isnt an emergency",
        "not urgent",
    ]) {
        return false;
    }
    n.words().any(|w| DANGER_WORDS.contains(&w))
}

pub fn detect(n: &Normalized) -> Urgency {
    let words: Vec<&str> = n.words().collect();
    let hit = n.has_any(EMERGENCY) || danger_in_its_sense(n, &words);
    // "no smoke", "not an emergency"
    let negated = n.has_any(&[
        "not an emergency",
        "no emergency",
        "isnt an emergency",
        "not urgent",
        "no smoke",
        "no accident",
        "smoke test",
        "not smoking",
    ]);
    let hit =
        hit || DANGER_NEAR.iter().any(|(a, b, w)| {
            near(&words, a, b, *w) && !n.has_any(&["came off the", "off the lot"])
        }) || pedal_to_the_floor_on_the_road(&words)
            || wheel_coming_off(&words)
            || composed::emergency(n, &words);
    if hit && !negated {
        return Urgency::Emergency;
    }
    if n.has_any(UPSET) {
        return Urgency::Upset;
    }
    // shouting: several words in capitals with exclamation marks
    let caps = n
        .tokens
        .iter()
        .filter(|t| {
            t.text.len() >= 3
                && n.raw
                    .get(t.start..t.end)
                    .is_some_and(|s| s.chars().all(|c| c.is_ascii_uppercase()))
        })
        .count();
    if caps >= 3 && n.raw.contains('!') {
        return Urgency::Upset;
    }
    Urgency::Normal
}

#[cfg(test)]
mod tests;
