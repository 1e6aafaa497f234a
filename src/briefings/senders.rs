//! The briefing jobs: emails over SMTP, signed CRM events, the batched digest, the daily summary
//! and the model-written briefing (refused when it states a time, price or number the transcript
//! does not).

use async_trait::async_trait;
use frontdesk_notify::{Briefing, Digest, Event, Mailer};
use frontdesk_profile::{NotifyChannel, Profile};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{fan_out, from_notify, new_job, retry};
use crate::app::App;
use crate::jobs::{Handler, JobError};
use crate::outbox::{self, SmsJob};
use crate::store::Job;

/// `email.send`: one email over SMTP.
pub struct EmailSender {
    mailer: Option<Mailer>,
}

impl EmailSender {
    pub fn new(app: &App) -> Self {
        let from = app
            .settings
            .smtp_from
            .clone()
            .unwrap_or_else(|| "frontdesk@localhost".into());
        let mailer =
            app.settings
                .smtp_url
                .as_ref()
                .and_then(|url| match Mailer::from_url(url, &from) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        tracing::error!(error = %e, "SMTP_URL is unusable: emails will fail");
                        None
                    }
                });
        Self { mailer }
    }
}

#[async_trait]
impl Handler for EmailSender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let Some(mailer) = &self.mailer else {
            return Err(JobError::Permanent(
                "email is not configured: set SMTP_URL".into(),
            ));
        };
        let field = |n: &str| {
            job.payload
                .get(n)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        mailer
            .send(
                &field("to"),
                &field("subject"),
                &field("text"),
                &field("html"),
            )
            .await
            .map_err(from_notify)
    }
}

/// `webhook.event`: posts a CRM event, signed with the webhook's secret.
pub struct EventSender {
    http: reqwest::Client,
    app: App,
}

impl EventSender {
    pub fn new(app: App) -> Self {
        Self {
            http: crate::egress::webhook_client(&app.settings),
            app,
        }
    }
}

#[async_trait]
impl Handler for EventSender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let p = &job.payload;
        let s = |n: &str| p.get(n).and_then(Value::as_str).unwrap_or("").to_string();
        let at: Timestamp = s("at")
            .parse()
            .map_err(|_| JobError::Permanent("event without a time".into()))?;
        let event = Event {
            id: s("id"),
            kind: s("kind"),
            business: job.business_id.clone().unwrap_or_default(),
            at,
            data: p.get("data").cloned().unwrap_or(Value::Null),
        };
        let url = s("url");
        // Checked here for a clear error; the client's resolver refuses again at connection.
        crate::egress::check_url(&self.app.settings, &url)
            .await
            .map_err(|e| JobError::Permanent(format!("refused: {e}")))?;
        let name = p.get("secret_env").and_then(Value::as_str);
        if let Some(name) = name
            && !frontdesk_profile::secret_allowed(&event.business, name)
        {
            return Err(JobError::Permanent(format!(
                "refused: the webhook's secret {name:?} is not one of this business's"
            )));
        }
        let secret = name.and_then(|name| self.app.settings.secret(&event.business, name));
        frontdesk_notify::post_webhook(
            &self.http,
            &url,
            secret.as_deref().map(str::as_bytes),
            &event,
            self.app.clock.now().as_second(),
        )
        .await
        .map_err(from_notify)
    }
}

/// `briefing.digest`: everything batched for one person since their last digest, in one go.
pub struct DigestSender {
    app: App,
}

impl DigestSender {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

#[async_trait]
impl Handler for DigestSender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let business = job.business_id.clone().unwrap_or_default();
        let Some(engine) = self.app.directory().by_id(&business) else {
            return Ok(());
        };
        let profile = engine.profile();
        let person = job
            .payload
            .get("person")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let Some(who) = profile.people.get(person) else {
            return Ok(());
        };
        let close = job.run_at.as_second();
        let log = self
            .app
            .store
            .audit_log(Some(&business), 5000)
            .await
            .map_err(retry)?;
        let briefings: Vec<Briefing> = log
            .iter()
            .rev()
            .filter(|e| {
                e.action == "briefing.batched"
                    && e.detail["person"] == person
                    && e.detail["close"] == close
            })
            .filter_map(|e| serde_json::from_value(e.detail["briefing"].clone()).ok())
            .collect();
        if briefings.is_empty() {
            return Ok(());
        }
        let digest = Digest::new(profile.business.name.clone(), briefings);
        let now = self.app.clock.now();
        for channel in &who.notify {
            let key = format!(
                "{}:{channel:?}",
                job.idempotency_key.clone().unwrap_or_default()
            );
            let new = match (channel, &who.phone, &who.email) {
                (NotifyChannel::Sms, Some(phone), _) => {
                    let from = profile.business.phones.first().cloned().unwrap_or_default();
                    let sms = SmsJob::new(phone, &from, &digest.sms_text(), "digest");
                    outbox::job(&business, &sms, &format!("sms:{key}"), now)
                }
                (NotifyChannel::Email, _, Some(email)) => new_job(
                    &business,
                    "email.send",
                    json!({"to": email, "subject": digest.email_subject(), "text": digest.email_text(), "html": digest.email_html()}),
                    now,
                    format!("email:{key}"),
                ),
                _ => continue,
            };
            self.app.store.enqueue(&new).await.map_err(retry)?;
        }
        Ok(())
    }
}

