//! Vehicles and mileage: year, make and model from a table of makes and common US models with
//! their nicknames ("an 08 Civic" → 2008 Honda Civic, "my F-150" → Ford F-150, "chevy
//! silverado", "vw jetta"), and odometer readings ("about 85k miles", "85,000 miles").

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::Vehicle;
use crate::normalize::{Kind, Normalized, number_words, tens_word, unit_word};

/// Canonical make and the ways callers say it.
const MAKES: &[(&str, &[&str])] = &[
    ("Acura", &["acura"]),
    ("Alfa Romeo", &["alfa", "alfaromeo"]),
    ("Audi", &["audi"]),
    ("BMW", &["bmw", "beemer", "bimmer", "beamer"]),
    ("Buick", &["buick"]),
    ("Cadillac", &["cadillac", "caddy", "caddie"]),
    ("Chevrolet", &["chevrolet", "chevy", "chev", "chevie"]),
    ("Chrysler", &["chrysler"]),
    ("Dodge", &["dodge"]),
    ("Fiat", &["fiat"]),
    ("Ford", &["ford"]),
    ("Genesis", &["genesis"]),
    ("GMC", &["gmc"]),
    ("Honda", &["honda"]),
    ("Hummer", &["hummer"]),
    ("Hyundai", &["hyundai", "hyundia", "hundai"]),
    ("Infiniti", &["infiniti", "infinity"]),
    ("Isuzu", &["isuzu"]),
    ("Jaguar", &["jaguar", "jag"]),
    ("Jeep", &["jeep"]),
    ("Kia", &["kia"]),
    ("Land Rover", &["landrover"]),
    ("Lexus", &["lexus"]),
    ("Lincoln", &["lincoln"]),
    ("Maserati", &["maserati"]),
    ("Mazda", &["mazda"]),
    (
        "Mercedes-Benz",
        &["mercedes", "mercedesbenz", "benz", "merc"],
    ),
    ("Mercury", &["mercury"]),
    ("Mini", &["mini"]),
    ("Mitsubishi", &["mitsubishi"]),
    ("Nissan", &["nissan"]),
    ("Oldsmobile", &["oldsmobile", "olds"]),
    ("Polestar", &["polestar"]),
    ("Pontiac", &["pontiac"]),
    ("Porsche", &["porsche"]),
    ("Ram", &["ram"]),
    ("Rivian", &["rivian"]),
    ("Saab", &["saab"]),
    ("Saturn", &["saturn"]),
    ("Scion", &["scion"]),
    ("Subaru", &["subaru", "subie", "subi"]),
    ("Suzuki", &["suzuki"]),
    ("Tesla", &["tesla"]),
    ("Toyota", &["toyota", "yota"]),
    ("Volkswagen", &["volkswagen", "vw", "volkswagon", "veedub"]),
    ("Volvo", &["volvo"]),
];

