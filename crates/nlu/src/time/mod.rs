//! Time expressions: finds dates, clock times, parts of day, durations, intervals and open
//! bounds in an utterance and resolves them against the business-local clock, following
//! Duckling's conventions (a bare weekday is its next occurrence, "next Wednesday" is the
//! Wednesday of next week, a clock without am/pm is its next occurrence, interval ends are
//! exclusive, and grains are Duckling's). The scan is one left-to-right pass that turns tokens
//! into typed pieces, then a combination step that joins a day, a clock and a part of day,
//! builds intervals ("between 2 and 4") and applies bounds ("after 5").

use jiff::civil::{Date, DateTime, Weekday};
use jiff::{Span, ToSpan};

use crate::normalize::{Kind, Normalized, number_words, ordinal};
use crate::{Asked, Bound, Context, Grain, TimeExpr};

mod clock;
mod combine;
mod compose;
mod corrections;
mod date;
mod duration;
mod exclude;
mod period;
mod piece;

use combine::*;
use exclude::*;
use period::*;
use piece::*;

/// A clock time as said, before it is placed on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Clock {
    h: u32,
    m: u32,
    s: u32,
    /// Some(true) for pm, Some(false) for am.
    pm: Option<bool>,
    /// 24-hour form: "15:00", "15h", "0930"; never shifted by 12.
    h24: bool,
    grain: Grain,
    /// Only a time in a time context ("ten thirty", "eight").
    latent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Morning,
    Afternoon,
    Evening,
    Night,
    Lunch,
    AfterLunch,
    AfterSchool,
    AfterWork,
}

