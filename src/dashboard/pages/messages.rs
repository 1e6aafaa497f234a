//! Messages, the shared inbox (`GET /b/{b}/messages`): every text thread (one per customer) and
//! every call, newest first, with an unread mark, the customer's name and car, and the last line.
//! A thread (`GET /b/{b}/messages/{contact}`) shows everything said with the customer, texts
//! and calls, each line marked caller, assistant or the named person; opening it marks it read.
//! Staff reply there as themselves (`POST .../reply`), which pauses the assistant on the thread
//! (see [`crate::inbox`]), and hand it back (`POST .../hand-back`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use jiff::SignedDuration;
use serde::Deserialize;
use uuid::Uuid;

use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render, see_other};
use crate::dashboard::session::{Post, Who};
use crate::dashboard::turns::speaker_label;
use crate::dashboard::view::{channel_word, contacts_by_id, when};
use crate::error::AppError;
use crate::inbox::{self, StaffReply};
use crate::store::{Channel, Contact, InboxItem, Speaker};

/// How far back the inbox looks.
const INBOX_DAYS: i64 = 90;

/// One row of the inbox.
pub struct ThreadRow {
    pub href: String,
    pub who: String,
    pub car: String,
    pub last: String,
    pub at: String,
    pub channel: String,
    pub unread: bool,
    pub paused: bool,
}

#[derive(askama::Template)]
#[template(path = "dashboard/messages.html")]
struct Messages {
    chrome: Chrome,
    threads: Vec<ThreadRow>,
}

/// A contact's name (or number) and first car, for a row.
fn who_and_car(c: Option<&Contact>) -> (String, String) {
    let Some(c) = c else {
        return ("Unknown caller".into(), String::new());
    };
    let who = c.name.clone().unwrap_or_else(|| c.phone.clone());
    let car = c
        .vehicles
        .first()
        .and_then(|v| serde_json::from_value::<frontdesk_nlu::Vehicle>(v.clone()).ok())
        .and_then(|v| frontdesk_engine::vehicle_words(&v))
        .unwrap_or_default();
    (who, car)
}

async fn recent(app: &App, b: &str) -> Res<Vec<InboxItem>> {
    let since = app
        .clock
        .now()
        .checked_sub(SignedDuration::from_hours(24 * INBOX_DAYS))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(app.store.inbox(b, since, 500).await?)
}

/// `GET /b/{b}/messages`: the threads, newest first.
pub async fn messages(State(app): State<App>, who: Who, Path(b): Path<String>) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let contacts = contacts_by_id(&app, &b).await?;
    let now = app.clock.now();
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let mut threads: Vec<ThreadRow> = Vec::new();
    for item in recent(&app, &b).await? {
        let c = &item.conversation;
        let contact = c.contact_id.and_then(|id| contacts.get(&id));
        // Texts with one customer are one thread (the newest row stands for it).
        if c.channel == Channel::Sms
            && let Some(id) = c.contact_id
        {
            if let Some(&i) = seen.get(&id) {
                threads[i].unread |= item.unread;
                continue;
            }
            seen.insert(id, threads.len());
        }
        let (name, car) = who_and_car(contact);
        let last = item.last_text.clone().unwrap_or_default();
        let prefix = match item.last_speaker {
            Some(Speaker::Assistant) => "Assistant: ".to_string(),
            Some(Speaker::Staff) => "You: ".to_string(),
            _ => String::new(),
        };
        threads.push(ThreadRow {
            href: match c.contact_id {
                Some(id) => format!("/b/{b}/messages/{id}"),
                None => format!("/b/{b}/conversations/{}", c.id),
            },
            who: name,
            car,
            last: format!("{prefix}{}", last.chars().take(120).collect::<String>()),
            at: when(p, item.last_at.unwrap_or(c.started_at)),
            channel: channel_word(c.channel),
            unread: item.unread,
            paused: contact.is_some_and(|c| inbox::paused(c, now)),
        });
    }
    Ok(render(&Messages {
        chrome: Chrome::new(&who, &engine, "messages"),
        threads,
    }))
}

/// One line of a thread.
pub struct Line {
    pub class: &'static str,
    pub who: String,
    pub text: String,
    pub at: String,
}

