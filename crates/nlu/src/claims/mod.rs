//! The claim reader behind the reply check (moved here from the model crate so the pure crates
//! can use it): finds every money amount ("$49", "49.99 dollars", "forty nine dollars"),
//! clock time ("2 PM", "14:00", "two thirty", "at 3") and date ("Nov 26", "the 26th", "11/26",
//! "Thursday the 26th", a bare "Thursday") in a sentence about to be said, and reports each one
//! that the code did not allow. A reply with any such claim is not said: the runtime falls back
//! to its template. The reader errs towards finding claims (a false alarm costs a templated
//! sentence; a miss could quote a price the shop never set). Number words are nlu's own
//! (`normalize::unit_word` and friends); the reader keeps its own small lexer because it needs
//! each token's byte span and where clauses end, which the normalising tokenizer does not keep.

use jiff::civil::{Date, Time, Weekday};

/// What a reply may state: the amounts, times and dates the code itself computed for this turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    pub amounts_cents: Vec<i64>,
    pub times: Vec<Time>,
    pub dates: Vec<Date>,
    /// Days that may be named on their own ("closed Sunday"), without a date.
    pub weekdays: Vec<Weekday>,
    /// Phone numbers that may be given (the shop's, the caller's own), in any format.
    pub phones: Vec<String>,
    /// What trusted text (the owner's FAQ answers, templates and policies) states: a claim
    /// that one of these supports is allowed.
    pub trusted: Vec<Claim>,
}

impl Allowed {
    /// Allows whatever `text` itself states: text the owner wrote may be repeated word for word.
    pub fn trust(&mut self, text: &str) {
        self.trusted.extend(claims(text));
    }
}

/// The last ten digits of a number: "+1 (512) 555-0199" and "512-555-0199" are one number.
fn national(digits: &str) -> &str {
    let digits = digits.trim_start_matches('+');
    if digits.len() > 10 && digits.is_ascii() {
        &digits[digits.len() - 10..]
    } else {
        digits
    }
}

/// One amount, time or date stated in a reply, with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    Amount {
        text: String,
        cents: i64,
    },
    /// `hour` is 0..=23 when `exact` (am/pm said, a 24-hour clock, noon); otherwise 1..=12 and
    /// either half of the day matches.
    Time {
        text: String,
        hour: i8,
        minute: i8,
        exact: bool,
    },
    /// A percentage ("20% off", "ten percent"), in hundredths of a percent. No reply may
    /// state one: the menu has prices, not discounts.
    Percent {
        text: String,
        hundredths: i64,
    },
    /// A run of seven or more digits written as a phone number. No reply may state one: the
    /// templates give the shop's own number.
    Phone {
        text: String,
        digits: String,
    },
    /// Only the parts that were said are set.
    Date {
        text: String,
        year: Option<i16>,
        month: Option<i8>,
        day: Option<i8>,
        weekday: Option<Weekday>,
    },
}

impl Claim {
    pub fn text(&self) -> &str {
        match self {
            Claim::Amount { text, .. }
            | Claim::Time { text, .. }
            | Claim::Date { text, .. }
            | Claim::Percent { text, .. }
            | Claim::Phone { text, .. } => text,
        }
    }

    fn allowed_by(&self, allowed: &Allowed) -> bool {
        if allowed.trusted.iter().any(|k| self.supported_by(k)) {
            return true;
        }
        match self {
            Claim::Amount { cents, .. } => allowed.amounts_cents.contains(cents),
            Claim::Percent { .. } => false,
            Claim::Phone { digits, .. } => allowed.phones.iter().any(|p| {
                let p: String = p.chars().filter(char::is_ascii_digit).collect();
                !p.is_empty() && national(&p) == national(digits)
            }),
            Claim::Date {
                year: None,
                month: None,
                day: None,
                weekday: Some(w),
                ..
            } if allowed.weekdays.contains(w) => true,
            Claim::Time { .. } => allowed
                .times
                .iter()
                .any(|t| self.matches_time(t.hour(), t.minute())),
            Claim::Date { .. } => allowed
                .dates
                .iter()
                .any(|d| self.matches_date(d.year(), d.month(), d.day(), Some(d.weekday()))),
        }
    }

    fn matches_time(&self, h: i8, m: i8) -> bool {
        let Claim::Time {
            hour,
            minute,
            exact,
            ..
        } = self
        else {
            return false;
        };
        *minute == m
            && if *exact {
                *hour == h
            } else {
                hour % 12 == h % 12
            }
    }

    fn matches_date(&self, y: i16, mo: i8, d: i8, wd: Option<Weekday>) -> bool {
        let Claim::Date {
            year,
            month,
            day,
            weekday,
            ..
        } = self
        else {
            return false;
        };
        year.is_none_or(|v| v == y)
            && month.is_none_or(|v| v == mo)
            && day.is_none_or(|v| v == d)
            && weekday.is_none_or(|v| wd.is_none_or(|w| w == v))
    }

    /// Whether `other` (read from trusted text) states the same thing, for grounding a
    /// model's answer in an FAQ answer.
    pub fn supported_by(&self, other: &Claim) -> bool {
        match (self, other) {
            (Claim::Amount { cents: a, .. }, Claim::Amount { cents: b, .. }) => a == b,
            (Claim::Percent { hundredths: a, .. }, Claim::Percent { hundredths: b, .. }) => a == b,
            (Claim::Phone { digits: a, .. }, Claim::Phone { digits: b, .. }) => a == b,
            (
                Claim::Time { .. },
                Claim::Time {
                    hour,
                    minute,
                    exact,
                    ..
                },
            ) => {
                if *exact {
                    self.matches_time(*hour, *minute)
                } else {
                    self.matches_time(*hour, *minute) || self.matches_time(hour + 12, *minute)
                }
            }
            (
                Claim::Date { .. },
                Claim::Date {
                    year,
                    month,
                    day,
                    weekday,
                    ..
                },
            ) => {
                let Claim::Date {
                    year: y0,
                    month: m0,
                    day: d0,
                    weekday: w0,
                    ..
                } = self
                else {
                    return false;
                };
                // Every part said here must be said, and be the same, there.
                (y0.is_none() || y0 == year)
                    && (m0.is_none() || m0 == month)
                    && (d0.is_none() || d0 == day)
                    && (w0.is_none() || w0 == weekday)
            }
            _ => false,
        }
    }
}

/// The claims of a reply that were not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the reply states what was not allowed: {}", self.claims.iter().map(|c| format!("\"{}\"", c.text())).collect::<Vec<_>>().join(", "))]
pub struct Violation {
    pub claims: Vec<Claim>,
}

/// Checks a reply before it is said: every amount, clock time and date in it must be in
/// `allowed`; otherwise the violation lists each one that is not.
pub fn check_reply(reply: &str, allowed: &Allowed) -> Result<(), Violation> {
    let claims: Vec<Claim> = claims(reply)
        .into_iter()
        .filter(|c| !c.allowed_by(allowed))
        .collect();
    if claims.is_empty() {
        Ok(())
    } else {
        Err(Violation { claims })
    }
}

mod lex;
mod reader;
#[cfg(test)]
mod tests;

/// Every amount, time and date stated in `text`, in the order they appear.
pub fn claims(text: &str) -> Vec<Claim> {
    reader::read(text)
}
