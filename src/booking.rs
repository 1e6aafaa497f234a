//! Booking, shared by every way in: the engine's effects, the operator API and the dashboard.
//! Rules come from the scheduler (hours, grid, notice, horizon), capacity is taken atomically in
//! the store, and a refusal comes with real alternatives.

use frontdesk_profile::Profile;
use frontdesk_schedule::{Busy, Refusal, Slot, Want};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::store::{Appointment, AppointmentStatus, BookOutcome, NewAppointment, Range};

/// A wish to book one service at one time.
#[derive(Debug, Clone)]
pub struct Request {
    pub service_id: String,
    pub start: Timestamp,
    pub contact_id: Option<Uuid>,
    pub vehicle: Option<Value>,
    pub notes: Option<String>,
    /// voice, sms, chat, api, dashboard.
    pub source: String,
    pub idempotency_key: Option<String>,
}

/// How a booking attempt ended.
#[derive(Debug, Clone)]
pub enum Booking {
    Booked(Appointment),
    /// The same idempotency key was used before: its first result, nothing new booked.
    Replayed(Appointment),
    /// Full at that time (someone was faster): here are the nearest free times.
    Taken {
        alternatives: Vec<Slot>,
    },
    /// Outside the rules (closed, too soon, misaligned...).
    Refused(Refusal),
    UnknownService,
    NotFound,
    /// The owner's calendar could not be read in time: nothing was booked.
    CalendarDown,
    /// The contact already holds as many upcoming appointments as the profile allows
    /// (`booking.max_open_per_contact`): nothing was booked.
    Limit {
        open: usize,
    },
}

/// The busy times the scheduler must respect, from the store (and later external calendars),
/// from a day before `now` to the end of the booking horizon.
pub async fn busy(app: &App, profile: &Profile, now: Timestamp) -> anyhow::Result<Vec<Busy>> {
    let (busy, _) = calendar_view(app, profile, now).await?;
    Ok(busy)
}

/// The store's appointments plus the owner's own calendar, and whether that calendar could be
/// read in time (when not, only the store's appointments are in the list).
pub async fn calendar_view(
    app: &App,
    profile: &Profile,
    now: Timestamp,
) -> anyhow::Result<(Vec<Busy>, bool)> {
    let horizon = i64::from(profile.booking.max_days_ahead) + 2;
    let range = Range {
        from: now
            .checked_sub(SignedDuration::from_hours(24))
            .unwrap_or(now),
        to: now
            .checked_add(SignedDuration::from_hours(24 * horizon))
            .unwrap_or(now),
    };
    let mut busy: Vec<Busy> = app
        .store
        .busy_times(&profile.business.id, range)
        .await?
        .into_iter()
        .map(|(start, end)| Busy::appointment(start, end))
        .collect();
    match crate::calendar::external_busy(app, profile, now).await {
        Ok(external) => {
            busy.extend(external);
            Ok((busy, true))
        }
        Err(_) => Ok((busy, false)),
    }
}

fn duration_of(profile: &Profile, service_id: &str) -> Option<u32> {
    profile.service(service_id).map(|s| s.duration_minutes)
}

/// Free times nearest to `around`, for a "that time was just taken, how about …" answer.
pub fn alternatives(
    profile: &Profile,
    duration: u32,
    busy: &[Busy],
    now: Timestamp,
    around: Timestamp,
) -> Vec<Slot> {
    let rules = frontdesk_engine::rules(profile);
    let want = Want {
        preferred: Some(around.to_zoned(rules.zone.clone()).datetime()),
        ..Want::default()
    };
    frontdesk_schedule::offer(
        &rules,
        duration,
        busy,
        now,
        &want,
        profile.booking.offer_choices as usize,
    )
}

