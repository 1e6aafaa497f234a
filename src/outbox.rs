//! The outbox's senders: jobs that carry texts out through Twilio's Messages API. A rate limit
//! or a Twilio outage retries with backoff; an unsubscribed recipient (21610) marks the contact
//! opted out and is not retried; other permanent errors are recorded and not retried.

use async_trait::async_trait;
use frontdesk_twilio::rest::{Client, MessageRequest};
use serde_json::{Value, json};

use crate::app::App;
use crate::jobs::{Handler, JobError};
use crate::store::Job;

/// The `sms.send` job: payload `{to, from, body, purpose}`.
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
                if let Some(base) = &s.twilio_api_base {
                    c = c.with_base(base.clone());
                }
                Some(c)
            }
            _ => None,
        };
        Self { app, client }
    }
}

#[async_trait]
impl Handler for SmsSender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(client) = &self.client else {
            return Err(JobError::Permanent(
                "twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN".into(),
            ));
        };
        let field = |name: &str| {
            job.payload
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let (to, from, body, purpose) =
            (field("to"), field("from"), field("body"), field("purpose"));
        if to.is_empty() || body.is_empty() {
            return Err(JobError::Permanent(
                "text job without \"to\" or \"body\"".into(),
            ));
        }
        let business = job.business_id.clone().unwrap_or_default();
        let now = self.app.clock.now();
        // Opted out since it was queued: only the HELP answer still goes.
        if purpose != "help" {
            let contact = self
                .app
                .store
                .contact_by_phone(&business, &to)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            if contact.is_some_and(|c| c.opted_out) {
                let _ = self
                    .app
                    .store
                    .audit(
                        Some(&business),
                        "outbox",
                        "sms.suppressed",
                        &json!({"to": to, "purpose": purpose, "reason": "opted out"}),
                        now,
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
        match client
            .send_message(MessageRequest {
                to: to.clone(),
                from,
                body,
                status_callback,
            })
            .await
        {
            Ok(sent) => {
                let _ = self
                    .app
                    .store
                    .audit(Some(&business), "outbox", "sms.sent", &json!({"to": to, "sid": sent.sid, "status": sent.status, "purpose": purpose}), now)
                    .await;
                metrics::counter!("frontdesk_sms_sent_total", "purpose" => purpose).increment(1);
                Ok(())
            }
            Err(e) if e.opted_out() => {
                let _ = self.app.store.set_opt_out(&business, &to, true, now).await;
                Err(JobError::Permanent(format!(
                    "recipient {to:?} unsubscribed (21610): marked opted out"
                )))
            }
            Err(e) if e.is_retryable() => Err(JobError::Retry(e.to_string())),
            Err(e) => Err(JobError::Permanent(e.to_string())),
        }
    }
}
