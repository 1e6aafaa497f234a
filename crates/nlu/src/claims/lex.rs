//! The claim reader's lexer and word lists: words, numbers and `$` with their byte spans and
//! whether a clause ends after them (what redaction and the reader need, and what nlu's
//! normalising tokenizer does not keep). Number words are nlu's own.

use jiff::civil::Weekday;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Num,
    Word,
    Dollar,
}

#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    /// Lowercase text ("forty", "2:30", "o'clock").
    pub(super) s: String,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Punctuation or the end of the text follows.
    pub(super) clause_end: bool,
}

pub(super) fn lex(text: &str) -> Vec<Tok> {
    let lower = text.to_ascii_lowercase();
    let chars: Vec<(usize, char)> = lower.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|(_, c)| *c);
    let pos = |k: usize| chars.get(k).map(|(p, _)| *p).unwrap_or(lower.len());
    let mut toks: Vec<Tok> = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        let start = k;
        let kind = if c.is_ascii_digit() {
            while let Some(c) = at(k) {
                let inner = matches!(c, '.' | ',' | ':' | '/')
                    && at(k + 1).is_some_and(|d| d.is_ascii_digit());
                if c.is_ascii_digit() || inner {
                    k += 1;
                } else {
                    break;
                }
            }
            Kind::Num
        } else if c == '$' {
            k += 1;
            Kind::Dollar
        } else if c.is_alphabetic() {
            // "a.m." / "p.m." read as one word.
            if matches!(c, 'a' | 'p') && at(k + 1) == Some('.') && at(k + 2) == Some('m') {
                k += if at(k + 3) == Some('.') { 4 } else { 3 };
                toks.push(Tok {
                    kind: Kind::Word,
                    s: if c == 'a' { "am" } else { "pm" }.into(),
                    start: pos(start),
                    end: pos(k),
                    clause_end: false,
                });
                continue;
            }
            while let Some(c) = at(k) {
                let apostrophe =
                    matches!(c, '\'' | '’') && at(k + 1).is_some_and(char::is_alphabetic);
                if c.is_alphabetic() || apostrophe {
                    k += 1;
                } else {
                    break;
                }
            }
            Kind::Word
        } else {
            if matches!(c, '.' | ',' | '?' | '!' | ';' | ':' | ')' | '(')
                && let Some(last) = toks.last_mut()
            {
                last.clause_end = true;
            }
            k += 1;
            continue;
        };
        toks.push(Tok {
            kind,
            s: lower[pos(start)..pos(k)].replace('’', "'"),
            start: pos(start),
            end: pos(k),
            clause_end: false,
        });
    }
    if let Some(last) = toks.last_mut() {
        last.clause_end = true;
    }
    toks
}

const MONTHS: [(&str, i8); 23] = [
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
];
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// A number word as the claim reader takes it: nlu's own words, less the ones that are also
/// plain speech in a reply ("oh", "o", "nil").
pub(super) fn unit(w: &str) -> Option<i64> {
    if matches!(w, "oh" | "o" | "ou" | "nil") {
        return None;
    }
    crate::normalize::unit_word(w).map(i64::from)
}

pub(super) fn tens(w: &str) -> Option<i64> {
    if w == "fourty" {
        return None;
    }
    crate::normalize::tens_word(w).map(i64::from)
}

/// "first" … "nineteenth" (nlu's ordinal words below twenty).
pub(super) fn ordinal(w: &str) -> Option<i8> {
    crate::normalize::ordinal_word(w)
        .filter(|d| *d < 20)
        .map(|d| d as i8)
}

pub(super) fn month(w: &str) -> Option<i8> {
    if w == "dec" {
        return Some(12);
    }
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

pub(super) fn weekday(w: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

pub(super) fn is_money_word(w: &str) -> bool {
    matches!(w, "dollar" | "dollars" | "buck" | "bucks" | "usd")
}

pub(super) fn is_meridiem(w: &str) -> Option<bool> {
    match w {
        "am" => Some(false),
        "pm" => Some(true),
        _ => None,
    }
}

/// A plain or decimal number, with thousands commas ("1,200.50").
pub(super) fn decimal_cents(s: &str) -> Option<i64> {
    if s.contains(':') || s.contains('/') {
        return None;
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let whole: i64 = whole.replace(',', "").parse().ok()?;
    let cents = match frac {
        None => 0,
        Some(f) if f.len() == 2 => f.parse::<i64>().ok()?,
        Some(f) if f.len() == 1 => f.parse::<i64>().ok()? * 10,
        Some(_) => return None,
    };
    whole.checked_mul(100)?.checked_add(cents)
}

pub(super) fn int(s: &str) -> Option<i64> {
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 9 {
        s.parse().ok()
    } else {
        None
    }
}
