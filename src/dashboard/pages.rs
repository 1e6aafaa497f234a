//! The dashboard's pages: Today, Conversations (list and transcript), Appointments (week view
//! with done, no-show, reschedule and cancel through the booking code), Tasks, Contacts (with
//! CSV export), Reports (the numbers of `frontdesk report`) and Settings (the profile, checked
//! like `frontdesk check`, saved with history). Handlers gather and format; templates only show.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use frontdesk_engine::Engine;
use frontdesk_profile::Profile;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::{DashError, Post, Res, Who, render, see_other};
use crate::app::App;
use crate::booking::{self, Booking};
use crate::store::{AppointmentStatus, Contact, Range, Speaker};

/// The header and navigation every page shares.
#[derive(Default)]
pub struct Chrome {
    pub business_name: String,
    pub base: String,
    pub section: &'static str,
    pub csrf: String,
    /// Whether the settings (and corrections) are shown: owners and operators.
    pub can_edit: bool,
}

impl Chrome {
    pub fn new(who: &Who, engine: &Engine, section: &'static str) -> Self {
        let p = engine.profile();
        Self {
            business_name: p.business.name.clone(),
            base: format!("/b/{}", p.business.id),
            section,
            csrf: who.csrf.clone(),
            can_edit: who.can_edit_settings(),
        }
    }
}

#[derive(askama::Template)]
#[template(path = "dashboard/message.html")]
pub struct Message {
    pub chrome: Chrome,
    pub title: String,
    pub message: String,
}

fn status_word(s: AppointmentStatus) -> String {
    match serde_json::to_value(s) {
        Ok(Value::String(w)) => w.replace('_', " "),
        _ => String::new(),
    }
}

/// `2:05 PM` in the business's zone.
pub(crate) fn clock(p: &Profile, t: Timestamp) -> String {
    t.to_zoned(p.business.timezone.clone())
        .strftime("%-I:%M %p")
        .to_string()
}

/// `Tue Nov 24, 2:05 PM` in the business's zone.
pub(crate) fn when(p: &Profile, t: Timestamp) -> String {
    t.to_zoned(p.business.timezone.clone())
        .strftime("%a %b %-d, %-I:%M %p")
        .to_string()
}

fn local_today(app: &App, p: &Profile) -> Date {
    app.clock.now().to_zoned(p.business.timezone.clone()).date()
}

