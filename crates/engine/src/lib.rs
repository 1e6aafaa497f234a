//! The conversation engine, sans-IO: given a conversation state, what the caller said, the clock,
//! the business profile and a view of the calendar, it returns the new state, the reply and the
//! effects (book, text, notify, create a task, transfer, hang up) as data. It never touches a
//! socket, a file or a database, so every conversation is replayable and testable offline.
//!
//! The runtime (HTTP layer, `chat`, `test-calls`) drives it like this:
//! 1. `Engine::new(profile)` once per profile (precomputes the lexicon and booking rules);
//!    `Engine` is `Send + Sync`, share it behind an `Arc`;
//! 2. `engine.start(&ctx)` for a new conversation → greeting (optional on SMS: `turn` on
//!    `State::default()` works too);
//! 3. `engine.turn(&step.state, Input::Said(text), &ctx)` per caller utterance, always with the
//!    state the previous step returned (stored as JSON; see [`State`]);
//! 4. when a step's effects contain [`Effect::Book`], [`Effect::Reschedule`] or
//!    [`Effect::Cancel`], the runtime performs it atomically and MUST then call
//!    `engine.turn(&step.state, Input::Outcome(..), &ctx)`; that second step's reply is what the
//!    caller hears (the first step's reply is empty, and no other step has an empty reply);
//! 5. when a [`Effect::Transfer`] is not accepted, feed [`Outcome::TransferFailed`] the same way:
//!    the engine then promises a callback and creates the task (urgent for emergencies);
//! 6. [`Input::Silence`] on a speech timeout (prompted once, then a callback and the end),
//!    [`Input::Dtmf`] for key presses (0 = a person; 1/2 = yes/no to a question; 1-4 pick an
//!    offer).
//!
//! Replies are already shaped for the channel: voice replies carry no links or symbols, SMS
//! replies may. Sentences that are not owner templates live in [`phrases`].

pub mod bridge;
pub mod check;
mod flow;
pub mod phrases;
pub mod repair;
pub mod speak;
pub mod state;
mod want;

use frontdesk_nlu::{Understanding, Vehicle};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use bridge::{lexicon, rules};
pub use flow::{Engine, vehicle_words};
pub use repair::WorkView;
pub use state::State;

/// How the caller is talking to us: replies differ (voice is short and speakable; SMS may carry
/// links and digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Voice,
    Sms,
}

/// One of the caller's own appointments, as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: String,
    pub service_id: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// What the store knows about the caller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    /// E.164, when known (caller id, or the SMS sender).
    pub phone: Option<String>,
    pub name: Option<String>,
    pub vehicles: Vec<Vehicle>,
    /// Upcoming appointments that hold a slot, soonest first.
    pub upcoming: Vec<AppointmentView>,
    /// Has called or texted before.
    pub returning: bool,
    /// Their cars at the shop now (checked in, not yet picked up), most recently updated first.
    #[serde(default)]
    pub in_shop: Vec<WorkView>,
    /// When the caller has no car at the shop: every car that is, with its owner's name, so a
    /// customer calling from another number can be found by name and car (and asked to confirm).
    #[serde(default)]
    pub shop_cars: Vec<repair::ShopCar>,
}

/// The calendar as the runtime read it for this turn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalendarView {
    /// Appointments and external busy blocks from now to the end of the booking horizon.
    pub busy: Vec<frontdesk_schedule::Busy>,
    /// False when the external calendar could not be read within its deadline: the engine then
    /// takes a booking *request* (a manual-booking task) instead of booking.
    pub reachable: bool,
}

/// Everything about this turn that is not conversation state.
#[derive(Debug, Clone)]
pub struct TurnContext<'a> {
    pub now: Timestamp,
    pub channel: Channel,
    pub caller: &'a Caller,
    pub calendar: &'a CalendarView,
}

