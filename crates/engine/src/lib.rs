//! The conversation engine, sans-IO: given a conversation state, what the caller said, the clock,
//! the business profile and a view of the calendar, it returns the new state, the reply and the
//! effects (book, text, notify, create a task, transfer, hang up) as data. It never touches a
//! socket, a file or a database, so every conversation is replayable and testable offline.

pub mod bridge;

pub use bridge::{lexicon, rules};