/// Checks the rules, then books atomically.
pub async fn book(app: &App, profile: &Profile, req: &Request) -> anyhow::Result<Booking> {
    let now = app.clock.now();
    let Some(duration) = duration_of(profile, &req.service_id) else {
        return Ok(Booking::UnknownService);
    };
    // A replayed request must see its first result even if the slot is full, or the owner's
    // calendar cannot be read, now.
    if let Some(key) = &req.idempotency_key
        && let Some(a) = app
            .store
            .appointment_by_key(&profile.business.id, key)
            .await?
    {
        return Ok(Booking::Replayed(a));
    }
    let (busy, reachable) = calendar_view(app, profile, now).await?;
    if !reachable {
        return Ok(Booking::CalendarDown);
    }
    let rules = frontdesk_engine::rules(profile);
    if let Some(open) = over_limit(app, profile, req.contact_id, now).await? {
        tracing::warn!(business = %profile.business.id, contact = ?req.contact_id, open,
            "booking refused: the contact holds as many appointments as allowed");
        return Ok(Booking::Limit { open });
    }
    let slot = match frontdesk_schedule::check_slot(&rules, duration, &busy, now, req.start) {
        Ok(slot) => slot,
        Err(Refusal::Full) => {
            return Ok(Booking::Taken {
                alternatives: alternatives(profile, duration, &busy, now, req.start),
            });
        }
        Err(refusal) => return Ok(Booking::Refused(refusal)),
    };
    let new = NewAppointment {
        business_id: profile.business.id.clone(),
        contact_id: req.contact_id,
        service_id: req.service_id.clone(),
        start: slot.start,
        end: slot.end,
        status: AppointmentStatus::Booked,
        source: req.source.clone(),
        vehicle: req.vehicle.clone(),
        notes: req.notes.clone(),
        idempotency_key: req.idempotency_key.clone(),
        at: now,
    };
    Ok(match app.store.book(&new, profile.booking.bays).await? {
        BookOutcome::Booked(a) => {
            crate::followups::schedule(app, profile, &a).await?;
            crate::calendar::queue_write(app, profile, &a).await?;
            app.wake_worker();
            crate::briefings::emit(
                app,
                profile,
                "appointment.booked",
                serde_json::to_value(&a)?,
                &a.id.to_string(),
            )
            .await?;
            app.store
                .audit(
                    Some(&profile.business.id),
                    &req.source,
                    "appointment.booked",
                    &json!({"id": a.id, "service": a.service_id, "start": a.start.to_string()}),
                    now,
                )
                .await?;
            Booking::Booked(a)
        }
        BookOutcome::Replayed(a) => Booking::Replayed(a),
        BookOutcome::Taken => {
            let busy = self::busy(app, profile, now).await?;
            Booking::Taken {
                alternatives: alternatives(profile, duration, &busy, now, req.start),
            }
        }
    })
}

/// How many upcoming appointments the contact holds, when that is already the most allowed.
async fn over_limit(
    app: &App,
    profile: &Profile,
    contact: Option<Uuid>,
    now: Timestamp,
) -> anyhow::Result<Option<usize>> {
    let Some(contact) = contact else {
        return Ok(None);
    };
    let open = app
        .store
        .appointments_of_contact(&profile.business.id, contact)
        .await?
        .iter()
        .filter(|a| a.status.holds_slot() && a.end > now)
        .count();
    Ok((open >= profile.booking.max_open_per_contact as usize).then_some(open))
}

/// Moves an appointment to `start`, checking the rules with its own old time freed.
pub async fn reschedule(
    app: &App,
    profile: &Profile,
    id: Uuid,
    start: Timestamp,
    actor: &str,
) -> anyhow::Result<Booking> {
    let now = app.clock.now();
    let business = &profile.business.id;
    let Some(current) = app.store.appointment(business, id).await? else {
        return Ok(Booking::NotFound);
    };
    let duration = duration_of(profile, &current.service_id).unwrap_or_else(|| {
        ((current.end.as_second() - current.start.as_second()) / 60).max(1) as u32
    });
    let busy: Vec<Busy> = busy(app, profile, now)
        .await?
        .into_iter()
        .filter(|b| !(b.start == current.start && b.end == current.end && b.bays == 1))
        .collect();
    let rules = frontdesk_engine::rules(profile);
    let slot = match frontdesk_schedule::check_slot(&rules, duration, &busy, now, start) {
        Ok(slot) => slot,
        Err(Refusal::Full) => {
            return Ok(Booking::Taken {
                alternatives: alternatives(profile, duration, &busy, now, start),
            });
        }
        Err(refusal) => return Ok(Booking::Refused(refusal)),
    };
    Ok(
        match app
            .store
            .reschedule(
                business,
                id,
                slot.start,
                slot.end,
                profile.booking.bays,
                now,
            )
            .await?
        {
            BookOutcome::Booked(a) | BookOutcome::Replayed(a) => {
                crate::followups::drop_all(app, id).await?;
                crate::followups::schedule(app, profile, &a).await?;
                crate::calendar::queue_write(app, profile, &a).await?;
                let key = format!("{}:{}", a.id, a.start.as_microsecond());
                crate::briefings::emit(
                    app,
                    profile,
                    "appointment.rescheduled",
                    serde_json::to_value(&a)?,
                    &key,
                )
                .await?;
                app.store
                    .audit(
                        Some(business),
                        actor,
                        "appointment.rescheduled",
                        &json!({"id": a.id, "start": a.start.to_string()}),
                        now,
                    )
                    .await?;
                Booking::Booked(a)
            }
            BookOutcome::Taken => Booking::Taken {
                alternatives: alternatives(profile, duration, &busy, now, start),
            },
        },
    )
}

