//! The `[hours]` and `[after_hours]` sections: each weekday's shifts as 24-hour `HH:MM-HH:MM`
//! ranges (overlaps and backwards ranges are errors), closed dates as `YYYY-MM-DD`, and what the
//! assistant does after hours. Also the time and time-range readers `[followups]` quiet hours and
//! `[summary]` use.

use jiff::civil::{Date, Time};
use toml::de::DeValue;

use super::{Ck, Span, Tab, Val};
use crate::model::{AfterHours, AfterHoursBehaviour, Hours};

const TIME_HINT: &str = "write 24-hour HH:MM-HH:MM like \"07:30-12:00\"";
pub(super) const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Ck<'_> {
    pub(super) fn hours(&mut self, root: &Tab) -> Hours {
        let mut hours = Hours::default();
        let Some(t) = self.table(root, "hours") else {
            self.err(
                0..0,
                "missing the [hours] section",
                Some("add [hours] with a line per day, like `monday = [\"07:30-12:00\", \"13:00-18:00\"]`; `[]` is closed".into()),
            );
            return hours;
        };
        let mut known: Vec<&str> = DAYS.to_vec();
        known.push("closed_dates");
        self.known(&t, &known);
        for (i, day) in DAYS.iter().enumerate() {
            if let Some(v) = t.get(day) {
                hours.week[i] = self.day_shifts(&t, day, v);
            }
        }
        if let Some(v) = t.get("closed_dates") {
            hours.closed_dates = self.closed_dates(&t, v);
        }
        if hours.week.iter().all(|d| d.is_empty()) {
            self.warn(
                t.span.clone(),
                "the business is closed every day of the week",
                Some("give at least one day its hours, like `monday = [\"08:00-17:00\"]`".into()),
            );
        }
        hours
    }

    /// One weekday's shifts, sorted: a range, a list of ranges, or `"closed"`. Overlaps are errors.
    fn day_shifts(&mut self, t: &Tab, day: &str, v: &Val) -> Vec<(Time, Time)> {
        let mut shifts: Vec<((Time, Time), Span, String)> = Vec::new();
        let mut add = |ck: &mut Ck, s: &str, span: Span| {
            if let Some(iv) = ck.interval(s, span.clone(), false) {
                shifts.push((iv, span, s.to_string()));
            }
        };
        match v.get_ref() {
            DeValue::String(s) if s.trim().eq_ignore_ascii_case("closed") => {}
            DeValue::String(s) => add(self, s, v.span()),
            DeValue::Array(items) => {
                for item in items.iter() {
                    match item.get_ref().as_str() {
                        Some(s) => add(self, s, item.span()),
                        None => self.err(
                            item.span(),
                            format!(
                                "shift on {day} must be a string, found {} `{}`",
                                item.get_ref().type_str(),
                                self.snippet(item.span())
                            ),
                            Some(TIME_HINT.into()),
                        ),
                    }
                }
            }
            _ => self.wrong_type(
                t,
                day,
                v,
                "a list of shifts",
                "[\"07:30-12:00\", \"13:00-18:00\"]` (or `[]` when closed",
            ),
        }
        shifts.sort_by_key(|(iv, _, _)| *iv);
        self.overlapping_shifts(day, &shifts);
        shifts.into_iter().map(|(iv, _, _)| iv).collect()
    }

    /// Reports each shift that starts before the one before it ends; `shifts` are sorted.
    fn overlapping_shifts(&mut self, day: &str, shifts: &[((Time, Time), Span, String)]) {
        for w in shifts.windows(2) {
            let ((_, prev_end), _, prev_text) = &w[0];
            let ((next_start, _), next_span, next_text) = &w[1];
            if next_start < prev_end {
                self.err(
                    next_span.clone(),
                    format!("shift `{next_text}` overlaps `{prev_text}` on {day}"),
                    Some(
                        "merge them into one shift, or make one end before the other starts".into(),
                    ),
                );
            }
        }
    }

    /// The `closed_dates` list, sorted and without repeats.
    fn closed_dates(&mut self, t: &Tab, v: &Val) -> Vec<Date> {
        let mut dates = Vec::new();
        match v.get_ref().as_array() {
            Some(items) => {
                for item in items.iter() {
                    if let Some(d) = self.date(item) {
                        dates.push(d);
                    }
                }
            }
            None => self.wrong_type(
                t,
                "closed_dates",
                v,
                "a list of dates",
                "[\"2026-11-26\", \"2026-12-25\"]",
            ),
        }
        dates.sort();
        dates.dedup();
        dates
    }

    fn date(&mut self, v: &Val) -> Option<Date> {
        let hint = Some("write dates as \"YYYY-MM-DD\", like \"2026-12-25\"".to_string());
        let text = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    self.err(
                        v.span(),
                        format!("closed date `{dt}` has a time of day"),
                        hint,
                    );
                    return None;
                }
                dt.to_string()
            }
            other => {
                self.err(
                    v.span(),
                    format!(
                        "closed date must be a date, found {} `{}`",
                        other.type_str(),
                        self.snippet(v.span())
                    ),
                    hint,
                );
                return None;
            }
        };
        let ok = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
        match text.parse::<Date>() {
            Ok(d) if ok => Some(d),
            _ => {
                self.err(
                    v.span(),
                    format!("closed date `{text}` is not a date"),
                    hint,
                );
                None
            }
        }
    }

    pub(super) fn after_hours(&mut self, root: &Tab) -> AfterHours {
        let Some(t) = self.table(root, "after_hours") else {
            return AfterHours::default();
        };
        self.known(&t, &["behaviour", "message"]);
        let behaviour = match self.choice(
            &t,
            "behaviour",
            &["book_and_callback", "callback_only"],
            false,
        ) {
            Some("callback_only") => AfterHoursBehaviour::CallbackOnly,
            _ => AfterHoursBehaviour::BookAndCallback,
        };
        AfterHours {
            behaviour,
            message: self.opt_string(&t, "message"),
        }
    }

    /// `"07:30-12:00"` as a pair of times; `allow_overnight` for quiet hours.
    pub(super) fn interval(
        &mut self,
        s: &str,
        span: Span,
        allow_overnight: bool,
    ) -> Option<(Time, Time)> {
        let Some((a, b)) = s.split_once('-') else {
            self.err(
                span,
                format!("invalid time range `{s}`"),
                Some(TIME_HINT.into()),
            );
            return None;
        };
        let (a, b) = (a.trim(), b.trim());
        let (start, end) = match (parse_hhmm(a), parse_hhmm(b)) {
            (Some(x), Some(y)) => (x, y),
            (x, _) => {
                let bad = if x.is_none() { a } else { b };
                self.err(
                    span,
                    format!("invalid time `{bad}` in `{s}`"),
                    Some(TIME_HINT.into()),
                );
                return None;
            }
        };
        if !allow_overnight && end <= start {
            let (msg, hint) = if end == start {
                (
                    format!("time range `{s}` is empty"),
                    "remove it, or give it a later end".to_string(),
                )
            } else {
                (
                    format!("time range `{s}` ends before it starts"),
                    "a shift cannot cross midnight; end it by 23:59 and start the next day at 00:00".to_string(),
                )
            };
            self.err(span, msg, Some(hint));
            return None;
        }
        Some((start, end))
    }

    pub(super) fn time(&mut self, key: &str, s: &str, span: Span) -> Option<Time> {
        let t = parse_hhmm(s.trim());
        if t.is_none() {
            self.err(
                span,
                format!("invalid time `{s}` for `{key}`"),
                Some("write 24-hour HH:MM like \"18:30\"".into()),
            );
        }
        t
    }
}

/// `"07:30"` or `"7:30"` → 07:30; anything else (`"7:30am"`, `"25:00"`, `"24:00"`) → `None`.
pub(crate) fn parse_hhmm(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    if !digits(h) || h.len() > 2 || !digits(m) || m.len() != 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Time::new(h, m, 0, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_must_be_24_hour_hh_mm() {
        assert_eq!(parse_hhmm("07:30"), Some(Time::constant(7, 30, 0, 0)));
        assert_eq!(parse_hhmm("7:30"), Some(Time::constant(7, 30, 0, 0)));
        for bad in [
            "25:00", "24:00", "7:30am", "7", "07:3", "07:60", "", ":", "-1:00", "１2:00",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad:?}");
        }
    }
}
