//! Appointments: the week view (`GET /b/{b}/appointments?week=DATE`, Monday first) and the
//! actions on one appointment (`POST /b/{b}/appointments/{id}`): done (which sends the review
//! request), no-show, cancel and reschedule, every one through the appointments service in
//! `booking`, the same code callers and the API go through. A reschedule that cannot be made
//! shows the week again with the reason and the free times nearby.

use axum::extract::{Path, Query, State};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use crate::app::App;
use crate::booking::{self, Booking};
use crate::dashboard::page::{Chrome, Res, render, see_other};
use crate::dashboard::session::{Post, Who};
use crate::dashboard::view::{
    clock, contact_label, contacts_by_id, day_range, local_today, service_name, status_word, when,
};
use crate::error::AppError;
use crate::store::AppointmentStatus;

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    #[serde(default)]
    week: Option<String>,
}

struct DayView {
    label: String,
    items: Vec<ApptView>,
}

struct ApptView {
    id: Uuid,
    time: String,
    service: String,
    contact: String,
    status: String,
    local_start: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard/appointments.html")]
struct Appointments {
    chrome: Chrome,
    title: String,
    prev: String,
    next: String,
    days: Vec<DayView>,
    message: String,
}

/// `GET /b/{b}/appointments?week=DATE`: the week (Monday first) holding DATE, default today.
pub async fn appointments(
    State(app): State<App>,
    who: Who,
    Path(b): Path<String>,
    Query(w): Query<WeekQuery>,
) -> Res {
    week_page(&app, &who, &b, w.week.as_deref(), String::new()).await
}

async fn week_page(app: &App, who: &Who, b: &str, week: Option<&str>, message: String) -> Res {
    let engine = who.business(app, b)?;
    let p = engine.profile();
    let day = match week {
        Some(w) => w.parse::<Date>().map_err(|_| {
            AppError::BadRequest(format!("cannot read {w:?} as a date like 2026-11-24"))
        })?,
        None => local_today(app, p),
    };
    let monday = day
        .checked_sub((day.weekday().to_monday_zero_offset() as i64).days())
        .unwrap_or(day);
    let contacts = contacts_by_id(app, b).await?;
    let range = day_range(p, monday, 7);
    let all = app.store.appointments_any(b, range).await?;
    let mut days = Vec::new();
    for i in 0..7 {
        let d = monday.checked_add((i as i64).days()).unwrap_or(monday);
        let items = all
            .iter()
            .filter(|a| a.start.to_zoned(p.business.timezone.clone()).date() == d)
            .map(|a| ApptView {
                id: a.id,
                time: format!("{}–{}", clock(p, a.start), clock(p, a.end)),
                service: service_name(p, &a.service_id),
                contact: contact_label(a.contact_id.and_then(|id| contacts.get(&id))),
                status: status_word(a.status),
                local_start: a
                    .start
                    .to_zoned(p.business.timezone.clone())
                    .strftime("%Y-%m-%dT%H:%M")
                    .to_string(),
            })
            .collect();
        days.push(DayView {
            label: d.strftime("%A %B %-d").to_string(),
            items,
        });
    }
    Ok(render(&Appointments {
        chrome: Chrome::new(who, &engine, "appointments"),
        title: format!("Week of {}", monday.strftime("%B %-d, %Y")),
        prev: monday
            .checked_sub(7.days())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        next: monday
            .checked_add(7.days())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        days,
        message,
    }))
}

#[derive(Deserialize)]
pub struct ApptForm {
    action: String,
    #[serde(default)]
    start: String,
}

/// `POST /b/{b}/appointments/{id}`: done (sends the review request), no-show, cancel, or
/// reschedule to `start` (business-local), all through the booking code callers use.
pub async fn appointment_action(
    State(app): State<App>,
    Path((b, id)): Path<(String, String)>,
    post: Post<ApptForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let p = engine.profile();
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let appt = app
        .store
        .appointment(&b, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = post.who.actor();
    let week = appt
        .start
        .to_zoned(p.business.timezone.clone())
        .date()
        .to_string();
    let message = match post.form.action.as_str() {
        "done" | "no_show" => {
            let status = if post.form.action == "done" {
                AppointmentStatus::Done
            } else {
                AppointmentStatus::NoShow
            };
            booking::close_visit(&app, p, id, status, &actor)
                .await?
                .ok_or(AppError::NotFound)?;
            return Ok(see_other(&format!("/b/{b}/appointments?week={week}")));
        }
        "cancel" => {
            booking::cancel(&app, p, id, &actor).await?;
            return Ok(see_other(&format!("/b/{b}/appointments?week={week}")));
        }
        "reschedule" => {
            let start = crate::chat::local_instant(post.form.start.trim(), &p.business.timezone)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            match booking::reschedule(&app, p, id, start, &actor).await? {
                Booking::Booked(a) | Booking::Replayed(a) => {
                    let w = a
                        .start
                        .to_zoned(p.business.timezone.clone())
                        .date()
                        .to_string();
                    return Ok(see_other(&format!("/b/{b}/appointments?week={w}")));
                }
                Booking::Taken { alternatives } => {
                    let alts: Vec<String> = alternatives.iter().map(|s| when(p, s.start)).collect();
                    format!("That time is taken. Free nearby: {}.", alts.join(", "))
                }
                Booking::Refused(r) => format!("That time cannot be booked: {r:?}."),
                Booking::CalendarDown => {
                    "The shop calendar could not be read just now; nothing was moved. Try again in a minute.".to_string()
                }
                Booking::Limit { open } => format!("This customer already has {open} upcoming appointments, the most allowed."),
                Booking::UnknownService | Booking::NotFound => return Err(AppError::NotFound),
            }
        }
        other => return Err(AppError::BadRequest(format!("unknown action {other:?}"))),
    };
    week_page(&app, &post.who, &b, Some(&week), message).await
}
