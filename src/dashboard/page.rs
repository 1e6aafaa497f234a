//! What every dashboard page shares: the [`Chrome`] (header and navigation), [`render`] with
//! the page headers (no caching, no framing, a content security policy), [`see_other`] after a
//! successful POST, and the HTML face of the handlers' one error type: [`error_page`] is the
//! layer on the dashboard's routes that shows an [`AppError`] (carried in the response as a
//! [`Shown`]) as the small message page, with the error's status. Handlers return [`Res`].
//!
//! This module knows nothing of sessions or pages in particular; the sign-in pages, the
//! business pages and the simulator all build on it.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use frontdesk_engine::Engine;

use super::session::Who;
use crate::error::{AppError, Shown};

/// What a dashboard handler returns: a response, or an error the dashboard shows as a page.
pub type Res<T = Response> = Result<T, AppError>;

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
struct Message {
    chrome: Chrome,
    title: String,
    message: String,
}

/// The layer on the dashboard's routes: a response that carries an error's [`Shown`] message
/// becomes the message page, with the error's status; every other response passes as it is.
pub async fn error_page(resp: Response) -> Response {
    let Some(shown) = resp.extensions().get::<Shown>() else {
        return resp;
    };
    let status = resp.status();
    let page = Message {
        chrome: Chrome::default(),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        message: shown.message.clone(),
    };
    (status, render(&page)).into_response()
}

/// Renders a template, or a plain error when the template fails.
pub fn render<T: askama::Template>(t: &T) -> Response {
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

/// A redirect after a successful POST (303, so the browser GETs the page).
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
