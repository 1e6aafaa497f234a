//! Why a requested start cannot be booked, in words an API client can show to a person.
//!
//! [`check_slot`](crate::check_slot) returns the first rule the start breaks, checked in this
//! order: duration, notice, horizon, opening hours, slot grid, shift end, capacity.

use jiff::Timestamp;

/// The reason a start cannot be booked. `Display` gives a plain sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The service has no duration, so nothing can be booked for it.
    #[error("that service has no duration set, so it cannot be booked")]
    InvalidDuration,
    /// The start is not within any opening shift (closed day, closed date, before opening, after
    /// closing or during a break).
    #[error("the shop is closed at that time")]
    Closed,
    /// The start is inside opening hours but not on the booking grid (e.g. 9:10 on a 30-minute grid).
    #[error("appointments can only start at the listed slot times")]
    Misaligned,
    /// The start is closer to now than the minimum notice allows.
    #[error("that is too soon to book; the earliest possible start is \"{earliest}\"")]
    TooSoon {
        /// The earliest instant a booking may start: now plus the minimum notice.
        earliest: Timestamp,
    },
    /// The start is further ahead than the booking horizon.
    #[error("that date is too far ahead to book yet")]
    TooFar,
    /// Every bay is taken for some part of the appointment.
    #[error("that time is already fully booked")]
    Full,
    /// The service would not finish before the shift's break.
    #[error(
        "the service would not be finished before the break; please pick an earlier start or another shift"
    )]
    OverlapsBreak,
    /// The service would not finish before closing time.
    #[error("the service would not be finished before closing time; please pick an earlier start")]
    PastClosing,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_plain_sentences_without_debug_noise() {
        let earliest: Timestamp = "2026-03-05T15:00:00Z".parse().unwrap();
        let all = [
            Refusal::InvalidDuration,
            Refusal::Closed,
            Refusal::Misaligned,
            Refusal::TooSoon { earliest },
            Refusal::TooFar,
            Refusal::Full,
            Refusal::OverlapsBreak,
            Refusal::PastClosing,
        ];
        for r in all {
            let text = r.to_string();
            assert!(text.chars().next().unwrap().is_lowercase(), "{text}");
            assert!(!text.contains('{') && !text.contains("Refusal"), "{text}");
        }
        assert!(
            Refusal::TooSoon { earliest }
                .to_string()
                .contains("\"2026-03-05T15:00:00Z\"")
        );
    }
}