/// What happened since the last step.
// `Understood` is large, but inputs are made once per turn and moved, never stored in bulk.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The caller's words (speech-to-text or an SMS body); the engine runs the built-in
    /// understanding on them.
    Said(String),
    /// The caller's words with an understanding already made (the language-model path, checked
    /// against the profile by the caller of the engine).
    Understood {
        text: String,
        understanding: Understanding,
        hints: Hints,
    },
    /// The caller said nothing (speech timeout).
    Silence,
    /// Keys pressed on the phone.
    Dtmf(String),
    /// The result of an effect that needed one.
    Outcome(Outcome),
}

/// What a language model heard beyond the understanding, validated by the caller of the engine
/// (`Hints::default()` when there is no model). The engine uses each only where it cannot move
/// a booking: a pick leads to the read-back the caller must say yes to; a status question, a
/// complaint and a Spanish caller go to a person, and Spanish only when the built-in reading
/// found no English request in the words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// Which of the times just offered the caller chose, counting from 0.
    pub pick: Option<usize>,
    /// A question about a car already at the shop.
    pub status: bool,
    /// A complaint or billing dispute about work done.
    pub complaint: bool,
    /// The caller speaks Spanish.
    pub spanish: bool,
    /// Two readings named different days and the time was left out: the reply says so before
    /// it offers the soonest times.
    pub day_unclear: bool,
}

/// Results of effects the runtime carried out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Booked {
        appointment: AppointmentView,
    },
    /// Someone else took the time first (or it no longer fits the rules).
    SlotTaken,
    /// The calendar could not be written: a manual-booking task was the fallback.
    CalendarDown,
    Rescheduled {
        appointment: AppointmentView,
    },
    Cancelled {
        appointment_id: String,
    },
    /// A warm transfer nobody accepted (no answer, busy, voicemail, failed).
    TransferFailed {
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Callback,
    ManualBooking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal,
    Upset,
    Emergency,
}

/// Something the runtime must do. Effects are data, carried out after the step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// Book atomically; then feed [`Outcome::Booked`] or [`Outcome::SlotTaken`] back.
    Book {
        service_id: String,
        start: Timestamp,
        end: Timestamp,
        name: Option<String>,
        phone: Option<String>,
        vehicle: Option<Vehicle>,
        notes: Option<String>,
        /// Idempotency key: the same conversation step never books twice.
        key: String,
    },
    /// Move the caller's appointment; then feed [`Outcome::Rescheduled`] or `SlotTaken` back.
    Reschedule {
        appointment_id: String,
        start: Timestamp,
        end: Timestamp,
    },
    /// Cancel the caller's appointment; then feed [`Outcome::Cancelled`] back.
    Cancel { appointment_id: String },
    /// A text to the caller (confirmation, links); goes through the outbox.
    SendSms {
        to: String,
        body: String,
        purpose: String,
    },
    /// Tell the owner and staff (briefing); urgent ones go out at once, any hour.
    NotifyOwner {
        urgency: Urgency,
        subject: String,
        body: String,
    },
    /// A task for a human: a callback or a booking to confirm by hand.
    CreateTask {
        task: TaskKind,
        urgency: Urgency,
        title: String,
        context: serde_json::Value,
    },
    /// Warm-transfer the call to a person; `whisper` is said to them before they accept.
    Transfer {
        to: String,
        whisper: String,
        reason: String,
    },
    /// Remember what we learned about the caller.
    UpdateContact {
        name: Option<String>,
        vehicle: Option<Vehicle>,
    },
    /// Hang up after the reply.
    EndCall,
}

/// The result of one engine step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub state: State,
    /// What to say or text back. Empty while waiting for an [`Outcome`].
    pub reply: String,
    pub effects: Vec<Effect>,
    /// Which flow answered (book, price, hours, faq, callback, emergency, ...), for the transcript.
    pub flow: String,
    /// What was understood of the input, for the transcript and the dashboard.
    pub understanding: Option<Understanding>,
    /// The conversation is over after this reply.
    pub done: bool,
    /// What the engine's own check caught and dropped (`"reply: ..."`, `"text (purpose): ..."`);
    /// empty when everything it composed states only what the flow supplied.
    pub screened: Vec<String>,
}