impl Part {
    /// Start and exclusive end hours.
    fn hours(self) -> (u32, u32) {
        match self {
            Part::Morning => (0, 12),
            Part::Afternoon => (12, 19),
            Part::Evening | Part::Night => (18, 24),
            Part::Lunch => (12, 14),
            Part::AfterLunch => (13, 17),
            Part::AfterSchool => (15, 21),
            Part::AfterWork => (17, 21),
        }
    }
    fn pm(self) -> bool {
        !matches!(self, Part::Morning)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    Day(Date),
    DayRange(Date, Date),
    Week(Date),
    Month(i16, i8),
    Year(i16),
    Clock(Clock),
    ClockRange(Clock, Clock),
    Part(Part),
    /// A fully resolved instant ("in two hours", "now").
    Instant(DateTime, Grain),
    /// A resolved interval ("this weekend", "end of the month").
    Span(DateTime, DateTime, Grain),
    Asap,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    piece: Piece,
    /// The day came from a weekday name.
    wd: Option<Weekday>,
    from: usize,
    to: usize,
    latent: bool,
}

const WEEKDAYS: [(&str, Weekday); 21] = [
    ("monday", Weekday::Monday),
    ("mon", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("tue", Weekday::Tuesday),
    ("tues", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("wed", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("thu", Weekday::Thursday),
    ("thur", Weekday::Thursday),
    ("thurs", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("fri", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sat", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
    ("sun", Weekday::Sunday),
    ("mondays", Weekday::Monday),
    ("tuesdays", Weekday::Tuesday),
    ("fridays", Weekday::Friday),
    ("saturdays", Weekday::Saturday),
];

fn weekday(w: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(n, _)| *n == w)
        .map(|(_, d)| *d)
        .or(match w {
            "wednesdays" => Some(Weekday::Wednesday),
            "thursdays" => Some(Weekday::Thursday),
            "sundays" => Some(Weekday::Sunday),
            "weds" => Some(Weekday::Wednesday),
            _ => None,
        })
}

fn month(w: &str) -> Option<i8> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

fn mk_date(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Date::new(y as i16, m as i8, d as i8).ok()
}

fn monday_of(d: Date) -> Date {
    let back = d.weekday().to_monday_zero_offset() as i64;
    add_days(d, -back).unwrap_or(d)
}

/// Next date on or after `from` with weekday `wd`.
fn next_weekday(from: Date, wd: Weekday) -> Date {
    let diff = (wd.to_monday_zero_offset() as i64 - from.weekday().to_monday_zero_offset() as i64)
        .rem_euclid(7);
    add_days(from, diff).unwrap_or(from)
}

fn day_in_week(monday: Date, wd: Weekday) -> Date {
    add_days(monday, wd.to_monday_zero_offset() as i64).unwrap_or(monday)
}

fn dt(d: Date, h: u32, m: u32, s: u32) -> DateTime {
    d.at(h.min(23) as i8, m.min(59) as i8, s.min(59) as i8, 0)
}

fn year_of_two(y: u32) -> i32 {
    if y < 50 {
        2000 + y as i32
    } else {
        1900 + y as i32
    }
}

struct Scan<'a> {
    n: &'a Normalized,
    today: Date,
    now: DateTime,
    /// The assistant asked for a time: bare numbers are hours.
    asked_time: bool,
    /// The assistant asked for a date: a bare number is a day of the month.
    asked_date: bool,
}

impl Scan<'_> {
    /// The `i`-th token's text; a contraction keeps its apostrophe, so "we'd" is no "wed".
    fn w(&self, i: usize) -> &str {
        match self.n.tok(i) {
            Some(t) if t.text == "wed" && self.n.raw[t.start..t.end].contains('\'') => "we'd",
            _ => self.n.text_at(i),
        }
    }
    fn num(&self, i: usize) -> Option<u32> {
        self.n.tok(i).and_then(|t| t.num)
    }
    fn glued(&self, i: usize) -> bool {
        self.n.tok(i).is_some_and(|t| !t.spaced)
    }
    fn is_num(&self, i: usize) -> bool {
        self.n.tok(i).is_some_and(|t| t.kind == Kind::Num)
    }
    fn len(&self) -> usize {
        self.n.tokens.len()
    }

    /// Skips "the" and "of".
    fn skip(&self, mut i: usize, words: &[&str]) -> usize {
        while words.contains(&self.w(i)) {
            i += 1;
        }
        i
    }

    /// A number in digits or words: value, end.
    fn number(&self, i: usize) -> Option<(u32, usize)> {
        if let Some(v) = self.num(i) {
            return Some((v, i + 1));
        }
        if self.w(i) == "a" || self.w(i) == "an" || self.w(i) == "one" {
            return Some((1, i + 1));
        }
        number_words(self.n, i).map(|(v, k)| (v, i + k))
    }

    /// am/pm marker at i: (pm, end). Accepts "am", "pm", "a.m.", "a m", glued "a"/"p".
    fn ampm(&self, i: usize) -> Option<(bool, usize)> {
        let w = self.w(i);
        match w {
            "am" | "pm" => {
                let mut e = i + 1;
                if self.w(e) == "." {
                    e += 1;
                }
                Some((w == "pm", e))
            }
            "a" | "p" => {
                let pm = w == "p";
                // "a.m." / "a m" / glued "3:18a"
                if self.w(i + 1) == "." && self.w(i + 2) == "m" {
                    let mut e = i + 3;
                    if self.w(e) == "." {
                        e += 1;
                    }
                    return Some((pm, e));
                }
                if self.w(i + 1) == "m" {
                    return Some((pm, i + 2));
                }
                if self.glued(i) && self.w(i + 1) != "." {
                    return Some((pm, i + 1));
                }
                None
            }
            "in" if self.w(i + 1) == "the" => match self.w(i + 2) {
                "pm" => Some((true, i + 3)),
                "am" => Some((false, i + 3)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A part of day at i, with end.
    fn part(&self, i: usize) -> Option<(Part, usize)> {
        let mut j = i;
        if self.w(j) == "in" && self.w(j + 1) == "the" {
            j += 2;
        } else if self.w(j) == "at" || self.w(j) == "this" || self.w(j) == "the" {
            j += 1;
        }
        let p = match self.w(j) {
            "morning" | "mornings" | "morn" | "am" if j > i || self.w(j) != "am" => Part::Morning,
            "afternoon" | "afternoons" | "afternoonish" | "arvo" => Part::Afternoon,
            "evening" | "evenings" | "eve" => Part::Evening,
            "tonight" => Part::Evening,
            "night" | "nite" => Part::Night,
            "lunch" | "lunchtime" | "midday" if self.w(j) != "midday" => Part::Lunch,
            _ => return None,
        };
        Some((p, j + 1))
    }
}

fn truncate(t: DateTime, g: Grain) -> DateTime {
    let d = t.date();
    match g {
        Grain::Second => t,
        Grain::Minute => dt(d, t.hour() as u32, t.minute() as u32, 0),
        Grain::Hour => dt(d, t.hour() as u32, 0, 0),
        Grain::Day => dt(d, 0, 0, 0),
        Grain::Week => dt(monday_of(d), 0, 0, 0),
        Grain::Month => dt(d.first_of_month(), 0, 0, 0),
        Grain::Year => dt(mk_date(d.year() as i32, 1, 1).unwrap_or(d), 0, 0, 0),
    }
}

fn next_grain(t: DateTime, g: Grain) -> DateTime {
    let span = match g {
        Grain::Second => 1.second(),
        Grain::Minute => 1.minute(),
        Grain::Hour => 1.hour(),
        Grain::Day => 1.day(),
        Grain::Week => 1.week(),
        Grain::Month => 1.month(),
        Grain::Year => 1.year(),
    };
    t.checked_add(span).unwrap_or(t)
}

/// The hour a clock means on a given day, with a part-of-day hint.
fn clock_hour(c: &Clock, part: Option<Part>) -> u32 {
    if c.h24 || c.h > 12 {
        return c.h % 24;
    }
    if c.pm.is_none() && part == Some(Part::Night) && (c.h < 5 || c.h == 12) {
        return c.h % 12;
    }
    let pm = c.pm.or(part.map(Part::pm));
    match pm {
        Some(true) if c.h < 12 => c.h + 12,
        Some(false) if c.h == 12 => 0,
        _ => c.h,
    }
}

/// The hour of a clock said with a day ("Friday at 3"): a bare 1 to 6 is in the afternoon, as
/// nobody books a car for 3 am.
fn day_clock_hour(c: &Clock, part: Option<Part>) -> u32 {
    if part.is_none() && c.pm.is_none() && !c.h24 && (1..=6).contains(&c.h) {
        return c.h + 12;
    }
    clock_hour(c, part)
}

/// The next time (from `now`) a clock without a day occurs.
fn next_clock(c: &Clock, part: Option<Part>, now: DateTime) -> DateTime {
    let today = now.date();
    let floor = truncate(now, Grain::Hour);
    let explicit = c.h24 || c.h > 12 || c.pm.is_some() || part.is_some();
    let mut cands: Vec<u32> = vec![clock_hour(c, part)];
    if !explicit && c.h < 12 {
        cands.push(c.h + 12);
    }

    for day in [today, add_days(today, 1).unwrap_or(today)] {
        let mut best: Option<DateTime> = None;
        for h in &cands {
            let t = dt(day, *h, c.m, c.s);
            if t >= floor && best.is_none_or(|b| t < b) {
                best = Some(t);
            }
        }
        if let Some(b) = best {
            return b;
        }
    }
    dt(today, cands[0], c.m, c.s)
}

/// Finds the time expression of an utterance, if any.
pub fn find(n: &Normalized, ctx: &Context, offset: Option<i32>) -> Option<TimeExpr> {
    let scan = Scan {
        n,
        today: ctx.now.date(),
        now: ctx.now,
        asked_time: matches!(ctx.asked, Some(Asked::Time)),
        asked_date: matches!(ctx.asked, Some(Asked::Date)),
    };
    let mut found = pieces(&scan);
    corrections::last_choice_stands(&scan, &mut found);
    compose::join(&scan, &mut found);
    let in_context = matches!(ctx.asked, Some(Asked::Time | Asked::Date));
    combine(&scan, &found, ctx, in_context, offset)
}

const AT_WORDS: [&str; 17] = [
    "at",
    "@",
    "around",
    "about",
    "approximately",
    "by",
    "after",
    "before",
    "til",
    "till",
    "until",
    "from",
    "between",
    "to",
    "for",
    "than",
    "past",
];

/// Tokens that belong to a phone number (seven or more digits in groups): never a time.
fn phone_mask(s: &Scan) -> Vec<bool> {
    let len = s.len();
    let mut mask = vec![false; len];
    let mut i = 0;
    while i < len {
        if !s.is_num(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digits = 0;
        let mut sizes: Vec<usize> = Vec::new();
        while j < len {
            if s.is_num(j) {
                digits += s.n.text_at(j).len();
                sizes.push(s.n.text_at(j).len());
                j += 1;
            } else if matches!(s.w(j), "-" | "." | "(" | ")") && s.is_num(j + 1) {
                j += 1;
            } else {
                break;
            }
        }
        // 555-0123, 512-555-0123, (512) 555 0123, 5125550123; not dates like 31.10.1974
        if digits >= 10 || sizes.ends_with(&[3, 4]) {
            for m in mask.iter_mut().take(j).skip(i) {
                *m = true;
            }
        }
        i = j.max(i + 1);
    }
    mask
}

fn pieces(s: &Scan) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut i = 0;
    let len = s.len();
    let phone = phone_mask(s);
    while i < len {
        if phone[i] {
            i += 1;
            continue;
        }
        if let Some((piece, e, latent)) = piece_at(s, i).or_else(|| corrections::said_clock(s, i)) {
            let wd = if let Piece::Day(_) = piece {
                (i..e).find_map(|k| weekday(s.w(k)))
            } else {
                None
            };
            // "any day but Friday", "I can't do Mondays": an excluded day is no wanted day
            let excluded = wd.is_some() && excluded_before(s, i);
            if !excluded {
                out.push(Found {
                    piece,
                    wd,
                    from: i,
                    to: e.max(i + 1),
                    latent,
                });
            }
            i = e.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
