//! One typed piece at a token: the entry point that tries each reader in turn (ASAP, now,
//! relative days, parts of day, clocks, dates, durations, periods).

use super::*;

pub(super) fn piece_at(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
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
        || (s.asked_time && i == 0 && s.len() <= 2)
        || hour_opens_the_answer(s, i);
    if one_as_pronoun(s, i) {
        return None;
    }
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

/// "10 works. Dana Wu, 2015 Fit", "yep, 3 works", "8 is great": after a time question, a
/// number that opens the answer (after a yes or a filler) and is taken by the next word or
/// ends the sentence is an hour, whatever else the answer goes on to say.
fn hour_opens_the_answer(s: &Scan, i: usize) -> bool {
    let opens = (0..i).all(|k| {
        matches!(
            s.w(k),
            "yep" | "yeah" | "yes" | "ok" | "okay" | "sure" | "um" | "uh" | "so" | "hmm" | ","
        )
    });
    let taken = matches!(
        s.w(i + 1),
        "" | "."
            | ","
            | "!"
            | "works"
            | "is"
            | "sounds"
            | "would"
            | "please"
            | "pls"
            | "then"
            | "thanks"
            | "ok"
            | "okay"
    );
    // "3 is too early", "10 would not work": the hour is ruled out, not taken.
    let refused = matches!(s.w(i + 1), "is" | "would")
        && matches!(
            s.w(i + 2),
            "too" | "not" | "no" | "bad" | "out" | "kinda" | "a"
        );
    s.asked_time && s.is_num(i) && opens && taken && !refused
}

/// Words after which "one" stands for a thing, not a number: "the one", "whichever one", "that
/// one", "the later one", "either one".
const BEFORE_PRONOUN_ONE: &[&str] = &[
    "the",
    "that",
    "this",
    "which",
    "whichever",
    "either",
    "any",
    "each",
    "every",
    "other",
    "another",
    "first",
    "second",
    "third",
    "last",
    "later",
    "earlier",
    "latest",
    "earliest",
    "next",
    "same",
    "good",
    "better",
    "best",
    "only",
    "new",
    "no",
];

/// "one" used as a pronoun ("whichever one is after I get off", "one of those"): never a clock,
/// even when the assistant asked for a time. "the one o'clock", "that one thirty" stay clocks.
fn one_as_pronoun(s: &Scan, i: usize) -> bool {
    let prev = if i > 0 { s.w(i - 1) } else { "" };
    let next = s.w(i + 1);
    let clock_goes_on = matches!(next, "o" | "oclock" | "am" | "pm" | "a" | "p" | ":")
        || s.is_num(i + 1)
        || matches!(
            next,
            "fifteen" | "thirty" | "forty" | "forty-five" | "fifty" | "ten" | "twenty" | "oh"
        );
    s.w(i) == "one" && !clock_goes_on && (BEFORE_PRONOUN_ONE.contains(&prev) || next == "of")
}
