//! A small RRULE expander for the recurring events shops actually keep: "every weekday lunch",
//! "every Tuesday and Thursday", "every other week", "the 1st of each month".
//!
//! Understood: `FREQ=DAILY|WEEKLY|MONTHLY|YEARLY` with `INTERVAL`, `COUNT`, `UNTIL`, `WKST`,
//! plain `BYDAY` weekdays for DAILY (a filter) and WEEKLY (the days of each week). Occurrences
//! keep DTSTART's local wall-clock time in its own zone, so a 09:00 Chicago event stays at 09:00
//! across daylight-saving changes. A MONTHLY/YEARLY rule skips months without DTSTART's day, as
//! RFC 5545 says. Any other part (`BYMONTHDAY`, `BYSETPOS`, `BYDAY=1MO`, `BYHOUR`, ...) makes
//! [`Rule::parse`] answer `None`, and the caller then keeps the first occurrence only. `RDATE`
//! is not read.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

/// At most this many periods are walked, so a junk rule cannot spin.
const MAX_PERIODS: i64 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Until {
    Date(Date),
    At(Timestamp),
    /// A local time without `Z`, read in DTSTART's zone.
    Local(DateTime),
}

/// A recurrence rule we know how to expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    freq: Freq,
    interval: i64,
    count: Option<u32>,
    until: Option<Until>,
    by_day: Vec<Weekday>,
    week_start: Weekday,
}