/// (make, canonical model, keys callers say: lowercase letters and digits, spaces removed).
const MODELS: &[(&str, &str, &[&str])] = &[
    ("Honda", "Civic", &["civic"]),
    ("Honda", "Accord", &["accord"]),
    ("Honda", "CR-V", &["crv"]),
    ("Honda", "HR-V", &["hrv"]),
    ("Honda", "Pilot", &["pilot"]),
    ("Honda", "Odyssey", &["odyssey", "odessey"]),
    ("Honda", "Fit", &["fit"]),
    ("Honda", "Ridgeline", &["ridgeline"]),
    ("Honda", "Element", &["element"]),
    ("Honda", "Insight", &["insight"]),
    ("Toyota", "Camry", &["camry", "camery"]),
    ("Toyota", "Corolla", &["corolla"]),
    ("Toyota", "RAV4", &["rav4", "ravfour"]),
    ("Toyota", "Tacoma", &["tacoma", "taco"]),
    ("Toyota", "Tundra", &["tundra"]),
    ("Toyota", "Highlander", &["highlander"]),
    ("Toyota", "4Runner", &["4runner", "fourrunner"]),
    ("Toyota", "Prius", &["prius"]),
    ("Toyota", "Sienna", &["sienna"]),
    ("Toyota", "Sequoia", &["sequoia"]),
    ("Toyota", "Avalon", &["avalon"]),
    ("Toyota", "Yaris", &["yaris"]),
    ("Toyota", "Venza", &["venza"]),
    ("Toyota", "Land Cruiser", &["landcruiser"]),
    ("Ford", "F-150", &["f150", "fonefifty", "f150s"]),
    ("Ford", "F-250", &["f250", "ftwofifty"]),
    ("Ford", "F-350", &["f350", "fthreefifty"]),
    ("Ford", "Ranger", &["ranger"]),
    ("Ford", "Explorer", &["explorer"]),
    ("Ford", "Escape", &["escape"]),
    ("Ford", "Expedition", &["expedition"]),
    ("Ford", "Edge", &["edge"]),
    ("Ford", "Fusion", &["fusion"]),
    ("Ford", "Focus", &["focus"]),
    ("Ford", "Mustang", &["mustang", "stang"]),
    ("Ford", "Bronco", &["bronco"]),
    ("Ford", "Taurus", &["taurus"]),
    ("Ford", "Transit", &["transit"]),
    ("Ford", "Maverick", &["maverick"]),
    ("Ford", "Fiesta", &["fiesta"]),
    ("Ford", "Crown Victoria", &["crownvictoria", "crownvic"]),
    ("Chevrolet", "Silverado", &["silverado"]),
    ("Chevrolet", "Malibu", &["malibu"]),
    ("Chevrolet", "Equinox", &["equinox"]),
    ("Chevrolet", "Tahoe", &["tahoe"]),
    ("Chevrolet", "Suburban", &["suburban", "burb"]),
    ("Chevrolet", "Traverse", &["traverse"]),
    ("Chevrolet", "Impala", &["impala"]),
    ("Chevrolet", "Cruze", &["cruze"]),
    ("Chevrolet", "Colorado", &["colorado"]),
    ("Chevrolet", "Camaro", &["camaro"]),
    ("Chevrolet", "Corvette", &["corvette", "vette"]),
    ("Chevrolet", "Blazer", &["blazer"]),
    ("Chevrolet", "Trailblazer", &["trailblazer"]),
    ("Chevrolet", "Trax", &["trax"]),
    ("Chevrolet", "Spark", &["spark"]),
    ("Chevrolet", "Sonic", &["sonic"]),
    ("Chevrolet", "Express", &["express"]),
    ("Chevrolet", "Avalanche", &["avalanche"]),
    ("Chevrolet", "Volt", &["volt"]),
    ("Chevrolet", "Bolt", &["bolt"]),
    ("GMC", "Sierra", &["sierra"]),
    ("GMC", "Yukon", &["yukon"]),
    ("GMC", "Acadia", &["acadia"]),
    ("GMC", "Terrain", &["terrain"]),
    ("GMC", "Canyon", &["canyon"]),
    ("GMC", "Savana", &["savana"]),
    ("Ram", "1500", &["ram1500"]),
    ("Ram", "2500", &["ram2500"]),
    ("Ram", "3500", &["ram3500"]),
    ("Ram", "ProMaster", &["promaster"]),
    ("Dodge", "Charger", &["charger"]),
    ("Dodge", "Challenger", &["challenger"]),
    ("Dodge", "Durango", &["durango"]),
    ("Dodge", "Grand Caravan", &["grandcaravan", "caravan"]),
    ("Dodge", "Journey", &["journey"]),
    ("Dodge", "Dart", &["dart"]),
    ("Dodge", "Neon", &["neon"]),
    ("Dodge", "Dakota", &["dakota"]),
    ("Jeep", "Wrangler", &["wrangler"]),
    ("Jeep", "Grand Cherokee", &["grandcherokee"]),
    ("Jeep", "Cherokee", &["cherokee"]),
    ("Jeep", "Compass", &["compass"]),
    ("Jeep", "Renegade", &["renegade"]),
    ("Jeep", "Liberty", &["liberty"]),
    ("Jeep", "Gladiator", &["gladiator"]),
    ("Jeep", "Patriot", &["patriot"]),
    ("Nissan", "Altima", &["altima"]),
    ("Nissan", "Sentra", &["sentra"]),
    ("Nissan", "Rogue", &["rogue"]),
    ("Nissan", "Maxima", &["maxima"]),
    ("Nissan", "Pathfinder", &["pathfinder"]),
    ("Nissan", "Frontier", &["frontier"]),
    ("Nissan", "Titan", &["titan"]),
    ("Nissan", "Murano", &["murano"]),
    ("Nissan", "Versa", &["versa"]),
    ("Nissan", "Leaf", &["leaf"]),
    ("Nissan", "Armada", &["armada"]),
    ("Nissan", "Kicks", &["kicks"]),
    ("Nissan", "Xterra", &["xterra"]),
    ("Hyundai", "Elantra", &["elantra"]),
    ("Hyundai", "Sonata", &["sonata"]),
    ("Hyundai", "Tucson", &["tucson"]),
    ("Hyundai", "Santa Fe", &["santafe"]),
    ("Hyundai", "Kona", &["kona"]),
    ("Hyundai", "Palisade", &["palisade"]),
    ("Hyundai", "Accent", &["accent"]),
    ("Kia", "Optima", &["optima"]),
    ("Kia", "Sorento", &["sorento"]),
    ("Kia", "Sportage", &["sportage"]),
    ("Kia", "Soul", &["soul"]),
    ("Kia", "Forte", &["forte"]),
    ("Kia", "Telluride", &["telluride"]),
    ("Kia", "Sedona", &["sedona"]),
    ("Kia", "K5", &["k5"]),
    ("Subaru", "Outback", &["outback"]),
    ("Subaru", "Forester", &["forester"]),
    ("Subaru", "Impreza", &["impreza"]),
    ("Subaru", "Legacy", &["legacy"]),
    ("Subaru", "Crosstrek", &["crosstrek"]),
    ("Subaru", "Ascent", &["ascent"]),
    ("Subaru", "WRX", &["wrx"]),
    ("Mazda", "Mazda3", &["mazda3"]),
    ("Mazda", "Mazda6", &["mazda6"]),
    ("Mazda", "CX-5", &["cx5"]),
    ("Mazda", "CX-9", &["cx9"]),
    ("Mazda", "CX-30", &["cx30"]),
    ("Mazda", "MX-5 Miata", &["miata", "mx5"]),
    ("Volkswagen", "Jetta", &["jetta"]),
    ("Volkswagen", "Passat", &["passat"]),
    ("Volkswagen", "Golf", &["golf"]),
    ("Volkswagen", "GTI", &["gti"]),
    ("Volkswagen", "Tiguan", &["tiguan"]),
    ("Volkswagen", "Atlas", &["atlas"]),
    ("Volkswagen", "Beetle", &["beetle"]),
    (
        "BMW",
        "3 Series",
        &["3series", "threeseries", "328i", "330i", "335i"],
    ),
    (
        "BMW",
        "5 Series",
        &["5series", "fiveseries", "528i", "530i", "535i"],
    ),
    ("BMW", "X3", &["x3"]),
    ("BMW", "X5", &["x5"]),
    ("Mercedes-Benz", "C-Class", &["cclass", "c300"]),
    ("Mercedes-Benz", "E-Class", &["eclass", "e350"]),
    ("Mercedes-Benz", "Sprinter", &["sprinter"]),
    ("Audi", "A4", &["a4"]),
    ("Audi", "A6", &["a6"]),
    ("Audi", "Q5", &["q5"]),
    ("Audi", "Q7", &["q7"]),
    ("Lexus", "RX", &["rx", "rx350"]),
    ("Lexus", "ES", &["es350"]),
    ("Acura", "MDX", &["mdx"]),
    ("Acura", "RDX", &["rdx"]),
    ("Acura", "TLX", &["tlx"]),
    ("Acura", "TL", &["tl"]),
    ("Tesla", "Model 3", &["model3"]),
    ("Tesla", "Model S", &["models"]),
    ("Tesla", "Model X", &["modelx"]),
    ("Tesla", "Model Y", &["modely"]),
    ("Cadillac", "Escalade", &["escalade"]),
    ("Buick", "Enclave", &["enclave"]),
    ("Buick", "LaCrosse", &["lacrosse"]),
    ("Lincoln", "Navigator", &["navigator"]),
    ("Chrysler", "Pacifica", &["pacifica"]),
    (
        "Chrysler",
        "Town & Country",
        &["townandcountry", "towncountry"],
    ),
    ("Chrysler", "300", &["chrysler300"]),
    ("Mitsubishi", "Outlander", &["outlander"]),
    ("Mitsubishi", "Lancer", &["lancer"]),
    ("Volvo", "XC90", &["xc90"]),
    ("Volvo", "XC60", &["xc60"]),
    ("Mini", "Cooper", &["cooper"]),
    ("Pontiac", "Grand Prix", &["grandprix"]),
    ("Pontiac", "Vibe", &["vibe"]),
    ("Mercury", "Grand Marquis", &["grandmarquis"]),
    ("Land Rover", "Range Rover", &["rangerover"]),
    ("Porsche", "Cayenne", &["cayenne"]),
];

