//! Try a call: a phone simulator in the page. The owner types as a caller (voice or SMS
//! flavour) and sees the replies and their effects, against the live profile and the real
//! store, without a phone line. It works as plain forms (each turn reloads the page from the
//! stored transcript); with JavaScript the turns are sent with `fetch` and appended in place.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json, Redirect};
use frontdesk_engine::Input;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::page::{Chrome, Res, render, see_other};
use super::session::{Post, Who};
use super::turns::{TurnView, turn_views};
use crate::app::App;
use crate::error::AppError;
use crate::runtime::{self, Line};
use crate::store::Channel;

/// `GET /try`: the simulator of the signed-in user's business (the first one for operators).
pub async fn try_default(State(app): State<App>, who: Who) -> Res {
    let id = match &who.user.business_id {
        Some(b) => b.clone(),
        None => app
            .directory()
            .all()
            .first()
            .map(|e| e.profile().business.id.clone())
            .ok_or(AppError::NotFound)?,
    };
    Ok(Redirect::to(&format!("/b/{id}/try")).into_response())
}

#[derive(Deserialize, Default)]
pub struct TryQuery {
    #[serde(default)]
    c: Option<String>,
    #[serde(default)]
    sms: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "dashboard/try.html")]
struct TryPage {
    chrome: Chrome,
    conversation: String,
    sms: bool,
    caller: String,
    turns: Vec<TurnView>,
    done: bool,
}

/// `GET /b/{b}/try?c=ID`: the simulator, showing conversation `c` when given.
pub async fn page(
    State(app): State<App>,
    who: Who,
    axum::extract::Path(b): axum::extract::Path<String>,
    Query(q): Query<TryQuery>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let (conversation, turns, done) = match q.c.as_deref() {
        Some(c) => {
            let id = Uuid::parse_str(c).map_err(|_| AppError::NotFound)?;
            let conv = app
                .store
                .conversation(&b, id)
                .await?
                .ok_or(AppError::NotFound)?;
            (
                c.to_string(),
                turn_views(&app, id).await?,
                conv.ended_at.is_some(),
            )
        }
        None => (String::new(), Vec::new(), false),
    };
    Ok(render(&TryPage {
        chrome: Chrome::new(&who, &engine, "try"),
        conversation,
        sms: q.sms.is_some(),
        caller: "+15125550143".into(),
        turns,
        done,
    }))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    sms: Option<String>,
    #[serde(default)]
    caller: String,
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn reply_json(app: &App, zone: &jiff::tz::TimeZone, r: &runtime::Reply) -> serde_json::Value {
    let _ = app;
    json!({
        "conversation": r.conversation_id,
        "reply": r.text,
        "flow": r.flow,
        "done": r.done,
        "effects": r.effects.iter().map(|e| runtime::describe(e, zone)).collect::<Vec<_>>(),
    })
}

/// `POST /b/{b}/try/start`: a new simulated call or text thread; returns the greeting.
pub async fn start(
    State(app): State<App>,
    axum::extract::Path(b): axum::extract::Path<String>,
    headers: HeaderMap,
    post: Post<StartForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let sms = post.form.sms.is_some();
    let caller = post.form.caller.trim();
    let caller = if caller.is_empty() {
        "+15125550143"
    } else {
        caller
    };
    let line = Line {
        channel: Channel::Chat,
        sms_flavour: sms,
        texts_from: None,
    };
    let reply = runtime::begin(&app, &engine, line, Some(caller), None).await?;
    if wants_json(&headers) {
        let zone = engine.profile().business.timezone.clone();
        return Ok(Json(reply_json(&app, &zone, &reply)).into_response());
    }
    Ok(see_other(&format!(
        "/b/{b}/try?c={}{}",
        reply.conversation_id,
        if sms { "&sms=1" } else { "" }
    )))
}

#[derive(Deserialize)]
pub struct SayForm {
    conversation: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    sms: Option<String>,
}

/// `POST /b/{b}/try/say`: one caller turn (an empty one is silence); returns the reply.
pub async fn say(
    State(app): State<App>,
    axum::extract::Path(b): axum::extract::Path<String>,
    headers: HeaderMap,
    post: Post<SayForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let id = Uuid::parse_str(post.form.conversation.trim()).map_err(|_| AppError::NotFound)?;
    let conv = app
        .store
        .conversation(&b, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if conv.channel != Channel::Chat {
        return Err(AppError::NotFound);
    }
    let sms = post.form.sms.is_some();
    let line = Line {
        channel: Channel::Chat,
        sms_flavour: sms,
        texts_from: None,
    };
    let text = post.form.text.trim();
    let input = if text.is_empty() {
        Input::Silence
    } else {
        Input::Said(text.to_string())
    };
    let reply = runtime::respond(&app, &engine, line, id, input, None).await?;
    if wants_json(&headers) {
        let zone = engine.profile().business.timezone.clone();
        return Ok(Json(reply_json(&app, &zone, &reply)).into_response());
    }
    Ok(see_other(&format!(
        "/b/{b}/try?c={id}{}",
        if sms { "&sms=1" } else { "" }
    )))
}
