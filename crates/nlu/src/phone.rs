//! Phone numbers said or typed, in digits or words ("555-867-5309", "(512) 555 0199", "five one
//! two, five five five, oh one nine nine"), returned as E.164. Ten digits are read as a US or
//! Canadian number; eleven starting with 1 likewise; a leading "+" keeps its country code.

use crate::normalize::{Kind, Normalized, unit_word};

/// Digits a token stands for: "555" → "555", "five" → "5", "oh" → "0", "double" is handled
/// by the caller.
fn digits_of(text: &str, kind: Kind) -> Option<String> {
    match kind {
        Kind::Num => Some(text.to_string()),
        Kind::Word => match text {
            "oh" | "o" | "zero" => Some("0".into()),
            w => unit_word(w).filter(|v| *v <= 9).map(|v| v.to_string()),
        },
        Kind::Punct => None,
    }
}

pub fn find(n: &Normalized) -> Option<String> {
    let toks = &n.tokens;
    let mut i = 0;
    while i < toks.len() {
        let plus = toks[i].text == "+";
        let mut j = if plus { i + 1 } else { i };
        let mut digits = String::new();
        let mut repeat = 1;
        while j < toks.len() && digits.len() <= 15 {
            let t = &toks[j];
            if t.kind == Kind::Word && matches!(t.text.as_str(), "double" | "triple") {
                repeat = if t.text == "double" { 2 } else { 3 };
                j += 1;
                continue;
            }
            if let Some(d) = digits_of(&t.text, t.kind) {
                for _ in 0..repeat {
                    digits.push_str(&d);
                }
                repeat = 1;
                j += 1;
            } else if t.kind == Kind::Punct
                && (matches!(t.text.as_str(), "-" | ")" | "." | "," | "/") && !digits.is_empty()
                    || t.text == "(")
            {
                j += 1;
            } else {
                break;
            }
        }
        let valid = |d: &str| {
            d.as_bytes()
                .first()
                .is_some_and(|b| (b'2'..=b'9').contains(b))
        };
        let found = match digits.len() {
            10 if valid(&digits) => Some(format!("+1{digits}")),
            11 if digits.starts_with('1') && valid(&digits[1..]) => Some(format!("+{digits}")),
            12..=15 if plus => Some(format!("+{digits}")),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        i = if j > i { j } else { i + 1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(text: &str) -> Option<String> {
        find(&Normalized::new(text))
    }

    #[test]
    fn dashed_digits_become_e164() {
        assert_eq!(
            phone("call me at 512-555-0199").as_deref(),
            Some("+15125550199")
        );
        assert_eq!(phone("(512) 555 0199").as_deref(), Some("+15125550199"));
    }

    #[test]
    fn spoken_digits_become_e164() {
        assert_eq!(
            phone("five one two five five five oh one nine nine").as_deref(),
            Some("+15125550199")
        );
        assert_eq!(
            phone("512 double five 5 0199").as_deref(),
            Some("+15125550199")
        );
    }

    #[test]
    fn a_price_or_a_date_is_no_phone_number() {
        assert_eq!(phone("is it 49.99 for the oil change on 3/15"), None);
    }
}