/// Model keys that are also everyday words: they count only next to a make or a year.
const AMBIGUOUS_MODELS: &[&str] = &[
    "fit",
    "pilot",
    "element",
    "insight",
    "edge",
    "focus",
    "escape",
    "express",
    "spark",
    "sonic",
    "volt",
    "bolt",
    "journey",
    "dart",
    "liberty",
    "compass",
    "patriot",
    "rogue",
    "leaf",
    "kicks",
    "soul",
    "accent",
    "legacy",
    "ascent",
    "golf",
    "atlas",
    "taco",
    "burb",
    "transit",
    "fusion",
    "ranger",
    "titan",
    "terrain",
    "canyon",
    "acadia",
    "models",
    "cooper",
    "vibe",
    "stang",
    "neon",
    "frontier",
    "fiesta",
    "explorer",
    "traverse",
    "sierra",
    "es350",
    "rx",
    "tl",
    "colorado",
    "dakota",
    "sedona",
    "tucson",
    "outback",
    "forte",
    "caravan",
    "charger",
    "challenger",
    "bronco",
    "maverick",
    "avalanche",
    "blazer",
    "express",
    "legacy",
];

struct Tables {
    makes: HashMap<&'static str, &'static str>,
    models: HashMap<&'static str, (&'static str, &'static str)>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut makes = HashMap::new();
        for (canon, keys) in MAKES {
            for k in *keys {
                makes.insert(*k, *canon);
            }
        }
        let mut models = HashMap::new();
        for (make, model, keys) in MODELS {
            for k in *keys {
                models.insert(*k, (*make, *model));
            }
        }
        Tables { makes, models }
    })
}