/// The next daily-summary time for a business after `now`, if the owner wants one.
pub fn next_summary(profile: &Profile, now: Timestamp) -> Option<Timestamp> {
    let at = profile.summary.daily_at?;
    let zone = profile.business.timezone.clone();
    let z = now.to_zoned(zone.clone());
    let today = z
        .date()
        .to_datetime(at)
        .to_zoned(zone.clone())
        .ok()?
        .timestamp();
    if today > now {
        return Some(today);
    }
    z.date()
        .tomorrow()
        .ok()?
        .to_datetime(at)
        .to_zoned(zone)
        .ok()
        .map(|t| t.timestamp())
}

/// Makes sure each business's next daily summary is queued (idempotent: one job per day).
pub async fn schedule_summaries(app: &App) -> anyhow::Result<()> {
    let now = app.clock.now();
    for engine in app.directory().all() {
        let profile = engine.profile();
        if let Some(at) = next_summary(profile, now) {
            let day = at.to_zoned(profile.business.timezone.clone()).date();
            app.store
                .enqueue(&new_job(
                    &profile.business.id,
                    "summary.daily",
                    json!({"date": day.to_string()}),
                    at,
                    format!("summary:{}:{day}", profile.business.id),
                ))
                .await?;
        }
    }
    Ok(())
}

/// `summary.daily`: the day's figures to every person who gets notifications, then the next day's
/// summary is queued.
pub struct SummarySender {
    app: App,
}

impl SummarySender {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

#[async_trait]
impl Handler for SummarySender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let business = job.business_id.clone().unwrap_or_default();
        let Some(engine) = self.app.directory().by_id(&business) else {
            return Ok(());
        };
        let profile = engine.profile();
        let date: jiff::civil::Date = job
            .payload
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| JobError::Permanent("summary without a date".into()))?;
        let figures = crate::report::day(self.app.store.as_ref(), profile, date)
            .await
            .map_err(retry)?;
        let text = crate::report::render(profile, &figures, false);
        let now = self.app.clock.now();
        for (i, person) in profile.people.iter().enumerate() {
            let key = format!("summary:{business}:{date}:{i}");
            if person.notify.contains(&NotifyChannel::Email) {
                if let Some(email) = &person.email {
                    let escaped = askama::filters::escape(&text, askama::filters::Html)
                        .map(|safe| safe.to_string())
                        .unwrap_or_default();
                    let html = format!("<pre>{escaped}</pre>");
                    self.app.store.enqueue(&new_job(&business, "email.send", json!({"to": email, "subject": format!("{}: daily summary for {date}", profile.business.name), "text": text, "html": html}), now, format!("email:{key}"))).await.map_err(retry)?;
                }
            } else if person.notify.contains(&NotifyChannel::Sms)
                && let Some(phone) = &person.phone
            {
                let short: String = text.lines().take(4).collect::<Vec<_>>().join(" ");
                let from = profile.business.phones.first().cloned().unwrap_or_default();
                let sms = SmsJob::new(phone, &from, &short, "summary");
                self.app
                    .store
                    .enqueue(&outbox::job(&business, &sms, &format!("sms:{key}"), now))
                    .await
                    .map_err(retry)?;
            }
        }
        // The next one.
        let next = next_summary(
            profile,
            now.checked_add(SignedDuration::from_mins(1)).unwrap_or(now),
        );
        if let Some(at) = next {
            let day = at.to_zoned(profile.business.timezone.clone()).date();
            self.app
                .store
                .enqueue(&new_job(
                    &business,
                    "summary.daily",
                    json!({"date": day.to_string()}),
                    at,
                    format!("summary:{business}:{day}"),
                ))
                .await
                .map_err(retry)?;
        }
        Ok(())
    }
}

/// `briefing.compose`: asks the model for the conversation's summary, then delivers the briefing.
pub struct BriefingComposer {
    app: App,
}

impl BriefingComposer {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

#[async_trait]
impl Handler for BriefingComposer {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let business = job.business_id.clone().unwrap_or_default();
        let Some(engine) = self.app.directory().by_id(&business) else {
            return Ok(());
        };
        let profile = engine.profile();
        let mut briefing: Briefing =
            serde_json::from_value(job.payload.get("briefing").cloned().unwrap_or(Value::Null))
                .map_err(|e| JobError::Permanent(format!("unreadable briefing: {e}")))?;
        let key = job
            .payload
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let conversation = job
            .payload
            .get("conversation_id")
            .and_then(Value::as_str)
            .and_then(|s| uuid::Uuid::parse_str(s).ok());
        if let (Some(llm), Some(conversation)) = (&self.app.llm, conversation) {
            let turns = self.app.store.turns(conversation).await.map_err(retry)?;
            let transcript: Vec<frontdesk_llm::Turn> = turns
                .iter()
                .filter(|t| t.speaker != crate::store::Speaker::System)
                .map(|t| frontdesk_llm::Turn {
                    caller: t.speaker == crate::store::Speaker::Caller,
                    text: t.text.clone(),
                })
                .collect();
            match llm
                .summarize(
                    &transcript,
                    &crate::model::view(&engine),
                    llm.config().sms_deadline,
                )
                .await
            {
                Ok(Some(summary)) => {
                    metrics::counter!("frontdesk_llm_summaries_total", "outcome" => "used")
                        .increment(1);
                    briefing.summary = summary;
                }
                Ok(None) => {
                    metrics::counter!("frontdesk_llm_summaries_total", "outcome" => "rejected")
                        .increment(1)
                }
                Err(e) => {
                    metrics::counter!("frontdesk_llm_summaries_total", "outcome" => "failed")
                        .increment(1);
                    tracing::info!(error = %e, "briefing keeps its composed summary");
                }
            }
        }
        fan_out(&self.app, profile, &briefing, &key)
            .await
            .map_err(retry)
    }
}
