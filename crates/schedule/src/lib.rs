//! Availability and booking rules for one business, pure and sans-IO.
//!
//! The engine turns the business profile into [`Rules`] and the store's appointments plus any
//! external calendar busy times into [`Busy`] entries; this crate answers "which starts are free"
//! ([`free_slots`]), "which few should the receptionist offer" ([`offer`]), "may this exact start be
//! booked, and if not why" ([`check_slot`]) and "when is the shop open on that date"
//! ([`day_hours`]). Every rule is evaluated in the business's own time zone with `jiff`, so opening
//! hours, the slot grid and the booking horizon stay correct across daylight-saving changes; every
//! instant handed in or out is a UTC [`jiff::Timestamp`]. Nothing here reads a clock, a file or a
//! database: the caller passes `now`.
//!
//! The rules, as implemented:
//! - A slot fits when the whole service lies inside one shift of one open day: it may not span a
//!   lunch break, and a service longer than every shift (a 4-hour job on a 3.5-hour morning) can
//!   only start in a shift long enough to hold it entirely. There is no multi-day or overnight
//!   booking.
//! - Slot starts lie on a grid of `slot_minutes` counted in local wall-clock time from each
//!   shift's opening time. A grid time that does not exist (skipped by a spring-forward change) is
//!   not offered; a grid time that occurs twice (a fall-back fold) is offered once, at its first
//!   occurrence.
//! - A start must be at least `min_notice_minutes` after `now`, and its local date at most
//!   `max_days_ahead` days after today's local date (0 = today only). The horizon is capped at
//!   [`MAX_HORIZON_DAYS`].
//! - Every appointment occupies its bays for its duration plus `buffer_minutes` (turnaround
//!   time), and so does the one being offered. An external busy block
//!   ([`Busy::ALL_BAYS`]) takes every bay for exactly its span, with no buffer. A slot is free
//!   when, at every instant of it (buffer included), fewer than `bays` bays are taken.
//! - [`Want`] filters apply to the start of the appointment: the time the caller brings the car.
//!
//! ```
//! use frontdesk_schedule::{Busy, Refusal, Rules, Want, check_slot, offer};
//! use jiff::civil::{date, time};
//! use jiff::{Timestamp, tz::TimeZone};
//!
//! let weekday = vec![(time(8, 0, 0, 0), time(12, 0, 0, 0)), (time(13, 0, 0, 0), time(17, 0, 0, 0))];
//! let rules = Rules {
//!     zone: TimeZone::get("America/Chicago")?,
//!     weekly: [weekday.clone(), weekday.clone(), weekday.clone(), weekday.clone(), weekday, vec![], vec![]],
//!     closed_dates: vec![date(2026, 12, 25)],
//!     bays: 2,
//!     slot_minutes: 30,
//!     buffer_minutes: 15,
//!     min_notice_minutes: 120,
//!     max_days_ahead: 30,
//! };
//! let now: Timestamp = "2026-03-05T00:00:00Z".parse()?; // Wednesday evening in Chicago
//! let busy = [Busy::appointment("2026-03-05T14:00:00Z".parse()?, "2026-03-05T15:00:00Z".parse()?)];
//!
//! let choices = offer(&rules, 60, &busy, now, &Want::default(), 3);
//! assert_eq!(choices.len(), 3);
//! for slot in &choices {
//!     assert_eq!(check_slot(&rules, 60, &busy, now, slot.start), Ok(*slot));
//! }
//! let lunch = "2026-03-05T17:30:00Z".parse()?; // 11:30 local: a 1-hour job would hit lunch
//! assert_eq!(check_slot(&rules, 60, &busy, now, lunch), Err(Refusal::OverlapsBreak));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod load;
mod offer;
mod refusal;
mod search;
#[cfg(test)]
mod testkit;
mod zone;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

pub use offer::offer;
pub use refusal::Refusal;
pub use search::{check_slot, free_slots};
pub use zone::day_hours;

/// The longest booking horizon honoured, in days; a larger `max_days_ahead` is treated as this.
pub const MAX_HORIZON_DAYS: u32 = 3660;

/// A business's booking rules, in its own local terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// The business's time zone; every local time below is read in it.
    pub zone: TimeZone,
    /// Opening shifts per weekday, index 0 = Monday. Several shifts a day make split shifts
    /// (a lunch break between them). A shift whose close is not after its open is ignored;
    /// overlapping or touching shifts are merged into one.
    pub weekly: [Vec<(Time, Time)>; 7],
    /// Local dates the business is closed whatever the weekly hours say.
    pub closed_dates: Vec<Date>,
    /// How many appointments may overlap at one instant. 0 means nothing can be booked.
    pub bays: u32,
    /// Spacing of slot starts, counted from each shift's opening time. 0 means no slot exists.
    pub slot_minutes: u32,
    /// Time kept free after each appointment in the same bay.
    pub buffer_minutes: u32,
    /// How long after `now` the earliest bookable start is.
    pub min_notice_minutes: u32,
    /// How many local days after today may still be booked (0 = today only).
    pub max_days_ahead: u32,
}

/// Time already taken: an appointment or an external calendar's busy block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Busy {
    /// When the time starts being taken.
    pub start: Timestamp,
    /// When the appointment or block ends (exclusive); the buffer comes after this.
    pub end: Timestamp,
    /// Bays used: 1 for an ordinary appointment, [`Busy::ALL_BAYS`] for an external block.
    /// An entry with `end <= start` or `bays == 0` takes nothing.
    pub bays: u32,
}

impl Busy {
    /// The `bays` value of an external busy block: takes every bay, no buffer after it.
    pub const ALL_BAYS: u32 = u32::MAX;

    /// An appointment using one bay (the buffer is added after it).
    pub fn appointment(start: Timestamp, end: Timestamp) -> Busy {
        Busy {
            start,
            end,
            bays: 1,
        }
    }

    /// An external busy block: the whole shop is unavailable for exactly this span.
    pub fn blocked(start: Timestamp, end: Timestamp) -> Busy {
        Busy {
            start,
            end,
            bays: Busy::ALL_BAYS,
        }
    }
}

/// A bookable appointment: `end` is `start` plus the service duration (buffer not included).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Slot {
    /// When the appointment starts.
    pub start: Timestamp,
    /// When the service is finished (exclusive).
    pub end: Timestamp,
}

/// What the caller asked for, already resolved to business-local terms by the understanding layer.
///
/// Every filter applies to the appointment's start. `Want::default()` accepts any slot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Want {
    /// Allowed local ranges for the start, each half-open `[from, to)`; empty = any time.
    pub windows: Vec<(DateTime, DateTime)>,
    /// No start before this local time ("after 5 on Friday", "from Monday on").
    pub not_before: Option<DateTime>,
    /// Local time-of-day range for the start, half-open `[from, to)`, on any day ("after 5",
    /// "mornings"). A range whose end is before its start wraps past midnight; a range whose ends
    /// are equal means exactly that time ("at 2 any day").
    pub time_of_day: Option<(Time, Time)>,
    /// Weekdays the caller cannot do.
    pub except_weekdays: Vec<Weekday>,
    /// "Thursday 2 PM": [`offer`] puts this exact start first if it is free, then the nearest free
    /// starts on either side. [`free_slots`] ignores it (its order is always chronological).
    pub preferred: Option<DateTime>,
}
