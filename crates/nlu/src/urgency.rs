//! Urgency: danger or being stranded (emergency: smoke, fire, an accident, brakes gone, stuck
//! on the highway, leaking fuel) versus an upset caller ("I'm furious", "this is ridiculous",
//! "third time I've called") versus normal.

use crate::Urgency;
use crate::normalize::Normalized;

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
    "stuck in traffic and",
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
fn is_car_word(w: &str) -> bool {
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
            || wheel_coming_off(&words);
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
mod tests {
    use super::*;

    fn u(text: &str) -> Urgency {
        detect(&Normalized::new(text))
    }

    #[test]
    fn smoke_from_the_hood_is_an_emergency() {
        assert_eq!(
            u("there's smoke coming from under the hood"),
            Urgency::Emergency
        );
        assert_eq!(u("my brakes are gone and I'm on 35"), Urgency::Emergency);
    }

    #[test]
    fn steam_on_the_interstate_is_an_emergency() {
        assert_eq!(
            u(
                "steam is pouring out of the hood and the temp gauge is maxed, I'm on the interstate"
            ),
            Urgency::Emergency
        );
        assert_eq!(
            u("my wheel literally came off on the freeway"),
            Urgency::Emergency
        );
    }

    #[test]
    fn a_danger_word_is_enough_to_back_a_models_emergency_and_an_oil_change_is_not() {
        assert!(names_a_danger(
            "the car just died on me and I've got the kids in the back"
        ));
        assert!(names_a_danger(
            "there's a weird burning stink from the vents"
        ));
        assert!(!names_a_danger("can I get an oil change tomorrow morning"));
        assert!(!names_a_danger("brakes are squeaky but it's not urgent"));
    }

    #[test]
    fn a_wheel_coming_off_is_an_emergency_and_one_a_bit_off_center_is_not() {
        assert_eq!(
            u("my tire is coming off on the highway"),
            Urgency::Emergency
        );
        assert_eq!(
            u("can you fix a steering wheel that's a bit off center"),
            Urgency::Normal
        );
        assert_eq!(u("front tire looks off, kind of low"), Urgency::Normal);
    }

    #[test]
    fn an_accident_with_a_thing_is_a_spill_and_one_with_a_deer_is_a_crash() {
        assert_eq!(
            u("I had an accident with the coffee in the cup holder, can you clean the seat"),
            Urgency::Normal
        );
        assert_eq!(
            u("I had an accident with a deer and the hood is smashed"),
            Urgency::Emergency
        );
        assert_eq!(u("we had an accident with another car"), Urgency::Emergency);
    }

    #[test]
    fn a_third_call_is_upset() {
        assert_eq!(
            u("this is the third time I've called, this is ridiculous"),
            Urgency::Upset
        );
    }

    #[test]
    fn a_smoke_free_oil_change_is_normal() {
        assert_eq!(
            u("just need an oil change, not an emergency"),
            Urgency::Normal
        );
    }

    #[test]
    fn the_pedal_to_the_floor_on_the_road_is_an_emergency_but_a_floor_near_a_road_is_not() {
        assert_eq!(
            u("my brake pedal just went to the floor and I'm on the road"),
            Urgency::Emergency
        );
        assert_eq!(
            u("can I get a room on a higher floor away from the road"),
            Urgency::Normal
        );
        assert_eq!(
            u("I was driving home and dropped my wallet on the floor of the car"),
            Urgency::Normal
        );
    }

    #[test]
    fn danger_words_that_name_other_things_are_no_emergency() {
        for text in [
            "is smoking allowed on the balcony",
            "I paid the bill twice by accident",
            "who is my emergency contact on the account",
            "the app crashed while I was paying",
            "I got hit with an overdraft fee",
            "the fire alarm in our room keeps beeping",
            "we were stranded at the airport last night, can we still check in",
        ] {
            assert_eq!(u(text), Urgency::Normal, "{text}");
        }
        for text in [
            "I was in an accident and the car won't start",
            "it's an emergency, my brakes went out",
            "we crashed into a pole on Main Street",
            "I'm stranded at the grocery store with a dead battery",
            "there was an accident, I need a tow",
            "someone crashed into me at the light",
            "it's kind of an emergency I think",
            "I'm stranded, can I pay the tow truck by card",
            "it's smoking really bad",
            "just got hit by a deer on 71",
            "I'm stranded at work, can you check if someone can come",
            "it won't stop when I press the pedal",
            "fire coming out from under it",
            "my car is on fire",
        ] {
            assert_eq!(u(text), Urgency::Emergency, "{text}");
        }
    }
}
