//! The claim reader behind the reply check (moved here from the model crate so the pure crates
//! can use it): finds every money amount ("$49", "49.99 dollars", "forty nine dollars"),
//! clock time ("2 PM", "14:00", "two thirty", "at 3") and date ("Nov 26", "the 26th", "11/26",
//! "Thursday the 26th", a bare "Thursday") in a sentence about to be said, and reports each one
//! that the code did not allow. A reply with any such claim is not said: the runtime falls back
//! to its template. The reader errs towards finding claims (a false alarm costs a templated
//! sentence; a miss could quote a price the shop never set). Number words are nlu's own
//! (`normalize::unit_word` and friends); the reader keeps its own small lexer because it needs
//! each token's byte span and where clauses end, which the normalising tokenizer does not keep.

use jiff::civil::{Date, Time, Weekday};

/// What a reply may state: the amounts, times and dates the code itself computed for this turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    pub amounts_cents: Vec<i64>,
    pub times: Vec<Time>,
    pub dates: Vec<Date>,
    /// Days that may be named on their own ("closed Sunday"), without a date.
    pub weekdays: Vec<Weekday>,
    /// Phone numbers that may be given (the shop's, the caller's own), in any format.
    pub phones: Vec<String>,
    /// What trusted text (the owner's FAQ answers, templates and policies) states: a claim
    /// that one of these supports is allowed.
    pub trusted: Vec<Claim>,
}

impl Allowed {
    /// Allows whatever `text` itself states: text the owner wrote may be repeated word for word.
    pub fn trust(&mut self, text: &str) {
        self.trusted.extend(claims(text));
    }
}

/// The last ten digits of a number: "+1 (512) 555-0199" and "512-555-0199" are one number.
fn national(digits: &str) -> &str {
    let digits = digits.trim_start_matches('+');
    if digits.len() > 10 && digits.is_ascii() {
        &digits[digits.len() - 10..]
    } else {
        digits
    }
}

/// One amount, time or date stated in a reply, with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    Amount {
        text: String,
        cents: i64,
    },
    /// `hour` is 0..=23 when `exact` (am/pm said, a 24-hour clock, noon); otherwise 1..=12 and
    /// either half of the day matches.
    Time {
        text: String,
        hour: i8,
        minute: i8,
        exact: bool,
    },
    /// A percentage ("20% off", "ten percent"), in hundredths of a percent. No reply may
    /// state one: the menu has prices, not discounts.
    Percent {
        text: String,
        hundredths: i64,
    },
    /// A run of seven or more digits written as a phone number. No reply may state one: the
    /// templates give the shop's own number.
    Phone {
        text: String,
        digits: String,
    },
    /// Only the parts that were said are set.
    Date {
        text: String,
        year: Option<i16>,
        month: Option<i8>,
        day: Option<i8>,
        weekday: Option<Weekday>,
    },
}

impl Claim {
    pub fn text(&self) -> &str {
        match self {
            Claim::Amount { text, .. }
            | Claim::Time { text, .. }
            | Claim::Date { text, .. }
            | Claim::Percent { text, .. }
            | Claim::Phone { text, .. } => text,
        }
    }

    fn allowed_by(&self, allowed: &Allowed) -> bool {
        if allowed.trusted.iter().any(|k| self.supported_by(k)) {
            return true;
        }
        match self {
            Claim::Amount { cents, .. } => allowed.amounts_cents.contains(cents),
            Claim::Percent { .. } => false,
            Claim::Phone { digits, .. } => allowed.phones.iter().any(|p| {
                let p: String = p.chars().filter(char::is_ascii_digit).collect();
                !p.is_empty() && national(&p) == national(digits)
            }),
            Claim::Date {
                year: None,
                month: None,
                day: None,
                weekday: Some(w),
                ..
            } if allowed.weekdays.contains(w) => true,
            Claim::Time { .. } => allowed
                .times
                .iter()
                .any(|t| self.matches_time(t.hour(), t.minute())),
            Claim::Date { .. } => allowed
                .dates
                .iter()
                .any(|d| self.matches_date(d.year(), d.month(), d.day(), Some(d.weekday()))),
        }
    }

