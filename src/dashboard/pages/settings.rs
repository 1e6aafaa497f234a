//! Settings (`GET`/`POST /b/{b}/settings`, owners and operators only): the business profile
//! as TOML with its history. A save is checked like `frontdesk check` and more (see
//! `profile_edit`), saved with history and put live only when it has no errors; otherwise the
//! page comes back with the text as typed and the report.

use axum::extract::{Path, Query, State};
use serde::Deserialize;

use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render, see_other};
use crate::dashboard::profile_edit;
use crate::dashboard::session::{Post, Who};
use crate::dashboard::view::when;

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
    match profile_edit::apply_profile(
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
