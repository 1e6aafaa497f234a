//! The store's domain types: what the [`Store`](super::Store) takes and gives back (contacts,
//! conversations and turns, appointments, tasks, jobs, audit entries, users and sessions,
//! profile versions): plain data, no queries (the one exception, [`TurnLock`], only holds a
//! lock's transaction open). Instants are [`Timestamp`]s (UTC), ids UUIDv7, free-form documents
//! JSON [`Value`]s. Statuses and kinds are snake_case enums, stored as the same words;
//! [`holding_statuses!`] is the SQL form of [`AppointmentStatus::holds_slot`].

pub use frontdesk_profile::WorkStatus;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// A contact of one business: someone who called, texted or filled in a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Uuid,
    pub business_id: String,
    /// E.164.
    pub phone: String,
    pub name: Option<String>,
    pub vehicles: Vec<Value>,
    pub opted_out: bool,
    pub opted_out_at: Option<Timestamp>,
    pub notes: String,
    /// When they were last asked for a review.
    pub last_review_at: Option<Timestamp>,
    /// A staff member took their text thread over: the assistant stays quiet until then.
    pub paused_until: Option<Timestamp>,
    /// Who took it over (their name as signed on the texts).
    pub paused_by: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Voice,
    Sms,
    Chat,
    Web,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewConversation {
    pub business_id: String,
    pub contact_id: Option<Uuid>,
    pub channel: Channel,
    /// The channel's own id (a CallSid, say): a second webhook for it finds the same conversation.
    pub external_id: Option<String>,
    pub started_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: Uuid,
    pub business_id: String,
    pub contact_id: Option<Uuid>,
    pub channel: Channel,
    pub external_id: Option<String>,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub outcome: Option<String>,
    pub summary: Option<String>,
    /// The engine's conversation state, as JSON.
    pub state: Value,
    /// Bumped on every state save; saves compare it to refuse a lost update.
    pub version: i64,
    /// When staff last opened it in the inbox.
    pub read_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Caller,
    Assistant,
    System,
    /// A named person at the shop, replying in the inbox; the turn's `understanding` holds
    /// `{"staff": "<name>"}`.
    Staff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTurn {
    pub conversation_id: Uuid,
    pub speaker: Speaker,
    pub text: String,
    pub understanding: Option<Value>,
    pub flow: Option<String>,
    pub effects: Vec<Value>,
    pub processing_us: Option<i64>,
    /// Makes a redelivered webhook append nothing: one turn per key per conversation.
    pub dedupe_key: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub seq: i64,
    pub speaker: Speaker,
    pub text: String,
    pub understanding: Option<Value>,
    pub flow: Option<String>,
    pub effects: Vec<Value>,
    pub processing_us: Option<i64>,
    pub dedupe_key: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Booked,
    Confirmed,
    Pending,
    Cancelled,
    Done,
    NoShow,
}

impl AppointmentStatus {
    /// The word the store and the API use (`no_show`, ...).
    pub fn word(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Confirmed => "confirmed",
            Self::Pending => "pending",
            Self::Cancelled => "cancelled",
            Self::Done => "done",
            Self::NoShow => "no_show",
        }
    }

    /// Whether the appointment holds a bay. The store's queries say the same with
    /// [`holding_statuses!`]; a test keeps the two in step.
    pub fn holds_slot(self) -> bool {
        matches!(self, Self::Booked | Self::Confirmed | Self::Pending)
    }
}

/// The statuses that hold a slot ([`AppointmentStatus::holds_slot`]) as a SQL list, for
/// `concat!` into the store's queries: `status IN ('booked', ...)`. A literal rather than bind
/// parameters, so each query stays one constant text.
macro_rules! holding_statuses {
    () => {
        "('booked', 'confirmed', 'pending')"
    };
}

pub(crate) use holding_statuses;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAppointment {
    pub business_id: String,
    pub contact_id: Option<Uuid>,
    pub service_id: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub status: AppointmentStatus,
    /// Where it came from: voice, sms, api, dashboard.
    pub source: String,
    pub vehicle: Option<Value>,
    pub notes: Option<String>,
    /// A retried request with the same key returns the first result and books nothing more.
    pub idempotency_key: Option<String>,
    /// When it was booked.
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: Uuid,
    pub business_id: String,
    pub contact_id: Option<Uuid>,
    pub service_id: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub status: AppointmentStatus,
    pub source: String,
    pub vehicle: Option<Value>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Where the car stands, once staff checked it in.
    pub work: Option<Work>,
}

/// Where a car in the shop stands, as staff last set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Work {
    pub status: WorkStatus,
    /// Staff's short note ("waiting on a sensor").
    pub note: Option<String>,
    /// When staff expect the next step (ready, parts in).
    pub expected: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// An estimate as staff typed it, to send to the customer for approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEstimate {
    pub business_id: String,
    pub appointment_id: Uuid,
    pub amount_cents: i64,
    pub description: String,
    /// Who typed it (`dashboard:<email>` or `api`).
    pub created_by: String,
    pub at: Timestamp,
}

/// How the customer answered an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateAnswer {
    Approved,
    Declined,
    /// Anything else they texted back: a person calls them.
    Question,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub id: Uuid,
    pub business_id: String,
    pub appointment_id: Uuid,
    pub amount_cents: i64,
    pub description: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub answer: Option<EstimateAnswer>,
    /// The customer's exact words.
    pub answer_text: Option<String>,
    pub answered_at: Option<Timestamp>,
}

