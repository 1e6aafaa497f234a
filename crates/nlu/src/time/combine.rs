//! The combination step: clock ranges and day ranges merge, then one day, one clock, one part
//! of day and one other piece make the resolved expression, with its bound ("after 5",
//! "before noon") and grain; a zone said ("9 am PST") shifts it to business-local time.

use super::*;

pub(super) fn is_range_sep(s: &Scan, from: usize, to: usize) -> bool {
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

pub(super) fn combine(
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
                } else if (matches!(bl, "before" | "until" | "till" | "til")
                    || (bl == "by" && !visit_by(&bw)))
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
            } else if matches!(*bl, "before" | "until" | "till") || (*bl == "by" && !visit_by(&bw))
            {
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
pub(super) fn weekday_with_date(s: &Scan, items: &mut Vec<Found>) {
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
pub(super) fn day_ranges(s: &Scan, items: &mut Vec<Found>) {
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
pub(super) fn zone_shift(s: &Scan, e: &mut TimeExpr, after: usize, local_offset: i32) {
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

/// "bring it by Thursday", "come by at 3", "swing by Friday": a visit on that day, not a
/// deadline. `before` ends with "by".
pub(super) fn visit_by(before: &[&str]) -> bool {
    let k = before.len();
    let w = |back: usize| if back <= k { before[k - back] } else { "" };
    matches!(
        w(2),
        "come" | "stop" | "swing" | "drop" | "pop" | "it" | "in"
    )
}
