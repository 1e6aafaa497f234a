//! Model years: "2008", "an 08", "'08", said in words ("twenty fifteen", "oh nine"), loose
//! elsewhere in the utterance, or alone after the car question.

use super::*;

/// A model year at content index k: "2008", "08" (after "an"/"my"/"'"), "'08".
pub(super) fn year_at(n: &Normalized, words: &[(&str, usize)], k: usize) -> Option<i32> {
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
pub(super) fn spoken_year(words: &[(&str, usize)], k: usize) -> Option<i32> {
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
pub(super) fn loose_year(n: &Normalized) -> Option<i32> {
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
