//! The owner's side of every conversation: briefings fanned out to each person the profile names,
//! the way they chose (SMS through the outbox, email over SMTP, a Slack-compatible JSON webhook),
//! urgent ones at once and routine ones batched per preference; the daily summary; and CRM events
//! (`appointment.booked`, `task.created`, …) signed and retried through the outbox.

use frontdesk_notify::{Briefing, Event, NotifyError};
use frontdesk_profile::{Batch, NotifyChannel, Profile};
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde_json::{Value, json};

mod senders;

pub use senders::{
    BriefingComposer, DigestSender, EmailSender, EventSender, SummarySender, next_summary,
    schedule_summaries,
};

use crate::app::App;
use crate::jobs::JobError;
use crate::outbox::{self, SmsJob};
use crate::store::NewJob;

fn new_job(business: &str, kind: &str, payload: Value, run_at: Timestamp, key: String) -> NewJob {
    NewJob {
        priority: crate::store::PRIORITY_LATER,
        business_id: Some(business.to_string()),
        kind: kind.into(),
        payload,
        run_at,
        max_attempts: 8,
        idempotency_key: Some(key),
    }
}

fn retry(e: impl std::fmt::Display) -> JobError {
    JobError::Retry(e.to_string())
}

fn from_notify(e: NotifyError) -> JobError {
    if e.is_retryable() {
        JobError::Retry(e.to_string())
    } else {
        JobError::Permanent(e.to_string())
    }
}

/// When a batch that is open at `now` closes: the next full hour, or the daily summary time.
fn batch_close(profile: &Profile, batch: Batch, now: Timestamp) -> Timestamp {
    let zone = profile.business.timezone.clone();
    let z = now.to_zoned(zone.clone());
    match batch {
        Batch::Immediate => now,
        Batch::Hourly => z
            .with()
            .minute(0)
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .ok()
            .and_then(|h| h.checked_add(1.hour()).ok())
            .map(|h| h.timestamp())
            .unwrap_or(now),
        Batch::Daily => {
            let at = profile
                .summary
                .daily_at
                .unwrap_or(jiff::civil::time(18, 0, 0, 0));
            let today = z
                .date()
                .to_datetime(at)
                .to_zoned(zone.clone())
                .map(|t| t.timestamp())
                .unwrap_or(now);
            if today > now {
                today
            } else {
                z.date()
                    .tomorrow()
                    .ok()
                    .and_then(|d| d.to_datetime(at).to_zoned(zone).ok())
                    .map(|t| t.timestamp())
                    .unwrap_or(now)
            }
        }
    }
}

/// Queues one briefing for everyone who wants it. With a language model configured, routine
/// briefings first get a model-written summary of the conversation (checked to state nothing the
/// transcript does not; on any failure the composed summary stays); urgent ones go at once.
/// `key` makes a redelivery of the same conversation step queue nothing more.
pub async fn dispatch(
    app: &App,
    profile: &Profile,
    briefing: &Briefing,
    key: &str,
    conversation: Option<uuid::Uuid>,
) -> anyhow::Result<()> {
    if let (Some(_), Some(conversation), false) = (&app.llm, conversation, briefing.urgent) {
        app.store
            .enqueue(&new_job(
                &profile.business.id,
                "briefing.compose",
                json!({"briefing": briefing, "conversation_id": conversation, "key": key}),
                app.clock.now(),
                format!("compose:{key}"),
            ))
            .await?;
        return Ok(());
    }
    fan_out(app, profile, briefing, key).await
}

/// Queues the delivery of one briefing to every person who wants it, each their way.
pub async fn fan_out(
    app: &App,
    profile: &Profile,
    briefing: &Briefing,
    key: &str,
) -> anyhow::Result<()> {
    deliver(app, profile, briefing, key, false).await
}

/// Like [`fan_out`], but nobody's batching holds it back: staff hear at once of what waits on
/// them (an approved estimate, a text on a thread they took over), without the URGENT mark.
pub async fn fan_out_at_once(
    app: &App,
    profile: &Profile,
    briefing: &Briefing,
    key: &str,
) -> anyhow::Result<()> {
    deliver(app, profile, briefing, key, true).await
}

