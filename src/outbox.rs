//! The outbox: the one way a text leaves. [`enqueue`] queues an [`SmsJob`] (the one shape of an
//! `sms.send` job) under an idempotency key; [`SmsSender`] carries it out through Twilio's
//! Messages API. The opt-out rule lives here, where the text leaves: nothing but the HELP answer
//! and the opt-out confirmation goes to a contact who opted out.
//!
//! Sending is safe to repeat. Every attempt carries the job's id as Twilio's idempotency token,
//! and an attempt after one that may have reached Twilio (a timeout, a reset connection, a worker
//! that died mid-send) first looks the message up in Twilio's Messages list (same To, same From,
//! same body, created since the job was queued) and sends only if Twilio has no record of it.
//! A rate limit or an outage retries with backoff; an unsubscribed recipient (21610) marks the
//! contact opted out and is not retried; other permanent errors are recorded and not retried.

use std::time::Duration;

use async_trait::async_trait;
use frontdesk_twilio::rest::{Client, MessageRecord, MessageRequest};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::app::App;
use crate::jobs::{Handler, JobError};
use crate::store::{Job, NewJob, PRIORITY_LATER, PRIORITY_NOW};

/// The job kind of a text.
pub const KIND: &str = "sms.send";

/// How long after a send whose outcome is unknown the next attempt waits, so that a message
/// Twilio did create shows in its Messages list when that attempt looks.
const AMBIGUOUS_WAIT: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// A text to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsJob {
    pub to: String,
    pub from: String,
    pub body: String,
    /// Why it is sent (`reply`, `help`, `reminder`, `briefing`, ...): for logs, metrics and the
    /// opt-out rule.
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<Uuid>,
}

impl SmsJob {
    pub fn new(to: &str, from: &str, body: &str, purpose: &str) -> Self {
        Self {
            to: to.to_string(),
            from: from.to_string(),
            body: body.to_string(),
            purpose: purpose.to_string(),
            conversation_id: None,
        }
    }

    pub fn in_conversation(mut self, id: Uuid) -> Self {
        self.conversation_id = Some(id);
        self
    }

    /// A text someone is waiting for right now goes before follow-ups and digests.
    fn priority(&self) -> i32 {
        match self.purpose.as_str() {
            "reply" | "help" | "confirmed" | "opted_out" | "consent" | "status" | "estimate"
            | "staff" => PRIORITY_NOW,
            _ => PRIORITY_LATER,
        }
    }

    /// Goes even to a contact who opted out: the answer to HELP, the opt-out confirmation and
    /// the one consent text to a number a caller gave (held as opted out until it answers YES).
    fn exempt_from_opt_out(&self) -> bool {
        matches!(self.purpose.as_str(), "help" | "opted_out" | "consent")
    }
}

/// Queues a text to leave now (or at `run_at`) under `key`: a key already queued queues nothing.
/// Returns whether it was new.
pub async fn enqueue(
    app: &App,
    business: &str,
    sms: &SmsJob,
    key: &str,
    run_at: Option<Timestamp>,
) -> anyhow::Result<bool> {
    let run_at = run_at.unwrap_or_else(|| app.clock.now());
    let (_, fresh) = app.store.enqueue(&job(business, sms, key, run_at)).await?;
    app.wake_worker();
    Ok(fresh)
}

/// The queue row of a text, for a caller that holds only the store (a job handler).
pub fn job(business: &str, sms: &SmsJob, key: &str, run_at: Timestamp) -> NewJob {
    NewJob {
        business_id: Some(business.to_string()),
        kind: KIND.into(),
        payload: serde_json::to_value(sms).unwrap_or_default(),
        run_at,
        max_attempts: 8,
        idempotency_key: Some(key.to_string()),
        priority: sms.priority(),
    }
}

/// The `sms.send` job's handler.
pub struct SmsSender {
    app: App,
    client: Option<Client>,
}

impl SmsSender {
    pub fn new(app: App) -> Self {
        let s = &app.settings;
        let client = match (&s.twilio_account_sid, &s.twilio_auth_token) {
            (Some(sid), Some(token)) => {
                let mut c = Client::new(sid.clone(), token.clone());
                if let Some(ms) = s.twilio_timeout_ms {
                    c = c.with_timeout(Duration::from_millis(ms));
                }
                if let Some(base) = &s.twilio_api_base {
                    c = c.with_base(base.clone());
                }
                Some(c)
            }
            _ => None,
        };
        Self { app, client }
    }

    async fn audit(&self, business: &str, action: &str, detail: serde_json::Value) {
        let now = self.app.clock.now();
        let _ = self
            .app
            .store
            .audit(Some(business), "outbox", action, &detail, now)
            .await;
    }

