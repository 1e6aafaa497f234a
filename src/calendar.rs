//! The owner's own calendar over CalDAV (Google, Apple, Fastmail, Nextcloud): busy times read for
//! the window being offered (cached briefly, bounded by the profile's deadline), bookings written
//! as VEVENTs through the job queue, and owner edits (a moved or deleted event) picked up by a
//! periodic sync. When the calendar cannot be read in time the engine takes a booking request
//! instead of booking. Also the subscribe-able iCalendar feed `/calendar/{secret}.ics`.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use frontdesk_caldav::{CalDav, Event};
use frontdesk_profile::Profile;
use frontdesk_schedule::Busy;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::jobs::{Handler, JobError};
use crate::store::{Appointment, AppointmentStatus, Job, NewJob, Range};

/// The uid of the event for one of our appointments.
pub fn uid(appointment: Uuid) -> String {
    format!("frontdesk-{appointment}")
}

pub(crate) fn appointment_of(uid: &str) -> Option<Uuid> {
    uid.strip_prefix("frontdesk-")
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// A client for the business's calendar, if it has one; an error when its address is one the
/// profile may not reach (see `egress`) or it is misconfigured. The password is read only from
/// the business's own secrets, and the client connects only to addresses the profile may reach.
pub fn client(app: &App, profile: &Profile) -> Option<Result<CalDav, frontdesk_caldav::Error>> {
    let cfg = profile.calendar.as_ref()?;
    let business = &profile.business.id;
    if let Err(e) = crate::egress::check_literal(&app.settings, &cfg.caldav_url) {
        tracing::error!(business = %business, error = %e, "calendar address refused");
        return Some(Err(frontdesk_caldav::Error::Invalid(format!(
            "refused: {e}; {}",
            crate::egress::HINT
        ))));
    }
    let password = cfg
        .password_env
        .as_deref()
        .and_then(|name| app.settings.secret(business, name));
    let deadline = Duration::from_millis(u64::from(cfg.deadline_ms.max(100)));
    let settings = app.settings.clone();
    let built = CalDav::with_client(
        &cfg.caldav_url,
        cfg.username.as_deref(),
        password.as_deref(),
        deadline,
        |b| crate::egress::guard(b, &settings),
    );
    Some(
        built
            .map(|c| c.with_time_zone(profile.business.timezone.clone()))
            .inspect_err(|e| tracing::error!(error = %e, "calendar is misconfigured")),
    )
}

/// The owner's busy times from `now` to the end of the horizon. `Ok(empty)` without a calendar;
/// `Err` when it could not be read within its deadline.
pub async fn external_busy(
    app: &App,
    profile: &Profile,
    now: Timestamp,
) -> Result<Vec<Busy>, frontdesk_caldav::Error> {
    let cal = match client(app, profile) {
        None => return Ok(Vec::new()),
        Some(c) => c?,
    };
    let business = &profile.business.id;
    if let Some(hit) = app.calendar_cache.get(business) {
        return Ok(hit);
    }
    let to = now
        .checked_add(SignedDuration::from_hours(
            24 * (i64::from(profile.booking.max_days_ahead) + 2),
        ))
        .unwrap_or(now);
    let started = Instant::now();
    let result = cal.events(now, to).await;
    metrics::histogram!("frontdesk_calendar_read_seconds").record(started.elapsed().as_secs_f64());
    let events = result.inspect_err(|e| {
        metrics::counter!("frontdesk_calendar_failures_total").increment(1);
        tracing::warn!(business = %business, error = %e, "calendar unreadable: taking booking requests");
    })?;
    // Our own bookings are already in the store.
    let busy: Vec<Busy> = events
        .iter()
        .filter(|e| e.is_busy() && appointment_of(&e.uid).is_none())
        .map(|e| Busy::blocked(e.start, e.end))
        .collect();
    app.calendar_cache.put(business, busy.clone());
    Ok(busy)
}

/// Queues writing an appointment to the owner's calendar (or removing it when cancelled).
pub async fn queue_write(app: &App, profile: &Profile, appt: &Appointment) -> anyhow::Result<()> {
    if profile.calendar.is_none() {
        return Ok(());
    }
    app.store
        .enqueue(&NewJob {
            priority: crate::store::PRIORITY_LATER,
            business_id: Some(profile.business.id.clone()),
            kind: "calendar.write".into(),
            payload: json!({"appointment_id": appt.id}),
            run_at: app.clock.now(),
            max_attempts: 10,
            idempotency_key: Some(format!(
                "cal:{}:{}:{:?}",
                appt.id,
                appt.start.as_microsecond(),
                appt.status
            )),
        })
        .await?;
    Ok(())
}

/// `calendar.write`: puts (or deletes) one appointment's event.
pub struct CalendarWriter {
    app: App,
}

impl CalendarWriter {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

fn from_caldav(e: frontdesk_caldav::Error) -> JobError {
    if e.is_retryable() {
        JobError::Retry(e.to_string())
    } else {
        JobError::Permanent(e.to_string())
    }
}

#[async_trait]
impl Handler for CalendarWriter {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let business = job.business_id.clone().unwrap_or_default();
        let Some(engine) = self.app.directory().by_id(&business) else {
            return Ok(());
        };
        let profile = engine.profile();
        let cal = match client(&self.app, profile) {
            None => {
                return Err(JobError::Permanent(
                    "the business has no calendar configured".into(),
                ));
            }
            Some(c) => c.map_err(from_caldav)?,
        };
        let id = job
            .payload
            .get("appointment_id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| JobError::Permanent("calendar job without an appointment".into()))?;
        let store = &self.app.store;
        let Some(appt) = store
            .appointment(&business, id)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?
        else {
            return Ok(());
        };
        let uid = uid(appt.id);
        if appt.status == AppointmentStatus::Cancelled {
            cal.delete_event(&uid).await.map_err(from_caldav)?;
        } else {
            let contact = match appt.contact_id {
                Some(c) => store
                    .contact(&business, c)
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?,
                None => None,
            };
            let service = profile
                .service(&appt.service_id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| appt.service_id.clone());
            let who = contact
                .as_ref()
                .and_then(|c| c.name.clone())
                .unwrap_or_else(|| "customer".into());
            let mut description = String::new();
            if let Some(c) = &contact {
                description.push_str(&format!("Phone: {}\n", c.phone));
            }
            if let Some(v) = &appt.vehicle {
                description.push_str(&format!(
                    "Vehicle: {}\n",
                    [
                        v.get("year").map(|y| y.to_string()),
                        v.get("make").and_then(Value::as_str).map(str::to_string),
                        v.get("model").and_then(Value::as_str).map(str::to_string)
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
                ));
            }
            if let Some(n) = &appt.notes {
                description.push_str(n);
            }
            let event = Event {
                uid: uid.clone(),
                start: appt.start,
                end: appt.end,
                summary: format!("{service} — {who}"),
                description,
                location: Some(profile.business.address.clone()),
            };
            cal.put_event(&event).await.map_err(from_caldav)?;
            store
                .set_appointment_external_id(appt.id, &uid)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
        }
        self.app.calendar_cache.forget(&business);
        Ok(())
    }
}

/// The feed: our appointments from a month ago to the end of the horizon.
pub async fn feed(app: &App, profile: &Profile) -> anyhow::Result<String> {
    let now = app.clock.now();
    let range = Range {
        from: now.checked_sub(SignedDuration::from_hours(24 * 31))?,
        to: now.checked_add(SignedDuration::from_hours(
            24 * (i64::from(profile.booking.max_days_ahead) + 2),
        ))?,
    };
    let mut events = Vec::new();
    for a in app.store.appointments(&profile.business.id, range).await? {
        let who = match a.contact_id {
            Some(c) => app
                .store
                .contact(&profile.business.id, c)
                .await?
                .and_then(|c| c.name),
            None => None,
        };
        let service = profile
            .service(&a.service_id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| a.service_id.clone());
        events.push(Event {
            uid: uid(a.id),
            start: a.start,
            end: a.end,
            summary: format!("{service} — {}", who.unwrap_or_else(|| "customer".into())),
            description: String::new(),
            location: None,
        });
    }
    Ok(frontdesk_caldav::feed_ics(&profile.business.name, &events))
}