async fn deliver(
    app: &App,
    profile: &Profile,
    briefing: &Briefing,
    key: &str,
    at_once: bool,
) -> anyhow::Result<()> {
    let business = &profile.business.id;
    let now = app.clock.now();
    let payload = serde_json::to_value(briefing)?;
    let storm = !at_once && storming(app, business, briefing, now).await?;
    for (i, person) in profile.people.iter().enumerate() {
        // Emergencies go to whoever is on call even if they chose no channel.
        let channels: Vec<NotifyChannel> =
            if briefing.urgent && person.on_call && person.notify.is_empty() {
                vec![NotifyChannel::Sms]
            } else {
                person.notify.clone()
            };
        if channels.is_empty() {
            continue;
        }
        if !briefing.urgent && !at_once && (person.batch != Batch::Immediate || storm) {
            let batch = match person.batch {
                Batch::Immediate => Batch::Hourly,
                other => other,
            };
            let close = batch_close(profile, batch, now);
            app.store
                .enqueue(&new_job(
                    business,
                    "briefing.digest",
                    json!({"person": i}),
                    close,
                    format!("digest:{business}:{i}:{}", close.as_second()),
                ))
                .await?;
            app.store
                .audit(
                    Some(business),
                    "assistant",
                    "briefing.batched",
                    &json!({"person": i, "close": close.as_second(), "briefing": payload}),
                    now,
                )
                .await?;
            continue;
        }
        for channel in channels {
            let sub = format!("{key}:{i}:{channel:?}");
            match channel {
                NotifyChannel::Sms => {
                    if let Some(phone) = &person.phone {
                        let from = profile.business.phones.first().cloned().unwrap_or_default();
                        app.store
                            .enqueue(&outbox::job(
                                business,
                                &SmsJob::new(phone, &from, &briefing.sms_text(), "briefing"),
                                &format!("sms:{sub}"),
                                now,
                            ))
                            .await?;
                    }
                }
                NotifyChannel::Email => {
                    if let Some(email) = &person.email {
                        app.store
                            .enqueue(&new_job(business, "email.send", json!({"to": email, "subject": briefing.email_subject(), "text": briefing.email_text(), "html": briefing.email_html()}), now, format!("email:{sub}")))
                            .await?;
                    }
                }
                NotifyChannel::Webhook => {
                    emit(
                        app,
                        profile,
                        "briefing",
                        briefing.webhook_json("briefing"),
                        &sub,
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}

/// Whether this briefing is one of a storm about one caller (one number booking again and
/// again): the first briefing about a caller in an hour goes at once, the rest wait for the next
/// hourly digest, so the owner gets one digest rather than a text per booking.
async fn storming(
    app: &App,
    business: &str,
    briefing: &Briefing,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let Some(phone) = briefing
        .caller_phone
        .as_deref()
        .filter(|_| !briefing.urgent)
    else {
        return Ok(false);
    };
    let actor = format!("briefing:{business}:{phone}");
    let since = now
        .checked_sub(SignedDuration::from_hours(1))
        .unwrap_or(now);
    if app
        .store
        .audit_count(&actor, "briefing.immediate", since)
        .await?
        > 0
    {
        metrics::counter!("frontdesk_briefings_batched_total", "reason" => "storm").increment(1);
        return Ok(true);
    }
    app.store
        .audit(
            Some(business),
            &actor,
            "briefing.immediate",
            &json!({}),
            now,
        )
        .await?;
    Ok(false)
}

/// Queues a CRM event to every webhook subscribed to it, signed when the webhook has a secret.
pub async fn emit(
    app: &App,
    profile: &Profile,
    kind: &str,
    data: Value,
    key: &str,
) -> anyhow::Result<()> {
    let business = &profile.business.id;
    let now = app.clock.now();
    for (i, hook) in profile.webhooks.iter().enumerate() {
        if !hook.events.is_empty() && !hook.events.iter().any(|e| e == kind) {
            continue;
        }
        let event = Event::new(kind, business.clone(), now, data.clone());
        app.store
            .enqueue(&new_job(business,
                "webhook.event",
                json!({"url": hook.url, "secret_env": hook.secret_env, "id": event.id, "kind": kind, "at": now.to_string(), "data": data}),
                now,
                format!("event:{kind}:{key}:{i}"),
            ))
            .await?;
    }
    Ok(())
}
