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

mod compose;
mod corrections;

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
    fn w(&self, i: usize) -> &str {
        self.n.text_at(i)
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

    fn clock_suffix(&self, c: &mut Clock, mut e: usize) -> usize {
        if let Some((pm, e2)) = self.ampm(e) {
            c.pm = Some(pm);
            return e2;
        }
        if self.w(e) == "oclock" || (self.w(e) == "o" && self.w(e + 1) == "clock") {
            e += if self.w(e) == "o" { 2 } else { 1 };
        } else if self.w(e) == "o"
            && self.n.tok(e + 1).is_some_and(|t| t.kind == Kind::Punct)
            && self.w(e + 2) == "clock"
        {
            e += 3;
        }
        if let Some((pm, e2)) = self.ampm(e) {
            c.pm = Some(pm);
            return e2;
        }
        e
    }

    /// A clock time at i.
    fn clock(&self, i: usize, after_at: bool) -> Option<(Clock, usize)> {
        let w = self.w(i);
        let base = Clock {
            h: 0,
            m: 0,
            s: 0,
            pm: None,
            h24: false,
            grain: Grain::Hour,
            latent: false,
        };
        match w {
            "noon" | "midday" => {
                return Some((
                    Clock {
                        h: 12,
                        h24: true,
                        ..base
                    },
                    i + 1,
                ));
            }
            "mid" if self.w(i + 1) == "day" => {
                return Some((
                    Clock {
                        h: 12,
                        h24: true,
                        ..base
                    },
                    i + 2,
                ));
            }
            "midnight" => {
                return Some((
                    Clock {
                        h: 0,
                        h24: true,
                        ..base
                    },
                    i + 1,
                ));
            }
            _ => {}
        }
        // "half past three", "quarter to 5", "20 minutes to 2pm", "10 past 16"
        if let Some(r) = self.relative_clock(i) {
            return Some(r);
        }
        let t = self.n.tok(i)?;
        if t.kind == Kind::Num {
            let digits = t.text.len();
            let v = t.num?;
            // H:MM[:SS]
            if (self.w(i + 1) == ":" || self.w(i + 1) == ".")
                && self.glued(i + 1)
                && self.glued(i + 2)
                && digits <= 2
                && v <= 24
            {
                let mt = self.n.tok(i + 2)?;
                if mt.kind == Kind::Num && mt.text.len() == 2 && mt.num? < 60 {
                    // A dotted form is a clock only with am/pm or a 24-hour value after "at".
                    let dotted = self.w(i + 1) == ".";
                    let mut c = Clock {
                        h: v,
                        m: mt.num?,
                        grain: Grain::Minute,
                        h24: v > 12 || v == 0 || (digits == 2 && t.text.starts_with('0')),
                        ..base
                    };
                    let mut e = i + 3;
                    if self.w(e) == ":" && self.is_num(e + 1) && self.glued(e + 1) {
                        c.s = self.num(e + 1)?.min(59);
                        c.grain = Grain::Second;
                        e += 2;
                    }
                    let e2 = self.clock_suffix(&mut c, e);
                    if c.pm.is_some() && c.h <= 12 {
                        c.h24 = false;
                    }
                    if dotted && c.pm.is_none() {
                        return None;
                    }
                    if c.h == 24 {
                        c.h = 0;
                    }
                    return Some((c, e2));
                }
            }
            // 15h00, 15h, 3h18
            if self.w(i + 1) == "h" && self.glued(i + 1) && v <= 24 {
                let mut c = Clock {
                    h: v % 24,
                    h24: true,
                    grain: Grain::Minute,
                    ..base
                };
                let mut e = i + 2;
                if self.is_num(e) && self.glued(e) && self.n.text_at(e).len() == 2 {
                    c.m = self.num(e)?.min(59);
                    e += 1;
                }
                return Some((c, e));
            }
            // H am/pm, H o'clock
            if digits <= 2 && (1..=12).contains(&v) {
                let mut c = Clock { h: v, ..base };
                let e = self.clock_suffix(&mut c, i + 1);
                if e > i + 1 {
                    return Some((c, e));
                }
            }
            // "9ish", "around 10ish"
            if digits <= 2 && (1..=23).contains(&v) && self.w(i + 1) == "ish" && self.glued(i + 1) {
                return Some((
                    Clock {
                        h: v,
                        h24: v > 12,
                        ..base
                    },
                    i + 2,
                ));
            }
            // "9-11am", "3 to 4pm": the first end of a clock range
            if digits <= 2
                && (1..=12).contains(&v)
                && matches!(self.w(i + 1), "-" | "to")
                && self.is_num(i + 2)
                && (self.ampm(i + 3).is_some() || self.w(i + 3) == ":")
            {
                return Some((Clock { h: v, ..base }, i + 1));
            }
            // "10 in the morning", "4 at night"
            if digits <= 2
                && (1..=12).contains(&v)
                && let Some((p, _)) = self.part(i + 1)
                && matches!(self.w(i + 1), "in" | "at" | "tonight" | "this")
            {
                let c = Clock {
                    h: v,
                    pm: Some(p.pm() && !(p == Part::Night && v < 5)),
                    ..base
                };
                return Some((c, i + 1));
            }
            // 1530 / 730 after at/around: HHMM
            if (digits == 3 || digits == 4)
                && after_at
                && !(self.w(i + 1) == "-" && self.is_num(i + 2))
            {
                let (h, m) = (v / 100, v % 100);
                if h <= 23 && m < 60 {
                    let mut c = Clock {
                        h,
                        m,
                        grain: Grain::Minute,
                        h24: digits == 4 && h > 12,
                        ..base
                    };
                    let e = self.clock_suffix(&mut c, i + 1);
                    return Some((c, e));
                }
            }
            // "at 3 15", "2 00 afternoon", "21 35"
            if digits <= 2
                && v <= 23
                && self.is_num(i + 1)
                && self.n.text_at(i + 1).len() == 2
                && self.num(i + 1)? < 60
                && !self.is_num(i + 2)
                && self.w(i + 2) != "-"
                && self.w(i + 2) != "/"
            {
                let follows_part = self.part(i + 2).is_some() || self.ampm(i + 2).is_some();
                if after_at || follows_part {
                    let mut c = Clock {
                        h: v,
                        m: self.num(i + 1)?,
                        grain: Grain::Minute,
                        h24: v > 12,
                        ..base
                    };
                    let e = self.clock_suffix(&mut c, i + 2);
                    return Some((c, e));
                }
            }
            // bare H after "at"
            if digits <= 2 && v <= 23 && after_at {
                let next = self.w(i + 1);
                if matches!(
                    next,
                    "people" | "persons" | "adults" | "kids" | "guests" | "%" | "$" | "percent"
                ) || self.is_num(i + 1)
                    || next == "/"
                    || next == "," && self.is_num(i + 2)
                {
                    return None;
                }
                if next == "-" && self.is_num(i + 2) && self.n.text_at(i + 2).len() >= 3 {
                    return None;
                }
                let c = Clock {
                    h: v,
                    h24: v > 12 || (digits == 2 && t.text.starts_with('0')),
                    ..base
                };
                return Some((c, i + 1));
            }
            return None;
        }
        // Words: "ten thirty", "four twenty-three a m", "twelve oh three", "seven p.m."
        let (h, e) = number_words(self.n, i).map(|(v, k)| (v, i + k))?;
        if !(1..=12).contains(&h) {
            return None;
        }
        // a tens word read as part of the hour ("twenty three") is not an hour
        let mut c = Clock { h, ..base };
        let mut e = e;
        let mut minutes = None;
        let mut oh = false;
        if matches!(self.w(e), "oh" | "o" | "ou" | "zero") {
            let mut k = e + 1;
            if self.w(k) == "-" {
                k += 1;
            }
            if let Some(u) = self
                .n
                .tok(k)
                .and_then(|t| crate::normalize::unit_word(&t.text))
                && (1..=9).contains(&u)
            {
                minutes = Some((u, k + 1));
                oh = true;
            }
        } else if self.w(e) == "-" && matches!(self.w(e + 1), "oh" | "o" | "zero") {
            let k = e + 2 + usize::from(self.w(e + 2) == "-");
            if let Some(u) = self
                .n
                .tok(k)
                .and_then(|t| crate::normalize::unit_word(&t.text))
                && (1..=9).contains(&u)
            {
                minutes = Some((u, k + 1));
                oh = true;
            }
        }
        if minutes.is_none() {
            let k = if self.w(e) == "-" { e + 1 } else { e };
            if let Some((m, used)) = number_words(self.n, k)
                && (10..60).contains(&m)
            {
                minutes = Some((m, k + used));
            }
        }
        if minutes.is_none()
            && let Some((m, _)) = number_words(self.n, e)
            && m >= 60
        {
            return None;
        }
        if let Some((m, k)) = minutes {
            c.m = m;
            c.grain = Grain::Minute;
            e = k;
        }
        let e2 = self.clock_suffix(&mut c, e);
        if e2 > e {
            return Some((c, e2));
        }
        if let Some((p, _)) = self.part(e)
            && (minutes.is_some() || after_at || matches!(self.w(e), "in" | "at"))
        {
            c.pm = Some(p.pm());
            return Some((c, e));
        }
        if minutes.is_some() {
            // Duckling reads "ten thirty" and "twelve oh three" as latent times, not "three twenty".
            if oh || matches!(c.m, 15 | 30 | 45) {
                c.latent = true;
                return Some((c, e));
            }
            return None;
        }
        if after_at {
            return Some((c, e));
        }
        c.latent = true;
        Some((c, e))
    }

    /// "half past 3", "quarter to noon", "20 minutes to 2pm", "10 past 16", "15 past noon".
    fn relative_clock(&self, i: usize) -> Option<(Clock, usize)> {
        let mut j = i;
        if self.w(j) == "a" {
            j += 1;
        }
        let (mins, mut k) = match self.w(j) {
            "half" => (30, j + 1),
            "quarter" => (15, j + 1),
            _ => {
                let (v, k) = self.number(j)?;
                if !(1..60).contains(&v) {
                    return None;
                }
                (v, k)
            }
        };
        if matches!(self.w(k), "minutes" | "minute" | "mins" | "min") {
            k += 1;
        }
        let before = match self.w(k) {
            "past" | "after" => false,
            "to" | "till" | "til" | "before" | "of" => true,
            _ => return None,
        };
        // "from 3 to 4", "13 to 15 July" are ranges, not "3 minutes to 4"
        let bare = k == j + 1 && self.is_num(j);
        if before && bare && (matches!(self.w(i.wrapping_sub(1)), "from" | "between") || mins > 30)
        {
            return None;
        }
        let (mut hc, e) = self.clock(k + 1, true)?;
        let after_e = self.skip(e, &["of", "the"]);
        if month(self.w(after_e)).is_some() || matches!(self.w(e), "st" | "nd" | "rd" | "th") {
            return None;
        }
        if hc.grain == Grain::Minute && hc.m != 0 {
            return None;
        }
        hc.grain = Grain::Minute;
        hc.latent = false;
        if before {
            if hc.h == 0 {
                hc.h = 24;
            }
            hc.h = hc.h.checked_sub(1)?;
            hc.m = 60 - mins;
            if hc.h == 11 && hc.h24 {
                hc.pm = None;
            }
        } else {
            hc.m = mins;
        }
        Some((hc, e))
    }

    /// Day-of-month forms and numeric dates at i.
    fn date(&self, i: usize) -> Option<(Piece, usize)> {
        let t = self.n.tok(i)?;
        // numeric: 3/15, 3/3/2015, 2015-03-03, 31.10.1974, 10 31 1974, 2/2013
        if t.kind == Kind::Num
            && let Some(r) = self.numeric_date(i)
        {
            return Some(r);
        }
        // month first: "march 3rd 2015", "Feb 10", "february the 15th", "march first"
        if let Some(m) = month(&t.text) {
            let mut j = i + 1;
            if self.w(j) == "." {
                j += 1;
            }
            j = self.skip(j, &["the"]);
            if let Some((d, e)) = self.day_number(j) {
                let (y, e) = self.year_after(e);
                return Some((Piece::Day(self.resolve_md(y, m as i32, d as i32, None)?), e));
            }
            let (y, e) = self.year_after(i + 1);
            if let Some(y) = y {
                return Some((Piece::Month(y as i16, m), e));
            }
            let ambiguous = matches!(t.text.as_str(), "may" | "mar" | "jan" | "jun" | "sat");
            if ambiguous && !(i > 0 && matches!(self.w(i - 1), "in" | "of") || self.len() == 1) {
                return None;
            }
            return Some((Piece::Month(self.month_year(m), m), i + 1));
        }
        // "the ides of march"
        if t.text == "ides" && self.w(i + 1) == "of" {
            let m = month(self.w(i + 2))?;
            let d = if matches!(m, 3 | 5 | 7 | 10) { 15 } else { 13 };
            return Some((Piece::Day(self.resolve_md(None, m as i32, d, None)?), i + 3));
        }
        // day first: "15th february", "the 1st of march", "4 of july", "20 of next month"
        let (d, e) = self.day_number(i)?;
        let explicit_ordinal = ordinal(self.n, i).is_some();
        let mut j = e;
        if self.w(j) == "day" && self.w(j + 1) == "of" {
            j += 1;
        }
        let of = self.w(j) == "of";
        let j2 = self.skip(j, &["of", "the"]);
        if let Some(m) = month(self.w(j2)) {
            let mut e = j2 + 1;
            if self.w(e) == "." {
                e += 1;
            }
            let (y, e) = self.year_after(e);
            return Some((Piece::Day(self.resolve_md(y, m as i32, d as i32, None)?), e));
        }
        if of {
            // "20th of next month", "20 of this month", "20th of the previous month"
            let k = self.skip(j + 1, &["the"]);
            let shift = match self.w(k) {
                "next" | "following" => Some(1),
                "this" | "current" => Some(0),
                "previous" | "last" | "past" => Some(-1),
                _ => None,
            };
            if let Some(s) = shift
                && self.w(k + 1) == "month"
            {
                let first = self.today.first_of_month();
                let base = first.checked_add(Span::new().months(s)).ok()?;
                return Some((
                    Piece::Day(mk_date(base.year() as i32, base.month() as i32, d as i32)?),
                    k + 2,
                ));
            }
        }
        // bare ordinal: "the 15th", "on the first", "14th"
        if explicit_ordinal && (1..=31).contains(&d) {
            let is_digit = t.kind == Kind::Num;
            let prev = if i > 0 { self.w(i - 1) } else { "" };
            let next = self.w(e);
            let nextok = matches!(
                next,
                "" | "."
                    | ","
                    | "?"
                    | "!"
                    | "at"
                    | "in"
                    | "please"
                    | "would"
                    | "works"
                    | "work"
                    | "is"
                    | "then"
                    | "for"
                    | "and"
                    | "or"
                    | "instead"
                    | "sounds"
                    | "if"
            );
            if is_digit && !matches!(next, "time" | "floor" | "street" | "st" | "avenue")
                || (prev == "the" && nextok)
            {
                return Some((Piece::Day(self.next_dom(d)?), e));
            }
        }
        None
    }

    /// "3rd", "3", "third", "twenty first": a day of month.
    fn day_number(&self, i: usize) -> Option<(u32, usize)> {
        if let Some((v, k)) = ordinal(self.n, i) {
            return (1..=31).contains(&v).then_some((v, i + k));
        }
        let t = self.n.tok(i)?;
        if t.kind == Kind::Num && t.text.len() <= 2 {
            let v = t.num?;
            return (1..=31).contains(&v).then_some((v, i + 1));
        }
        None
    }

    /// Optional ", 2015" / " 2015" / " 15" after a date.
    fn year_after(&self, e: usize) -> (Option<i32>, usize) {
        let j = if self.w(e) == "," { e + 1 } else { e };
        if let Some(t) = self.n.tok(j)
            && t.kind == Kind::Num
            && t.text.len() == 4
            && let Some(v) = t.num
            && (1000..=2999).contains(&v)
            && self.w(j + 1) != ":"
        {
            return (Some(v as i32), j + 1);
        }
        (None, e)
    }

    /// The year a month name without a year refers to: this year unless it has passed.
    fn month_year(&self, m: i8) -> i16 {
        if m < self.today.month() {
            self.today.year() + 1
        } else {
            self.today.year()
        }
    }

    fn resolve_md(&self, y: Option<i32>, m: i32, d: i32, _wd: Option<Weekday>) -> Option<Date> {
        if let Some(y) = y {
            return mk_date(y, m, d);
        }
        let this = mk_date(self.today.year() as i32, m, d);
        match this {
            Some(date) if date >= self.today || date.month() == self.today.month() => Some(date),
            _ => mk_date(self.today.year() as i32 + 1, m, d).or(this),
        }
    }

    /// Next date (today included) whose day of month is `d`.
    fn next_dom(&self, d: u32) -> Option<Date> {
        let mut first = self.today.first_of_month();
        for _ in 0..13 {
            if let Some(date) = mk_date(first.year() as i32, first.month() as i32, d as i32)
                && date >= self.today
            {
                return Some(date);
            }
            first = first.checked_add(Span::new().months(1)).ok()?;
        }
        None
    }

    fn numeric_date(&self, i: usize) -> Option<(Piece, usize)> {
        let a = self.n.tok(i)?;
        let sep_at = |k: usize| -> Option<&str> {
            let s = self.w(k);
            matches!(s, "/" | "-" | ".").then_some(s)
        };
        // yyyy-mm-dd
        if a.text.len() == 4 && sep_at(i + 1).is_some() {
            let s = sep_at(i + 1)?;
            if self.is_num(i + 2) && self.w(i + 3) == s && self.is_num(i + 4) {
                let d = mk_date(
                    a.num? as i32,
                    self.num(i + 2)? as i32,
                    self.num(i + 4)? as i32,
                )?;
                return Some((Piece::Day(d), i + 5));
            }
            return None;
        }
        if a.text.len() > 2 {
            return None;
        }
        let spaced_sep = |k: usize| -> bool {
            // allow "2 / 15", "15 - 2"
            sep_at(k).is_some()
        };
        if !spaced_sep(i + 1) {
            // "31 10 1974" / "10 31 1974": three numbers with a four-digit year
            if self.is_num(i + 1)
                && self.n.text_at(i + 1).len() <= 2
                && self.n.text_at(i + 2).len() == 4
                && self.is_num(i + 2)
            {
                let (x, y, yr) = (a.num?, self.num(i + 1)?, self.num(i + 2)?);
                let (m, d) = if x > 12 { (y, x) } else { (x, y) };
                return Some((Piece::Day(mk_date(yr as i32, m as i32, d as i32)?), i + 3));
            }
            // "31/Oct/1974" handled below
            return None;
        }
        let s = sep_at(i + 1)?;
        let x = a.num?;
        // 31/Oct/1974, 31-Oct-74
        if let Some(m) = month(self.w(i + 2))
            && self.w(i + 3) == s
            && self.is_num(i + 4)
        {
            let y = self.num(i + 4)?;
            let yr = if self.n.text_at(i + 4).len() == 2 {
                year_of_two(y)
            } else {
                y as i32
            };
            return Some((Piece::Day(mk_date(yr, m as i32, x as i32)?), i + 5));
        }
        let bt = self.n.tok(i + 2)?;
        if bt.kind != Kind::Num {
            return None;
        }
        let y = bt.num?;
        // phone-like digit groups are no date
        if bt.text.len() > 2 && bt.text.len() != 4 {
            return None;
        }
        if s == "." && (self.w(i + 3) != "." || !self.is_num(i + 4)) {
            return None;
        }
        if bt.text.len() == 4 {
            // 2/2013: month grain
            if (1..=12).contains(&x) && s == "/" {
                return Some((Piece::Month(y as i16, x as i8), i + 3));
            }
            return None;
        }
        let (m, d) = if x > 12 { (y, x) } else { (x, y) };
        if self.w(i + 3) == s && self.is_num(i + 4) {
            let yt = self.n.tok(i + 4)?;
            if self.w(i + 5) == s || self.w(i + 5) == "-" {
                return None; // a phone number
            }
            let yr = match yt.text.len() {
                2 => year_of_two(yt.num?),
                4 => yt.num? as i32,
                _ => return None,
            };
            return Some((Piece::Day(mk_date(yr, m as i32, d as i32)?), i + 5));
        }
        if s == "-" && (x > 31 || y > 31) {
            return None;
        }
        // "3-4pm" and clock ranges are no dates
        if s == "-"
            && (self.ampm(i + 3).is_some() || self.w(i + 3) == ":" || self.part(i + 3).is_some())
        {
            return None;
        }
        if s == "-" && i > 0 && month(self.w(i - 1)).is_some() {
            return None;
        }
        if month(self.w(i + 3)).is_some() {
            return None;
        }
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some((
            Piece::Day(self.resolve_md(None, m as i32, d as i32, None)?),
            i + 3,
        ))
    }

    /// Weekday with its modifiers, at i: returns the day and end.
    fn weekday_at(&self, i: usize) -> Option<(Date, usize)> {
        let mut j = i;
        let mut modifier = "";
        if matches!(
            self.w(j),
            "next" | "last" | "this" | "coming" | "upcoming" | "past" | "previous"
        ) {
            modifier = self.n.text_at(j);
            j += 1;
            if self.w(j) == "weeks" && weekday(self.w(j + 1)).is_some() {
                // "last week's sunday"
                let wd = weekday(self.w(j + 1))?;
                let monday = monday_of(self.today);
                let off = if modifier == "next" { 7 } else { -7 };
                return Some((day_in_week(add_days(monday, off)?, wd), j + 2));
            }
        }
        let wd = weekday(self.w(j))?;
        if self.w(j) == "sun" && self.w(j + 1) == "roof" {
            return None;
        }
        let mut e = j + 1;
        if self.w(e) == "." && self.glued(e) {
            e += 1;
        }
        let monday = monday_of(self.today);
        let mut plain = next_weekday(self.today, wd);
        if plain == self.today && modifier != "this" {
            plain = add_days(plain, 7)?;
        }
        // suffixes
        let k = self.skip(e, &["of", "in", "from"]);
        let k = self.skip(k, &["the"]);
        let week_shift = match (self.w(k), self.w(k + 1)) {
            ("next", "week") | ("following", "week") => Some(7),
            ("this", "week") | ("current", "week") => Some(0),
            ("last", "week") | ("previous", "week") | ("past", "week") => Some(-7),
            _ => None,
        };
        if let Some(s) = week_shift {
            return Some((day_in_week(add_days(monday, s)?, wd), k + 2));
        }
        if self.w(e) == "after" && self.w(e + 1) == "next" {
            return Some((add_days(plain, 7)?, e + 2));
        }
        let date = match modifier {
            "next" => day_in_week(add_days(monday, 7)?, wd),
            "last" | "past" | "previous" => {
                let back = add_days(self.today, -1)?;
                let diff = (back.weekday().to_monday_zero_offset() as i64
                    - wd.to_monday_zero_offset() as i64)
                    .rem_euclid(7);
                add_days(back, -diff)?
            }
            _ => plain,
        };
        Some((date, e))
    }

    /// Durations: "in 2 hours", "3 days ago", "a week from today", "7 days hence".
    fn duration(&self, i: usize) -> Option<(Piece, usize)> {
        let (in_form, j) = match self.w(i) {
            "in" | "within" => (true, i + 1),
            _ => (false, i),
        };
        let (mut qty, mut k) = match self.w(j) {
            "a" | "an" | "one" => (1.0f64, j + 1),
            "few" => (3.0, j + 1),
            "couple" => (2.0, j + 1 + usize::from(self.w(j + 1) == "of")),
            _ => {
                let (v, k) = self.number(j)?;
                (v as f64, k)
            }
        };
        if self.w(j) == "a" && matches!(self.w(j + 1), "few" | "couple") {
            qty = if self.w(j + 1) == "few" { 3.0 } else { 2.0 };
            k = j + 2;
            if self.w(k) == "of" {
                k += 1;
            }
        }
        // "2.5 hours", "2 and an half hours"
        if self.w(k) == "." && self.is_num(k + 1) && self.glued(k) {
            let frac: f64 = format!("0.{}", self.w(k + 1)).parse().unwrap_or(0.0);
            qty += frac;
            k += 2;
        }
        if self.w(k) == "and" && matches!(self.w(k + 1), "a" | "an") && self.w(k + 2) == "half" {
            qty += 0.5;
            k += 3;
        }
        let unit = self.w(k);
        let (secs, grain) = match unit {
            "second" | "seconds" | "sec" | "secs" => (1i64, Grain::Second),
            "minute" | "minutes" | "min" | "mins" => (60, Grain::Second),
            "hour" | "hours" | "hr" | "hrs" => (3600, Grain::Minute),
            "day" | "days" => (86_400, Grain::Hour),
            "week" | "weeks" => (604_800, Grain::Day),
            "fortnight" => (1_209_600, Grain::Hour),
            "month" | "months" => (0, Grain::Day),
            "year" | "years" => (0, Grain::Month),
            _ => return None,
        };
        if qty > 10_000.0 {
            return None;
        }
        let mut e = k + 1;
        let sign: i64;
        let mut from_now_exact = false;
        if in_form {
            sign = 1;
        } else {
            match (self.w(e), self.w(e + 1), self.w(e + 2)) {
                ("ago", _, _) => {
                    sign = -1;
                    e += 1;
                }
                ("hence", _, _) => {
                    sign = 1;
                    e += 1;
                }
                ("from", "right", "now") => {
                    sign = 1;
                    from_now_exact = true;
                    e += 3;
                }
                ("from", "now" | "today", _) => {
                    sign = 1;
                    e += 2;
                }
                ("from" | "after", _, _)
                    if matches!(unit, "day" | "days" | "week" | "weeks" | "fortnight")
                        && (self.weekday_at(e + 1).is_some()
                            || matches!(self.w(e + 1), "tomorrow" | "tmrw")) =>
                {
                    // "a week from Monday", "two days after tomorrow"
                    let (base, end) = match self.weekday_at(e + 1) {
                        Some(x) => x,
                        None => (add_days(self.today, 1)?, e + 2),
                    };
                    let days = match unit {
                        "day" | "days" => qty as i64,
                        "fortnight" => 14 * qty as i64,
                        _ => 7 * qty as i64,
                    };
                    return Some((Piece::Day(add_days(base, days)?), end));
                }
                ("later", _, _) => {
                    sign = 1;
                    e += 1;
                }
                _ => return None,
            }
        }
        if self.w(i) == "within" {
            return None;
        }
        let frac = qty.fract() != 0.0;
        let (value, grain) = if secs > 0 {
            let total = (qty * secs as f64) as i64 * sign;
            let t = self
                .now
                .checked_add(Span::new().try_seconds(total).ok()?)
                .ok()?;
            let g = if frac || from_now_exact {
                Grain::Second
            } else {
                grain
            };
            // "a fortnight hence": like days
            let g = if unit == "fortnight" { Grain::Hour } else { g };
            // weeks ago/hence: day grain at midnight; days: hour grain
            let g = if matches!(unit, "week" | "weeks") && !in_form {
                Grain::Day
            } else {
                g
            };
            let g = if matches!(unit, "week" | "weeks") && in_form {
                Grain::Day
            } else {
                g
            };
            (truncate(t, g), g)
        } else {
            let n = qty as i64 * sign;
            let span = if unit.starts_with("month") {
                Span::new().try_months(n).ok()?
            } else {
                Span::new().try_years(n).ok()?
            };
            let t = self.now.checked_add(span).ok()?;
            (truncate(t, grain), grain)
        };
        Some((Piece::Instant(value, grain), e))
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

fn piece_at(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
    let w = s.w(i);
    let w1 = s.w(i + 1);
    let w2 = s.w(i + 2);
    let today = s.today;
    // ASAP and now
    match w {
        "asap" | "soonest" => return Some((Piece::Asap, i + 1, false)),
        "as" if w1 == "soon" && w2 == "as" && matches!(s.w(i + 3), "possible" | "you" | "ya") => {
            let e = if s.w(i + 3) == "possible" {
                i + 4
            } else {
                i + 5
            };
            return Some((Piece::Asap, e, false));
        }
        "right" if w1 == "away" => return Some((Piece::Asap, i + 2, false)),
        "right" | "just" if w1 == "now" => {
            return Some((Piece::Instant(s.now, Grain::Second), i + 2, false));
        }
        "now" if i == 0 && s.len() <= 2 => {
            return Some((Piece::Instant(s.now, Grain::Second), i + 1, false));
        }
        "atm" => return Some((Piece::Instant(s.now, Grain::Second), i + 1, false)),
        "at" if w1 == "the" && w2 == "moment" => {
            return Some((Piece::Instant(s.now, Grain::Second), i + 3, false));
        }
        _ => {}
    }
    // relative days
    let rel = |off: i64, e: usize| add_days(today, off).map(|d| (Piece::Day(d), e, false));
    match w {
        "today" | "todays" => return rel(0, i + 1),
        "tomorrow" | "tomorrows" | "tmrw" | "tmr" | "tomorow" | "tommorow" | "tommorrow" => {
            return rel(1, i + 1);
        }
        "yesterday" => return rel(-1, i + 1),
        "last" if w1 == "night" => {
            let d = add_days(today, -1)?;
            return Some((
                Piece::Span(dt(d, 18, 0, 0), dt(today, 0, 0, 0), Grain::Hour),
                i + 2,
                false,
            ));
        }
        "tonight" | "tonite" => {
            return Some((Piece::Part(Part::Evening), i + 1, false));
        }
        "the" | "day" if (w == "day" || w1 == "day") => {
            let k = if w == "the" { i + 2 } else { i + 1 };
            match (s.w(k), s.w(k + 1)) {
                ("after", "tomorrow") => return rel(2, k + 2),
                ("before", "yesterday") => return rel(-2, k + 2),
                _ => {}
            }
        }
        "at" if w1 == "this" && w2 == "time" => return rel(0, i + 3),
        _ => {}
    }
    if w == "this" && w1 == "week" && w2 == "-" && s.w(i + 3) == "end" {
        let fri = next_weekday(today, Weekday::Friday);
        return Some((
            Piece::Span(
                dt(fri, 18, 0, 0),
                dt(add_days(fri, 3)?, 0, 0, 0),
                Grain::Hour,
            ),
            i + 4,
            false,
        ));
    }
    if let Some(r) = ordinal_weekday(s, i) {
        return Some(r);
    }
    if let Some(r) = counted_period(s, i) {
        return Some(r);
    }
    // weeks, months, years with modifiers
    let shift = match w {
        "this" | "current" | "coming" if w != "coming" => Some(0),
        "next" | "coming" | "upcoming" | "following" => Some(1),
        "last" | "past" | "previous" => Some(-1),
        _ => None,
    };
    if let Some(sh) = shift {
        match w1 {
            "week" => {
                let monday = monday_of(today);
                return Some((Piece::Week(add_days(monday, 7 * sh)?), i + 2, false));
            }
            "weekend" | "week-end" => {
                let fri = next_weekday(today, Weekday::Friday);
                let fri = add_days(fri, if sh > 0 { 7 } else { 0 })?;
                return Some((
                    Piece::Span(
                        dt(fri, 18, 0, 0),
                        dt(add_days(fri, 3)?, 0, 0, 0),
                        Grain::Hour,
                    ),
                    i + 2,
                    false,
                ));
            }
            "month" => {
                let first = today
                    .first_of_month()
                    .checked_add(Span::new().months(sh))
                    .ok()?;
                return Some((Piece::Month(first.year(), first.month()), i + 2, false));
            }
            "year" | "yr" => {
                return Some((Piece::Year(today.year() + sh as i16), i + 2, false));
            }
            _ => {}
        }
    }
    if w == "this" && w1 == "week" && w2 == "-" && s.w(i + 3) == "end" {
        let fri = next_weekday(today, Weekday::Friday);
        return Some((
            Piece::Span(
                dt(fri, 18, 0, 0),
                dt(add_days(fri, 3)?, 0, 0, 0),
                Grain::Hour,
            ),
            i + 4,
            false,
        ));
    }
    if w == "weekend" && matches!(s.w(i.wrapping_sub(1)), "the" | "this" | "on") {
        let fri = next_weekday(today, Weekday::Friday);
        return Some((
            Piece::Span(
                dt(fri, 18, 0, 0),
                dt(add_days(fri, 3)?, 0, 0, 0),
                Grain::Hour,
            ),
            i + 1,
            false,
        ));
    }
    if w == "week" && w1 == "after" && w2 == "next" {
        let monday = monday_of(today);
        return Some((Piece::Week(add_days(monday, 14)?), i + 3, false));
    }
    if w == "all" && w1 == "week" {
        let monday = monday_of(today);
        return Some((Piece::DayRange(monday, add_days(monday, 6)?), i + 2, false));
    }
    // end/beginning of month/year
    if let Some(r) = edge_of_period(s, i) {
        return Some(r);
    }
    if w == "eom" {
        let first = today.first_of_month();
        let next = first.checked_add(Span::new().months(1)).ok()?;
        return Some((
            Piece::DayRange(
                mk_date(first.year() as i32, first.month() as i32, 21)?,
                next,
            ),
            i + 1,
            false,
        ));
    }
    if w == "eoy" {
        let y = today.year() as i32;
        return Some((
            Piece::Span(
                dt(mk_date(y, 9, 1)?, 0, 0, 0),
                dt(mk_date(y + 1, 1, 1)?, 0, 0, 0),
                Grain::Month,
            ),
            i + 1,
            false,
        ));
    }
    // "14" right after "which day?"
    if s.asked_date
        && i == 0
        && s.len() <= 2
        && let Some(v) = s.num(0)
        && (1..=31).contains(&v)
        && s.n.text_at(0).len() <= 2
    {
        return Some((Piece::Day(s.next_dom(v)?), 1, false));
    }
    // holidays
    if let Some((d, e)) = holiday(s, i) {
        return Some((Piece::Day(d), e, false));
    }
    // weekdays
    if let Some((d, e)) = s.weekday_at(i) {
        return Some((Piece::Day(d), e, false));
    }
    // durations
    if let Some((p, e)) = s.duration(i) {
        return Some((p, e, false));
    }
    // years: "in 2014", "on 2016"
    if matches!(w, "in" | "on" | "during" | "since")
        && s.n
            .tok(i + 1)
            .is_some_and(|t| t.kind == Kind::Num && t.text.len() == 4)
        && let Some(y) = s.num(i + 1)
        && (1000..=2999).contains(&y)
        && !matches!(s.w(i + 2), ":" | "/" | "-")
    {
        let mut e = i + 2;
        if s.w(e) == "ad" {
            e += 1;
        } else if s.w(e) == "a" && s.w(e + 1) == "." && s.w(e + 2) == "d" {
            e += 3 + usize::from(s.w(e + 3) == ".");
        }
        return Some((Piece::Year(y as i16), e, false));
    }
    // "tmrw am", "friday pm"
    if matches!(w, "am" | "pm")
        && i > 0
        && (matches!(s.w(i - 1), "tomorrow" | "tmrw" | "tmr" | "today")
            || weekday(s.w(i - 1)).is_some())
    {
        let p = if w == "am" {
            Part::Morning
        } else {
            Part::Afternoon
        };
        return Some((Piece::Part(p), i + 1, false));
    }
    // part of day
    // "good afternoon" greets; it wants no afternoon
    if matches!(w, "morning" | "afternoon" | "evening" | "night" | "day")
        && i > 0
        && s.w(i - 1) == "good"
    {
        return None;
    }
    if let Some((p, e)) = s.part(i)
        && (w != "am" || s.glued(i))
    {
        let explicit = matches!(w, "this" | "in" | "at") || i > 0 && !s.is_num(i - 1);
        return Some((Piece::Part(p), e, !explicit));
    }
    if w == "first" && w1 == "thing" {
        let mut e = i + 2;
        if s.w(e) == "in" && s.w(e + 1) == "the" && s.w(e + 2) == "morning" {
            e += 3;
        }
        return Some((Piece::Part(Part::Morning), e, false));
    }
    if w == "after" && matches!(w1, "lunch" | "lunchtime") {
        return Some((Piece::Part(Part::AfterLunch), i + 2, false));
    }
    if w == "after" && w1 == "work" {
        return Some((Piece::Part(Part::AfterWork), i + 2, false));
    }
    if w == "after" && w1 == "school" {
        return Some((Piece::Part(Part::AfterSchool), i + 2, false));
    }
    // dates
    if let Some((p, e)) = s.date(i) {
        // a month alone is latent
        let latent = matches!(p, Piece::Month(..)) && s.len() <= 2;
        return Some((p, e, latent));
    }
    // clocks
    let prev = if i > 0 { s.w(i - 1) } else { "" };
    // "-" joins two clocks ("9-11am") only after a number or am/pm, not in "CX-5"
    let dash_after_clock =
        prev == "-" && i >= 2 && (s.is_num(i - 2) || matches!(s.w(i - 2), "am" | "pm" | "m" | "."));
    let after_at = (AT_WORDS.contains(&prev) && !matches!(prev, "for" | "about" | "past"))
        || dash_after_clock
        || matches!(prev, "and" | "morning" | "afternoon" | "evening" | "night")
        || (i == 0 && matches!(w1, "tomorrow" | "today" | "tonight"))
        || (s.asked_time && i == 0 && s.len() <= 2);
    if let Some((c, e)) = s.clock(i, after_at) {
        // a lone number word is a time only when asked or after "at"
        if c.latent && c.grain == Grain::Hour && !AT_WORDS.contains(&prev) && !s.asked_time {
            return None;
        }
        let latent = c.latent;
        return Some((Piece::Clock(c), e, latent));
    }
    // bare year: "1974" alone (latent)
    if let Some(t) = s.n.tok(i)
        && t.kind == Kind::Num
        && t.text.len() == 4
        && s.len() == 1
        && let Some(y) = t.num
        && (1000..=2999).contains(&y)
    {
        return Some((Piece::Year(y as i16), i + 1, true));
    }
    None
}

/// US holidays that callers book around: fixed dates and the Thanksgiving family. The next
/// occurrence from today, or the one of a year said after it.
fn holiday(s: &Scan, i: usize) -> Option<(Date, usize)> {
    let w = |k: usize| s.w(k);
    // (words, month, day) with day 0 for computed ones
    let (len, key): (usize, &str) = match (w(i), w(i + 1), w(i + 2)) {
        ("christmas" | "xmas", "eve", _) => (2, "xmas_eve"),
        ("christmas" | "xmas", "day", _) => (2, "xmas"),
        ("christmas" | "xmas", _, _) => (1, "xmas"),
        ("new", "years" | "year", "eve") => (3, "nye"),
        ("new", "years" | "year", "day") => (3, "ny"),
        ("independence", "day", _) => (2, "july4"),
        ("halloween", _, _) => (1, "halloween"),
        ("valentines", "day", _) => (2, "valentine"),
        ("thanksgiving", "day", _) => (2, "thanksgiving"),
        ("thanksgiving", _, _) => (1, "thanksgiving"),
        ("black", "friday", _) => (2, "black_friday"),
        ("memorial", "day", _) => (2, "memorial"),
        ("labor" | "labour", "day", _) => (2, "labor"),
        _ => return None,
    };
    let on = |y: i32| -> Option<Date> {
        let nth_weekday = |m: i32, wd: Weekday, n: i64| {
            mk_date(y, m, 1).and_then(|f| add_days(next_weekday(f, wd), 7 * (n - 1)))
        };
        match key {
            "xmas_eve" => mk_date(y, 12, 24),
            "xmas" => mk_date(y, 12, 25),
            "nye" => mk_date(y, 12, 31),
            "ny" => mk_date(y, 1, 1),
            "july4" => mk_date(y, 7, 4),
            "halloween" => mk_date(y, 10, 31),
            "valentine" => mk_date(y, 2, 14),
            "thanksgiving" => nth_weekday(11, Weekday::Thursday, 4),
            "black_friday" => nth_weekday(11, Weekday::Thursday, 4).and_then(|d| add_days(d, 1)),
            "labor" => nth_weekday(9, Weekday::Monday, 1),
            "memorial" => {
                let last = mk_date(y, 5, 31)?;
                let back = (last.weekday().to_monday_zero_offset() as i64).rem_euclid(7);
                add_days(last, -back)
            }
            _ => None,
        }
    };
    let (year, end) = s.year_after(i + len);
    let date = match year {
        Some(y) => on(y)?,
        None => {
            let this = on(s.today.year() as i32)?;
            if this >= s.today {
                this
            } else {
                on(s.today.year() as i32 + 1)?
            }
        }
    };
    Some((date, end))
}

/// "end of the month", "beginning of January", "early March", "end of the year",
/// "beginning of last week".
/// "first tuesday of october", "third tuesday of september 2014", "last Monday of March",
/// "the first Monday of this month", "last day of october 2015", "3 fridays from now".
fn ordinal_weekday(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
    let mut j = i;
    if s.w(j) == "the" {
        j += 1;
    }
    // "3 fridays from now"
    if let Some((count, k)) = s.number(j)
        && let Some(wd) = weekday(s.w(k))
        && s.w(k).ends_with('s')
        && s.w(k + 1) == "from"
        && matches!(s.w(k + 2), "now" | "today")
        && (1..=520).contains(&count)
    {
        let mut d = next_weekday(s.today, wd);
        if d == s.today {
            d = add_days(d, 7)?;
        }
        return Some((
            Piece::Day(add_days(d, 7 * (count as i64 - 1))?),
            k + 3,
            false,
        ));
    }
    // "last week of september 2014", "the 3rd last week of 2018": the n-th last whole week
    {
        let (back, k) = if s.w(j) == "last" {
            (Some(1u32), j + 1)
        } else if let Some((v, used)) = ordinal(s.n, j)
            && s.w(j + used) == "last"
        {
            (Some(v), j + used + 1)
        } else {
            (None, j)
        };
        if let Some(back) = back
            && s.w(k) == "week"
            && matches!(s.w(k + 1), "of" | "in")
            && (1..=52).contains(&back)
        {
            let m = k + 2 + usize::from(s.w(k + 2) == "the");
            let (last_day, end) = if let Some(mo) = month(s.w(m)) {
                let (y, e) = s.year_after(m + 1);
                let y = y.unwrap_or(s.month_year(mo) as i32);
                let first = mk_date(y, mo as i32, 1)?;
                (
                    add_days(first.checked_add(Span::new().months(1)).ok()?, -1)?,
                    e,
                )
            } else if let Some(t) = s.n.tok(m)
                && t.kind == Kind::Num
                && t.text.len() == 4
            {
                (mk_date(t.num? as i32, 12, 31)?, m + 1)
            } else {
                return None;
            };
            // the last Monday whose week ends inside the period
            let sunday_back = (last_day.weekday().to_monday_zero_offset() as i64 + 1) % 7;
            let last_sunday = add_days(last_day, -sunday_back)?;
            let monday = add_days(last_sunday, -6 - 7 * (back as i64 - 1))?;
            return Some((Piece::Week(monday), end, false));
        }
    }
    let (nth, k) = if s.w(j) == "last" {
        (0u32, j + 1)
    } else {
        let (v, used) = ordinal(s.n, j)?;
        (v, j + used)
    };
    let target = s.w(k);
    let wd = weekday(target);
    let is_day = target == "day";
    if wd.is_none() && !is_day {
        return None;
    }
    // "third tuesday after christmas 2014", "the first monday after the 15th"
    if let Some(wd) = wd
        && nth > 0
        && s.w(k + 1) == "after"
    {
        let base = holiday(s, k + 2).or_else(|| {
            let j = s.skip(k + 2, &["the"]);
            match s.date(j) {
                Some((Piece::Day(d), e)) => Some((d, e)),
                _ => None,
            }
        });
        if let Some((base, end)) = base {
            let first = next_weekday(add_days(base, 1)?, wd);
            return Some((
                Piece::Day(add_days(first, 7 * (nth as i64 - 1))?),
                end,
                false,
            ));
        }
    }
    if !matches!(s.w(k + 1), "of" | "in") {
        return None;
    }
    let mut m = k + 2;
    if s.w(m) == "the" {
        m += 1;
    }
    let (first, end) = if let Some(mo) = month(s.w(m)) {
        let (y, e) = s.year_after(m + 1);
        let y = y.unwrap_or(s.month_year(mo) as i32);
        (mk_date(y, mo as i32, 1)?, e)
    } else {
        let (shift, e) = match (s.w(m), s.w(m + 1)) {
            ("this" | "current", "month") => (0, m + 2),
            ("month", _) => (0, m + 1),
            ("next", "month") => (1, m + 2),
            ("last" | "previous" | "past", "month") => (-1, m + 2),
            _ => return None,
        };
        (
            s.today
                .first_of_month()
                .checked_add(Span::new().months(shift))
                .ok()?,
            e,
        )
    };
    let next_month = first.checked_add(Span::new().months(1)).ok()?;
    let date = match (wd, nth) {
        (Some(wd), 0) => {
            let last = add_days(next_month, -1)?;
            let back = (last.weekday().to_monday_zero_offset() as i64
                - wd.to_monday_zero_offset() as i64)
                .rem_euclid(7);
            add_days(last, -back)?
        }
        (Some(wd), n) => add_days(next_weekday(first, wd), 7 * (n as i64 - 1))?,
        (None, 0) => add_days(next_month, -1)?,
        (None, n) => add_days(first, n as i64 - 1)?,
    };
    if date >= next_month {
        return None;
    }
    Some((Piece::Day(date), end, false))
}

/// "last 2 days", "next 3 hours", "past 2 weeks", "upcoming two weeks", "2 upcoming years".
fn counted_period(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
    let (dir, count, k) = match s.w(i) {
        "last" | "past" | "next" | "upcoming" | "coming" => {
            let (c, k) = s.number(i + 1)?;
            (s.w(i), c, k)
        }
        _ => {
            let (c, k) = s.number(i)?;
            if !matches!(s.w(k), "upcoming" | "coming" | "next") {
                return None;
            }
            (s.w(k), c, k + 1)
        }
    };
    if !(1..=1000).contains(&count) {
        return None;
    }
    let unit = s.w(k).trim_end_matches('s');
    let grain = match unit {
        "second" | "sec" => Grain::Second,
        "minute" | "min" => Grain::Minute,
        "hour" | "hr" => Grain::Hour,
        "day" => Grain::Day,
        "week" => Grain::Week,
        "month" => Grain::Month,
        "year" | "yr" => Grain::Year,
        _ => return None,
    };
    let n = count as i64;
    let step = |t: DateTime, times: i64| -> Option<DateTime> {
        let span = match grain {
            Grain::Second => Span::new().try_seconds(times).ok()?,
            Grain::Minute => Span::new().try_minutes(times).ok()?,
            Grain::Hour => Span::new().try_hours(times).ok()?,
            Grain::Day => Span::new().try_days(times).ok()?,
            Grain::Week => Span::new().try_weeks(times).ok()?,
            Grain::Month => Span::new().try_months(times).ok()?,
            Grain::Year => Span::new().try_years(times).ok()?,
        };
        t.checked_add(span).ok()
    };
    let base = truncate(s.now, grain);
    let e = k + 1;
    match dir {
        "last" | "past" => {
            let start = step(base, -n)?;
            Some((Piece::Span(start, base, grain), e, false))
        }
        "next" => {
            let start = step(base, 1)?;
            Some((Piece::Span(start, step(base, n + 1)?, grain), e, false))
        }
        _ => {
            // "upcoming two weeks": the week two weeks from now
            let start = step(base, n)?;
            Some((Piece::Instant(start, grain), e, false))
        }
    }
}

fn edge_of_period(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
    let mut j = i;
    if s.w(j) == "at" {
        j += 1;
    }
    if s.w(j) == "the" {
        j += 1;
    }
    let kind = match s.w(j) {
        "end" => "end",
        "beginning" | "start" => "begin",
        "early" => "early",
        "eom" => "eom",
        _ => return None,
    };
    let mut k = j + 1;
    if kind != "early" {
        if s.w(k) != "of" {
            return None;
        }
        k += 1;
    }
    if s.w(k) == "the" {
        k += 1;
    }
    let today = s.today;
    let (shift, k) = match s.w(k) {
        "next" => (1, k + 1),
        "last" | "past" | "previous" => (-1, k + 1),
        "this" => (0, k + 1),
        _ => (0, k),
    };
    match s.w(k) {
        "month" => {
            let first = today
                .first_of_month()
                .checked_add(Span::new().months(shift))
                .ok()?;
            let next = first.checked_add(Span::new().months(1)).ok()?;
            let (a, b) = if kind == "end" {
                (
                    mk_date(first.year() as i32, first.month() as i32, 21)?,
                    next,
                )
            } else {
                (first, add_days(first, 10)?)
            };
            Some((Piece::DayRange(a, b), k + 1, false))
        }
        "year" => {
            let y = today.year() as i32 + shift;
            let (a, b) = if kind == "end" {
                (mk_date(y, 9, 1)?, mk_date(y + 1, 1, 1)?)
            } else {
                (mk_date(y, 1, 1)?, mk_date(y, 5, 1)?)
            };
            Some((
                Piece::Span(dt(a, 0, 0, 0), dt(b, 0, 0, 0), Grain::Month),
                k + 1,
                false,
            ))
        }
        "week" => {
            let monday = add_days(monday_of(today), 7 * shift as i64)?;
            let (a, b) = if kind == "end" {
                (add_days(monday, 4)?, add_days(monday, 7)?)
            } else {
                (monday, add_days(monday, 3)?)
            };
            Some((Piece::DayRange(a, b), k + 1, false))
        }
        w => {
            let m = month(w)?;
            let y = s.month_year(m) as i32;
            let first = mk_date(y, m as i32, 1)?;
            let (a, b) = if kind == "end" {
                (
                    mk_date(y, m as i32, 21)?,
                    first.checked_add(Span::new().months(1)).ok()?,
                )
            } else {
                (first, add_days(first, 10)?)
            };
            Some((Piece::DayRange(a, b), k + 1, false))
        }
    }
}

fn is_range_sep(s: &Scan, from: usize, to: usize) -> bool {
    let words: Vec<&str> = (from..to)
        .map(|k| s.w(k))
        .filter(|w| !matches!(*w, "gmt" | "utc" | "pst" | "est" | "cst" | "mst" | "bst"))
        .collect();
    matches!(
        words.as_slice(),
        ["-"]
            | ["to"]
            | ["till"]
            | ["til"]
            | ["until"]
            | ["untill"]
            | ["thru"]
            | ["through"]
            | ["and"]
            | ["but", "before"]
            | ["-", "-"]
    )
}

fn combine(
    s: &Scan,
    found: &[Found],
    ctx: &Context,
    in_context: bool,
    offset: Option<i32>,
) -> Option<TimeExpr> {
    if found.is_empty() {
        // "any day but Friday": from today on, without those days
        let except = except_weekdays(s);
        if except.is_empty() {
            return None;
        }
        return Some(TimeExpr {
            text: s.n.raw.clone(),
            start: dt(s.today, 0, 0, 0),
            grain: Grain::Day,
            end: None,
            bound: Bound::After,
            has_date: false,
            has_clock: false,
            asap: false,
            except_weekdays: except,
            correction: is_correction(s),
            latent: false,
        });
    }
    let n = s.n;
    // Merge clock ranges: CLOCK sep CLOCK, with "between"/"from" optional.
    let mut items: Vec<Found> = Vec::with_capacity(found.len());
    let mut k = 0;
    while k < found.len() {
        let f = found[k];
        if k + 1 < found.len() {
            let g = found[k + 1];
            if is_range_sep(s, f.to, g.from) {
                match (f.piece, g.piece) {
                    (Piece::Clock(a), Piece::Clock(b)) => {
                        let mut a = a;
                        let b2 = b;
                        if a.pm.is_none()
                            && !a.h24
                            && let Some(pm) = b.pm
                        {
                            // "3-4pm", "9-11am", "11:30-1:30pm"? keep a before b
                            let ah = clock_hour(&Clock { pm: Some(pm), ..a }, None);
                            let bh = clock_hour(&b, None);
                            if ah <= bh {
                                a.pm = Some(pm);
                            } else {
                                a.pm = Some(!pm);
                            }
                        }
                        items.push(Found {
                            wd: None,
                            piece: Piece::ClockRange(a, b2),
                            from: f.from,
                            to: g.to,
                            latent: false,
                        });
                        k += 2;
                        continue;
                    }
                    (Piece::Day(a), Piece::Day(b))
                        if b > a
                            || (f.from..f.to).all(|j| month(s.w(j)).is_none())
                                && mk_date(b.year() as i32, b.month() as i32, a.day() as i32)
                                    .is_some_and(|x| x < b) =>
                    {
                        let a = if (f.from..f.to)
                            .all(|j| month(s.w(j)).is_none() && weekday(s.w(j)).is_none())
                        {
                            mk_date(b.year() as i32, b.month() as i32, a.day() as i32).unwrap_or(a)
                        } else {
                            a
                        };
                        items.push(Found {
                            wd: None,
                            piece: Piece::DayRange(a, add_days(b, 1).unwrap_or(b)),
                            from: f.from,
                            to: g.to,
                            latent: false,
                        });
                        k += 2;
                        continue;
                    }
                    _ => {}
                }
            }
        }
        items.push(f);
        k += 1;
    }
    // Day ranges like "July 13-15", "from 13 to 15 July", "1-8 september".
    day_ranges(s, &mut items);
    weekday_with_date(s, &mut items);

    let mut day: Option<(Found, Piece)> = None;
    let mut clock: Option<Found> = None;
    let mut part: Option<(Found, Part)> = None;
    let mut other: Option<Found> = None;
    let mut asap = false;
    for f in &items {
        match f.piece {
            Piece::Day(_)
            | Piece::DayRange(..)
            | Piece::Week(_)
            | Piece::Month(..)
            | Piece::Year(_) => {
                if day.is_none() {
                    day = Some((*f, f.piece));
                }
            }
            Piece::Clock(_) | Piece::ClockRange(..) => {
                if clock.is_none() {
                    clock = Some(*f);
                }
            }
            Piece::Part(p) => {
                if part.is_none() {
                    part = Some((*f, p));
                }
            }
            Piece::Asap => asap = true,
            Piece::Instant(..) | Piece::Span(..) => {
                if other.is_none() {
                    other = Some(*f);
                }
            }
        }
    }
    // Two-part day: "Thursday ... 9:30 - 11:00 on Thursday" is fine; a month followed by a
    // day-of-month already merged.
    let first = items.iter().map(|f| f.from).min().unwrap_or(0);
    let last = items.iter().map(|f| f.to).max().unwrap_or(0);
    let text = n.span(first, last).to_string();
    let mut latent = items.iter().all(|f| f.latent);
    let mut bound = Bound::Exact;
    let before_words = |f: &Found| -> Vec<&str> {
        let a = f.from.saturating_sub(3);
        (a..f.from).map(|k| s.w(k)).collect()
    };
    let mut e = TimeExpr {
        text,
        start: ctx.now,
        grain: Grain::Second,
        end: None,
        bound: Bound::Exact,
        has_date: false,
        has_clock: false,
        asap,
        except_weekdays: except_weekdays(s),
        correction: is_correction(s),
        latent: false,
    };
    let part_p = part.map(|(_, p)| p);
    // "tonight ... and tomorrow": tonight said first wins the day
    let tonight_first = part.is_some_and(|(f, _)| {
        matches!(s.w(f.from), "tonight" | "tonite") && day.is_none_or(|(d, _)| f.from < d.from)
    });
    let day = if tonight_first && clock.is_none() {
        None
    } else {
        day
    };
    let day_date: Option<Date> = match day.map(|d| d.1) {
        Some(Piece::Day(d)) => Some(d),
        Some(Piece::DayRange(a, _)) => Some(a),
        _ => match other.map(|o| o.piece) {
            // "in 2 days at 0:10"
            Some(Piece::Instant(t, g)) if g >= Grain::Hour && t.date() != s.today => Some(t.date()),
            _ => None,
        },
    };
    let tonight_day = part
        .and_then(|(f, _)| matches!(s.w(f.from), "tonight" | "tonite" | "this").then_some(s.today));
    if let Some(cf) = clock {
        let bw = before_words(&cf);
        let bl = bw.last().copied().unwrap_or("");
        let bl2 = if bw.len() >= 2 { bw[bw.len() - 2] } else { "" };
        match cf.piece {
            Piece::Clock(c) => {
                let on = day_date.or(tonight_day);
                let start = match on {
                    Some(d) => dt(d, day_clock_hour(&c, part_p), c.m, c.s),
                    None => next_clock(&c, part_p, s.now),
                };
                e.start = start;
                e.grain = c.grain;
                e.has_clock = true;
                e.has_date = on.is_some();
                if matches!(bl, "after" | "from") && !matches!(bl2, "from") {
                    bound = if bl == "after" {
                        Bound::After
                    } else {
                        Bound::Exact
                    };
                } else if matches!(bl, "before" | "by" | "until" | "till" | "til")
                    || bl == "than" && bl2 == "earlier"
                    || bl == "than" && bl2 == "later" && matches!(bw.first(), Some(&"no" | &"not"))
                {
                    // "no later than noon" is a deadline
                    bound = Bound::Before;
                } else if bl == "than" && bl2 == "later" {
                    bound = Bound::After;
                }
                // "4pm for 30 mins"
                if let Some((mins, k)) = s.number(cf.to + 1).filter(|_| s.w(cf.to) == "for") {
                    let per = match s.w(k) {
                        "min" | "mins" | "minute" | "minutes" | "'" => Some(1),
                        "hour" | "hours" | "hr" | "hrs" => Some(60),
                        _ => None,
                    };
                    if let Some(per) = per
                        && let Ok(end) = e.start.checked_add(
                            Span::new().minutes(mins.saturating_mul(per).min(10_000) as i64),
                        )
                    {
                        e.grain = Grain::Minute;
                        e.end = Some(next_grain(end, Grain::Minute));
                    }
                }
                // "later than 9:30 but before 11:00"
                if bound == Bound::After
                    && let Some(next) = items.iter().find(|f| f.from > cf.from)
                    && let Piece::Clock(b) = next.piece
                    && s.w(next.from.wrapping_sub(1)) == "before"
                {
                    let bstart = match on {
                        Some(d) => dt(d, clock_hour(&b, part_p), b.m, b.s),
                        None => next_clock(&b, part_p, s.now),
                    };
                    let g = c.grain.min(b.grain);
                    e.grain = g;
                    e.end = Some(next_grain(bstart, g));
                    bound = Bound::Exact;
                }
            }
            Piece::ClockRange(a, b) => {
                let on = day_date.or(tonight_day);
                let start = match on {
                    Some(d) => dt(d, day_clock_hour(&a, part_p), a.m, a.s),
                    None => next_clock(&a, part_p, s.now),
                };
                let mut bh = clock_hour(&b, part_p);
                let ah = start.hour() as u32;
                if !b.h24 && b.pm.is_none() && bh < ah && bh + 12 < 24 {
                    bh += 12;
                }
                let mut end = dt(start.date(), bh, b.m, b.s);
                if end <= start {
                    end = end.checked_add(1.day()).unwrap_or(end);
                }
                let g = a.grain.min(b.grain);
                e.start = start;
                e.grain = g;
                e.end = Some(next_grain(end, g));
                e.has_clock = true;
                e.has_date = on.is_some();
            }
            _ => {}
        }
        if let Some(off) = offset {
            zone_shift(s, &mut e, cf.to, off);
        }
    } else if let Some((df, dp)) = day {
        e.has_date = true;
        match dp {
            Piece::Day(d) => {
                if let Some(p) = part_p {
                    let (a, b) = p.hours();
                    e.start = dt(d, a, 0, 0);
                    e.end = Some(if b == 24 {
                        dt(add_days(d, 1)?, 0, 0, 0)
                    } else {
                        dt(d, b, 0, 0)
                    });
                    e.grain = Grain::Hour;
                    e.has_clock = true;
                } else {
                    e.start = dt(d, 0, 0, 0);
                    e.grain = Grain::Day;
                }
            }
            Piece::DayRange(a, b) => {
                e.start = dt(a, 0, 0, 0);
                e.end = Some(dt(b, 0, 0, 0));
                e.grain = Grain::Day;
            }
            Piece::Week(m) => {
                e.start = dt(m, 0, 0, 0);
                e.grain = Grain::Week;
            }
            Piece::Month(y, m) => {
                e.start = dt(Date::new(y, m, 1).ok()?, 0, 0, 0);
                e.grain = Grain::Month;
            }
            Piece::Year(y) => {
                e.start = dt(Date::new(y, 1, 1).ok()?, 0, 0, 0);
                e.grain = Grain::Year;
            }
            _ => {}
        }
        let bw = before_words(&df);
        if let Some(bl) = bw.last() {
            if matches!(*bl, "after") {
                bound = Bound::After;
            } else if matches!(*bl, "before" | "by" | "until" | "till") {
                bound = Bound::Before;
            }
        }
    } else if let Some((pf, p)) = part {
        let (a, b) = p.hours();
        let d = s.today;
        e.start = dt(d, a, 0, 0);
        e.end = Some(if b == 24 {
            dt(add_days(d, 1)?, 0, 0, 0)
        } else {
            dt(d, b, 0, 0)
        });
        e.grain = Grain::Hour;
        e.has_clock = true;
        e.has_date = matches!(s.w(pf.from), "tonight" | "tonite" | "this");
        if pf.latent && !in_context {
            latent = true;
        }
    } else if let Some(of) = other {
        match of.piece {
            Piece::Instant(t, g) => {
                e.start = t;
                e.grain = g;
                e.has_date = true;
                e.has_clock = g <= Grain::Hour;
            }
            Piece::Span(a, b, g) => {
                e.start = a;
                e.end = Some(b);
                e.grain = g;
                e.has_date = true;
            }
            _ => {}
        }
    } else if asap {
        e.start = s.now;
        e.grain = Grain::Second;
        e.has_date = true;
        e.has_clock = true;
    } else {
        return None;
    }
    e.bound = bound;
    e.latent = latent && !in_context;
    Some(e)
}

/// "Thursday 30th June", "Sunday, Feb 10", "Tuesday 2nd": the date wins, moved to the nearest
/// month or year where it falls on that weekday when the two disagree.
fn weekday_with_date(s: &Scan, items: &mut Vec<Found>) {
    let mut k = 0;
    while k + 1 < items.len() {
        let (a, b) = (items[k], items[k + 1]);
        let near = b.from <= a.to + 2;
        if let (Some(wd), None, Piece::Day(_), Piece::Day(d), true) =
            (a.wd, b.wd, a.piece, b.piece, near)
        {
            let mut date = d;
            if date.weekday() != wd {
                let explicit_month = (b.from..b.to).any(|j| month(s.w(j)).is_some());
                let mut found = None;
                for step in 1..40 {
                    let cand = if explicit_month {
                        mk_date(d.year() as i32 + step, d.month() as i32, d.day() as i32)
                    } else {
                        let m = d
                            .first_of_month()
                            .checked_add(Span::new().months(step))
                            .ok();
                        m.and_then(|m| mk_date(m.year() as i32, m.month() as i32, d.day() as i32))
                    };
                    if let Some(c) = cand
                        && c.weekday() == wd
                    {
                        found = Some(c);
                        break;
                    }
                }
                date = found.unwrap_or(d);
            }
            items[k] = Found {
                piece: Piece::Day(date),
                wd: None,
                from: a.from,
                to: b.to,
                latent: false,
            };
            items.remove(k + 1);
        }
        k += 1;
    }
}

/// "July 13-15", "from the 13th to the 15th of July", "23rd to 26th Oct", "1-8 september".
fn day_ranges(s: &Scan, items: &mut Vec<Found>) {
    for f in items.iter_mut() {
        let Piece::Day(d) = f.piece else { continue };
        // month day - day: "July 13-15", "July 13 to 15", "July 13 - July 15"
        let k = f.to;
        let sep_len = match (s.w(k), s.w(k + 1)) {
            ("-" | "to" | "thru" | "through" | "till" | "until", _) => 1,
            _ => 0,
        };
        if sep_len == 0 {
            continue;
        }
        let mut j = k + sep_len;
        if month(s.w(j)) == Some(d.month()) {
            j += 1;
        }
        j = s.skip(j, &["the"]);
        if let Some((d2, e)) = s.day_number(j)
            && (d2 as i8) > d.day()
            && !matches!(s.w(e), ":" | "am" | "pm" | "h")
            && month(s.w(e)).is_none()
            && let Some(end) = mk_date(d.year() as i32, d.month() as i32, d2 as i32)
        {
            f.piece = Piece::DayRange(d, add_days(end, 1).unwrap_or(end));
            f.to = e;
        }
    }
    // day - day month: the first day has no month yet
    let mut extra: Vec<Found> = Vec::new();
    for f in items.iter() {
        let Piece::Day(end) = f.piece else { continue };
        // look left for "[from] [the] N[th] (to|-) [the]" before this day's number
        let mut j = f.from;
        if j == 0 {
            continue;
        }
        j -= 1;
        if s.w(j) == "the" && j > 0 {
            j -= 1;
        }
        if !matches!(s.w(j), "to" | "-" | "till" | "until" | "thru" | "through") || j == 0 {
            continue;
        }
        let mut a = j - 1;
        // a may be "th" of "13th"
        if matches!(s.w(a), "th" | "st" | "nd" | "rd") && a > 0 {
            a -= 1;
        }
        let Some(d1) = s.num(a) else { continue };
        if !(1..=31).contains(&d1) || d1 as i8 >= end.day() {
            continue;
        }
        let mut from = a;
        if from > 0 && s.w(from - 1) == "the" {
            from -= 1;
        }
        if from > 0 && s.w(from - 1) == "from" {
            from -= 1;
        }
        if let Some(start) = mk_date(end.year() as i32, end.month() as i32, d1 as i32) {
            extra.push(Found {
                wd: None,
                piece: Piece::DayRange(start, add_days(end, 1).unwrap_or(end)),
                from,
                to: f.to,
                latent: false,
            });
        }
    }
    for x in extra {
        items.retain(|f| !(f.from >= x.from && f.to <= x.to));
        items.push(x);
    }
    items.sort_by_key(|f| f.from);
    // drop pieces swallowed by a widened range
    let mut k = 1;
    while k < items.len() {
        if items[k].from < items[k - 1].to {
            items.remove(k);
        } else {
            k += 1;
        }
    }
}

/// Converts a time said in a named zone ("8:00 GMT", "9 am PST") into business-local time.
fn zone_shift(s: &Scan, e: &mut TimeExpr, after: usize, local_offset: i32) {
    let mut k = after;
    if s.w(k) == "(" {
        k += 1;
    }
    let zone = match s.w(k) {
        "gmt" | "utc" | "z" => 0,
        "bst" => 3600,
        "cet" => 3600,
        "est" => -5 * 3600,
        "edt" => -4 * 3600,
        "cst" => -6 * 3600,
        "cdt" => -5 * 3600,
        "mst" => -7 * 3600,
        "mdt" => -6 * 3600,
        "pst" => -8 * 3600,
        "pdt" => -7 * 3600,
        "ist" => 5 * 3600 + 1800,
        _ => return,
    };
    let delta = (local_offset - zone) as i64;
    if let Ok(t) = e.start.checked_add(Span::new().seconds(delta)) {
        e.start = t;
    }
    if let Some(end) = e.end
        && let Ok(t) = end.checked_add(Span::new().seconds(delta))
    {
        e.end = Some(t);
    }
    if e.grain == Grain::Hour {
        e.grain = Grain::Minute;
    }
}

/// Words that exclude the weekdays after them.
fn excludes(s: &Scan, i: usize) -> bool {
    matches!(s.w(i), "but" | "except" | "not" | "excluding" | "besides")
        || (matches!(s.w(i), "do" | "make") && matches!(s.w(i.wrapping_sub(1)), "cant" | "cannot"))
}

/// The weekday at token i follows an excluding word ("but Friday", "can't do Mondays or
/// Fridays").
fn excluded_before(s: &Scan, i: usize) -> bool {
    let mut j = i;
    let mut comma = false;
    while j > 0 && i - j < 8 {
        j -= 1;
        if excludes(s, j) {
            // "not Wednesday, Thursday": after "not", a comma starts the wanted day.
            return !(comma && s.w(j) == "not");
        }
        comma |= s.w(j) == ",";
        if !(weekday(s.w(j)).is_some() || matches!(s.w(j), "and" | "or" | "," | "on" | "a" | "nor"))
        {
            return false;
        }
    }
    false
}

/// "any day but Friday", "not Monday", "except Tuesdays".
fn except_weekdays(s: &Scan) -> Vec<Weekday> {
    let mut out = Vec::new();
    let n = s.len();
    for i in 0..n {
        if excludes(s, i) {
            let mut j = i + 1;
            while j < n && j < i + 8 {
                if s.w(i) == "not" && s.w(j) == "," {
                    break;
                }
                if let Some(wd) = weekday(s.w(j)) {
                    if !out.contains(&wd) {
                        out.push(wd);
                    }
                } else if !matches!(s.w(j), "and" | "or" | "," | "on" | "a" | "nor") {
                    break;
                }
                j += 1;
            }
        }
    }
    out
}

/// "no, make it Friday", "actually Thursday instead", "change it to 3".
fn is_correction(s: &Scan) -> bool {
    let n = s.n;
    n.has_any(&[
        "actually",
        "instead",
        "make it",
        "change it to",
        "change that to",
        "switch it to",
        "rather",
        "i meant",
        "scratch that",
    ]) || matches!(s.w(0), "no" | "nope" | "nah")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, now: DateTime) -> Option<TimeExpr> {
        let n = Normalized::new(text);
        find(&n, &Context { now, asked: None }, None)
    }

    const TUE: DateTime = DateTime::constant(2026, 11, 24, 19, 30, 0, 0);

    #[test]
    fn tomorrow_at_8_is_8_am_tomorrow() {
        let t = at("tomorrow at 8", TUE).expect("a time");
        assert_eq!(t.start, DateTime::constant(2026, 11, 25, 8, 0, 0, 0));
        assert_eq!(t.grain, Grain::Hour);
    }

    #[test]
    fn thursday_from_a_tuesday_is_this_weeks_thursday() {
        let t = at("Thursday 2 PM", TUE).expect("a time");
        assert_eq!(t.start, DateTime::constant(2026, 11, 26, 14, 0, 0, 0));
    }

    #[test]
    fn after_5_is_an_open_bound() {
        let morning = DateTime::constant(2026, 11, 24, 9, 0, 0, 0);
        let t = at("anytime after 5", morning).expect("a time");
        assert_eq!(t.bound, Bound::After);
        assert_eq!(t.start.hour(), 17);
    }

    #[test]
    fn between_2_and_4_is_an_interval_with_an_exclusive_end() {
        let t = at("between 2 and 4 on Friday", TUE).expect("a time");
        assert_eq!(t.start, DateTime::constant(2026, 11, 27, 14, 0, 0, 0));
        assert_eq!(t.end, Some(DateTime::constant(2026, 11, 27, 17, 0, 0, 0)));
    }

    #[test]
    fn asap_starts_now() {
        let t = at("I need it ASAP", TUE).expect("a time");
        assert!(t.asap);
        assert_eq!(t.start, TUE);
    }

    #[test]
    fn any_day_but_friday_excludes_friday() {
        let t = at("next week, any day but Friday", TUE).expect("a time");
        assert_eq!(t.except_weekdays, vec![Weekday::Friday]);
        assert_eq!(t.grain, Grain::Week);
    }

    #[test]
    fn any_day_but_friday_alone_is_an_open_range_without_friday() {
        let t = at("any day but Friday", TUE).expect("a time");
        assert_eq!(t.except_weekdays, vec![Weekday::Friday]);
        assert_eq!(t.bound, Bound::After);
        assert_eq!(t.start.date(), TUE.date());
    }

    #[test]
    fn the_week_after_next_starts_two_mondays_ahead() {
        let t = at("the week after next", TUE).expect("a time");
        assert_eq!(
            (t.start.date(), t.grain),
            (Date::constant(2026, 12, 7), Grain::Week)
        );
    }

    #[test]
    fn the_last_week_of_a_month_is_its_last_whole_week() {
        let t = at("last week of september 2014", TUE).expect("a time");
        assert_eq!(
            (t.start.date(), t.grain),
            (Date::constant(2014, 9, 22), Grain::Week)
        );
        let t = at("the third last week of 2018", TUE).expect("a time");
        assert_eq!(t.start.date(), Date::constant(2018, 12, 10));
    }

    #[test]
    fn thanksgiving_is_the_fourth_thursday_of_november() {
        let t = at("can you fix it before Thanksgiving", TUE).expect("a time");
        assert_eq!(t.start.date(), Date::constant(2026, 11, 26));
        assert_eq!(t.bound, Bound::Before);
    }

    #[test]
    fn no_make_it_friday_is_a_correction() {
        let t = at("no, make it Friday", TUE).expect("a time");
        assert!(t.correction);
        assert_eq!(t.start.date(), Date::constant(2026, 11, 27));
    }

    #[test]
    fn a_bare_eight_is_a_time_only_after_the_time_question() {
        let n = Normalized::new("eight");
        let asked = Context {
            now: TUE,
            asked: Some(Asked::Time),
        };
        let t = find(&n, &asked, None).expect("a time");
        assert_eq!((t.start.hour(), t.latent), (20, false));
        assert_eq!(at("eight", TUE), None);
        assert_eq!(at("8", TUE), None);
    }

    #[test]
    fn a_bare_14_after_the_date_question_is_the_14th() {
        let n = Normalized::new("14");
        let asked = Context {
            now: TUE,
            asked: Some(Asked::Date),
        };
        let t = find(&n, &asked, None).expect("a time");
        assert_eq!(
            (t.start.date(), t.grain),
            (Date::constant(2026, 12, 14), Grain::Day)
        );
    }

    #[test]
    fn morning_alone_is_a_latent_time() {
        let t = at("morning", TUE).expect("a time");
        assert!(t.latent);
    }

    #[test]
    fn a_phone_number_next_to_a_time_is_not_read_as_a_clock() {
        let t = at("tomorrow morning, my number is 512-555-0123", TUE).expect("a time");
        assert_eq!(t.start, DateTime::constant(2026, 11, 25, 0, 0, 0, 0));
        assert_eq!(t.end, Some(DateTime::constant(2026, 11, 25, 12, 0, 0, 0)));
    }

    #[test]
    fn no_later_than_noon_is_a_deadline() {
        let t = at("no later than noon on Friday", TUE).expect("a time");
        assert_eq!(t.bound, Bound::Before);
        assert_eq!(t.start, DateTime::constant(2026, 11, 27, 12, 0, 0, 0));
    }

    #[test]
    fn good_afternoon_is_a_greeting_not_a_time() {
        let t = at(
            "Good afternoon! Can I book a PPI on a 2016 Mazda CX-5 for Saturday",
            TUE,
        )
        .expect("a time");
        assert_eq!(
            (t.start.date(), t.grain),
            (Date::constant(2026, 11, 28), Grain::Day)
        );
        assert_eq!(at("good morning", TUE), None);
    }

    #[test]
    fn no_comma_thursday_is_thursday() {
        let t = at("no, Thursday", TUE).expect("a time");
        assert_eq!(t.start.date(), Date::constant(2026, 11, 26));
        assert!(t.correction);
    }

    #[test]
    fn a_phone_number_is_not_a_time() {
        assert_eq!(at("at 650-650-6500", TUE), None);
    }
}