    fn matches_time(&self, h: i8, m: i8) -> bool {
        let Claim::Time {
            hour,
            minute,
            exact,
            ..
        } = self
        else {
            return false;
        };
        *minute == m
            && if *exact {
                *hour == h
            } else {
                hour % 12 == h % 12
            }
    }

    fn matches_date(&self, y: i16, mo: i8, d: i8, wd: Option<Weekday>) -> bool {
        let Claim::Date {
            year,
            month,
            day,
            weekday,
            ..
        } = self
        else {
            return false;
        };
        year.is_none_or(|v| v == y)
            && month.is_none_or(|v| v == mo)
            && day.is_none_or(|v| v == d)
            && weekday.is_none_or(|v| wd.is_none_or(|w| w == v))
    }

    /// Whether `other` (read from trusted text) states the same thing, for grounding a
    /// model's answer in an FAQ answer.
    pub fn supported_by(&self, other: &Claim) -> bool {
        match (self, other) {
            (Claim::Amount { cents: a, .. }, Claim::Amount { cents: b, .. }) => a == b,
            (Claim::Percent { hundredths: a, .. }, Claim::Percent { hundredths: b, .. }) => a == b,
            (Claim::Phone { digits: a, .. }, Claim::Phone { digits: b, .. }) => a == b,
            (
                Claim::Time { .. },
                Claim::Time {
                    hour,
                    minute,
                    exact,
                    ..
                },
            ) => {
                if *exact {
                    self.matches_time(*hour, *minute)
                } else {
                    self.matches_time(*hour, *minute) || self.matches_time(hour + 12, *minute)
                }
            }
            (
                Claim::Date { .. },
                Claim::Date {
                    year,
                    month,
                    day,
                    weekday,
                    ..
                },
            ) => {
                let Claim::Date {
                    year: y0,
                    month: m0,
                    day: d0,
                    weekday: w0,
                    ..
                } = self
                else {
                    return false;
                };
                // Every part said here must be said, and be the same, there.
                (y0.is_none() || y0 == year)
                    && (m0.is_none() || m0 == month)
                    && (d0.is_none() || d0 == day)
                    && (w0.is_none() || w0 == weekday)
            }
            _ => false,
        }
    }
}

/// The claims of a reply that were not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the reply states what was not allowed: {}", self.claims.iter().map(|c| format!("\"{}\"", c.text())).collect::<Vec<_>>().join(", "))]
pub struct Violation {
    pub claims: Vec<Claim>,
}

