//! What callers say, made canonical before matching: speech-recognition slips and spelling
//! variants ("check in gin light", "break pads"), light stemming ("brakes" = "brake"), and a
//! table of generic car talk that turns paraphrases into canonical phrases ("the little engine
//! symbol is lit" → "check engine light"), which are then matched against the profile's names.

use super::*;

/// Words that carry no meaning for matching a service.
pub(super) const FILLER: &[&str] = &[
    "a", "an", "the", "my", "to", "and", "of", "on", "for", "i", "me", "it", "is", "in", "at",
    "do", "get", "need", "your", "our", "some", "s", "im", "its", "be", "was", "are", "with",
    "that", "this", "please", "can", "you", "we", "just", "so", "up",
];

/// Speech-recognition slips and spelling variants: (heard, meant).
pub(super) const RESPELL: &[(&[&str], &[&str])] = &[
    (&["in", "gin"], &["engine"]),
    (&["en", "gin"], &["engine"]),
    (&["engine", "lite"], &["engine", "light"]),
    (&["chuck", "engine"], &["check", "engine"]),
    (&["weekend", "break"], &["weekend", "rest"]),
    (&["lunch", "break"], &["lunch", "rest"]),
    // "a break job", "a break check": the car's brakes; "take a break": a rest.
    (&["a", "break", "job"], &["a", "brake", "job"]),
    (&["a", "break", "check"], &["a", "brake", "check"]),
    (&["a", "break", "inspection"], &["a", "brake", "inspection"]),
    (&["a", "break", "service"], &["a", "brake", "service"]),
    (&["a", "break", "fluid"], &["a", "brake", "fluid"]),
    (&["a", "break", "pad"], &["a", "brake", "pad"]),
    (&["a", "break", "light"], &["a", "brake", "light"]),
    (&["a", "break"], &["a", "rest"]),
    // "if my car breaks down": no brakes.
    (&["breaks", "down"], &["broken", "down"]),
    (&["break", "down"], &["broken", "down"]),
    (&["spring", "break"], &["spring", "rest"]),
    (&["break"], &["brake"]),
    (&["breaks"], &["brake"]),
    (&["braking"], &["brake"]),
    (&["tyre"], &["tire"]),
    (&["tyres"], &["tire"]),
    (&["tires"], &["tire"]),
    (&["a", "c"], &["ac"]),
    (&["air", "con"], &["ac"]),
    (&["aircon"], &["ac"]),
    (&["tranny"], &["transmission"]),
    (&["trans"], &["transmission"]),
    (&["tune", "up"], &["tuneup"]),
    (&["tune"], &["tuneup"]),
    (&["wiper"], &["wiper"]),
    (&["windshield", "wipers"], &["wiper"]),
    (&["oil", "chain"], &["oil", "change"]),
    (&["all", "change"], &["oil", "change"]),
    (&["pre", "purchase"], &["prepurchase"]),
    (&["prepurchase"], &["prepurchase"]),
    (&["pre", "buy"], &["prepurchase"]),
    (&["anti", "freeze"], &["antifreeze"]),
    (&["wont"], &["not"]),
    (&["doesnt"], &["not"]),
    (&["dont"], &["not"]),
    (&["cant"], &["not"]),
    (&["isnt"], &["not"]),
];

/// Generic car talk: if every group has a word in the utterance (within a few words of each
/// other), the canonical phrase is added where the first group matched.
pub(super) struct CarTalk {
    pub(super) groups: &'static [&'static [&'static str]],
    pub(super) canonical: &'static [&'static str],
}