impl Rule {
    /// The rule in an `RRULE` value, or `None` when it uses a part we do not expand.
    pub(crate) fn parse(text: &str) -> Option<Rule> {
        let mut freq = None;
        let mut rule = Rule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            week_start: Weekday::Monday,
        };
        for part in text.trim().split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=')?;
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = Some(match value.trim().to_ascii_uppercase().as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        _ => return None,
                    })
                }
                "INTERVAL" => {
                    rule.interval = value
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|i| (1..=1000).contains(i))?
                }
                "COUNT" => rule.count = Some(value.trim().parse().ok()?),
                "UNTIL" => rule.until = Some(until(value.trim())?),
                "WKST" => rule.week_start = weekday(value)?,
                "BYDAY" => {
                    rule.by_day = value.split(',').map(weekday).collect::<Option<Vec<_>>>()?;
                }
                _ => return None,
            }
        }
        rule.freq = freq?;
        if !rule.by_day.is_empty() && matches!(rule.freq, Freq::Monthly | Freq::Yearly) {
            return None;
        }
        Some(rule)
    }

    /// The starts of the occurrences, DTSTART first, in order, up to (not including) `before`,
    /// leaving out those in `exdates` (which still count towards `COUNT`).
    pub(crate) fn starts(
        &self,
        dtstart: &Zoned,
        exdates: &[Zoned],
        before: Timestamp,
    ) -> Vec<Zoned> {
        let tz = dtstart.time_zone().clone();
        let first = dtstart.datetime();
        let mut out = Vec::new();
        let mut emitted: u32 = 0;
        let mut emit = |at: Zoned, out: &mut Vec<Zoned>| -> bool {
            if at.timestamp() >= before || !self.within_until(&at, &tz) {
                return false;
            }
            if self.count.is_some_and(|count| emitted >= count) {
                return false;
            }
            emitted += 1;
            if !exdates.iter().any(|x| x.timestamp() == at.timestamp()) {
                out.push(at);
            }
            true
        };
        if !emit(dtstart.clone(), &mut out) {
            return out;
        }
        for period in 0..MAX_PERIODS {
            for date in self.period_dates(first.date(), period) {
                if date <= first.date() {
                    continue;
                }
                let Ok(at) = date.to_datetime(first.time()).to_zoned(tz.clone()) else {
                    return out;
                };
                if !emit(at, &mut out) {
                    return out;
                }
            }
        }
        out
    }

    fn within_until(&self, at: &Zoned, tz: &TimeZone) -> bool {
        match &self.until {
            None => true,
            Some(Until::Date(date)) => at.date() <= *date,
            Some(Until::At(ts)) => at.timestamp() <= *ts,
            Some(Until::Local(local)) => match local.to_zoned(tz.clone()) {
                Ok(limit) => at.timestamp() <= limit.timestamp(),
                Err(_) => false,
            },
        }
    }

    /// The candidate dates of period number `period`, in order.
    fn period_dates(&self, first: Date, period: i64) -> Vec<Date> {
        let step = period * self.interval;
        match self.freq {
            Freq::Daily => first
                .checked_add(Span::new().days(step))
                .ok()
                .filter(|d| self.by_day.is_empty() || self.by_day.contains(&d.weekday()))
                .into_iter()
                .collect(),
            Freq::Weekly => {
                let back = i64::from(first.weekday().since(self.week_start));
                let Ok(week) = first.checked_add(Span::new().days(step * 7 - back)) else {
                    return Vec::new();
                };
                let mut days: Vec<i64> = if self.by_day.is_empty() {
                    vec![back]
                } else {
                    self.by_day
                        .iter()
                        .map(|d| i64::from(d.since(self.week_start)))
                        .collect()
                };
                days.sort_unstable();
                days.dedup();
                days.into_iter()
                    .filter_map(|d| week.checked_add(Span::new().days(d)).ok())
                    .collect()
            }
            Freq::Monthly | Freq::Yearly => {
                let span = if self.freq == Freq::Monthly {
                    Span::new().months(step)
                } else {
                    Span::new().years(step)
                };
                first
                    .checked_add(span)
                    .ok()
                    .filter(|d| d.day() == first.day())
                    .into_iter()
                    .collect()
            }
        }
    }
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn until(value: &str) -> Option<Until> {
    if value.len() == 8 {
        return Date::strptime("%Y%m%d", value).ok().map(Until::Date);
    }
    if let Some(utc) = value.strip_suffix('Z') {
        let local = DateTime::strptime("%Y%m%dT%H%M%S", utc).ok()?;
        return local
            .to_zoned(TimeZone::UTC)
            .ok()
            .map(|z| Until::At(z.timestamp()));
    }
    DateTime::strptime("%Y%m%dT%H%M%S", value)
        .ok()
        .map(Until::Local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chicago(local: &str) -> Zoned {
        local
            .parse::<DateTime>()
            .unwrap()
            .to_zoned(TimeZone::get("America/Chicago").unwrap())
            .unwrap()
    }

    fn far() -> Timestamp {
        "2030-01-01T00:00:00Z".parse().unwrap()
    }

    fn locals(starts: &[Zoned]) -> Vec<String> {
        starts.iter().map(|z| z.datetime().to_string()).collect()
    }

    #[test]
    fn a_weekday_rule_skips_the_weekend() {
        let rule = Rule::parse("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=6").unwrap();
        // 2026-11-20 is a Friday.
        let starts = rule.starts(&chicago("2026-11-20T12:00"), &[], far());
        assert_eq!(
            locals(&starts),
            [
                "2026-11-20T12:00:00",
                "2026-11-23T12:00:00",
                "2026-11-24T12:00:00",
                "2026-11-25T12:00:00",
                "2026-11-26T12:00:00",
                "2026-11-27T12:00:00"
            ]
        );
    }

    #[test]
    fn a_weekly_rule_keeps_the_wall_clock_time_across_daylight_saving() {
        let rule = Rule::parse("FREQ=WEEKLY;UNTIL=20261110T000000Z").unwrap();
        let starts = rule.starts(&chicago("2026-10-27T09:00"), &[], far());
        let utc: Vec<String> = starts.iter().map(|z| z.timestamp().to_string()).collect();
        assert_eq!(utc, ["2026-10-27T14:00:00Z", "2026-11-03T15:00:00Z"]);
    }

    #[test]
    fn every_other_tuesday_and_thursday_counts_from_the_first() {
        let rule = Rule::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5").unwrap();
        // 2026-11-03 is a Tuesday.
        let starts = rule.starts(&chicago("2026-11-03T08:00"), &[], far());
        assert_eq!(
            locals(&starts),
            [
                "2026-11-03T08:00:00",
                "2026-11-05T08:00:00",
                "2026-11-17T08:00:00",
                "2026-11-19T08:00:00",
                "2026-12-01T08:00:00"
            ]
        );
    }

    #[test]
    fn an_excluded_date_is_left_out_but_still_counts() {
        let rule = Rule::parse("FREQ=DAILY;COUNT=3").unwrap();
        let starts = rule.starts(
            &chicago("2026-11-01T08:00"),
            &[chicago("2026-11-02T08:00")],
            far(),
        );
        assert_eq!(
            locals(&starts),
            ["2026-11-01T08:00:00", "2026-11-03T08:00:00"]
        );
    }

    #[test]
    fn a_monthly_rule_on_the_31st_skips_short_months() {
        let rule = Rule::parse("FREQ=MONTHLY;COUNT=3").unwrap();
        let starts = rule.starts(&chicago("2026-01-31T10:00"), &[], far());
        assert_eq!(
            locals(&starts),
            [
                "2026-01-31T10:00:00",
                "2026-03-31T10:00:00",
                "2026-05-31T10:00:00"
            ]
        );
    }

    #[test]
    fn an_endless_rule_stops_at_the_window() {
        let rule = Rule::parse("FREQ=DAILY").unwrap();
        let starts = rule.starts(
            &chicago("2026-11-01T08:00"),
            &[],
            "2026-11-04T00:00:00Z".parse().unwrap(),
        );
        assert_eq!(starts.len(), 3);
    }

    #[test]
    fn rules_with_parts_we_do_not_expand_are_refused() {
        for text in [
            "FREQ=MONTHLY;BYDAY=1MO",
            "FREQ=MONTHLY;BYMONTHDAY=1,15",
            "FREQ=HOURLY",
            "FREQ=WEEKLY;BYSETPOS=1",
            "junk",
            "",
        ] {
            assert_eq!(Rule::parse(text), None, "{text}");
        }
    }
}
