//! The store: everything frontdesk remembers, behind one [`Store`] trait with a SQLite and a
//! PostgreSQL implementation chosen by the URL scheme. Only this module holds SQL. Ids (UUIDv7) and
//! timestamps (UTC) are made in Rust so both dialects behave the same; instants are stored as
//! microseconds since the Unix epoch and JSON documents as text.
//!
//! The domain types live in `types.rs`; the SQL both dialects share in `common/` (one file per
//! table or concern), what differs in `sqlite.rs` and `postgres.rs`; row shapes in `rows.rs`.

mod common;
mod postgres;
mod rows;
mod sqlite;
mod types;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;
use uuid::Uuid;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use types::*;

/// Everything that can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database url {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnknownScheme(String),
    #[error(
        "sqlite database {0:?} does not exist (check the path, or add ?mode=rwc to create a new one)"
    )]
    Missing(String),
    #[error("{what} {id:?} not found")]
    NotFound { what: &'static str, id: String },
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("corrupt {what} in the store: {detail}")]
    Corrupt { what: &'static str, detail: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens the store named by `url` and applies its migrations.
///
/// `sqlite://PATH` opens an existing file; `sqlite://PATH?mode=rwc` creates it when missing;
/// `sqlite::memory:` is a private in-memory database; `postgres://` and `postgresql://` connect to
/// a server. Anything else is an error, never a silently created empty database.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::open(url).await?))
    } else {
        Err(StoreError::UnknownScheme(url.to_string()))
    }
}

/// The URL of the default database: a SQLite file in the data directory, created on first run.
pub fn default_url(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("frontdesk.db").display()
    )
}

