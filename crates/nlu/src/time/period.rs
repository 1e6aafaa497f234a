//! Holidays, "<ordinal> <weekday> of <month>", counted periods ("the next 3 days") and the
//! edges of periods ("end of the month", "beginning of next week").

use super::*;

/// US holidays that callers book around: fixed dates and the Thanksgiving family. The next
/// occurrence from today, or the one of a year said after it.
pub(super) fn holiday(s: &Scan, i: usize) -> Option<(Date, usize)> {
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
pub(super) fn ordinal_weekday(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
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
pub(super) fn counted_period(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
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

pub(super) fn edge_of_period(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
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
