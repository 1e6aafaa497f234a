//! Contacts: everyone who called, texted or wrote (`GET /b/{b}/contacts?q=`), one contact's
//! conversations, visits, vehicles and opt-out state (`GET /b/{b}/contacts/{id}`), and the CSV
//! export (`GET /b/{b}/contacts/export.csv`, the same as `frontdesk export contacts`).

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use frontdesk_profile::Profile;
use serde_json::Value;
use uuid::Uuid;

use super::Search;
use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render};
use crate::dashboard::session::Who;
use crate::dashboard::view::{Row, channel_word, service_name, status_word, when};
use crate::error::AppError;
use crate::store::Contact;

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
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let c = app.store.contact(&b, id).await?.ok_or(AppError::NotFound)?;
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