#[derive(askama::Template)]
#[template(path = "dashboard/thread.html")]
struct Thread {
    chrome: Chrome,
    contact_id: String,
    who: String,
    car: String,
    phone: String,
    lines: Vec<Line>,
    paused: String,
    nonce: String,
    opted_out: bool,
}

/// `GET /b/{b}/messages/{contact}`: everything said with the customer, oldest first.
pub async fn thread(
    State(app): State<App>,
    who: Who,
    Path((b, contact)): Path<(String, String)>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let id = Uuid::parse_str(&contact).map_err(|_| AppError::NotFound)?;
    let contact = app.store.contact(&b, id).await?.ok_or(AppError::NotFound)?;
    let now = app.clock.now();
    let mut items: Vec<InboxItem> = recent(&app, &b)
        .await?
        .into_iter()
        .filter(|i| i.conversation.contact_id == Some(id))
        .collect();
    items.sort_by_key(|i| i.conversation.started_at);
    let mut lines = Vec::new();
    for item in &items {
        let c = &item.conversation;
        if c.channel != Channel::Sms {
            lines.push(Line {
                class: "note",
                who: String::new(),
                text: format!("{} · {}", channel_word(c.channel), when(p, c.started_at)),
                at: String::new(),
            });
        }
        for t in app.store.turns(c.id).await? {
            if t.speaker == Speaker::System || t.text.trim().is_empty() {
                continue;
            }
            lines.push(Line {
                class: match t.speaker {
                    Speaker::Caller => "caller",
                    Speaker::Staff => "staff",
                    _ => "assistant",
                },
                who: speaker_label(t.speaker, t.understanding.as_ref()),
                text: t.text.clone(),
                at: when(p, t.created_at),
            });
        }
        if item.unread {
            app.store.mark_read(&b, c.id, now).await?;
        }
    }
    let (name, car) = who_and_car(Some(&contact));
    let paused = match (&contact.paused_until, &contact.paused_by) {
        (Some(until), by) if *until > now => format!(
            "{} took this thread over: the assistant stays quiet until {}.",
            by.clone().unwrap_or_else(|| "Staff".into()),
            when(p, *until)
        ),
        _ => String::new(),
    };
    Ok(render(&Thread {
        chrome: Chrome::new(&who, &engine, "messages"),
        contact_id: id.to_string(),
        who: name,
        car,
        phone: contact.phone.clone(),
        lines,
        paused,
        nonce: Uuid::now_v7().to_string(),
        opted_out: contact.opted_out,
    }))
}

#[derive(Deserialize)]
pub struct ReplyForm {
    text: String,
    nonce: String,
}

/// `POST /b/{b}/messages/{contact}/reply`: staff's reply, signed with their first name; the
/// assistant pauses on the thread.
pub async fn reply(
    State(app): State<App>,
    Path((b, contact)): Path<(String, String)>,
    post: Post<ReplyForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let id = Uuid::parse_str(&contact).map_err(|_| AppError::NotFound)?;
    let contact = app.store.contact(&b, id).await?.ok_or(AppError::NotFound)?;
    let staff = inbox::first_name(&post.who.user.email);
    let actor = post.who.actor();
    let nonce: String = post.form.nonce.chars().take(64).collect();
    match inbox::staff_reply(
        &app,
        engine.profile(),
        &contact,
        &staff,
        &actor,
        &post.form.text,
        &nonce,
    )
    .await?
    {
        StaffReply::Sent { .. } | StaffReply::Duplicate => {
            Ok(see_other(&format!("/b/{b}/messages/{id}")))
        }
        StaffReply::OptedOut => Err(AppError::Conflict(
            "this customer opted out of texts (STOP): nothing was sent".into(),
        )),
        StaffReply::Invalid(why) => Err(AppError::BadRequest(why)),
    }
}

/// `POST /b/{b}/messages/{contact}/hand-back`: the assistant answers this customer again.
pub async fn hand_back(
    State(app): State<App>,
    Path((b, contact)): Path<(String, String)>,
    post: Post<serde::de::IgnoredAny>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let id = Uuid::parse_str(&contact).map_err(|_| AppError::NotFound)?;
    app.store.contact(&b, id).await?.ok_or(AppError::NotFound)?;
    inbox::hand_back(&app, engine.profile(), id, &post.who.actor()).await?;
    Ok(see_other(&format!("/b/{b}/messages/{id}")))
}
