//! Turns what the caller said about time (a resolved [`TimeExpr`]) into the scheduler's [`Want`]:
//! "Thursday afternoon" is a window on Thursday from noon, "after 5" with no day is a time of day
//! on any day, "Thursday 2 PM" is a preferred start, "ASAP" is no constraint at all (the soonest),
//! "next week" is that week, and "any day but Friday" passes its excluded weekdays through.

use frontdesk_nlu::{Bound, Grain, TimeExpr};
use frontdesk_schedule::Want;
use jiff::ToSpan;
use jiff::civil::{DateTime, Time};

/// The last representable minute of a day, used as the open end of "after 5".
const END_OF_DAY: Time = Time::constant(23, 59, 59, 0);

/// Is this a precise start ("Thursday at 2 PM") rather than a range?
pub fn is_exact_start(t: &TimeExpr) -> bool {
    !t.asap
        && t.has_date
        && t.has_clock
        && t.bound == Bound::Exact
        && t.end.is_none()
        && matches!(t.grain, Grain::Hour | Grain::Minute | Grain::Second)
}

/// The scheduler filter for a time expression. `now` is business-local.
pub fn want(t: &TimeExpr, now: DateTime) -> Want {
    let mut w = Want {
        except_weekdays: t.except_weekdays.clone(),
        ..Want::default()
    };
    // "any day but Friday" resolves to a Friday: the day is the exclusion, not the wish.
    if t.asap || t.except_weekdays.contains(&t.start.weekday()) {
        return w;
    }
    // "after 5" with no day and no am/pm: a bare 1 to 6 is in the afternoon.
    let start =
        if !t.has_date && t.start.hour() >= 1 && t.start.hour() <= 6 && t.bound != Bound::Exact {
            t.start.checked_add(12.hours()).unwrap_or(t.start)
        } else {
            t.start
        };
    let t = &TimeExpr { start, ..t.clone() };
    match t.bound {
        Bound::After => {
            if t.has_date && t.has_clock && t.grain <= Grain::Hour {
                // "after 3 tomorrow": from 3 until that day ends.
                let end = t
                    .start
                    .date()
                    .tomorrow()
                    .map(|d| d.to_datetime(Time::midnight()))
                    .unwrap_or(DateTime::MAX);
                w.windows = vec![(t.start, end)];
            } else if t.has_date {
                w.not_before = Some(t.start);
            } else if t.has_clock {
                w.time_of_day = Some((t.start.time(), END_OF_DAY));
            }
        }
        Bound::Before => {
            if t.has_date && t.has_clock && t.grain <= Grain::Hour {
                // "Friday before noon": that day, until then.
                let from = t.start.date().to_datetime(Time::midnight()).max(now);
                w.windows = vec![(from, t.start)];
            } else if t.has_date {
                w.windows = vec![(now, t.start)];
            } else if t.has_clock {
                w.time_of_day = Some((Time::midnight(), t.start.time()));
            }
        }
        Bound::Exact => match t.end {
            Some(end) => {
                if t.has_date {
                    w.windows = vec![(t.start, end)];
                } else {
                    let to = if end.date() > t.start.date() && end.time() == Time::midnight() {
                        END_OF_DAY
                    } else {
                        end.time()
                    };
                    w.time_of_day = Some((t.start.time(), to));
                }
            }
            None => {
                if is_exact_start(t) || (t.has_clock && !t.has_date) {
                    w.preferred = Some(t.start);
                } else {
                    let span = match t.grain {
                        Grain::Week => 7.days(),
                        Grain::Month => 1.month(),
                        Grain::Year => 1.year(),
                        _ => 1.day(),
                    };
                    let start = t.start.date().to_datetime(Time::midnight());
                    let end = start.checked_add(span).unwrap_or(DateTime::MAX);
                    w.windows = vec![(start, end)];
                }
            }
        },
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::datetime;

    fn expr(start: DateTime, end: Option<DateTime>, grain: Grain, bound: Bound) -> TimeExpr {
        TimeExpr {
            text: String::new(),
            start,
            grain,
            end,
            bound,
            has_date: true,
            has_clock: true,
            asap: false,
            except_weekdays: vec![],
            correction: false,
            latent: false,
        }
    }

    #[test]
    fn thursday_afternoon_is_a_window_on_thursday() {
        let t = expr(
            datetime(2026, 11, 26, 12, 0, 0, 0),
            Some(datetime(2026, 11, 26, 19, 0, 0, 0)),
            Grain::Hour,
            Bound::Exact,
        );
        let w = want(&t, datetime(2026, 11, 24, 19, 30, 0, 0));
        assert_eq!(w.windows, vec![(t.start, t.end.unwrap())]);
        assert_eq!(w.preferred, None);
    }

    #[test]
    fn after_five_with_no_day_is_a_time_of_day_on_any_day() {
        let mut t = expr(
            datetime(2026, 11, 25, 17, 0, 0, 0),
            None,
            Grain::Hour,
            Bound::After,
        );
        t.has_date = false;
        let w = want(&t, datetime(2026, 11, 24, 19, 30, 0, 0));
        assert_eq!(
            w.time_of_day,
            Some((Time::constant(17, 0, 0, 0), END_OF_DAY))
        );
        assert!(w.windows.is_empty());
    }

    #[test]
    fn after_five_said_without_am_or_pm_means_the_evening() {
        let mut t = expr(
            datetime(2026, 11, 25, 5, 0, 0, 0),
            None,
            Grain::Hour,
            Bound::After,
        );
        t.has_date = false;
        let w = want(&t, datetime(2026, 11, 24, 19, 30, 0, 0));
        assert_eq!(
            w.time_of_day,
            Some((Time::constant(17, 0, 0, 0), END_OF_DAY))
        );
    }

    #[test]
    fn thursday_at_two_is_a_preferred_start() {
        let t = expr(
            datetime(2026, 11, 26, 14, 0, 0, 0),
            None,
            Grain::Hour,
            Bound::Exact,
        );
        assert!(is_exact_start(&t));
        assert_eq!(
            want(&t, datetime(2026, 11, 24, 19, 30, 0, 0)).preferred,
            Some(t.start)
        );
    }

    #[test]
    fn next_week_is_a_seven_day_window_and_asap_is_no_constraint() {
        let mut t = expr(
            datetime(2026, 11, 30, 0, 0, 0, 0),
            None,
            Grain::Week,
            Bound::Exact,
        );
        t.has_clock = false;
        let w = want(&t, datetime(2026, 11, 24, 19, 30, 0, 0));
        assert_eq!(
            w.windows,
            vec![(
                datetime(2026, 11, 30, 0, 0, 0, 0),
                datetime(2026, 12, 7, 0, 0, 0, 0)
            )]
        );
        t.asap = true;
        assert_eq!(
            want(&t, datetime(2026, 11, 24, 19, 30, 0, 0)),
            Want::default()
        );
    }
}