pub(super) const CAR_TALK: &[CarTalk] = &[
    CarTalk {
        groups: &[
            &["engine", "motor"],
            &[
                "light",
                "symbol",
                "icon",
                "lamp",
                "warning",
                "sign",
                "indicator",
                "lit",
                "on",
            ],
        ],
        canonical: &["check", "engine", "light"],
    },
    CarTalk {
        groups: &[&["cel", "obd", "code", "codes"]],
        canonical: &["check", "engine", "light"],
    },
    CarTalk {
        groups: &[
            &["brake"],
            &[
                "squeal",
                "squeak",
                "squeaking",
                "squealing",
                "squeaky",
                "squeals",
                "squeaks",
                "grind",
                "grinding",
                "grinds",
                "noise",
                "noisy",
                "soft",
                "spongy",
                "pedal",
                "check",
                "checked",
                "look",
                "looked",
                "looking",
                "inspect",
                "inspected",
                "vibrate",
                "vibrating",
                "shake",
                "shaking",
                "pulsing",
                "pulsating",
                "screech",
                "screeching",
                "squealin",
                "light",
                "warning",
            ],
        ],
        canonical: &["brake", "inspection"],
    },
    CarTalk {
        groups: &[
            &["pad", "pads", "rotor", "rotors", "caliper"],
            &["brake", "front", "rear"],
        ],
        canonical: &["brake", "pad"],
    },
    CarTalk {
        groups: &[
            &["start", "crank", "turn", "starting", "cranking"],
            &["not", "never"],
        ],
        canonical: &["dead", "battery"],
    },
    CarTalk {
        groups: &[
            &["battery", "alternator", "charging"],
            &[
                "light", "warning", "dead", "died", "drain", "draining", "drained", "weak",
            ],
        ],
        canonical: &["dead", "battery"],
    },
    CarTalk {
        groups: &[
            &["jump", "jumpstart", "jumped", "dead", "died"],
            &["car", "battery", "truck", "it"],
        ],
        canonical: &["dead", "battery"],
    },
    CarTalk {
        groups: &[&["ac", "conditioning", "conditioner", "freon", "refrigerant"]],
        canonical: &["ac", "service"],
    },
    CarTalk {
        groups: &[&["air"], &["cold", "hot", "warm", "blowing", "blow"]],
        canonical: &["ac", "service"],
    },
    CarTalk {
        groups: &[
            &["pull", "pulls", "pulling", "drift", "drifts", "drifting"],
            &["left", "right", "side"],
        ],
        canonical: &["alignment"],
    },
    CarTalk {
        groups: &[
            &["steering", "wheel"],
            &["crooked", "off", "center", "straight"],
        ],
        canonical: &["alignment"],
    },
    CarTalk {
        groups: &[&[
            "clunk", "clunking", "clunks", "bouncy", "bouncing", "bounce", "shock", "strut",
            "struts", "shocks",
        ]],
        canonical: &["suspension"],
    },
    CarTalk {
        groups: &[&[
            "misfire",
            "misfiring",
            "rough",
            "sputter",
            "sputtering",
            "hesitat",
            "stall",
            "stalling",
            "plug",
            "plugs",
        ]],
        canonical: &["running", "rough"],
    },
    CarTalk {
        groups: &[&["sticker", "emissions", "emission", "smog"]],
        canonical: &["state", "inspection"],
    },
    CarTalk {
        groups: &[
            &["inspection", "inspected", "inspect"],
            &["state", "annual", "yearly", "safety", "expired", "expiring"],
        ],
        canonical: &["state", "inspection"],
    },
    CarTalk {
        groups: &[&["wiper", "wipers", "wiperblade"]],
        canonical: &["wiper", "blade"],
    },
    CarTalk {
        groups: &[&["rotate", "rotated", "rotation", "rotating"], &["tire"]],
        canonical: &["tire", "rotation"],
    },
    CarTalk {
        groups: &[
            &["tire"],
            &[
                "new",
                "replace",
                "replaced",
                "buy",
                "bought",
                "mount",
                "mounted",
                "install",
                "installed",
                "balance",
                "set",
                "worn",
                "bald",
            ],
        ],
        canonical: &["new", "tire"],
    },
    CarTalk {
        groups: &[
            &["transmission"],
            &[
                "fluid", "flush", "slipping", "slips", "shifting", "shift", "service",
            ],
        ],
        canonical: &["transmission", "fluid", "service"],
    },
    CarTalk {
        groups: &[&[
            "overheat",
            "overheating",
            "overheated",
            "coolant",
            "antifreeze",
            "radiator",
        ]],
        canonical: &["coolant", "flush"],
    },
    CarTalk {
        groups: &[&["timing"], &["belt", "chain"]],
        canonical: &["timing", "belt"],
    },
    CarTalk {
        groups: &[
            &["used", "buying", "purchase", "buy"],
            &[
                "car",
                "vehicle",
                "truck",
                "suv",
                "inspect",
                "inspection",
                "check",
                "mechanic",
                "look",
                "over",
            ],
        ],
        canonical: &["prepurchase", "inspection"],
    },
    CarTalk {
        groups: &[
            &["oil"],
            &[
                "change", "changed", "due", "service", "light", "sticker", "overdue",
            ],
        ],
        canonical: &["oil", "change"],
    },
    CarTalk {
        groups: &[&["diagnose", "diagnostic", "diagnosis", "diagnostics", "scan"]],
        canonical: &["diagnostic"],
    },
];

/// The car-talk groups with every word stemmed, computed once.
pub(super) fn car_talk_stems() -> &'static Vec<Vec<Vec<String>>> {
    static STEMS: std::sync::OnceLock<Vec<Vec<Vec<String>>>> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| {
        CAR_TALK
            .iter()
            .map(|ct| {
                ct.groups
                    .iter()
                    .map(|g| g.iter().map(|x| stem(x)).collect())
                    .collect()
            })
            .collect()
    })
}

pub(super) fn stem(w: &str) -> String {
    let w = w.trim_matches('\'');
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Splits a profile phrase or an utterance into canonical words (respelled, stemmed), with
/// each word's token index.
pub(super) fn canon_words(n: &Normalized) -> Vec<(String, usize)> {
    let raw: Vec<(&str, usize)> = n
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != Kind::Punct)
        .map(|(i, t)| (t.text.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(raw.len() + 4);
    let mut k = 0;
    'outer: while k < raw.len() {
        for (heard, meant) in RESPELL {
            if k + heard.len() <= raw.len()
                && heard.iter().enumerate().all(|(j, h)| raw[k + j].0 == *h)
            {
                for m in *meant {
                    out.push((stem(m), raw[k].1));
                }
                k += heard.len();
                continue 'outer;
            }
        }
        out.push((stem(raw[k].0), raw[k].1));
        k += 1;
    }
    out
}
