//! Row shapes shared by both dialects and their conversion to the store's types, and the small
//! conversions the queries in `common/` bind with (instants to microseconds, enums to their
//! snake_case words, JSON to text).

use jiff::Timestamp;
use serde_json::Value;
use uuid::Uuid;

use super::{
    Appointment, AppointmentStatus, AuditEntry, Channel, Contact, Conversation, Estimate,
    EstimateAnswer, Job, JobStatus, Result, Role, Speaker, StoreError, Task, TaskKind, Turn, User,
    Work, WorkStatus,
};

pub(crate) fn us(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub(crate) fn ts(us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us).map_err(|e| corrupt("timestamp", e))
}

pub(crate) fn ts_opt(us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(ts).transpose()
}

fn corrupt(what: &'static str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

pub(crate) fn id(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| corrupt("id", format!("{s:?}: {e}")))
}

fn id_opt(s: Option<String>) -> Result<Option<Uuid>> {
    s.as_deref().map(id).transpose()
}

fn json(s: &str) -> Result<Value> {
    serde_json::from_str(s).map_err(|e| corrupt("json document", e))
}

fn json_opt(s: Option<String>) -> Result<Option<Value>> {
    s.as_deref().map(json).transpose()
}

/// Reads a snake_case enum stored as text.
pub(crate) fn word<T: serde::de::DeserializeOwned>(what: &'static str, s: &str) -> Result<T> {
    serde_json::from_value(Value::String(s.to_string()))
        .map_err(|_| corrupt(what, format!("{s:?}")))
}

/// Writes a snake_case enum as text.
pub(crate) fn name_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(crate) fn to_text(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    id: String,
    business_id: String,
    phone: String,
    name: Option<String>,
    vehicles: String,
    opted_out: bool,
    opted_out_at_us: Option<i64>,
    notes: String,
    last_review_at_us: Option<i64>,
    paused_until_us: Option<i64>,
    paused_by: Option<String>,
    created_at_us: i64,
    updated_at_us: i64,
}

