//! Calendar days at a token: "the 24th", "March 7th", "7/3", "2019-03-07", weekdays with
//! "next"/"this"/"last", and the year that may follow.

use super::*;

impl Scan<'_> {
    /// Day-of-month forms and numeric dates at i.
    pub(super) fn date(&self, i: usize) -> Option<(Piece, usize)> {
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
    pub(super) fn day_number(&self, i: usize) -> Option<(u32, usize)> {
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
    pub(super) fn year_after(&self, e: usize) -> (Option<i32>, usize) {
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
    pub(super) fn month_year(&self, m: i8) -> i16 {
        if m < self.today.month() {
            self.today.year() + 1
        } else {
            self.today.year()
        }
    }

    pub(super) fn resolve_md(
        &self,
        y: Option<i32>,
        m: i32,
        d: i32,
        _wd: Option<Weekday>,
    ) -> Option<Date> {
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
    pub(super) fn next_dom(&self, d: u32) -> Option<Date> {
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

    pub(super) fn numeric_date(&self, i: usize) -> Option<(Piece, usize)> {
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
    pub(super) fn weekday_at(&self, i: usize) -> Option<(Date, usize)> {
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
}
