//! Today (`GET /b/{b}`): the day so far at a glance. The day's figures (calls, texts,
//! bookings, open callbacks, the median reply time), anything urgent on top, conversations
//! still live in the last hour, today's appointments and the cars still at the shop (each with
//! one-tap status buttons and the estimate form, handled in `work`) and the open callbacks.

use axum::extract::{Path, State};
use jiff::SignedDuration;

use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render};
use crate::dashboard::session::Who;
use crate::dashboard::view::{
    Row, channel_word, clock, contact_label, contacts_by_id, day_range, local_today, when,
};

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
    cars: Vec<super::work::CarView>,
    callbacks: Vec<Row>,
}

/// `GET /b/{b}`: today so far, anything urgent on top.
async fn today_page(app: &App, who: &Who, b: &str) -> Res {
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
    // Today's appointments, then the cars still at the shop from earlier days.
    let mut appointments = app.store.appointments(b, range).await?;
    for a in app
        .store
        .appointments_in_shop(b, crate::repair::in_shop_since(now))
        .await?
    {
        if !appointments.iter().any(|x| x.id == a.id) {
            appointments.push(a);
        }
    }
    let cars = super::work::cars(app, p, appointments, &contacts).await?;
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
        cars,
        callbacks,
    }))
}

pub async fn today(State(app): State<App>, who: Who, Path(b): Path<String>) -> Res {
    today_page(&app, &who, &b).await
}