/// The canonical make for a folded (lowercase alphanumeric) make or nickname.
pub fn canonical_make(key: &str) -> Option<&'static str> {
    let t = tables();
    if let Some(m) = t.makes.get(key) {
        return Some(m);
    }
    MAKES
        .iter()
        .find(|(canon, _)| fold(canon) == key)
        .map(|(c, _)| *c)
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Word and number tokens (punctuation dropped) with their token index.
fn content(n: &Normalized) -> Vec<(&str, usize)> {
    n.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != Kind::Punct || t.text == "'")
        .filter(|(_, t)| t.kind != Kind::Punct)
        .map(|(i, t)| (t.text.as_str(), i))
        .collect()
}

/// A model year at content index k: "2008", "08" (after "an"/"my"/"'"), "'08".
fn year_at(n: &Normalized, words: &[(&str, usize)], k: usize) -> Option<i32> {
    let (w, ti) = *words.get(k)?;
    let t = n.tok(ti)?;
    if t.kind != Kind::Num {
        return None;
    }
    let v = t.num?;
    match t.text.len() {
        4 if (1950..=2035).contains(&v) => Some(v as i32),
        2 => {
            let prev = if ti > 0 { n.text_at(ti - 1) } else { "" };
            let ok = matches!(
                prev,
                "'" | "an" | "a" | "my" | "our" | "the" | "her" | "his" | "," | ""
            ) || k == 0;
            if !ok || w.len() != 2 {
                return None;
            }
            Some(if v <= 35 {
                2000 + v as i32
            } else {
                1900 + v as i32
            })
        }
        _ => None,
    }
}