fn day_range(p: &Profile, from: Date, days: i64) -> Range {
    let start = |d: Date| {
        d.to_zoned(p.business.timezone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    };
    let to = from.checked_add(days.days()).unwrap_or(from);
    Range {
        from: start(from),
        to: start(to),
    }
}

fn service_name(p: &Profile, id: &str) -> String {
    p.service(id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn contact_label(c: Option<&Contact>) -> String {
    match c {
        Some(c) => match &c.name {
            Some(n) => format!("{n} ({})", c.phone),
            None => c.phone.clone(),
        },
        None => "unknown caller".into(),
    }
}

async fn contacts_by_id(app: &App, business: &str) -> Res<HashMap<Uuid, Contact>> {
    Ok(app
        .store
        .contacts(business, 5000)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// `GET /`: an owner goes to their business; an operator picks one.
pub async fn home(State(app): State<App>, who: Who) -> Res {
    if let Some(to) = super::auth::home_of(&who) {
        return Ok(Redirect::to(&to).into_response());
    }
    let dir = app.directory();
    if dir.all().len() == 1 {
        let id = &dir.all()[0].profile().business.id;
        return Ok(Redirect::to(&format!("/b/{id}")).into_response());
    }
    let businesses = dir
        .all()
        .iter()
        .map(|e| {
            (
                e.profile().business.id.clone(),
                e.profile().business.name.clone(),
            )
        })
        .collect();
    Ok(render(&Businesses {
        chrome: Chrome {
            csrf: who.csrf,
            ..Chrome::default()
        },
        businesses,
    }))
}

#[derive(askama::Template)]
#[template(path = "dashboard/businesses.html")]
struct Businesses {
    chrome: Chrome,
    businesses: Vec<(String, String)>,
}

struct Row {
    href: String,
    cells: Vec<String>,
}

#[derive(askama::Template)]
#[template(path = "dashboard/today.html")]
struct Today {
    chrome: Chrome,
    date: String,
    calls: u64,
    texts: u64,
    booked: u64,
    open_callbacks: u64,
    median_ms: String,
    urgent: Vec<Row>,
    live: Vec<Row>,
    bookings: Vec<Row>,
    callbacks: Vec<Row>,
}

/// `GET /b/{b}`: today so far, anything urgent on top.
pub async fn today_page(app: &App, who: &Who, b: &str) -> Res {
    let engine = who.business(app, b)?;
    let p = engine.profile();
    let date = local_today(app, p);
    let f = crate::report::day(app.store.as_ref(), p, date).await?;
    let contacts = contacts_by_id(app, b).await?;
    let range = day_range(p, date, 1);
    let now = app.clock.now();
    let live = app
        .store
        .conversations(b, range, 200)
        .await?
        .into_iter()
        .filter(|c| {
            c.ended_at.is_none() && now.duration_since(c.started_at) < SignedDuration::from_hours(1)
        })
        .map(|c| Row {
            href: format!("/b/{b}/conversations/{}", c.id),
            cells: vec![
                clock(p, c.started_at),
                contact_label(c.contact_id.and_then(|id| contacts.get(&id))),
                channel_word(c.channel),
            ],
        })
        .collect();
    let bookings = app
        .store
        .appointments(b, range)
        .await?
        .into_iter()
        .map(|a| Row {
            href: format!("/b/{b}/appointments?week={}", date),
            cells: vec![
                clock(p, a.start),
                service_name(p, &a.service_id),
                contact_label(a.contact_id.and_then(|id| contacts.get(&id))),
            ],
        })
        .collect();
    let tasks = app.store.tasks(b, true).await?;
    let row = |t: &crate::store::Task| Row {
        href: format!("/b/{b}/tasks#task-{}", t.id),
        cells: vec![
            t.urgency.clone(),
            t.title.clone(),
            contact_label(t.contact_id.and_then(|id| contacts.get(&id))),
            when(p, t.created_at),
        ],
    };
    let urgent = tasks
        .iter()
        .filter(|t| t.urgency != "normal")
        .map(row)
        .collect();
    let callbacks = tasks.iter().map(row).collect();
    Ok(render(&Today {
        chrome: Chrome::new(who, &engine, "today"),
        date: date.strftime("%A, %B %-d").to_string(),
        calls: f.calls,
        texts: f.texts,
        booked: f.booked,
        open_callbacks: f.open_callbacks,
        median_ms: format!("{:.1} ms", f.median_response_ms),
        urgent,
        live,
        bookings,
        callbacks,
    }))
}

pub async fn today(State(app): State<App>, who: Who, Path(b): Path<String>) -> Res {
    today_page(&app, &who, &b).await
}

fn channel_word(c: crate::store::Channel) -> String {
    match c {
        crate::store::Channel::Voice => "call",
        crate::store::Channel::Sms => "text",
        crate::store::Channel::Chat => "simulator",
        crate::store::Channel::Web => "web form",
    }
    .to_string()
}

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard/conversations.html")]
struct Conversations {
    chrome: Chrome,
    q: String,
    rows: Vec<Row>,
}

/// `GET /b/{b}/conversations?q=`: the last 90 days, newest first, filtered by caller, outcome,
/// channel or summary.
pub async fn conversations(
    State(app): State<App>,
    who: Who,
    Path(b): Path<String>,
    Query(s): Query<Search>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let now = app.clock.now();
    let range = Range {
        from: now - SignedDuration::from_hours(24 * 90),
        to: now + SignedDuration::from_hours(1),
    };
    let contacts = contacts_by_id(&app, &b).await?;
    let q = s.q.trim().to_lowercase();
    let rows = app
        .store
        .conversations(&b, range, 1000)
        .await?
        .into_iter()
        .map(|c| {
            let caller = contact_label(c.contact_id.and_then(|id| contacts.get(&id)));
            let outcome = c.outcome.clone().unwrap_or_else(|| {
                if c.ended_at.is_none() {
                    "in progress".into()
                } else {
                    "-".into()
                }
            });
            let cells = vec![
                when(p, c.started_at),
                caller,
                channel_word(c.channel),
                outcome,
                c.summary.clone().unwrap_or_default(),
            ];
            Row {
                href: format!("/b/{b}/conversations/{}", c.id),
                cells,
            }
        })
        .filter(|r| q.is_empty() || r.cells.iter().any(|c| c.to_lowercase().contains(&q)))
        .collect();
    Ok(render(&Conversations {
        chrome: Chrome::new(&who, &engine, "conversations"),
        q: s.q,
        rows,
    }))
}

pub(crate) struct TurnView {
    pub seq: i64,
    pub assistant: bool,
    pub speaker: &'static str,
    pub text: String,
    pub flow: String,
    pub understood: String,
    pub processing: String,
    pub effects: Vec<String>,
    /// What the caller said just before (the default question for a correction).
    pub asked: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard/transcript.html")]
struct Transcript {
    chrome: Chrome,
    conversation_id: String,
    title: String,
    outcome: String,
    summary: String,
    turns: Vec<TurnView>,
    services: Vec<(String, String)>,
    notice: String,
}

/// A compact reading of a stored understanding: the non-empty fields.
fn understood(v: Option<&Value>) -> String {
    let Some(Value::Object(map)) = v else {
        return String::new();
    };
    map.iter()
        .filter(|(_, v)| {
            !matches!(v, Value::Null) && v != &&Value::Array(vec![]) && v != &&Value::Bool(false)
        })
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line for a stored effect: its kind and its most telling field, not the raw document.
fn effect_line(v: &Value) -> String {
    let Value::Object(m) = v else {
        return v.to_string();
    };
    let kind = m
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("effect")
        .replace('_', " ");
    let detail = [
        "title", "subject", "service", "start", "text", "to", "reason",
    ]
    .iter()
    .find_map(|k| m.get(*k).and_then(Value::as_str))
    .unwrap_or("");
    let mut line = if detail.is_empty() {
        kind
    } else {
        format!("{kind}: {detail}")
    };
    if line.chars().count() > 160 {
        line = line.chars().take(157).collect::<String>() + "...";
    }
    line
}

pub(crate) async fn turn_views(app: &App, conversation: Uuid) -> Res<Vec<TurnView>> {
    let mut asked = String::new();
    // The understanding is stored on the caller's turn; it is shown with the reply to it.
    let mut heard = String::new();
    let mut out = Vec::new();
    for t in app.store.turns(conversation).await? {
        let assistant = t.speaker == Speaker::Assistant;
        let own = understood(t.understanding.as_ref());
        let understood = if assistant && own.is_empty() {
            std::mem::take(&mut heard)
        } else {
            own
        };
        out.push(TurnView {
            seq: t.seq,
            assistant,
            speaker: match t.speaker {
                Speaker::Caller => "Caller",
                Speaker::Assistant => "Assistant",
                Speaker::System => "System",
            },
            text: t.text.clone(),
            flow: t.flow.clone().unwrap_or_default(),
            understood: if assistant {
                understood.clone()
            } else {
                String::new()
            },
            processing: t
                .processing_us
                .map(|us| format!("{:.2} ms", us as f64 / 1000.0))
                .unwrap_or_default(),
            effects: t.effects.iter().map(effect_line).collect(),
            asked: asked.clone(),
        });
        if t.speaker == Speaker::Caller {
            asked = t.text;
            heard = understood;
        }
    }
    Ok(out)
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    corrected: Option<String>,
}

/// `GET /b/{b}/conversations/{id}`: the transcript, with what was understood, which flow
/// answered, the processing time and the effects of each assistant turn.
pub async fn transcript(
    State(app): State<App>,
    who: Who,
    Path((b, id)): Path<(String, String)>,
    Query(n): Query<Notice>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let id = Uuid::parse_str(&id).map_err(|_| DashError::NotFound)?;
    let conv = app
        .store
        .conversation(&b, id)
        .await?
        .ok_or(DashError::NotFound)?;
    let contact = match conv.contact_id {
        Some(c) => app.store.contact(&b, c).await?,
        None => None,
    };
    Ok(render(&Transcript {
        chrome: Chrome::new(&who, &engine, "conversations"),
        conversation_id: id.to_string(),
        title: format!(
            "{} · {} · {}",
            contact_label(contact.as_ref()),
            channel_word(conv.channel),
            when(p, conv.started_at)
        ),
        outcome: conv.outcome.clone().unwrap_or_else(|| "in progress".into()),
        summary: conv.summary.clone().unwrap_or_default(),
        turns: turn_views(&app, id).await?,
        services: p
            .services
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        notice: match n.corrected.as_deref() {
            Some("faq") => "Saved: the new answer is part of the profile and is used from the next call. A regression scenario was written for frontdesk test-calls.".into(),
            Some("alias") => "Saved: the phrase now names that service from the next call. A regression scenario was written for frontdesk test-calls.".into(),
            _ => String::new(),
        },
    }))
}

struct TaskView {
    id: Uuid,
    kind: String,
    urgency: String,
    title: String,
    contact: String,
    context: Vec<(String, String)>,
    created: String,
    conversation: Option<String>,
    done_note: String,
    done_at: String,
}

/// A task's context field as the owner reads it: transcripts as lines, understandings compact.
fn context_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                match (
                    i.get("who").and_then(Value::as_str),
                    i.get("text").and_then(Value::as_str),
                ) {
                    (Some(who), Some(text)) => format!("{who}: {text}"),
                    _ => context_value(i),
                }
            })
            .collect::<Vec<_>>()
            .join(" / "),
        Value::Object(_) => understood(Some(v)),
        other => other.to_string(),
    }
}

#[derive(askama::Template)]
#[template(path = "dashboard/tasks.html")]
struct Tasks {
    chrome: Chrome,
    open: Vec<TaskView>,
    done: Vec<TaskView>,
}

/// `GET /b/{b}/tasks`: open callbacks and manual bookings with their context, then done ones.
pub async fn tasks(State(app): State<App>, who: Who, Path(b): Path<String>) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let contacts = contacts_by_id(&app, &b).await?;
    let mut open = Vec::new();
    let mut done = Vec::new();
    for t in app.store.tasks(&b, false).await? {
        let context = match &t.context {
            Value::Object(m) => m
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.replace('_', " "), context_value(v)))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        let view = TaskView {
            id: t.id,
            kind: match t.kind {
                crate::store::TaskKind::Callback => "callback".into(),
                crate::store::TaskKind::ManualBooking => "manual booking".into(),
            },
            urgency: t.urgency.clone(),
            title: t.title.clone(),
            contact: contact_label(t.contact_id.and_then(|id| contacts.get(&id))),
            context,
            created: when(p, t.created_at),
            conversation: t
                .conversation_id
                .map(|c| format!("/b/{b}/conversations/{c}")),
            done_note: t.done_note.clone().unwrap_or_default(),
            done_at: t.done_at.map(|d| when(p, d)).unwrap_or_default(),
        };
        if t.done {
            done.push(view);
        } else {
            open.push(view);
        }
    }
    Ok(render(&Tasks {
        chrome: Chrome::new(&who, &engine, "tasks"),
        open,
        done,
    }))
}

#[derive(Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    note: String,
}

