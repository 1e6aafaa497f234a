//! Clock times at a token: "3pm", "15:30", "half past three", "quarter to 5", "ten to five",
//! "noon", "9ish", "10 in the morning", "9 tonight".

use super::*;

/// A number followed by this word counts something ("3 people", "2 rooms", "4 nights", "20
/// dollars", "2 days") and is no hour. (Minutes and hours are left to the duration readers:
/// "10 minutes to 5".)
pub(super) fn counts_something(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "persons"
            | "adults"
            | "kids"
            | "children"
            | "guests"
            | "nights"
            | "rooms"
            | "beds"
            | "tickets"
            | "seats"
            | "tables"
            | "cars"
            | "tires"
            | "cards"
            | "payments"
            | "%"
            | "$"
            | "percent"
            | "dollars"
            | "bucks"
            | "miles"
            | "days"
            | "weeks"
            | "months"
            | "years"
    )
}

impl Scan<'_> {
    /// "change the number of people to 8", "a party of 6": a bare number after a count was
    /// named is that count, not an hour.
    fn changes_a_count(&self, i: usize) -> bool {
        (i.saturating_sub(12)..i)
            .any(|k| matches!(self.w(k), "number" | "party" | "group") && self.w(k + 1) == "of")
    }

    pub(super) fn clock_suffix(&self, c: &mut Clock, mut e: usize) -> usize {
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
    pub(super) fn clock(&self, i: usize, after_at: bool) -> Option<(Clock, usize)> {
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
                if counts_something(next)
                    || self.changes_a_count(i)
                    || self.is_num(i + 1)
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
    pub(super) fn relative_clock(&self, i: usize) -> Option<(Clock, usize)> {
        if let Some(r) = self.half_hour_british(i) {
            return Some(r);
        }
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

    /// "at half nine" (British): half past the hour named.
    fn half_hour_british(&self, i: usize) -> Option<(Clock, usize)> {
        if self.w(i) != "half"
            || !matches!(self.w(i.wrapping_sub(1)), "at" | "about" | "around" | "by")
        {
            return None;
        }
        let (v, e) = self.number(i + 1)?;
        if !(1..=12).contains(&v) || self.w(i + 1) == "an" || self.w(i + 1) == "a" {
            return None;
        }
        if matches!(
            self.w(e),
            "hour" | "hours" | "past" | "to" | "minutes" | "mins"
        ) {
            return None;
        }
        let mut c = Clock {
            h: v,
            m: 30,
            s: 0,
            pm: None,
            h24: false,
            grain: Grain::Minute,
            latent: false,
        };
        let e = self.clock_suffix(&mut c, e);
        Some((c, e))
    }
}
