//! CalDAV for frontdesk: the shop's real calendar, spoken to over plain HTTP.
//!
//! A booking becomes one VEVENT written with `PUT {collection}/{uid}.ics` (a retry overwrites the
//! same resource, so writes are idempotent), a cancellation is a `DELETE`, and the shop's busy
//! times are read back with a `REPORT` calendar-query over a time range, so an appointment the
//! owner typed into their phone, moved or deleted is seen before a slot is offered. iCalendar
//! text is built and parsed with the `icalendar` crate; times are `jiff` instants, written in UTC
//! and read from UTC, `TZID=` local times, floating times and all-day dates. Every request has a
//! hard deadline, so a calendar that hangs answers [`Error::Timeout`] and the caller can take the
//! "calendar down" path instead of keeping a caller waiting.

mod client;
mod ics;
mod multistatus;
mod recur;

pub use client::CalDav;
pub use ics::{
    Event, RemoteEvent, event_ics, expand_events, feed_ics, parse_events, parse_events_in,
};

/// What can go wrong talking to a CalDAV server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server did not answer within the deadline.
    #[error("the calendar server did not answer within the deadline")]
    Timeout,
    /// The server could not be reached (refused, reset, DNS, TLS).
    #[error("the calendar server is unreachable: {0}")]
    Unreachable(String),
    /// The server answered with a status we do not accept for this request.
    #[error("the calendar server answered status {status}: '{body}'")]
    Http { status: u16, body: String },
    /// The input or the server's answer does not make sense.
    #[error("invalid: {0}")]
    Invalid(String),
}

impl Error {
    /// Whether trying the same request again later may succeed: time-outs, unreachable servers,
    /// 5xx, 408 and 429. A 4xx such as 401, 403 or 412 needs a person, not a retry.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout | Error::Unreachable(_) => true,
            Error::Http { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            Error::Invalid(_) => false,
        }
    }
}
