//! Tasks (`GET /b/{b}/tasks`): open callbacks and manual bookings with the context the
//! assistant gathered (transcript lines, what it understood), then the done ones; and
//! `POST /b/{b}/tasks/{id}/done`, which closes one with the owner's note and an audit entry.

use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render, see_other};
use crate::dashboard::session::{Post, Who};
use crate::dashboard::turns::understood;
use crate::dashboard::view::{contact_label, contacts_by_id, when};
use crate::error::AppError;

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
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let now = app.clock.now();
    app.store
        .complete_task(&b, id, post.form.note.trim(), now)
        .await?
        .ok_or(AppError::NotFound)?;
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
