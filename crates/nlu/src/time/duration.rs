//! Durations and offsets at a token: "in 2 hours", "in forty-five minutes", "3 days ago",
//! "a week from today", "<duration> from <day>".

use super::*;

impl Scan<'_> {
    /// Durations: "in 2 hours", "3 days ago", "a week from today", "7 days hence".
    pub(super) fn duration(&self, i: usize) -> Option<(Piece, usize)> {
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
        // "can you fit me in two weeks from Monday": the "in" belongs to the verb, and the
        // duration counts from the day.
        let from_a_day = matches!(self.w(e), "from" | "after")
            && (self.weekday_at(e + 1).is_some() || matches!(self.w(e + 1), "tomorrow" | "tmrw"));
        if in_form && !from_a_day {
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