/// A model year said in words just before content index `k`: "twenty fifteen", "two thousand
/// eight", "oh nine", "ninety nine", "nineteen ninety nine".
fn spoken_year(words: &[(&str, usize)], k: usize) -> Option<i32> {
    let w = |j: usize| words.get(j).map(|x| x.0).unwrap_or("");
    let unit = |x: &str| unit_word(x).filter(|v| *v >= 1);
    let two_digit = |a: usize| -> Option<(u32, usize)> {
        // value of one or two number words ending just before k, and where it starts
        if let Some(t) = tens_word(w(a)).filter(|_| a + 1 == k) {
            return Some((t, a));
        }
        if a + 2 == k
            && let (Some(t), Some(u)) = (tens_word(w(a)), unit(w(a + 1)))
            && u < 10
        {
            return Some((t + u, a));
        }
        if a + 1 == k
            && let Some(u) = unit(w(a))
            && (10..=19).contains(&u)
        {
            return Some((u, a));
        }
        None
    };
    // "oh nine"
    if k >= 2
        && matches!(w(k - 2), "oh" | "o" | "zero")
        && let Some(u) = unit(w(k - 1)).filter(|u| *u < 10)
    {
        return Some(2000 + u as i32);
    }
    // "two thousand (and) eight"
    for back in 1..=3 {
        if k < back + 2 {
            continue;
        }
        let s = k - back;
        let t = if w(s - 1) == "and" { s - 1 } else { s };
        if t >= 2 && w(t - 1) == "thousand" && w(t - 2) == "two" {
            let tail: Vec<&str> = (s..k).map(w).collect();
            let v = match tail.as_slice() {
                [a] => unit(a).or_else(|| tens_word(a)),
                [a, b] => tens_word(a).zip(unit(b)).map(|(x, y)| x + y),
                _ => None,
            };
            if let Some(v) = v.filter(|v| *v < 40) {
                return Some(2000 + v as i32);
            }
        }
    }
    // "twenty fifteen", "nineteen ninety nine", "ninety nine"
    for start in k.saturating_sub(2)..k {
        if let Some((low, at)) = two_digit(start) {
            let century = if at >= 1 { w(at - 1) } else { "" };
            return match century {
                "twenty" if (10..40).contains(&low) => Some(2000 + low as i32),
                "nineteen" if low >= 50 => Some(1900 + low as i32),
                _ if (60..=99).contains(&low) && at + 2 == k => Some(1900 + low as i32),
                _ => None,
            };
        }
    }
    None
}

/// A four-digit model year elsewhere in the utterance ("Toyota Corolla, I think it's a 2011").
fn loose_year(n: &Normalized) -> Option<i32> {
    let toks = &n.tokens;
    toks.iter().enumerate().find_map(|(i, t)| {
        let v = t.num?;
        let next = n.text_at(i + 1);
        let prev = if i > 0 { n.text_at(i - 1) } else { "" };
        (t.kind == Kind::Num
            && t.text.len() == 4
            && (1980..=2035).contains(&v)
            && !matches!(next, "/" | "-" | ":" | "miles" | "k" | "mi")
            && !matches!(prev, "/" | "-" | ":" | "$" | "in"))
        .then_some(v as i32)
    })
}

