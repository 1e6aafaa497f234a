//! Conversations: the list of the last 90 days (`GET /b/{b}/conversations?q=`, searched by
//! caller, outcome, channel or summary) and one transcript (`GET /b/{b}/conversations/{id}`)
//! with what was understood, which flow answered, the processing time and the effects of each
//! assistant turn, and (for owners) the "this was wrong" forms that lead to `corrections`.

use axum::extract::{Path, Query, State};
use jiff::SignedDuration;
use serde::Deserialize;
use uuid::Uuid;

use super::Search;
use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render};
use crate::dashboard::session::Who;
use crate::dashboard::turns::{TurnView, turn_views};
use crate::dashboard::view::{Row, channel_word, contact_label, contacts_by_id, when};
use crate::error::AppError;
use crate::store::Range;

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
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let conv = app
        .store
        .conversation(&b, id)
        .await?
        .ok_or(AppError::NotFound)?;
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
