//! Follow-up texts, scheduled as durable jobs when an appointment is booked and moved or dropped
//! with it: a reminder before the visit (reply C to confirm, R to reschedule), a review request
//! after it (at most once per customer per period), and a re-engagement text weeks later.
//! Send times are business-local: "24 hours before" keeps the clock time across a daylight-saving
//! change, and promotional texts (review, re-engagement) move out of quiet hours.

use async_trait::async_trait;
use frontdesk_profile::{Profile, TemplateKey};
use jiff::{SignedDuration, Span, Timestamp, ToSpan, Zoned};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::jobs::{Handler, JobError};
use crate::store::{Appointment, AppointmentStatus, Job, NewJob};

/// The three follow-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Reminder,
    Review,
    Reengage,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reminder => "reminder",
            Kind::Review => "review",
            Kind::Reengage => "reengage",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [Kind::Reminder, Kind::Review, Kind::Reengage]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

fn zoned(profile: &Profile, t: Timestamp) -> Zoned {
    t.to_zoned(profile.business.timezone.clone())
}

/// `hours` before `start`: whole days are counted on the calendar (same local clock time),
/// other amounts as elapsed hours.
fn before(profile: &Profile, start: Timestamp, hours: u32) -> Timestamp {
    let z = zoned(profile, start);
    let span: Span = if hours.is_multiple_of(24) {
        (i64::from(hours) / 24).days()
    } else {
        i64::from(hours).hours()
    };
    z.checked_sub(span).map(|z| z.timestamp()).unwrap_or(start)
}