pub fn find(n: &Normalized) -> Option<Vehicle> {
    let t = tables();
    let words = content(n);
    let mut best: Option<(Vehicle, usize)> = None;
    let mut k = 0;
    while k < words.len() {
        // longest n-gram first, up to 3 words
        let mut matched = false;
        for len in (1..=3).rev() {
            if k + len > words.len() {
                continue;
            }
            let key: String = words[k..k + len].iter().map(|(w, _)| *w).collect();
            if key.len() > 20 {
                continue;
            }
            let mut v = Vehicle::default();
            let mut used = 0;
            if let Some(make) = t.makes.get(key.as_str()) {
                v.make = Some(make.to_string());
                used = len;
                // a model right after the make
                for mlen in (1..=3).rev() {
                    if k + len + mlen > words.len() {
                        continue;
                    }
                    let mkey: String = words[k + len..k + len + mlen]
                        .iter()
                        .map(|(w, _)| *w)
                        .collect();
                    let with_make = format!("{key}{mkey}");
                    if let Some((mk, model)) = t
                        .models
                        .get(with_make.as_str())
                        .or_else(|| t.models.get(mkey.as_str()))
                    {
                        v.make = Some(mk.to_string());
                        v.model = Some(model.to_string());
                        used = len + mlen;
                        break;
                    }
                    // "Ram 1500", "Mazda 3"
                    if mlen == 1 && words[k + len].0.chars().all(|c| c.is_ascii_digit()) {
                        let num = words[k + len].0;
                        if matches!(*make, "Ram") && matches!(num, "1500" | "2500" | "3500") {
                            v.model = Some(num.to_string());
                            used = len + 1;
                            break;
                        }
                    }
                }
            } else if let Some((mk, model)) = t.models.get(key.as_str()) {
                let ambiguous = AMBIGUOUS_MODELS.contains(&key.as_str());
                let year_before = k > 0 && year_at(n, &words, k - 1).is_some();
                if ambiguous && !year_before {
                    continue;
                }
                v.make = Some(mk.to_string());
                v.model = Some(model.to_string());
                used = len;
            }
            if used == 0 {
                continue;
            }
            // year before: "2008 Honda Civic", "an 08 Civic"
            if k > 0 {
                v.year = year_at(n, &words, k - 1);
            }
            if v.year.is_none() && k > 0 {
                v.year = spoken_year(&words, k);
            }
            if v.year.is_none() && k + used < words.len() {
                v.year = year_at(n, &words, k + used).filter(|y| *y >= 1980);
            }
            if v.year.is_none() {
                v.year = loose_year(n);
            }
            let score = used + usize::from(v.year.is_some()) + usize::from(v.model.is_some()) * 2;
            if best.as_ref().is_none_or(|(_, s)| score > *s) {
                best = Some((v, score));
            }
            k += used;
            matched = true;
            break;
        }
        if !matched {
            k += 1;
        }
    }
    best.map(|(v, _)| v)
}

