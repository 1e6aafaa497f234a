//! The conversation's memory between turns, as typed, serde-able data the runtime stores as JSON
//! and hands back unchanged. Every field has a default so a state written by an older engine
//! still loads; the transcript kept here is capped so a long call stays small.

use frontdesk_nlu::{Asked, TimeExpr, Vehicle};
use frontdesk_schedule::Slot;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{AppointmentView, Urgency};

/// Lines of transcript kept in the state (older ones are dropped).
pub const TRANSCRIPT_LINES: usize = 40;
/// Characters kept of each transcript line.
pub const LINE_CHARS: usize = 400;

/// What the last reply left open: how the next utterance is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    #[default]
    Nothing,
    /// Slots were offered; a pick or a counter-offer is expected.
    Pick,
    /// Asked what the car needs.
    Service,
    /// Asked for the name and/or vehicle.
    Details,
    /// The booking was read back; a yes books it.
    Confirm,
    /// [`crate::Effect::Book`] was emitted; an [`crate::Outcome`] is expected.
    BookOutcome,
    /// Asked "want me to find you a time?".
    OfferBooking,
    /// Asked to confirm or give a callback number.
    CallbackNumber,
    /// Several appointments: asked which one to change.
    ChangeWhich,
    /// Asked for the new time of an appointment, or offered new times.
    ChangePick,
    /// Read back a move or a cancellation; a yes does it.
    ChangeConfirm,
    /// Reschedule or Cancel was emitted; an outcome is expected.
    ChangeOutcome,
    /// A warm transfer was started; `TransferFailed` may come back.
    Transfer,
    /// Asked "did you mean the ...?" about a service only partly named; the guess is in
    /// [`State::guess`].
    ServiceGuess,
    /// A caller whose number has no car at the shop asked about one: asked for the name on
    /// the repair order and the car.
    StatusWho,
    /// Found one car by that name and car; asked to confirm it is theirs (its appointment id is
    /// in [`State::status_car`]).
    StatusConfirm,
}

/// A booking being put together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub service_id: Option<String>,
    /// What the caller said about time, latest first wins.
    pub want: Option<TimeExpr>,
    /// The slots last offered, in the order they were read out.
    pub offers: Vec<Slot>,
    /// The slot the caller took.
    pub chosen: Option<Slot>,
    /// The caller's own words about the problem (symptoms).
    pub notes: Option<String>,
    pub mileage: Option<u32>,
    /// How many times the details (name, vehicle) were asked.
    pub asked_details: u32,
    /// The price of the current service has been said.
    pub priced: bool,
    /// How many times "which of those works best?" was asked for the current offers.
    pub which_asked: u32,
}

/// A change to one of the caller's appointments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    #[default]
    Reschedule,
    Cancel,
}

/// A reschedule or a cancellation being put together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Change {
    pub kind: ChangeKind,
    pub appointment: Option<AppointmentView>,
    pub offers: Vec<Slot>,
    pub chosen: Option<Slot>,
}

/// A callback promised but not yet written as a task (waiting for the number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingCallback {
    pub reason: String,
    pub urgency: Urgency,
}

/// One line of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// "caller" or "assistant".
    pub who: String,
    pub text: String,
}

/// The conversation's memory between turns; stored as JSON by the runtime, which only stores and
/// returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// When the conversation started (the first `start` or `turn`), for idempotency keys.
    pub started: Option<Timestamp>,
    /// Caller turns so far.
    pub turns: u32,
    /// What the last reply asked, handed to the understanding layer.
    pub asked: Option<Asked>,
    pub awaiting: Awaiting,
    pub draft: Option<Draft>,
    pub change: Option<Change>,
    /// What the caller told us in this conversation.
    pub name: Option<String>,
    pub vehicle: Option<Vehicle>,
    /// A callback number the caller gave or confirmed.
    pub phone: Option<String>,
    pub callback: Option<PendingCallback>,
    /// A callback task has been created in this conversation.
    pub callback_taken: bool,
    /// The service asked about in "did you mean ...?".
    pub guess: Option<String>,
    /// The appointment of the car found by name and car, waiting for the caller's yes.
    pub status_car: Option<String>,
    /// The transfer in progress is for an emergency.
    pub emergency: bool,
    /// The last reply, for "say that again".
    pub last_reply: String,
    /// Consecutive turns not understood.
    pub misunderstood: u32,
    /// Consecutive silences.
    pub silences: u32,
    /// The conversation was closed (goodbye, hang-up).
    pub done: bool,
    pub transcript: Vec<Line>,
}

impl State {
    /// Appends a transcript line, keeping the state small.
    pub fn note(&mut self, who: &str, text: &str) {
        let text: String = text.chars().take(LINE_CHARS).collect();
        if text.trim().is_empty() {
            return;
        }
        self.transcript.push(Line {
            who: who.to_string(),
            text,
        });
        if self.transcript.len() > TRANSCRIPT_LINES {
            let extra = self.transcript.len() - TRANSCRIPT_LINES;
            self.transcript.drain(..extra);
        }
    }
}
