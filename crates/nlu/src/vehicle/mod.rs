//! Vehicles and mileage: year, make and model from a table of makes and common US models with
//! their nicknames ("an 08 Civic" → 2008 Honda Civic, "my F-150" → Ford F-150, "chevy
//! silverado", "vw jetta"), and odometer readings ("about 85k miles", "85,000 miles").

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::Vehicle;
use crate::normalize::{Kind, Normalized, number_words, tens_word, unit_word};

mod tables;
mod years;

pub use tables::canonical_make;
use tables::*;
pub(crate) use years::year_alone;
use years::*;

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

#[cfg(test)]
mod tests;