impl ContactRow {
    pub(crate) fn into_contact(self) -> Result<Contact> {
        Ok(Contact {
            id: id(&self.id)?,
            business_id: self.business_id,
            phone: self.phone,
            name: self.name,
            vehicles: match json(&self.vehicles)? {
                Value::Array(v) => v,
                _ => Vec::new(),
            },
            opted_out: self.opted_out,
            opted_out_at: ts_opt(self.opted_out_at_us)?,
            notes: self.notes,
            last_review_at: ts_opt(self.last_review_at_us)?,
            paused_until: ts_opt(self.paused_until_us)?,
            paused_by: self.paused_by,
            created_at: ts(self.created_at_us)?,
            updated_at: ts(self.updated_at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ConversationRow {
    id: String,
    business_id: String,
    contact_id: Option<String>,
    channel: String,
    external_id: Option<String>,
    started_at_us: i64,
    ended_at_us: Option<i64>,
    outcome: Option<String>,
    summary: Option<String>,
    state: String,
    version: i64,
    read_at_us: Option<i64>,
}

impl ConversationRow {
    pub(crate) fn into_conversation(self) -> Result<Conversation> {
        Ok(Conversation {
            id: id(&self.id)?,
            business_id: self.business_id,
            contact_id: id_opt(self.contact_id)?,
            channel: word::<Channel>("channel", &self.channel)?,
            external_id: self.external_id,
            started_at: ts(self.started_at_us)?,
            ended_at: ts_opt(self.ended_at_us)?,
            outcome: self.outcome,
            summary: self.summary,
            state: json(&self.state)?,
            version: self.version,
            read_at: ts_opt(self.read_at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TurnRow {
    id: String,
    conversation_id: String,
    seq: i64,
    speaker: String,
    text: String,
    understanding: Option<String>,
    flow: Option<String>,
    effects: String,
    processing_us: Option<i64>,
    dedupe_key: Option<String>,
    created_at_us: i64,
}

impl TurnRow {
    pub(crate) fn into_turn(self) -> Result<Turn> {
        Ok(Turn {
            id: id(&self.id)?,
            conversation_id: id(&self.conversation_id)?,
            seq: self.seq,
            speaker: word::<Speaker>("speaker", &self.speaker)?,
            text: self.text,
            understanding: json_opt(self.understanding)?,
            flow: self.flow,
            effects: match json(&self.effects)? {
                Value::Array(v) => v,
                _ => Vec::new(),
            },
            processing_us: self.processing_us,
            dedupe_key: self.dedupe_key,
            created_at: ts(self.created_at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AppointmentRow {
    id: String,
    business_id: String,
    contact_id: Option<String>,
    service_id: String,
    pub(crate) start_us: i64,
    pub(crate) end_us: i64,
    status: String,
    source: String,
    vehicle: Option<String>,
    notes: Option<String>,
    external_id: Option<String>,
    idempotency_key: Option<String>,
    created_at_us: i64,
    updated_at_us: i64,
    work_status: Option<String>,
    work_note: Option<String>,
    work_expected_us: Option<i64>,
    work_updated_us: Option<i64>,
}

impl AppointmentRow {
    pub(crate) fn into_appointment(self) -> Result<Appointment> {
        Ok(Appointment {
            id: id(&self.id)?,
            business_id: self.business_id,
            contact_id: id_opt(self.contact_id)?,
            service_id: self.service_id,
            start: ts(self.start_us)?,
            end: ts(self.end_us)?,
            status: word::<AppointmentStatus>("appointment status", &self.status)?,
            source: self.source,
            vehicle: json_opt(self.vehicle)?,
            notes: self.notes,
            external_id: self.external_id,
            idempotency_key: self.idempotency_key,
            created_at: ts(self.created_at_us)?,
            updated_at: ts(self.updated_at_us)?,
            work: match self.work_status {
                Some(status) => Some(Work {
                    status: word::<WorkStatus>("work status", &status)?,
                    note: self.work_note,
                    expected: ts_opt(self.work_expected_us)?,
                    updated_at: ts(self.work_updated_us.unwrap_or(self.updated_at_us))?,
                }),
                None => None,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EstimateRow {
    id: String,
    business_id: String,
    appointment_id: String,
    amount_cents: i64,
    description: String,
    created_by: String,
    created_at_us: i64,
    answer: Option<String>,
    answer_text: Option<String>,
    answered_at_us: Option<i64>,
}

impl EstimateRow {
    pub(crate) fn into_estimate(self) -> Result<Estimate> {
        Ok(Estimate {
            id: id(&self.id)?,
            business_id: self.business_id,
            appointment_id: id(&self.appointment_id)?,
            amount_cents: self.amount_cents,
            description: self.description,
            created_by: self.created_by,
            created_at: ts(self.created_at_us)?,
            answer: match self.answer {
                Some(a) => Some(word::<EstimateAnswer>("estimate answer", &a)?),
                None => None,
            },
            answer_text: self.answer_text,
            answered_at: ts_opt(self.answered_at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TaskRow {
    id: String,
    business_id: String,
    contact_id: Option<String>,
    conversation_id: Option<String>,
    kind: String,
    urgency: String,
    title: String,
    context: String,
    done: bool,
    done_note: Option<String>,
    created_at_us: i64,
    done_at_us: Option<i64>,
}

impl TaskRow {
    pub(crate) fn into_task(self) -> Result<Task> {
        Ok(Task {
            id: id(&self.id)?,
            business_id: self.business_id,
            contact_id: id_opt(self.contact_id)?,
            conversation_id: id_opt(self.conversation_id)?,
            kind: word::<TaskKind>("task kind", &self.kind)?,
            urgency: self.urgency,
            title: self.title,
            context: json(&self.context)?,
            done: self.done,
            done_note: self.done_note,
            created_at: ts(self.created_at_us)?,
            done_at: ts_opt(self.done_at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct JobRow {
    id: String,
    business_id: Option<String>,
    kind: String,
    payload: String,
    run_at_us: i64,
    attempts: i64,
    max_attempts: i64,
    status: String,
    lease_until_us: Option<i64>,
    leased_by: Option<String>,
    idempotency_key: Option<String>,
    last_error: Option<String>,
    created_at_us: i64,
    updated_at_us: i64,
}

impl JobRow {
    pub(crate) fn into_job(self) -> Result<Job> {
        Ok(Job {
            id: id(&self.id)?,
            business_id: self.business_id,
            kind: self.kind,
            payload: json(&self.payload)?,
            run_at: ts(self.run_at_us)?,
            attempts: self.attempts,
            max_attempts: self.max_attempts,
            status: word::<JobStatus>("job status", &self.status)?,
            lease_until: ts_opt(self.lease_until_us)?,
            leased_by: self.leased_by,
            idempotency_key: self.idempotency_key,
            last_error: self.last_error,
            created_at: ts(self.created_at_us)?,
            updated_at: ts(self.updated_at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: String,
    business_id: Option<String>,
    actor: String,
    action: String,
    detail: String,
    at_us: i64,
}

impl AuditRow {
    pub(crate) fn into_entry(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            id: id(&self.id)?,
            business_id: self.business_id,
            actor: self.actor,
            action: self.action,
            detail: json(&self.detail)?,
            at: ts(self.at_us)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: String,
    email: String,
    password_hash: String,
    role: String,
    business_id: Option<String>,
    created_at_us: i64,
}

impl UserRow {
    pub(crate) fn into_user(self) -> Result<User> {
        Ok(User {
            id: id(&self.id)?,
            email: self.email,
            password_hash: self.password_hash,
            role: word::<Role>("role", &self.role)?,
            business_id: self.business_id,
            created_at: ts(self.created_at_us)?,
        })
    }
}

pub(crate) fn collect<R, T>(rows: Vec<R>, f: impl Fn(R) -> Result<T>) -> Result<Vec<T>> {
    rows.into_iter().map(f).collect()
}