/// Everything frontdesk keeps. Both implementations pass the same story test.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which dialect this is, for logs and health output.
    fn dialect(&self) -> &'static str;
    /// A cheap round trip, for `/healthz`.
    async fn ping(&self) -> Result<()>;

    // ----- Businesses and their profiles: the profile text, the calendar feed, the history.
    async fn upsert_business(
        &self,
        id: &str,
        name: &str,
        profile_toml: &str,
        at: Timestamp,
    ) -> Result<()>;
    /// The stored profile text of a business.
    async fn business_profile(&self, id: &str) -> Result<Option<String>>;
    /// The secret of the business's calendar feed URL.
    async fn feed_secret(&self, business_id: &str) -> Result<Option<String>>;
    /// Sets (or rotates) the calendar feed secret.
    async fn set_feed_secret(&self, business_id: &str, secret: &str) -> Result<()>;
    /// The business whose calendar feed has this secret.
    async fn business_by_feed_secret(&self, secret: &str) -> Result<Option<String>>;
    /// Keeps a version of a business profile in its history.
    async fn add_profile_version(
        &self,
        business_id: &str,
        profile_toml: &str,
        actor: &str,
        note: &str,
        at: Timestamp,
    ) -> Result<()>;
    /// The business's profile history, newest first.
    async fn profile_versions(&self, business_id: &str, limit: i64) -> Result<Vec<ProfileVersion>>;

    // ----- Contacts: the people who call, text or write in, one per number per business.
    /// The contact with this number, created when it is new.
    async fn upsert_contact(
        &self,
        business_id: &str,
        phone: &str,
        at: Timestamp,
    ) -> Result<Contact>;
    async fn contact(&self, business_id: &str, id: Uuid) -> Result<Option<Contact>>;
    async fn contact_by_phone(&self, business_id: &str, phone: &str) -> Result<Option<Contact>>;
    /// Saves name, vehicles and notes.
    async fn update_contact(&self, contact: &Contact, at: Timestamp) -> Result<()>;
    /// Marks the contact opted out (or back in); creates it when new. Returns the contact.
    async fn set_opt_out(
        &self,
        business_id: &str,
        phone: &str,
        opted_out: bool,
        at: Timestamp,
    ) -> Result<Contact>;
    async fn contacts(&self, business_id: &str, limit: i64) -> Result<Vec<Contact>>;
    /// Records that the contact was asked for a review.
    async fn set_last_review(
        &self,
        business_id: &str,
        contact_id: Uuid,
        at: Timestamp,
    ) -> Result<()>;

    // ----- Repair status, estimates and the inbox (`common/repair.rs`).
    /// Sets where the car stands; `None` if the appointment is not the business's.
    async fn set_work(
        &self,
        business_id: &str,
        id: Uuid,
        work: &Work,
    ) -> Result<Option<Appointment>>;
    /// Appointments whose car is at the shop (a work status other than picked up), starting
    /// after `since`, most recently updated first.
    async fn appointments_in_shop(
        &self,
        business_id: &str,
        since: Timestamp,
    ) -> Result<Vec<Appointment>>;
    async fn create_estimate(&self, new: &NewEstimate) -> Result<Estimate>;
    /// The appointment's estimates, newest first.
    async fn estimates(&self, business_id: &str, appointment_id: Uuid) -> Result<Vec<Estimate>>;
    /// Records the first answer to an estimate; `false` when it was already answered.
    async fn answer_estimate(
        &self,
        business_id: &str,
        id: Uuid,
        answer: EstimateAnswer,
        text: &str,
        at: Timestamp,
    ) -> Result<bool>;
    /// Pauses the assistant on the contact's thread until `until` (or resumes it with `None`).
    async fn set_paused(
        &self,
        business_id: &str,
        contact_id: Uuid,
        until: Option<Timestamp>,
        by: Option<&str>,
    ) -> Result<()>;
    /// Conversations started after `since`, newest activity first, with their last line.
    async fn inbox(
        &self,
        business_id: &str,
        since: Timestamp,
        limit: i64,
    ) -> Result<Vec<InboxItem>>;
    /// Marks a conversation read by staff.
    async fn mark_read(
        &self,
        business_id: &str,
        conversation_id: Uuid,
        at: Timestamp,
    ) -> Result<()>;

    // ----- Conversations and their turns: state, replies, nothing lost or doubled.
    /// Creates the conversation, or returns the existing one with the same external id.
    async fn open_conversation(&self, new: &NewConversation) -> Result<Conversation>;
    async fn conversation(&self, business_id: &str, id: Uuid) -> Result<Option<Conversation>>;
    async fn conversation_by_external(
        &self,
        business_id: &str,
        channel: Channel,
        external_id: &str,
    ) -> Result<Option<Conversation>>;
    /// Saves the engine state if nobody saved since `version`; false means a lost race.
    async fn save_state(&self, id: Uuid, state: &Value, version: i64) -> Result<bool>;
    async fn end_conversation(
        &self,
        id: Uuid,
        at: Timestamp,
        outcome: &str,
        summary: Option<&str>,
    ) -> Result<()>;
    /// Newest first, started within `range`.
    async fn conversations(
        &self,
        business_id: &str,
        range: Range,
        limit: i64,
    ) -> Result<Vec<Conversation>>;
    async fn conversations_of_contact(
        &self,
        business_id: &str,
        contact_id: Uuid,
    ) -> Result<Vec<Conversation>>;
    /// Whether the contact has a conversation other than `except`: a returning caller. Reads
    /// the index only, however long the contact's history.
    async fn has_other_conversation(
        &self,
        business_id: &str,
        contact_id: Uuid,
        except: Uuid,
    ) -> Result<bool>;
    /// Appends a turn; with a dedupe key already used in this conversation it returns that turn
    /// and appends nothing.
    async fn append_turn(&self, new: &NewTurn) -> Result<(Turn, bool)>;
    async fn turns(&self, conversation_id: Uuid) -> Result<Vec<Turn>>;
    /// The turn recorded with this dedupe key in a conversation, if any.
    async fn turn_by_key(&self, conversation_id: Uuid, key: &str) -> Result<Option<Turn>>;
    /// The caller's messages in this conversation that were recorded but not yet answered,
    /// oldest first (a message whose key holds `#` is never pending).
    async fn pending_inbound(&self, conversation_id: Uuid) -> Result<Vec<Turn>>;
    /// Writes a finished turn in one transaction; `false` (and nothing written) when the
    /// conversation's version moved since it was read.
    async fn commit_turn(&self, commit: &TurnCommit) -> Result<bool>;
    /// Takes the conversation's turn lock across processes (see [`TurnLock`]); waits for it.
    async fn lock_conversation(&self, id: Uuid) -> Result<TurnLock>;

    // ----- Appointments: atomic booking and moves, statuses, the calendar as listings.
    /// Books atomically: the wanted time is checked against the other appointments and taken in
    /// one transaction, so at most `bays` appointments ever overlap.
    async fn book(&self, new: &NewAppointment, bays: u32) -> Result<BookOutcome>;
    /// Moves an appointment in one transaction (its old time is free for the check).
    async fn reschedule(
        &self,
        business_id: &str,
        id: Uuid,
        start: Timestamp,
        end: Timestamp,
        bays: u32,
        at: Timestamp,
    ) -> Result<BookOutcome>;
    /// Moves an appointment without a capacity check: the owner moved it in their own calendar.
    async fn move_appointment(
        &self,
        business_id: &str,
        id: Uuid,
        start: Timestamp,
        end: Timestamp,
        at: Timestamp,
    ) -> Result<()>;
    async fn set_appointment_status(
        &self,
        business_id: &str,
        id: Uuid,
        status: AppointmentStatus,
        at: Timestamp,
    ) -> Result<Option<Appointment>>;
    async fn set_appointment_external_id(&self, id: Uuid, external_id: &str) -> Result<()>;
    async fn appointment(&self, business_id: &str, id: Uuid) -> Result<Option<Appointment>>;
    /// The appointment first booked with this idempotency key.
    async fn appointment_by_key(&self, business_id: &str, key: &str)
    -> Result<Option<Appointment>>;
    /// Appointments booked (created) within `range`, any status, by creation.
    async fn appointments_created(
        &self,
        business_id: &str,
        range: Range,
    ) -> Result<Vec<Appointment>>;
    /// Appointments that hold a slot and overlap `range`, by start.
    async fn appointments(&self, business_id: &str, range: Range) -> Result<Vec<Appointment>>;
    /// The start and end of every appointment that holds a slot and overlaps `range`, by start:
    /// the calendar as a turn needs it, read from the index alone.
    async fn busy_times(
        &self,
        business_id: &str,
        range: Range,
    ) -> Result<Vec<(Timestamp, Timestamp)>>;
    /// Appointments of any status that start within `range`, by start (the dashboard's week).
    async fn appointments_any(&self, business_id: &str, range: Range) -> Result<Vec<Appointment>>;
    /// The contact's appointments (any status), by start.
    async fn appointments_of_contact(
        &self,
        business_id: &str,
        contact_id: Uuid,
    ) -> Result<Vec<Appointment>>;

    // ----- Tasks for the shop's people: callbacks and bookings the assistant left to them.
    async fn create_task(&self, new: &NewTask) -> Result<Task>;
    async fn tasks(&self, business_id: &str, open_only: bool) -> Result<Vec<Task>>;
    async fn complete_task(
        &self,
        business_id: &str,
        id: Uuid,
        note: &str,
        at: Timestamp,
    ) -> Result<Option<Task>>;

    // ----- The durable job queue: texts, emails, webhooks, calendar writes, follow-ups.
    /// Enqueues a job; with a known idempotency key returns the existing job and `false`.
    async fn enqueue(&self, new: &NewJob) -> Result<(Job, bool)>;
    /// Takes the next due job (queued and due, or running with an expired lease) for `worker`
    /// until `now + lease`. Two workers never hold the same job.
    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: jiff::SignedDuration,
    ) -> Result<Option<Job>>;
    /// Marks a job this worker holds as done.
    async fn complete_job(&self, id: Uuid, worker: &str, at: Timestamp) -> Result<bool>;
    /// Records a failure: back to the queue at `retry_at`, or dead when `retry_at` is None.
    async fn fail_job(
        &self,
        id: Uuid,
        worker: &str,
        error: &str,
        retry_at: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<bool>;
    /// Gives back every lease `worker` holds (graceful shutdown); returns how many.
    async fn release_leases(&self, worker: &str, at: Timestamp) -> Result<u64>;
    async fn job(&self, id: Uuid) -> Result<Option<Job>>;
    /// The job enqueued with this idempotency key, in any state.
    async fn job_by_key(&self, key: &str) -> Result<Option<Job>>;
    /// Jobs in a state, newest first.
    async fn jobs(&self, status: JobStatus, limit: i64) -> Result<Vec<Job>>;
    async fn job_counts(&self) -> Result<JobCounts>;
    /// Queued jobs whose idempotency key starts with `prefix` are dropped (follow-ups of a
    /// cancelled appointment, say). Returns how many.
    async fn cancel_jobs(&self, key_prefix: &str, at: Timestamp) -> Result<u64>;

    // ----- The audit log: who did what, and sign-in rate limits.
    async fn audit(
        &self,
        business_id: Option<&str>,
        actor: &str,
        action: &str,
        detail: &Value,
        at: Timestamp,
    ) -> Result<()>;
    async fn audit_log(&self, business_id: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>>;
    /// How many audit entries `actor` made with `action` since `since` (sign-in rate limits).
    async fn audit_count(&self, actor: &str, action: &str, since: Timestamp) -> Result<i64>;

    // ----- Dashboard accounts and sessions.
    async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        business_id: Option<&str>,
        at: Timestamp,
    ) -> Result<User>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn set_password(&self, email: &str, password_hash: &str) -> Result<bool>;
    async fn delete_user(&self, email: &str) -> Result<bool>;
    async fn user(&self, id: Uuid) -> Result<Option<User>>;
    /// Records a dashboard session under the hash of its token.
    async fn create_session(
        &self,
        id_hash: &str,
        user_id: Uuid,
        csrf: &str,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<()>;
    /// The live session with this token hash: not revoked, not expired at `now`.
    async fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>>;
    async fn revoke_session(&self, id_hash: &str, at: Timestamp) -> Result<()>;
    /// Revokes every session of a user (password change, removal); returns how many.
    async fn revoke_user_sessions(&self, user_id: Uuid, at: Timestamp) -> Result<u64>;
}

/// The most appointments that overlap at any instant of `[start, end)`, among `others`
/// (each a `(start, end)` in microseconds). Used inside the booking transaction.
pub(crate) fn max_overlap(others: &[(i64, i64)], start: i64, end: i64) -> u32 {
    let mut edges: Vec<(i64, i32)> = Vec::with_capacity(others.len() * 2);
    for &(s, e) in others {
        let (s, e) = (s.max(start), e.min(end));
        if s < e {
            edges.push((s, 1));
            edges.push((e, -1));
        }
    }
    // Ends sort before starts at the same instant: back-to-back appointments do not overlap.
    edges.sort_unstable();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::max_overlap;

    #[test]
    fn back_to_back_appointments_do_not_overlap() {
        assert_eq!(max_overlap(&[(0, 10), (10, 20)], 0, 20), 1);
    }

    #[test]
    fn appointments_that_share_an_instant_count_together() {
        assert_eq!(max_overlap(&[(0, 10), (5, 15), (12, 20)], 0, 20), 2);
        assert_eq!(max_overlap(&[(0, 10), (5, 15)], 10, 20), 1);
        assert_eq!(max_overlap(&[], 0, 20), 0);
    }
}