/// Moves a time out of the business's quiet hours, to the end of them.
pub fn out_of_quiet(profile: &Profile, t: Timestamp) -> Timestamp {
    let f = &profile.followups;
    let z = zoned(profile, t);
    if !f.is_quiet(z.time()) {
        return t;
    }
    let date = if z.time() >= f.quiet_end {
        z.date().tomorrow().unwrap_or(z.date())
    } else {
        z.date()
    };
    date.to_datetime(f.quiet_end)
        .to_zoned(profile.business.timezone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(t)
}

/// When each follow-up of an appointment goes out.
pub fn send_time(profile: &Profile, appt: &Appointment, kind: Kind) -> Timestamp {
    let f = &profile.followups;
    match kind {
        Kind::Reminder => before(profile, appt.start, f.reminder_hours_before),
        Kind::Review => out_of_quiet(
            profile,
            appt.end
                .checked_add(SignedDuration::from_hours(i64::from(f.review_delay_hours)))
                .unwrap_or(appt.end),
        ),
        Kind::Reengage => {
            let later = zoned(profile, appt.end)
                .checked_add(i64::from(f.reengage_after_days).days())
                .map(|z| z.timestamp())
                .unwrap_or(appt.end);
            out_of_quiet(profile, later)
        }
    }
}

fn key(appt: &Appointment, kind: Kind) -> String {
    format!(
        "appt:{}:{}:{}",
        appt.id,
        appt.start.as_microsecond(),
        kind.as_str()
    )
}

/// Schedules every follow-up of a freshly booked (or moved) appointment that is still ahead.
pub async fn schedule(app: &App, profile: &Profile, appt: &Appointment) -> anyhow::Result<()> {
    let now = app.clock.now();
    for kind in [Kind::Reminder, Kind::Review, Kind::Reengage] {
        let at = send_time(profile, appt, kind);
        // A reminder that would be due already (booked for tomorrow morning) is not sent: the
        // confirmation just went out.
        if kind == Kind::Reminder && at <= now {
            continue;
        }
        if kind == Kind::Review && profile.business.review_link.is_none() {
            continue;
        }
        app.store
            .enqueue(&NewJob {
                priority: crate::store::PRIORITY_LATER,
                business_id: Some(profile.business.id.clone()),
                kind: "followup.send".into(),
                payload: json!({"appointment_id": appt.id, "kind": kind.as_str()}),
                run_at: at.max(now),
                max_attempts: 5,
                idempotency_key: Some(key(appt, kind)),
            })
            .await?;
    }
    Ok(())
}

/// Drops the pending follow-ups of an appointment (cancelled, or moved before re-scheduling).
pub async fn drop_all(app: &App, appointment: Uuid) -> anyhow::Result<u64> {
    Ok(app
        .store
        .cancel_jobs(&format!("appt:{appointment}:"), app.clock.now())
        .await?)
}

/// The visit is done (marked by the shop): the review request goes out after the delay from now.
pub async fn visit_done(app: &App, profile: &Profile, appt: &Appointment) -> anyhow::Result<()> {
    let now = app.clock.now();
    app.store
        .cancel_jobs(
            &format!("appt:{}:{}:review", appt.id, appt.start.as_microsecond()),
            now,
        )
        .await?;
    if profile.business.review_link.is_none() {
        return Ok(());
    }
    let at = out_of_quiet(
        profile,
        now.checked_add(SignedDuration::from_hours(i64::from(
            profile.followups.review_delay_hours,
        )))
        .unwrap_or(now),
    );
    app.store
        .enqueue(&NewJob {
            priority: crate::store::PRIORITY_LATER,
            business_id: Some(profile.business.id.clone()),
            kind: "followup.send".into(),
            payload: json!({"appointment_id": appt.id, "kind": "review"}),
            run_at: at,
            max_attempts: 5,
            idempotency_key: Some(format!("appt:{}:done:review", appt.id)),
        })
        .await?;
    Ok(())
}

/// "tomorrow at 2 PM", "Thursday, November 26 at 2 PM".
fn when(profile: &Profile, at: Timestamp, now: Timestamp) -> String {
    frontdesk_engine::speak::when_near(at, now, &profile.business.timezone)
}

/// The `followup.send` job: composes the text from the owner's templates at send time (so a
/// moved, cancelled or already-reviewed appointment sends nothing) and puts it in the outbox.
pub struct FollowupSender {
    app: App,
}

impl FollowupSender {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

#[async_trait]
impl Handler for FollowupSender {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let retry = |e: anyhow::Error| JobError::Retry(e.to_string());
        let business = job.business_id.clone().unwrap_or_default();
        let Some(engine) = self.app.directory().by_id(&business) else {
            return Err(JobError::Permanent(format!("no business {business:?}")));
        };
        let profile = engine.profile();
        let kind = job
            .payload
            .get("kind")
            .and_then(Value::as_str)
            .and_then(Kind::parse)
            .ok_or_else(|| JobError::Permanent("follow-up without a known \"kind\"".into()))?;
        let id = job
            .payload
            .get("appointment_id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| JobError::Permanent("follow-up without an appointment id".into()))?;
        let store = &self.app.store;
        let now = self.app.clock.now();
        let Some(appt) = store
            .appointment(&business, id)
            .await
            .map_err(|e| retry(e.into()))?
        else {
            return Ok(());
        };
        let skip = |why: &str| {
            tracing::info!(appointment = %id, kind = kind.as_str(), why, "follow-up not sent");
        };
        let sendable = match kind {
            Kind::Reminder => matches!(
                appt.status,
                AppointmentStatus::Booked | AppointmentStatus::Confirmed
            ),
            Kind::Review => !matches!(
                appt.status,
                AppointmentStatus::Cancelled | AppointmentStatus::NoShow
            ),
            Kind::Reengage => appt.status != AppointmentStatus::Cancelled,
        };
        if !sendable {
            skip("appointment status");
            return Ok(());
        }
        let Some(contact) = (match appt.contact_id {
            Some(c) => store
                .contact(&business, c)
                .await
                .map_err(|e| retry(e.into()))?,
            None => None,
        }) else {
            skip("no contact");
            return Ok(());
        };
        if contact.opted_out {
            skip("opted out");
            return Ok(());
        }
        let service = profile
            .service(&appt.service_id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| appt.service_id.clone());
        let name = contact.name.clone().unwrap_or_else(|| "there".into());
        let review_link = profile.business.review_link.clone().unwrap_or_default();
        let text = match kind {
            Kind::Reminder => frontdesk_profile::render(
                profile.template(TemplateKey::Reminder),
                &[
                    ("business", &profile.business.name),
                    ("service", &service),
                    ("when", &when(profile, appt.start, now)),
                    ("name", &name),
                ],
            ),
            Kind::Review => {
                let period = SignedDuration::from_hours(
                    24 * i64::from(profile.followups.review_min_days_between),
                );
                if contact
                    .last_review_at
                    .is_some_and(|at| now.duration_since(at) < period)
                {
                    skip("asked for a review recently");
                    return Ok(());
                }
                store
                    .set_last_review(&business, contact.id, now)
                    .await
                    .map_err(|e| retry(e.into()))?;
                frontdesk_profile::render(
                    profile.template(TemplateKey::ReviewRequest),
                    &[
                        ("business", &profile.business.name),
                        ("name", &name),
                        ("review_link", &review_link),
                        ("service", &service),
                    ],
                )
            }
            Kind::Reengage => {
                let later = store
                    .appointments_of_contact(&business, contact.id)
                    .await
                    .map_err(|e| retry(e.into()))?;
                if later.iter().any(|a| {
                    a.id != appt.id
                        && a.start > appt.start
                        && a.status != AppointmentStatus::Cancelled
                }) {
                    skip("came back already");
                    return Ok(());
                }
                frontdesk_profile::render(
                    profile.template(TemplateKey::Reengagement),
                    &[
                        ("business", &profile.business.name),
                        ("name", &name),
                        ("service", &service),
                    ],
                )
            }
        };
        let from = profile.business.phones.first().cloned().unwrap_or_default();
        let sms = crate::outbox::SmsJob::new(&contact.phone, &from, &text, kind.as_str());
        let key = format!(
            "sms:{}",
            job.idempotency_key
                .clone()
                .unwrap_or_else(|| job.id.to_string())
        );
        store
            .enqueue(&crate::outbox::job(&business, &sms, &key, now))
            .await
            .map_err(|e| retry(e.into()))?;
        Ok(())
    }
}
