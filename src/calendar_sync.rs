//! The owner's edits in their own calendar, read back: every five minutes (`calendar.sync` jobs)
//! the calendar is read and an event moved there moves the appointment, an event deleted there
//! cancels it, through the appointments service. Apart from [`crate::calendar`] (which the
//! appointments service writes through) so the two never import each other.

use std::collections::HashMap;

use async_trait::async_trait;
use frontdesk_profile::Profile;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use uuid::Uuid;

use crate::app::App;
use crate::calendar::{appointment_of, client};
use crate::jobs::{Handler, JobError};
use crate::store::{Job, NewJob, Range};

/// Reads the owner's calendar and applies their edits to our appointments: an event moved in the
/// calendar moves the appointment; an event deleted there cancels it. Returns (moved, cancelled).
pub async fn sync(app: &App, profile: &Profile) -> anyhow::Result<(usize, usize)> {
    let cal = match client(app, profile) {
        None => return Ok((0, 0)),
        Some(c) => c?,
    };
    let business = &profile.business.id;
    let now = app.clock.now();
    let to = now.checked_add(SignedDuration::from_hours(
        24 * (i64::from(profile.booking.max_days_ahead) + 2),
    ))?;
    let events = cal.events(now, to).await?;
    let mut remote: HashMap<Uuid, (Timestamp, Timestamp)> = HashMap::new();
    for e in events.iter().filter(|e| !e.cancelled) {
        if let Some(id) = appointment_of(&e.uid) {
            remote.insert(id, (e.start, e.end));
        }
    }
    let (mut moved, mut cancelled) = (0, 0);
    for appt in app
        .store
        .appointments(business, Range { from: now, to })
        .await?
    {
        if appt.external_id.is_none() {
            continue;
        }
        match remote.get(&appt.id) {
            Some(&(start, end)) if (start, end) != (appt.start, appt.end) => {
                crate::booking::moved_in_calendar(app, profile, appt.id, start, end).await?;
                moved += 1;
            }
            Some(_) => {}
            None => {
                crate::booking::deleted_in_calendar(app, profile, appt.id).await?;
                cancelled += 1;
            }
        }
    }
    app.calendar_cache.forget(business);
    Ok((moved, cancelled))
}

/// `calendar.sync`: runs [`sync`] and queues the next one in five minutes.
pub struct CalendarSync {
    app: App,
}

impl CalendarSync {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

/// Queues the next calendar sync of every business that has a calendar.
pub async fn schedule_syncs(app: &App, after: SignedDuration) -> anyhow::Result<()> {
    let at = app.clock.now().checked_add(after)?;
    for engine in app.directory().all() {
        let profile = engine.profile();
        if profile.calendar.is_some() {
            let slot = at.as_second() / 300;
            app.store
                .enqueue(&NewJob {
                    priority: crate::store::PRIORITY_LATER,
                    business_id: Some(profile.business.id.clone()),
                    kind: "calendar.sync".into(),
                    payload: json!({}),
                    run_at: at,
                    max_attempts: 1,
                    idempotency_key: Some(format!("calsync:{}:{slot}", profile.business.id)),
                })
                .await?;
        }
    }
    Ok(())
}

#[async_trait]
impl Handler for CalendarSync {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let business = job.business_id.clone().unwrap_or_default();
        if let Some(engine) = self.app.directory().by_id(&business) {
            match sync(&self.app, engine.profile()).await {
                Ok((moved, cancelled)) => {
                    tracing::info!(business = %business, moved, cancelled, "calendar synced")
                }
                Err(e) => tracing::warn!(business = %business, error = %e, "calendar sync failed"),
            }
        }
        schedule_syncs(&self.app, SignedDuration::from_mins(5))
            .await
            .map_err(|e| JobError::Retry(e.to_string()))
    }
}
