//! The claim reader: walks the tokens of a reply and takes out phone numbers, amounts, dates and
//! clock times, each marking the tokens it used so no word is read twice.

use super::Claim;
use super::lex::*;

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
pub(super) fn read(text: &str) -> Vec<Claim> {
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