/// `POST /b/{b}/tasks/{id}/done`: marks the task done with the owner's note.
pub async fn task_done(
    State(app): State<App>,
    Path((b, id)): Path<(String, String)>,
    post: Post<DoneForm>,
) -> Res {
    post.who.business(&app, &b)?;
    let id = Uuid::parse_str(&id).map_err(|_| DashError::NotFound)?;
    let now = app.clock.now();
    app.store
        .complete_task(&b, id, post.form.note.trim(), now)
        .await?
        .ok_or(DashError::NotFound)?;
    app.store
        .audit(
            Some(&b),
            &post.who.actor(),
            "task.done",
            &serde_json::json!({"id": id, "note": post.form.note}),
            now,
        )
        .await?;
    Ok(see_other(&format!("/b/{b}/tasks")))
}

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
            DashError::BadRequest(format!("cannot read {w:?} as a date like 2026-11-24"))
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
    let id = Uuid::parse_str(&id).map_err(|_| DashError::NotFound)?;
    let appt = app
        .store
        .appointment(&b, id)
        .await?
        .ok_or(DashError::NotFound)?;
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
                .ok_or(DashError::NotFound)?;
            return Ok(see_other(&format!("/b/{b}/appointments?week={week}")));
        }
        "cancel" => {
            booking::cancel(&app, p, id, &actor).await?;
            return Ok(see_other(&format!("/b/{b}/appointments?week={week}")));
        }
        "reschedule" => {
            let start = crate::chat::local_instant(post.form.start.trim(), &p.business.timezone)
                .map_err(|e| DashError::BadRequest(e.to_string()))?;
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
                Booking::UnknownService | Booking::NotFound => return Err(DashError::NotFound),
            }
        }
        other => return Err(DashError::BadRequest(format!("unknown action {other:?}"))),
    };
    week_page(&app, &post.who, &b, Some(&week), message).await
}