/// Checks a reply before it is said: every amount, clock time and date in it must be in
/// `allowed`; otherwise the violation lists each one that is not.
pub fn check_reply(reply: &str, allowed: &Allowed) -> Result<(), Violation> {
    let claims: Vec<Claim> = claims(reply)
        .into_iter()
        .filter(|c| !c.allowed_by(allowed))
        .collect();
    if claims.is_empty() {
        Ok(())
    } else {
        Err(Violation { claims })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Num,
    Word,
    Dollar,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    /// Lowercase text ("forty", "2:30", "o'clock").
    s: String,
    start: usize,
    end: usize,
    /// Punctuation or the end of the text follows.
    clause_end: bool,
}

fn lex(text: &str) -> Vec<Tok> {
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
fn unit(w: &str) -> Option<i64> {
    if matches!(w, "oh" | "o" | "ou" | "nil") {
        return None;
    }
    crate::normalize::unit_word(w).map(i64::from)
}

fn tens(w: &str) -> Option<i64> {
    if w == "fourty" {
        return None;
    }
    crate::normalize::tens_word(w).map(i64::from)
}

/// "first" … "nineteenth" (nlu's ordinal words below twenty).
fn ordinal(w: &str) -> Option<i8> {
    crate::normalize::ordinal_word(w)
        .filter(|d| *d < 20)
        .map(|d| d as i8)
}

fn month(w: &str) -> Option<i8> {
    if w == "dec" {
        return Some(12);
    }
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

fn weekday(w: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

fn is_money_word(w: &str) -> bool {
    matches!(w, "dollar" | "dollars" | "buck" | "bucks" | "usd")
}

fn is_meridiem(w: &str) -> Option<bool> {
    match w {
        "am" => Some(false),
        "pm" => Some(true),
        _ => None,
    }
}

/// A plain or decimal number, with thousands commas ("1,200.50").
fn decimal_cents(s: &str) -> Option<i64> {
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

fn int(s: &str) -> Option<i64> {
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 9 {
        s.parse().ok()
    } else {
        None
    }
}

struct Reader<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    used: Vec<bool>,
    claims: Vec<(usize, Claim)>,
}

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.toks
            .get(i)
            .filter(|t| t.kind == Kind::Word && !self.used[i])
            .map(|t| t.s.as_str())
    }

    fn num(&self, i: usize) -> Option<&str> {
        self.toks
            .get(i)
            .filter(|t| t.kind == Kind::Num && !self.used[i])
            .map(|t| t.s.as_str())
    }

    fn span(&self, from: usize, to: usize) -> String {
        self.text[self.toks[from].start..self.toks[to - 1].end].to_string()
    }

    fn take(&mut self, from: usize, to: usize, claim: Claim) {
        for u in &mut self.used[from..to] {
            *u = true;
        }
        self.claims.push((from, claim));
    }

    /// A number said in words from `i` ("forty nine", "one hundred and twenty", "a thousand"):
    /// its value and the index after it. A unit or teen may only be followed by "hundred" or
    /// "thousand", so "two thirty" reads as two, then thirty.
    fn number_words(&self, i: usize) -> Option<(i64, usize)> {
        let mut total = 0i64;
        let mut current = 0i64;
        let mut j = i;
        let mut any = false;
        // What may come next: 0 anything, 1 only a multiplier (after a unit), 2 a unit or a
        // multiplier (after tens), 3 a unit, tens or "and" (after a multiplier).
        let mut state = 0;
        while let Some(w) = self.word(j) {
            if w == "a" && !any && matches!(self.word(j + 1), Some("hundred" | "thousand")) {
                current = 1;
                state = 1;
            } else if let Some(v) = unit(w).filter(|_| matches!(state, 0 | 2 | 3)) {
                if state == 2 && v >= 10 {
                    break;
                }
                current += v;
                state = 1;
            } else if let Some(v) = tens(w).filter(|_| matches!(state, 0 | 3)) {
                current += v;
                state = 2;
            } else if w == "hundred" && any && current > 0 && current < 100 {
                current *= 100;
                state = 3;
            } else if w == "thousand" && any && (current > 0 || total == 0) {
                total += current.max(1) * 1000;
                current = 0;
                state = 3;
            } else if w == "and"
                && state == 3
                && self
                    .word(j + 1)
                    .is_some_and(|n| unit(n).is_some() || tens(n).is_some())
            {
                // "one hundred and twenty"
            } else {
                break;
            }
            any = true;
            j += 1;
        }
        any.then_some((total + current, j))
    }

    /// A number written or said at `i`, as cents if it were dollars.
    fn amount_at(&self, i: usize) -> Option<(i64, usize)> {
        if let Some(n) = self.num(i) {
            return decimal_cents(n).map(|c| (c, i + 1));
        }
        self.number_words(i).map(|(v, j)| (v * 100, j))
    }

    fn money(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            if self.used[i] {
                i += 1;
                continue;
            }
            let t = &self.toks[i];
            // "$49.99", "$1,200"
            if t.kind == Kind::Dollar {
                if let Some(n) = self.num(i + 1)
                    && let Some(cents) = decimal_cents(n)
                {
                    let mut end = i + 2;
                    if matches!(self.word(end), Some("k")) {
                        end += 1;
                    }
                    let cents = if end == i + 3 { cents * 1000 } else { cents };
                    let text = self.span(i, end);
                    self.take(i, end, Claim::Amount { text, cents });
                    i = end;
                    continue;
                }
                i += 1;
                continue;
            }
            // "49.99 dollars", "forty nine bucks", "fifty dollars and ten cents", "99 cents"
            if let Some((cents, j)) = self.amount_at(i) {
                if self.word(j).is_some_and(is_money_word) {
                    let mut end = j + 1;
                    let mut total = cents;
                    if self.word(end) == Some("and")
                        && let Some((c, k)) = self.amount_at(end + 1)
                        && matches!(self.word(k), Some("cent" | "cents"))
                    {
                        total += c / 100;
                        end = k + 1;
                    }
                    let text = self.span(i, end);
                    self.take(i, end, Claim::Amount { text, cents: total });
                    i = end;
                    continue;
                }
                if matches!(self.word(j), Some("cent" | "cents")) && cents % 100 == 0 {
                    let text = self.span(i, j + 1);
                    self.take(
                        i,
                        j + 1,
                        Claim::Amount {
                            text,
                            cents: cents / 100,
                        },
                    );
                    i = j + 1;
                    continue;
                }
                // "20%", "ten percent"
                let sign = self.text[self.toks[j - 1].end..].starts_with('%');
                if sign || matches!(self.word(j), Some("percent")) {
                    let end = if sign { j } else { j + 1 };
                    let mut text = self.span(i, end);
                    if sign {
                        text.push('%');
                    }
                    self.take(
                        i,
                        end,
                        Claim::Percent {
                            text,
                            hundredths: cents,
                        },
                    );
                    i = end;
                    continue;
                }
                // "49.99" alone: two decimals are a price.
                if let Some(n) = self.num(i)
                    && n.split_once('.').is_some_and(|(_, f)| f.len() == 2)
                {
                    let text = self.span(i, i + 1);
                    self.take(i, i + 1, Claim::Amount { text, cents });
                    i += 1;
                    continue;
                }
                // "forty nine ninety nine": dollars then cents, when it cannot be a clock time.
                if self.num(i).is_none()
                    && let Some((b, k)) = self.number_words(j)
                    && (10..=99).contains(&b)
                    && (cents / 100 > 12 || b > 59)
                {
                    let end = if self.word(k).is_some_and(is_money_word) {
                        k + 1
                    } else {
                        k
                    };
                    let text = self.span(i, end);
                    self.take(
                        i,
                        end,
                        Claim::Amount {
                            text,
                            cents: cents + b,
                        },
                    );
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// "555-867-5309", "(555) 867 5309", "555.867.5309", "+1 555 867 5309".
    fn phones(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            let phone_part = |t: &Tok| {
                t.kind == Kind::Num
                    && !t.s.contains([',', ':', '/'])
                    && t.s.matches('.').count() != 1
            };
            if !phone_part(&self.toks[i]) || self.used[i] {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < self.toks.len()
                && phone_part(&self.toks[end])
                && self.text[self.toks[end - 1].end..self.toks[end].start]
                    .chars()
                    .all(|c| matches!(c, ' ' | '-' | '(' | ')' | '.' | '+'))
            {
                end += 1;
            }
            let digits: String = self.toks[i..end]
                .iter()
                .flat_map(|t| t.s.chars())
                .filter(char::is_ascii_digit)
                .collect();
            if (7..=15).contains(&digits.len()) {
                let mut text = self.span(i, end);
                if let Some(c) = self.text[..self.toks[i].start]
                    .chars()
                    .next_back()
                    .filter(|c| matches!(c, '(' | '+'))
                {
                    text.insert(0, c);
                }
                self.take(i, end, Claim::Phone { text, digits });
            }
            i = end;
        }
    }

    /// A day of the month at `i`: "26", "26th" (as "26" "th"), "twenty sixth", "first".
    fn day_at(&self, i: usize, need_ordinal: bool) -> Option<(i8, usize)> {
        if let Some(n) = self.num(i).and_then(int).filter(|d| (1..=31).contains(d)) {
            let suffix = matches!(self.word(i + 1), Some("st" | "nd" | "rd" | "th"));
            if suffix {
                return Some((n as i8, i + 2));
            }
            return (!need_ordinal).then_some((n as i8, i + 1));
        }
        let w = self.word(i)?;
        if let Some(d) = ordinal(w) {
            return Some((d, i + 1));
        }
        match w {
            "twentieth" => return Some((20, i + 1)),
            "thirtieth" => return Some((30, i + 1)),
            _ => {}
        }
        let base: i8 = match w {
            "twenty" => 20,
            "thirty" => 30,
            _ => return None,
        };
        let o = self.word(i + 1)?;
        let d = ordinal(o)?;
        (d < 10 && base + d <= 31).then_some((base + d, i + 2))
    }

    fn year_at(&self, i: usize) -> Option<(i16, usize)> {
        let y = self
            .num(i)
            .and_then(int)
            .filter(|y| (1900..=2199).contains(y))?;
        Some((y as i16, i + 1))
    }

    /// "Nov 26", "November 26th, 2026", "26 November", "26th of Nov": (month, day, year, end).
    fn month_day(&self, i: usize) -> Option<(i8, i8, Option<i16>, usize)> {
        if let Some(m) = self.word(i).and_then(month) {
            let (d, j) = self.day_at(i + 1, false)?;
            let (y, end) = match self.year_at(j) {
                Some((y, k)) => (Some(y), k),
                None => (None, j),
            };
            return Some((m, d, y, end));
        }
        let (d, j) = self.day_at(i, false)?;
        let j = if self.word(j) == Some("of") { j + 1 } else { j };
        let m = self.word(j).and_then(month)?;
        Some((m, d, None, j + 1))
    }

    fn dates(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            if self.used[i] {
                i += 1;
                continue;
            }
            let weekday = self.word(i).and_then(weekday);
            let start = i;
            let after_weekday = if weekday.is_some() { i + 1 } else { i };
            // Skip "the" in "Thursday the 26th".
            let k = if weekday.is_some() && self.word(after_weekday) == Some("the") {
                after_weekday + 1
            } else {
                after_weekday
            };
            let found = if let Some((m, d, y, end)) = self.month_day(k) {
                Some((Some(m), Some(d), y, end))
            } else if let Some((m, d, y, end)) = self.slash_date(k) {
                Some((Some(m), Some(d), y, end))
            } else if weekday.is_some() {
                self.day_at(k, true)
                    .map(|(d, end)| (None, Some(d), None, end))
            } else if matches!(
                k.checked_sub(1).and_then(|p| self.word(p)),
                Some("on" | "the")
            ) {
                // "the 26th"; "the twenty sixth" only where nothing follows it ("the first
                // thing" is no date).
                self.day_at(k, true)
                    .filter(|(_, end)| {
                        self.num(k).is_some()
                            || self.toks[end - 1].clause_end
                            || matches!(self.word(*end), Some("at" | "or"))
                    })
                    .map(|(d, end)| (None, Some(d), None, end))
            } else {
                None
            };
            match (weekday, found) {
                (_, Some((month, day, year, end))) => {
                    let first = if weekday.is_some() { start } else { k };
                    let text = self.span(first, end);
                    self.take(
                        first,
                        end,
                        Claim::Date {
                            text,
                            year,
                            month,
                            day,
                            weekday,
                        },
                    );
                    i = end;
                }
                (Some(_), None) => {
                    let text = self.span(start, start + 1);
                    self.take(
                        start,
                        start + 1,
                        Claim::Date {
                            text,
                            year: None,
                            month: None,
                            day: None,
                            weekday,
                        },
                    );
                    i = start + 1;
                }
                (None, None) => i += 1,
            }
        }
    }

    /// "11/26", "11/26/2026", "11/26/26".
    fn slash_date(&self, i: usize) -> Option<(i8, i8, Option<i16>, usize)> {
        let s = self.num(i)?;
        let parts: Vec<&str> = s.split('/').collect();
        if !(2..=3).contains(&parts.len()) {
            return None;
        }
        let m = int(parts[0]).filter(|m| (1..=12).contains(m))?;
        let d = int(parts[1]).filter(|d| (1..=31).contains(d))?;
        let y = match parts.get(2) {
            None => None,
            Some(y) if y.len() == 2 => Some(2000 + int(y)?),
            Some(y) if y.len() == 4 => Some(int(y)?),
            Some(_) => return None,
        };
        Some((m as i8, d as i8, y.map(|y| y as i16), i + 1))
    }

    /// Minutes said in words after an hour word: "thirty", "forty five", "oh five", "fifteen".
    fn minute_words(&self, i: usize) -> Option<(i8, usize)> {
        let w = self.word(i)?;
        if w == "oh" || w == "o" {
            let v = self
                .word(i + 1)
                .and_then(unit)
                .filter(|v| (1..=9).contains(v))?;
            return Some((v as i8, i + 2));
        }
        if let Some(v) = unit(w).filter(|v| (10..=19).contains(v)) {
            return Some((v as i8, i + 1));
        }
        let t = tens(w).filter(|t| *t <= 50)?;
        match self
            .word(i + 1)
            .and_then(unit)
            .filter(|v| (1..=9).contains(v))
        {
            Some(v) => Some(((t + v) as i8, i + 2)),
            None => Some((t as i8, i + 1)),
        }
    }

    fn times(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            if self.used[i] {
                i += 1;
                continue;
            }
            let found = self.time_at(i);
            match found {
                Some((from, end, hour, minute, exact)) => {
                    let text = self.span(from, end);
                    self.take(
                        from,
                        end,
                        Claim::Time {
                            text,
                            hour,
                            minute,
                            exact,
                        },
                    );
                    i = end;
                }
                None => i += 1,
            }
        }
    }

    /// A clock time starting at `i`: (first token, end, hour, minute, exact).
    fn time_at(&self, i: usize) -> Option<(usize, usize, i8, i8, bool)> {
        let with_meridiem = |h: i64, m: i64, j: usize| -> Option<(usize, i8, i8, bool)> {
            let pm = self.word(j).and_then(is_meridiem)?;
            (1..=12).contains(&h).then(|| {
                let h = (h % 12) + if pm { 12 } else { 0 };
                (j + 1, h as i8, m as i8, true)
            })
        };
        if let Some(w) = self.word(i) {
            match w {
                "noon" | "midday" => return Some((i, i + 1, 12, 0, true)),
                "midnight" => return Some((i, i + 1, 0, 0, true)),
                _ => {}
            }
            // "at 3", "at three" (then end of clause or a time-ish word)
            if w == "at"
                && let Some(h) = self
                    .num(i + 1)
                    .and_then(int)
                    .filter(|h| (1..=12).contains(h))
            {
                if let Some((end, hh, mm, exact)) = with_meridiem(h, 0, i + 2) {
                    return Some((i + 1, end, hh, mm, exact));
                }
                let next = self.word(i + 2);
                if next
                    .is_none_or(|n| !matches!(n, "percent" | "miles" | "mile" | "locations" | "of"))
                {
                    return Some((i + 1, i + 2, h as i8, 0, false));
                }
            }
            // "three", "two thirty", "nine o'clock", "ten am"
            let (h, j) = if w == "at" {
                (
                    self.word(i + 1)
                        .and_then(unit)
                        .filter(|h| (1..=12).contains(h)),
                    i + 2,
                )
            } else {
                (unit(w).filter(|h| (1..=12).contains(h)), i + 1)
            };
            let h = h?;
            let first = if w == "at" { i + 1 } else { i };
            if let Some((m, k)) = self.minute_words(j) {
                if let Some((end, hh, mm, exact)) = with_meridiem(h, m as i64, k) {
                    return Some((first, end, hh, mm, exact));
                }
                return Some((first, k, h as i8, m, false));
            }
            if let Some((end, hh, mm, exact)) = with_meridiem(h, 0, j) {
                return Some((first, end, hh, mm, exact));
            }
            if self.word(j) == Some("o'clock") {
                return Some((first, j + 1, h as i8, 0, false));
            }
            if self.range_start(j - 1) {
                return Some((first, j, h as i8, 0, false));
            }
            if w == "at" {
                let tok = &self.toks[j - 1];
                let timeish = matches!(
                    self.word(j),
                    Some(
                        "in" | "on"
                            | "tomorrow"
                            | "today"
                            | "tonight"
                            | "this"
                            | "next"
                            | "sharp"
                            | "then"
                            | "works"
                    )
                );
                if tok.clause_end || timeish {
                    return Some((first, j, h as i8, 0, false));
                }
            }
            return None;
        }
        let s = self.num(i)?;
        if let Some((hs, ms)) = s.split_once(':') {
            let h = int(hs).filter(|h| (0..=23).contains(h))?;
            let m = int(ms).filter(|m| ms.len() == 2 && (0..=59).contains(m))?;
            if let Some((end, hh, mm, exact)) = with_meridiem(h, m, i + 1) {
                return Some((i, end, hh, mm, exact));
            }
            let exact = h == 0 || h >= 13;
            return Some((i, i + 1, h as i8, m as i8, exact));
        }
        let h = int(s).filter(|h| (1..=12).contains(h))?;
        if let Some((end, hh, mm, exact)) = with_meridiem(h, 0, i + 1) {
            return Some((i, end, hh, mm, exact));
        }
        if self.word(i + 1) == Some("o'clock") {
            return Some((i, i + 2, h as i8, 0, false));
        }
        if self.range_start(i) {
            return Some((i, i + 1, h as i8, 0, false));
        }
        None
    }

    /// Whether the hour at `i` opens a range that ends in a clock time: "2 to 4 pm",
    /// "two or three pm", "2-4pm". (Its half of the day is left open.)
    fn range_start(&self, i: usize) -> bool {
        let k = match self.word(i + 1) {
            Some("to" | "or" | "and" | "till" | "until" | "through") => i + 2,
            _ if i + 1 < self.toks.len()
                && matches!(
                    self.text[self.toks[i].end..self.toks[i + 1].start].trim(),
                    "-" | "–"
                ) =>
            {
                i + 1
            }
            _ => return false,
        };
        self.time_at(k).is_some_and(|(_, _, _, _, exact)| exact)
    }
}

/// Every amount, time and date stated in `text`, in the order they appear.
pub fn claims(text: &str) -> Vec<Claim> {
    let toks = lex(text);
    let mut r = Reader {
        text,
        used: vec![false; toks.len()],
        toks,
        claims: Vec::new(),
    };
    r.phones();
    r.money();
    r.dates();
    r.times();
    r.claims.sort_by_key(|(i, _)| *i);
    r.claims.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn allowed() -> Allowed {
        Allowed {
            amounts_cents: vec![4999, 12900],
            times: vec![time(14, 0, 0, 0), time(8, 30, 0, 0)],
            // A Thursday.
            dates: vec![date(2026, 11, 26)],
            ..Allowed::default()
        }
    }

    fn rejected(reply: &str) -> Vec<String> {
        match check_reply(reply, &allowed()) {
            Ok(()) => vec![],
            Err(v) => v.claims.iter().map(|c| c.text().to_string()).collect(),
        }
    }

    #[test]
    fn allowed_amounts_times_and_dates_pass_in_every_spelling() {
        for reply in [
            "A brake inspection is $49.99 and pads are $129.",
            "That's forty nine dollars and ninety nine cents.",
            "It comes to one hundred twenty nine dollars.",
            "I have 2 PM or 8:30 a.m. open.",
            "How about two o'clock, or eight thirty in the morning?",
            "We can see you at 14:00 on Nov 26.",
            "Thursday the 26th at 2 works.",
            "That's Thursday, November 26th, 2026 at two pm.",
            "See you on 11/26 at 8:30.",
            "Does the 26th work for you?",
            "See you Thursday.",
        ] {
            assert_eq!(rejected(reply), Vec::<String>::new(), "{reply}");
        }
    }

    #[test]
    fn invented_amounts_are_caught_in_every_spelling() {
        assert_eq!(rejected("Brakes are $89 today."), ["$89"]);
        assert_eq!(rejected("That's 49 dollars."), ["49 dollars"]);
        assert_eq!(rejected("Only forty nine bucks."), ["forty nine bucks"]);
        assert_eq!(rejected("It's $1,200 for the job."), ["$1,200"]);
        assert_eq!(
            rejected("A free brake job is zero dollars."),
            ["zero dollars"]
        );
        assert_eq!(rejected("About a hundred dollars."), ["a hundred dollars"]);
    }

    #[test]
    fn invented_times_are_caught_in_every_spelling() {
        assert_eq!(rejected("I can do 3 PM."), ["3 PM"]);
        assert_eq!(rejected("How about 15:30?"), ["15:30"]);
        assert_eq!(rejected("How about two thirty?"), ["two thirty"]);
        assert_eq!(rejected("Come in at 4."), ["4"]);
        assert_eq!(rejected("We open at nine."), ["nine"]);
        assert_eq!(rejected("Drop it off at 2 AM."), ["2 AM"]);
        assert_eq!(rejected("See you at midnight"), ["midnight"]);
    }

    #[test]
    fn invented_dates_are_caught_in_every_spelling() {
        assert_eq!(rejected("How about Nov 27?"), ["Nov 27"]);
        assert_eq!(rejected("I have the 27th."), ["27th"]);
        assert_eq!(rejected("I have 11/27 open."), ["11/27"]);
        assert_eq!(rejected("Friday the 26th?"), ["Friday the 26th"]);
        assert_eq!(rejected("I can do Friday."), ["Friday"]);
        assert_eq!(rejected("How about December 3rd?"), ["December 3rd"]);
        assert_eq!(rejected("on the twenty seventh"), ["twenty seventh"]);
    }

    #[test]
    fn ordinary_numbers_in_a_reply_are_not_claims() {
        for reply in [
            "Your 2014 Civic at 120,000 miles is due for a service.",
            "It takes about 2 hours, and we have 3 bays.",
            "That's one of our most popular services.",
            "We may be able to fit you in.",
            "The first thing we'll do is look at it.",
            "Press 1 to confirm.",
        ] {
            assert_eq!(rejected(reply), Vec::<String>::new(), "{reply}");
        }
    }

    #[test]
    fn percentages_phone_numbers_bare_prices_and_ranges_are_caught() {
        assert_eq!(rejected("You get 20% off today."), ["20%"]);
        assert_eq!(rejected("That's ten percent off."), ["ten percent"]);
        assert_eq!(rejected("Call Mike at 555-867-5309."), ["555-867-5309"]);
        assert_eq!(
            rejected("Or (555) 867 5309 after hours"),
            ["(555) 867 5309"]
        );
        assert_eq!(rejected("It's 89.99 plus tax."), ["89.99"]);
        assert_eq!(
            rejected("It's forty nine ninety five."),
            ["forty nine ninety five"]
        );
        assert_eq!(
            rejected("Brakes are forty nine ninety nine."),
            Vec::<String>::new()
        );
        assert_eq!(rejected("Any time 3 to 5 pm."), ["3", "5 pm"]);
        assert_eq!(rejected("Between 2-4pm is fine."), ["4pm"]);
        assert_eq!(
            rejected("It's 49.99 and we can do two or three pm"),
            ["three pm"]
        );
    }

    #[test]
    fn what_the_owner_wrote_the_shops_number_and_named_days_may_be_repeated() {
        let mut a = allowed();
        a.trust("Yes, we give 10% off for seniors. Diagnostics are $89, after 6 PM call ahead.");
        a.phones.push("+15125550199".into());
        a.weekdays.push(Weekday::Sunday);
        for reply in [
            "We give 10% off for seniors.",
            "Diagnostics are $89.",
            "Call us at (512) 555-0199 or 512-555-0199.",
            "We're closed Sunday.",
            "After 6 PM, call ahead.",
        ] {
            assert!(check_reply(reply, &a).is_ok(), "{reply}");
        }
        let err = check_reply("We give 15% off, $79, call 512-555-0100 on Monday", &a).unwrap_err();
        let texts: Vec<&str> = err.claims.iter().map(Claim::text).collect();
        assert_eq!(texts, ["15%", "$79", "512-555-0100", "Monday"]);
    }

    #[test]
    fn several_violations_are_all_listed() {
        let err = check_reply("$10 off at 5 PM on Friday", &allowed()).unwrap_err();
        let texts: Vec<&str> = err.claims.iter().map(Claim::text).collect();
        assert_eq!(texts, ["$10", "5 PM", "Friday"]);
        assert!(err.to_string().contains("\"$10\""));
    }
}