/// Odometer reading: "85k miles", "85,000 miles", "about 120 thousand miles", "mileage is 85000".
pub fn mileage(n: &Normalized) -> Option<u32> {
    for (i, t) in n.tokens.iter().enumerate() {
        let (mut value, mut j): (u64, usize) = if t.kind == Kind::Num {
            let Some(v) = t.num else { continue };
            let mut v = v as u64;
            let mut j = i + 1;
            // 85,000 / 120,500
            while n.text_at(j) == ","
                && n.tok(j + 1)
                    .is_some_and(|x| x.kind == Kind::Num && x.text.len() == 3)
            {
                v = v
                    .saturating_mul(1000)
                    .saturating_add(n.tok(j + 1).and_then(|x| x.num).unwrap_or(0) as u64);
                j += 2;
            }
            // 85.5k
            if n.text_at(j) == "."
                && n.tok(j + 1).is_some_and(|x| x.kind == Kind::Num)
                && n.text_at(j + 2) == "k"
            {
                let frac = n.text_at(j + 1);
                let f: f64 = format!("0.{frac}").parse().unwrap_or(0.0);
                v = ((v as f64 + f) * 1000.0) as u64;
                j += 3;
                (v, j)
            } else {
                (v, j)
            }
        } else if let Some((v, used)) = number_words(n, i) {
            (v as u64, i + used)
        } else {
            continue;
        };
        let mut thousand = false;
        if matches!(n.text_at(j), "k" | "thousand" | "grand") {
            value = value.saturating_mul(1000);
            j += 1;
            thousand = true;
        }
        let miles = matches!(n.text_at(j), "miles" | "mi" | "mile" | "km" | "kms")
            || (thousand && n.text_at(j) == "on" && n.text_at(j + 1) == "it");
        let context = n.has_any(&["mileage", "odometer", "miles on it", "on the clock"]);
        if (miles || (context && value >= 1000)) && (100..=2_000_000).contains(&value) {
            return u32::try_from(value).ok();
        }
    }
    None
}

/// A model year said alone ("it's a 2015", "an '09"), read only when the car was asked for:
/// four digits from 1950 to next year.
pub(crate) fn year_alone(n: &Normalized, this_year: i16) -> Option<Vehicle> {
    let max = i32::from(this_year) + 1;
    n.tokens.iter().find_map(|t| {
        let y = i32::try_from(t.num?).ok()?;
        (t.text.len() == 4 && (1950..=max).contains(&y)).then_some(Vehicle {
            year: Some(y),
            make: None,
            model: None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Option<Vehicle> {
        find(&Normalized::new(text))
    }

    #[test]
    fn an_08_civic_is_a_2008_honda_civic() {
        let got = v("it's an 08 Civic").expect("a vehicle");
        assert_eq!(got.year, Some(2008));
        assert_eq!(got.make.as_deref(), Some("Honda"));
        assert_eq!(got.model.as_deref(), Some("Civic"));
    }

    #[test]
    fn my_f_150_is_a_ford_f_150() {
        let got = v("my F-150 is making noise").expect("a vehicle");
        assert_eq!(got.make.as_deref(), Some("Ford"));
        assert_eq!(got.model.as_deref(), Some("F-150"));
    }

    #[test]
    fn make_nicknames_resolve() {
        assert_eq!(
            v("chevy silverado").and_then(|x| x.make).as_deref(),
            Some("Chevrolet")
        );
        assert_eq!(
            v("a vw jetta").and_then(|x| x.model).as_deref(),
            Some("Jetta")
        );
    }

    #[test]
    fn spoken_model_years_are_read() {
        assert_eq!(
            v("a twenty fifteen Honda Civic").and_then(|x| x.year),
            Some(2015)
        );
        assert_eq!(v("an oh nine Silverado").and_then(|x| x.year), Some(2009));
        assert_eq!(
            v("Toyota Corolla, I think it's a 2011").and_then(|x| x.year),
            Some(2011)
        );
    }

    #[test]
    fn everyday_words_are_no_models() {
        assert_eq!(v("can you fit me in on the edge of the day"), None);
    }

    #[test]
    fn mileage_reads_k_and_commas() {
        assert_eq!(mileage(&Normalized::new("about 85k miles")), Some(85_000));
        assert_eq!(
            mileage(&Normalized::new("it has 85,000 miles")),
            Some(85_000)
        );
        assert_eq!(mileage(&Normalized::new("at 3 tomorrow")), None);
        assert_eq!(
            mileage(&Normalized::new("it's got 180k on it")),
            Some(180_000)
        );
    }
}