struct ContactView {
    href: String,
    name: String,
    phone: String,
    vehicles: String,
    opted_out: bool,
    updated: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard/contacts.html")]
struct Contacts {
    chrome: Chrome,
    q: String,
    contacts: Vec<ContactView>,
}

fn vehicles(c: &Contact) -> String {
    c.vehicles
        .iter()
        .map(|v| match v {
            Value::Object(m) => m
                .values()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" "),
            Value::String(s) => s.clone(),
            o => o.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn contact_view(p: &Profile, b: &str, c: &Contact) -> ContactView {
    ContactView {
        href: format!("/b/{b}/contacts/{}", c.id),
        name: c.name.clone().unwrap_or_default(),
        phone: c.phone.clone(),
        vehicles: vehicles(c),
        opted_out: c.opted_out,
        updated: when(p, c.updated_at),
    }
}

/// `GET /b/{b}/contacts?q=`: everyone who called, texted or wrote.
pub async fn contacts(
    State(app): State<App>,
    who: Who,
    Path(b): Path<String>,
    Query(s): Query<Search>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let q = s.q.trim().to_lowercase();
    let contacts = app
        .store
        .contacts(&b, 5000)
        .await?
        .iter()
        .map(|c| contact_view(p, &b, c))
        .filter(|v| {
            q.is_empty()
                || v.name.to_lowercase().contains(&q)
                || v.phone.contains(&q)
                || v.vehicles.to_lowercase().contains(&q)
        })
        .collect();
    Ok(render(&Contacts {
        chrome: Chrome::new(&who, &engine, "contacts"),
        q: s.q,
        contacts,
    }))
}

#[derive(askama::Template)]
#[template(path = "dashboard/contact.html")]
struct ContactPage {
    chrome: Chrome,
    c: ContactView,
    opted_out_at: String,
    notes: String,
    history: Vec<Row>,
    visits: Vec<Row>,
}

/// `GET /b/{b}/contacts/{id}`: one contact's conversations, visits, vehicles and opt-out state.
pub async fn contact(
    State(app): State<App>,
    who: Who,
    Path((b, id)): Path<(String, String)>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let id = Uuid::parse_str(&id).map_err(|_| DashError::NotFound)?;
    let c = app
        .store
        .contact(&b, id)
        .await?
        .ok_or(DashError::NotFound)?;
    let history = app
        .store
        .conversations_of_contact(&b, id)
        .await?
        .into_iter()
        .map(|conv| Row {
            href: format!("/b/{b}/conversations/{}", conv.id),
            cells: vec![
                when(p, conv.started_at),
                channel_word(conv.channel),
                conv.outcome.unwrap_or_else(|| "in progress".into()),
            ],
        })
        .collect();
    let visits = app
        .store
        .appointments_of_contact(&b, id)
        .await?
        .into_iter()
        .map(|a| Row {
            href: format!(
                "/b/{b}/appointments?week={}",
                a.start.to_zoned(p.business.timezone.clone()).date()
            ),
            cells: vec![
                when(p, a.start),
                service_name(p, &a.service_id),
                status_word(a.status),
            ],
        })
        .collect();
    Ok(render(&ContactPage {
        chrome: Chrome::new(&who, &engine, "contacts"),
        opted_out_at: c.opted_out_at.map(|t| when(p, t)).unwrap_or_default(),
        notes: c.notes.clone(),
        c: contact_view(p, &b, &c),
        history,
        visits,
    }))
}

/// `GET /b/{b}/contacts/export.csv`: the same CSV as `frontdesk export contacts`.
pub async fn contacts_export(State(app): State<App>, who: Who, Path(b): Path<String>) -> Res {
    let engine = who.business(&app, &b)?;
    let csv = crate::export::csv(app.store.as_ref(), engine.profile(), "contacts").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{b}-contacts.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    day: Option<String>,
    #[serde(default)]
    month: Option<String>,
}

struct Bar {
    label: String,
    value: String,
    width: u32,
}

#[derive(askama::Template)]
#[template(path = "dashboard/reports.html")]
struct Reports {
    chrome: Chrome,
    title: String,
    monthly: bool,
    day: String,
    month: String,
    text: String,
    f: crate::report::Figures,
    booking_rate: String,
    after_hours: String,
    recovered: String,
    booked_value: String,
    median: String,
    p95: String,
    per_day: Vec<Bar>,
    questions: Vec<Bar>,
    response: Vec<Bar>,
}

fn bars(items: Vec<(String, f64, String)>) -> Vec<Bar> {
    let max = items.iter().map(|i| i.1).fold(0.0, f64::max);
    items
        .into_iter()
        .map(|(label, v, value)| Bar {
            label,
            value,
            width: if max > 0.0 {
                ((v / max) * 100.0).round() as u32
            } else {
                0
            },
        })
        .collect()
}

/// How long the assistant took per reply in the period, in five buckets.
async fn response_buckets(app: &App, b: &str, range: Range) -> Res<Vec<(String, f64, String)>> {
    const EDGES: [(i64, &str); 5] = [
        (1_000, "under 1 ms"),
        (10_000, "1–10 ms"),
        (100_000, "10–100 ms"),
        (1_000_000, "100 ms–1 s"),
        (i64::MAX, "over 1 s"),
    ];
    let mut counts = [0u64; 5];
    for c in app.store.conversations(b, range, 5000).await? {
        for t in app.store.turns(c.id).await? {
            if let (Speaker::Assistant, Some(us)) = (t.speaker, t.processing_us) {
                let i = EDGES.iter().position(|(edge, _)| us < *edge).unwrap_or(4);
                counts[i] += 1;
            }
        }
    }
    Ok(EDGES
        .iter()
        .zip(counts)
        .map(|((_, label), n)| (label.to_string(), n as f64, format!("{n} replies")))
        .collect())
}

/// `GET /b/{b}/reports?day=|month=`: the figures of `frontdesk report`, with bar charts.
pub async fn reports(
    State(app): State<App>,
    who: Who,
    Path(b): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let store = app.store.as_ref();
    let now_day = local_today(&app, p);
    let monthly = q.day.is_none();
    let (f, title, day, month, first, days) = if let Some(d) = &q.day {
        let date: Date = d.parse().map_err(|_| {
            DashError::BadRequest(format!("cannot read {d:?} as a day like 2026-11-24"))
        })?;
        let f = crate::report::day(store, p, date).await?;
        (
            f,
            format!("Day report: {}", date.strftime("%A %B %-d, %Y")),
            date.to_string(),
            String::new(),
            date,
            1,
        )
    } else {
        let m = q
            .month
            .clone()
            .unwrap_or_else(|| now_day.strftime("%Y-%m").to_string());
        let (y, mo) = m
            .split_once('-')
            .and_then(|(y, mo)| Some((y.parse::<i16>().ok()?, mo.parse::<i8>().ok()?)))
            .filter(|(_, mo)| (1..=12).contains(mo))
            .ok_or_else(|| {
                DashError::BadRequest(format!("cannot read {m:?} as a month like 2026-11"))
            })?;
        let f = crate::report::month(store, p, y, mo).await?;
        let first = jiff::civil::date(y, mo, 1);
        (
            f,
            format!("Month report: {}", first.strftime("%B %Y")),
            String::new(),
            m,
            first,
            first.days_in_month() as i64,
        )
    };
    let mut per_day = Vec::new();
    if monthly {
        for i in 0..days {
            let d = first.checked_add(i.days()).unwrap_or(first);
            if d > now_day {
                break;
            }
            let fd = crate::report::day(store, p, d).await?;
            let n = fd.calls + fd.texts + fd.web;
            per_day.push((d.strftime("%b %-d").to_string(), n as f64, n.to_string()));
        }
    }
    let questions = f
        .top_questions
        .iter()
        .map(|(q, n)| (q.clone(), *n as f64, n.to_string()))
        .collect();
    let response = response_buckets(&app, &b, day_range(p, first, days)).await?;
    Ok(render(&Reports {
        chrome: Chrome::new(&who, &engine, "reports"),
        title,
        monthly,
        day,
        month,
        text: crate::report::render(p, &f, monthly),
        booking_rate: format!("{:.0}%", f.booking_rate * 100.0),
        after_hours: format!("{:.0}%", f.after_hours_share * 100.0),
        recovered: frontdesk_profile::dollars(f.recovered_revenue_cents),
        booked_value: frontdesk_profile::dollars(f.booked_value_cents),
        median: format!("{:.1} ms", f.median_response_ms),
        p95: format!("{:.1} ms", f.p95_response_ms),
        f,
        per_day: bars(per_day),
        questions: bars(questions),
        response: bars(response),
    }))
}

#[derive(askama::Template)]
#[template(path = "dashboard/settings.html")]
struct Settings {
    chrome: Chrome,
    text: String,
    errors: String,
    saved: bool,
    history: Vec<(String, String, String)>,
}

async fn settings_page(
    app: &App,
    who: &Who,
    b: &str,
    text: Option<String>,
    errors: String,
    saved: bool,
) -> Res {
    let engine = who.business(app, b)?;
    who.settings_editor()?;
    let p = engine.profile();
    let text = match text {
        Some(t) => t,
        None => app
            .store
            .business_profile(b)
            .await?
            .unwrap_or_else(|| frontdesk_profile::EXAMPLE_TOML.to_string()),
    };
    let history = app
        .store
        .profile_versions(b, 20)
        .await?
        .into_iter()
        .map(|v| (when(p, v.at), v.actor, v.note))
        .collect();
    Ok(render(&Settings {
        chrome: Chrome::new(who, &engine, "settings"),
        text,
        errors,
        saved,
        history,
    }))
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /b/{b}/settings`: the business profile as TOML, and its history.
pub async fn settings(
    State(app): State<App>,
    who: Who,
    Path(b): Path<String>,
    Query(s): Query<SavedQuery>,
) -> Res {
    settings_page(&app, &who, &b, None, String::new(), s.saved.is_some()).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    profile: String,
}

/// `POST /b/{b}/settings`: checks the profile like `frontdesk check`; saves it (with history)
/// and puts it live only when it has no errors.
pub async fn save_settings(
    State(app): State<App>,
    Path(b): Path<String>,
    post: Post<SettingsForm>,
) -> Res {
    post.who.business(&app, &b)?;
    let editor = post.who.settings_editor()?;
    let text = post.form.profile.replace("\r\n", "\n");
    match super::corrections::apply_profile(
        &app,
        &b,
        &text,
        &post.who.actor(),
        "edited in settings",
        editor,
    )
    .await?
    {
        Ok(()) => Ok(see_other(&format!("/b/{b}/settings?saved=1"))),
        Err(report) => settings_page(&app, &post.who, &b, Some(text), report, false).await,
    }
}