/// One status change with its audit entry (`action`, by `actor`); `None` if the appointment is
/// not there. Every change of status below goes through here.
async fn transition(
    app: &App,
    profile: &Profile,
    id: Uuid,
    status: AppointmentStatus,
    actor: &str,
    action: &str,
) -> anyhow::Result<Option<Appointment>> {
    let now = app.clock.now();
    let business = &profile.business.id;
    let changed = app
        .store
        .set_appointment_status(business, id, status, now)
        .await?;
    if changed.is_some() {
        app.store
            .audit(Some(business), actor, action, &json!({"id": id}), now)
            .await?;
    }
    Ok(changed)
}

/// Cancels an appointment (freeing its slot) and drops its pending follow-ups.
pub async fn cancel(
    app: &App,
    profile: &Profile,
    id: Uuid,
    actor: &str,
) -> anyhow::Result<Option<Appointment>> {
    let cancelled = AppointmentStatus::Cancelled;
    let Some(a) = transition(app, profile, id, cancelled, actor, "appointment.cancelled").await?
    else {
        return Ok(None);
    };
    crate::followups::drop_all(app, id).await?;
    crate::calendar::queue_write(app, profile, &a).await?;
    let data = serde_json::to_value(&a)?;
    crate::briefings::emit(
        app,
        profile,
        "appointment.cancelled",
        data,
        &a.id.to_string(),
    )
    .await?;
    Ok(Some(a))
}

/// Confirms an appointment (the customer's "C" to a reminder). `None` if it is not there or no
/// longer holds its slot (cancelled since the reminder).
pub async fn confirm(
    app: &App,
    profile: &Profile,
    id: Uuid,
    actor: &str,
) -> anyhow::Result<Option<Appointment>> {
    let holds = app
        .store
        .appointment(&profile.business.id, id)
        .await?
        .is_some_and(|a| a.status.holds_slot());
    if !holds {
        return Ok(None);
    }
    let confirmed = AppointmentStatus::Confirmed;
    transition(app, profile, id, confirmed, actor, "appointment.confirmed").await
}

/// Closes a visit as staff mark it: `Done` (the review request follows) or `NoShow` (its
/// follow-ups are dropped). `None` if the appointment is not there.
pub async fn close_visit(
    app: &App,
    profile: &Profile,
    id: Uuid,
    status: AppointmentStatus,
    actor: &str,
) -> anyhow::Result<Option<Appointment>> {
    let action = match status {
        AppointmentStatus::Done => "appointment.done",
        _ => "appointment.no_show",
    };
    let Some(a) = transition(app, profile, id, status, actor, action).await? else {
        return Ok(None);
    };
    if status == AppointmentStatus::Done {
        crate::followups::visit_done(app, profile, &a).await?;
    } else {
        crate::followups::drop_all(app, id).await?;
    }
    Ok(Some(a))
}

/// The owner moved the appointment's event in their own calendar: the appointment follows, and
/// its reminders with it.
pub async fn moved_in_calendar(
    app: &App,
    profile: &Profile,
    id: Uuid,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<()> {
    let now = app.clock.now();
    let business = &profile.business.id;
    app.store
        .move_appointment(business, id, start, end, now)
        .await?;
    if let Some(moved) = app.store.appointment(business, id).await? {
        crate::followups::drop_all(app, id).await?;
        crate::followups::schedule(app, profile, &moved).await?;
    }
    app.store
        .audit(
            Some(business),
            "calendar",
            "appointment.moved_by_owner",
            &json!({"id": id, "start": start.to_string()}),
            now,
        )
        .await?;
    Ok(())
}

/// The owner deleted the appointment's event in their own calendar: it is cancelled and its
/// follow-ups dropped (nothing is written back to the calendar).
pub async fn deleted_in_calendar(app: &App, profile: &Profile, id: Uuid) -> anyhow::Result<()> {
    let cancelled = AppointmentStatus::Cancelled;
    let action = "appointment.deleted_by_owner";
    transition(app, profile, id, cancelled, "calendar", action).await?;
    crate::followups::drop_all(app, id).await?;
    Ok(())
}
