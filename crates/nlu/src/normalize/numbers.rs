//! Numbers said as words: "seven", "twenty five", "a hundred and twenty", ordinals ("third",
//! "twenty-first"), read from the normalized tokens.

use super::{Kind, Normalized};

/// Value of a single number word ("seven" → 7, "twenty" → 20, "a dozen" not included).
pub fn unit_word(w: &str) -> Option<u32> {
    Some(match w {
        "zero" | "oh" | "o" | "ou" | "nil" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

pub fn tens_word(w: &str) -> Option<u32> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Ordinal word or suffixed number value: "third" → 3, "twenty-first" handled by the caller.
pub fn ordinal_word(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

/// Reads a small cardinal number written in words at token `i` ("twenty three", "twenty-three",
/// "one hundred", "a couple"): returns the value and the tokens used. Only words; digits are
/// read by the callers. Values stay below one million.
pub fn number_words(n: &Normalized, i: usize) -> Option<(u32, usize)> {
    let t = n.tok(i)?;
    if t.kind != Kind::Word {
        return None;
    }
    let w = t.text.as_str();
    if let Some(tens) = tens_word(w) {
        // "twenty three" / "twenty-three"
        let mut j = i + 1;
        if n.text_at(j) == "-" {
            j += 1;
        }
        if let Some(u) = n.tok(j).and_then(|t| unit_word(&t.text))
            && (1..=9).contains(&u)
            && n.text_at(j) != "oh"
            && n.text_at(j) != "o"
        {
            return Some((tens + u, j + 1 - i));
        }
        return Some((tens, 1));
    }
    if w == "oh" || w == "o" || w == "ou" || w == "nil" {
        return None;
    }
    if let Some(u) = unit_word(w) {
        if n.text_at(i + 1) == "hundred" {
            let mut v = u * 100;
            let mut used = 2;
            let mut j = i + 2;
            if n.text_at(j) == "and" {
                j += 1;
            }
            if let Some((rest, k)) = number_words(n, j).filter(|(r, _)| *r < 100) {
                v += rest;
                used = j + k - i;
            }
            return Some((v, used));
        }
        return Some((u, 1));
    }
    None
}

/// An ordinal at token `i`: "3rd", "3 rd", "third", "twenty first", "twenty-third". Returns the
/// value and tokens used.
pub fn ordinal(n: &Normalized, i: usize) -> Option<(u32, usize)> {
    let t = n.tok(i)?;
    if let Some(v) = t.num {
        let suf = n.tok(i + 1)?;
        if !suf.spaced && suf.is_any(&["st", "nd", "rd", "th"]) {
            return Some((v, 2));
        }
        return None;
    }
    if let Some(v) = ordinal_word(&t.text) {
        return Some((v, 1));
    }
    if let Some(tens) = tens_word(&t.text) {
        let mut j = i + 1;
        if n.text_at(j) == "-" {
            j += 1;
        }
        if let Some(u) = n.tok(j).and_then(|t| ordinal_word(&t.text))
            && u < 10
        {
            return Some((tens + u, j + 1 - i));
        }
    }
    None
}