/// One conversation as the inbox lists it: its last line and whether staff have seen it.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxItem {
    pub conversation: Conversation,
    pub last_at: Option<Timestamp>,
    pub last_text: Option<String>,
    pub last_speaker: Option<Speaker>,
    /// The caller said something after staff last opened it.
    pub unread: bool,
}

/// What an atomic booking attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum BookOutcome {
    Booked(Appointment),
    /// The idempotency key was seen before: this is the first result, nothing new was booked.
    Replayed(Appointment),
    /// Every bay is taken for some instant of the wanted time.
    Taken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Callback,
    ManualBooking,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    pub business_id: String,
    pub contact_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
    pub kind: TaskKind,
    /// normal, upset or emergency.
    pub urgency: String,
    pub title: String,
    pub context: Value,
    pub at: Timestamp,
    /// A task with a key already stored is not made again: the stored one is returned.
    pub key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: Uuid,
    pub business_id: String,
    pub contact_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
    pub kind: TaskKind,
    pub urgency: String,
    pub title: String,
    pub context: Value,
    pub done: bool,
    pub done_note: Option<String>,
    pub created_at: Timestamp,
    pub done_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Dead,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewJob {
    pub business_id: Option<String>,
    pub kind: String,
    pub payload: Value,
    pub run_at: Timestamp,
    pub max_attempts: i64,
    /// A job with a key already in the queue (in any state) is not enqueued again.
    pub idempotency_key: Option<String>,
    /// Lower runs first: [`PRIORITY_NOW`] for a reply someone is waiting for, otherwise
    /// [`PRIORITY_LATER`].
    pub priority: i32,
}

/// The priority of a job a person is waiting on (a reply, an answer to HELP).
pub const PRIORITY_NOW: i32 = 0;
/// The priority of everything else (follow-ups, briefings, calendar writes).
pub const PRIORITY_LATER: i32 = 10;

/// What one finished turn writes at once: the reply, the understanding of the caller's input and
/// the new state. All or nothing, so a turn is either answered and remembered or not at all.
#[derive(Debug, Clone)]
pub struct TurnCommit {
    pub conversation_id: Uuid,
    /// The version the turn read; the commit fails (and writes nothing) if it moved.
    pub version: i64,
    pub state: Value,
    pub reply: NewTurn,
    /// The caller's turn this answers (its dedupe key) and what was understood of it.
    pub caller_key: Option<String>,
    pub understanding: Option<Value>,
}

/// Holds a conversation's turn lock across processes while alive (PostgreSQL: a transaction
/// holding an advisory lock, released on drop or when the process dies). On SQLite, one process
/// serves a file and the in-process lock is enough, so this holds nothing.
pub struct TurnLock {
    _held: Option<sqlx::Transaction<'static, sqlx::Postgres>>,
}

impl TurnLock {
    pub(crate) fn none() -> Self {
        Self { _held: None }
    }

    pub(crate) fn held(tx: sqlx::Transaction<'static, sqlx::Postgres>) -> Self {
        Self { _held: Some(tx) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: Uuid,
    pub business_id: Option<String>,
    pub kind: String,
    pub payload: Value,
    pub run_at: Timestamp,
    pub attempts: i64,
    pub max_attempts: i64,
    pub status: JobStatus,
    pub lease_until: Option<Timestamp>,
    pub leased_by: Option<String>,
    pub idempotency_key: Option<String>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Queue depth by state, for `/metrics` and the operator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub dead: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: Uuid,
    pub business_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub detail: Value,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Operator,
    Owner,
    Staff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    /// None for operators, who see every business.
    pub business_id: Option<String>,
    pub created_at: Timestamp,
}

/// A signed-in dashboard session: whose it is and its CSRF token.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub user: User,
    pub csrf: String,
    pub expires_at: Timestamp,
}

/// One saved version of a business profile (settings edit or correction).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileVersion {
    pub id: Uuid,
    pub business_id: String,
    pub profile_toml: String,
    pub actor: String,
    pub note: String,
    pub at: Timestamp,
}

/// A time range `[from, to)` for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: Timestamp,
    pub to: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::AppointmentStatus::{self, *};

    /// Every status. The match below stops compiling when a variant is added, as a reminder to
    /// add it here too.
    const ALL: [AppointmentStatus; 6] = [Booked, Confirmed, Pending, Cancelled, Done, NoShow];

    fn position(status: AppointmentStatus) -> usize {
        match status {
            Booked => 0,
            Confirmed => 1,
            Pending => 2,
            Cancelled => 3,
            Done => 4,
            NoShow => 5,
        }
    }

    #[test]
    fn all_lists_every_status_once() {
        for (i, status) in ALL.into_iter().enumerate() {
            assert_eq!(position(status), i, "{status:?}");
        }
    }

    #[test]
    fn the_sql_list_names_exactly_the_statuses_that_hold_a_slot() {
        let list = holding_statuses!();
        let inner = list
            .strip_prefix('(')
            .and_then(|l| l.strip_suffix(')'))
            .expect("a parenthesised list");
        let mut in_sql: Vec<String> = inner
            .split(',')
            .map(|w| {
                let w = w.trim();
                w.strip_prefix('\'')
                    .and_then(|w| w.strip_suffix('\''))
                    .unwrap_or_else(|| panic!("{w:?} is not a quoted word"))
                    .to_string()
            })
            .collect();
        in_sql.sort();
        let mut holding: Vec<String> = ALL
            .into_iter()
            .filter(|s| s.holds_slot())
            .map(|s| crate::store::rows::name_of(&s))
            .collect();
        holding.sort();
        assert_eq!(in_sql, holding);
    }
}