    /// Why the text must not leave now, if it must not: the contact opted out since it was
    /// queued, or it is an assistant's reply on a thread staff have taken over since.
    async fn held_back(
        &self,
        business: &str,
        sms: &SmsJob,
    ) -> Result<Option<&'static str>, JobError> {
        let contact = self
            .app
            .store
            .contact_by_phone(business, &sms.to)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let Some(c) = contact else {
            return Ok(None);
        };
        if c.opted_out && !sms.exempt_from_opt_out() {
            return Ok(Some("opted out"));
        }
        if sms.purpose == "reply" && crate::inbox::paused(&c, self.app.clock.now()) {
            return Ok(Some("staff took the thread over"));
        }
        Ok(None)
    }
}

/// Whether Twilio's list shows this job's text: same body, created since the job was queued
/// (less a minute for clocks that disagree).
fn already_sent(records: &[MessageRecord], sms: &SmsJob, queued: Timestamp) -> Option<String> {
    let since = queued
        .checked_sub(jiff::SignedDuration::from_secs(60))
        .unwrap_or(queued);
    records
        .iter()
        .find(|m| {
            m.body == sms.body
                && m.date_created
                    .as_deref()
                    .and_then(|d| jiff::fmt::rfc2822::parse(d).ok())
                    .is_none_or(|d| d.timestamp() >= since)
        })
        .map(|m| m.sid.clone())
}

#[async_trait]
impl Handler for SmsSender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(client) = &self.client else {
            return Err(JobError::Permanent(
                "twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN".into(),
            ));
        };
        let sms: SmsJob = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("unreadable text job: {e}")))?;
        if sms.to.is_empty() || sms.body.is_empty() {
            return Err(JobError::Permanent(
                "text job without \"to\" or \"body\"".into(),
            ));
        }
        let business = job.business_id.clone().unwrap_or_default();
        if let Some(reason) = self.held_back(&business, &sms).await? {
            self.audit(
                &business,
                "sms.suppressed",
                json!({"to": sms.to, "purpose": sms.purpose, "reason": reason}),
            )
            .await;
            return Ok(());
        }
        // An earlier attempt may have reached Twilio: ask before sending again.
        if job.attempts > 1 {
            let records = client
                .list_messages(&sms.to, &sms.from, 50)
                .await
                .map_err(|e| {
                    JobError::Retry(format!("could not look up an earlier attempt: {e}"))
                })?;
            if let Some(sid) = already_sent(&records, &sms, job.created_at) {
                tracing::info!(job = %job.id, sid = %sid, "text already sent by an earlier attempt");
                self.audit(
                    &business,
                    "sms.sent",
                    json!({"to": sms.to, "sid": sid, "purpose": sms.purpose, "reconciled": true}),
                )
                .await;
                return Ok(());
            }
        }
        let status_callback = self
            .app
            .settings
            .public_url
            .as_ref()
            .map(|u| format!("{}/twilio/status", u.trim_end_matches('/')));
        let token = job.id.to_string();
        let request = MessageRequest {
            to: sms.to.clone(),
            from: sms.from.clone(),
            body: sms.body.clone(),
            status_callback,
        };
        match client.send_message_with_token(request, Some(&token)).await {
            Ok(sent) => {
                self.audit(
                    &business,
                    "sms.sent",
                    json!({"to": sms.to, "sid": sent.sid, "status": sent.status, "purpose": sms.purpose}),
                )
                .await;
                metrics::counter!("frontdesk_sms_sent_total", "purpose" => sms.purpose)
                    .increment(1);
                Ok(())
            }
            // Twilio's own opt-out handling already confirmed the STOP and blocks ours.
            Err(e) if e.opted_out() && sms.purpose == "opted_out" => Ok(()),
            Err(e) if e.opted_out() => {
                let now = self.app.clock.now();
                let _ = self
                    .app
                    .store
                    .set_opt_out(&business, &sms.to, true, now)
                    .await;
                Err(JobError::Permanent(format!(
                    "recipient {:?} unsubscribed (21610): marked opted out",
                    sms.to
                )))
            }
            // No answer at all (a timeout, a reset): Twilio may have the message. The next
            // attempt looks it up, after long enough for Twilio's list to show it.
            Err(e) if e.status.is_none() => {
                Err(JobError::RetryAfter(e.to_string(), AMBIGUOUS_WAIT))
            }
            Err(e) if e.is_retryable() => Err(JobError::Retry(e.to_string())),
            Err(e) => Err(JobError::Permanent(e.to_string())),
        }
    }
}
