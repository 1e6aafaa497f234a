//! The owner's dashboard, served under `/` by `frontdesk serve`: server-rendered HTML (askama
//! templates compiled into the binary) with a little JavaScript for the phone simulator only.
//! Every business page lives under `/b/{business}/...`; a signed-in owner or staff member who
//! names another business, or an id of another business, gets the same 404 as a wrong id.
//! Operators see every business. Every POST carries the session's CSRF token.
//!
//! Roles: staff work the pages (today, conversations, appointments, tasks, contacts, reports,
//! the simulator); owners also edit their business's settings and make corrections, but not
//! its numbers or secrets; operators manage numbers, secrets and (with `frontdesk user`) users.

pub mod auth;
pub mod corrections;
pub mod demo;
mod pages;
mod simulator;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_engine::Engine;
use serde::de::DeserializeOwned;

use crate::app::App;
use crate::store::{Role, User};

/// The dashboard's routes, to be merged into the HTTP router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/try", get(simulator::try_default))
        .route("/b/{b}", get(pages::today))
        .route("/b/{b}/conversations", get(pages::conversations))
        .route("/b/{b}/conversations/{id}", get(pages::transcript))
        .route(
            "/b/{b}/conversations/{id}/correct",
            post(corrections::submit),
        )
        .route("/b/{b}/tasks", get(pages::tasks))
        .route("/b/{b}/tasks/{id}/done", post(pages::task_done))
        .route("/b/{b}/appointments", get(pages::appointments))
        .route("/b/{b}/appointments/{id}", post(pages::appointment_action))
        .route("/b/{b}/contacts", get(pages::contacts))
        .route("/b/{b}/contacts/export.csv", get(pages::contacts_export))
        .route("/b/{b}/contacts/{id}", get(pages::contact))
        .route("/b/{b}/reports", get(pages::reports))
        .route(
            "/b/{b}/settings",
            get(pages::settings).post(pages::save_settings),
        )
        .route("/b/{b}/try", get(simulator::page))
        .route("/b/{b}/try/start", post(simulator::start))
        .route("/b/{b}/try/say", post(simulator::say))
}

/// What a dashboard handler can fail with, rendered as a small HTML page.
#[derive(Debug)]
pub enum DashError {
    /// Also what an owner gets for another business's pages and ids.
    NotFound,
    Forbidden(String),
    BadRequest(String),
    TooMany(String),
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for DashError {
    fn from(e: E) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for DashError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "Not found.".to_string()),
            Self::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            Self::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            Self::TooMany(m) => (StatusCode::TOO_MANY_REQUESTS, m),
            Self::Internal(e) => {
                tracing::error!(error = ?e, "dashboard: internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side; it has been logged.".to_string(),
                )
            }
        };
        let page = pages::Message {
            chrome: pages::Chrome::default(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            message,
        };
        (status, render(&page)).into_response()
    }
}

pub type Res<T = Response> = Result<T, DashError>;

/// Renders a template, or a plain error when the template fails.
pub(crate) fn render<T: askama::Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => (
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::X_FRAME_OPTIONS, "DENY"),
                (header::REFERRER_POLICY, "same-origin"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
                ),
            ],
            Html(html),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "dashboard: template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// The signed-in user of a request, with the session's CSRF token. Pages that need it redirect
/// to the login page when there is no live session.
#[derive(Debug, Clone)]
pub struct Who {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
}

impl Who {
    /// The engine of business `id` if this user may see it; otherwise not found.
    pub fn business(&self, app: &App, id: &str) -> Res<Arc<Engine>> {
        let allowed =
            self.user.role == Role::Operator || self.user.business_id.as_deref() == Some(id);
        if !allowed {
            return Err(DashError::NotFound);
        }
        app.directory().by_id(id).ok_or(DashError::NotFound)
    }

    /// Whether this user may edit the business's settings (the profile, corrections): owners
    /// and operators. Staff work the pages only.
    pub fn can_edit_settings(&self) -> bool {
        matches!(self.user.role, Role::Owner | Role::Operator)
    }

    /// The role editing the settings, or forbidden for staff.
    pub fn settings_editor(&self) -> Res<Role> {
        if self.can_edit_settings() {
            Ok(self.user.role)
        } else {
            Err(DashError::Forbidden(
                "Only the business's owner can change its settings.".into(),
            ))
        }
    }

    /// Who did it, for the audit log.
    pub fn actor(&self) -> String {
        format!("dashboard:{}", self.user.email)
    }
}

impl FromRequestParts<App> for Who {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = auth::cookie(&parts.headers, auth::COOKIE);
        let found = match token {
            Some(t) => {
                let hash = auth::hash_token(&t);
                match app.store.session(&hash, app.clock.now()).await {
                    Ok(s) => s.map(|s| (s, hash)),
                    Err(e) => return Err(DashError::from(e).into_response()),
                }
            }
            None => None,
        };
        match found {
            Some((s, token_hash)) => Ok(Who {
                user: s.user,
                csrf: s.csrf,
                token_hash,
            }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                if parts.method == axum::http::Method::GET {
                    let to = format!("/login?next={}", urlencode(&next));
                    Err(Redirect::to(&to).into_response())
                } else {
                    Err((StatusCode::UNAUTHORIZED, "sign in first").into_response())
                }
            }
        }
    }
}

/// A form POST from a signed-in user whose `csrf` field (or `X-CSRF-Token` header) matches the
/// session's token. Every dashboard POST goes through it.
pub struct Post<T> {
    pub who: Who,
    pub form: T,
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<App> for Post<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let who = Who::from_request_parts(&mut parts, app).await?;
        let bytes = axum::body::to_bytes(body, crate::http::BODY_LIMIT)
            .await
            .map_err(|_| DashError::BadRequest("request too large".into()).into_response())?;
        let given = match parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
        {
            Some(h) => h.to_string(),
            None => serde_urlencoded::from_bytes::<CsrfField>(&bytes)
                .map(|c| c.csrf)
                .unwrap_or_default(),
        };
        if given.is_empty() || !auth::same(given.as_bytes(), who.csrf.as_bytes()) {
            return Err(DashError::Forbidden(
                "This form has expired; reload the page and try again.".into(),
            )
            .into_response());
        }
        let form = serde_urlencoded::from_bytes::<T>(&bytes).map_err(|e| {
            DashError::BadRequest(format!("cannot read the form: {e}")).into_response()
        })?;
        Ok(Post { who, form })
    }
}

/// Percent-encodes a query value.
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A redirect after a successful POST (303, so the browser GETs the page).
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
