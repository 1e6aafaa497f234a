//! The owner's dashboard, served under `/` by `frontdesk serve`: server-rendered HTML (askama
//! templates compiled into the binary) with a little JavaScript for the phone simulator only.
//! Every business page lives under `/b/{business}/...`; a signed-in owner or staff member who
//! names another business, or an id of another business, gets the same 404 as a wrong id.
//! Operators see every business. Every POST carries the session's CSRF token.
//!
//! Roles: staff work the pages (today, conversations, appointments, tasks, contacts, reports,
//! the simulator); owners also edit their business's settings and make corrections, but not
//! its numbers or secrets; operators manage numbers, secrets and (with `frontdesk user`) users.
//!
//! Layout: `page` (the chrome, rendering, the HTML face of [`AppError`]) and `session` (who is
//! asking, the form extractor) are the base every handler builds on; `view` and `turns` say how
//! stored records read on a page; `pages/` holds one module per page, `auth` the sign-in,
//! `simulator` the phone simulator, `corrections` the owner's fixes to a reply, and
//! `profile_edit` the checked profile save that settings and corrections share. Handlers return
//! the HTTP layer's one error type, [`AppError`]; the layer `page::error_page` on these routes
//! shows it as a page.
//!
//! [`AppError`]: crate::error::AppError

pub mod auth;
pub mod corrections;
mod page;
mod pages;
mod profile_edit;
mod session;
mod simulator;
mod turns;
mod view;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use crate::app::App;
use pages::{
    appointments, contacts, conversations, home, messages, reports, settings, tasks, today, work,
};

/// The dashboard's routes, to be merged into the HTTP router; form bodies are read up to
/// `body_limit` bytes.
pub fn routes(body_limit: usize) -> Router<App> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/try", get(simulator::try_default))
        .route("/b/{b}", get(today::today))
        .route("/b/{b}/conversations", get(conversations::conversations))
        .route("/b/{b}/conversations/{id}", get(conversations::transcript))
        .route(
            "/b/{b}/conversations/{id}/correct",
            post(corrections::submit),
        )
        .route("/b/{b}/tasks", get(tasks::tasks))
        .route("/b/{b}/tasks/{id}/done", post(tasks::task_done))
        .route("/b/{b}/appointments", get(appointments::appointments))
        .route(
            "/b/{b}/appointments/{id}",
            post(appointments::appointment_action),
        )
        .route("/b/{b}/appointments/{id}/work", post(work::set_work))
        .route(
            "/b/{b}/appointments/{id}/estimate",
            post(work::send_estimate),
        )
        .route("/b/{b}/messages", get(messages::messages))
        .route("/b/{b}/messages/{contact}", get(messages::thread))
        .route("/b/{b}/messages/{contact}/reply", post(messages::reply))
        .route(
            "/b/{b}/messages/{contact}/hand-back",
            post(messages::hand_back),
        )
        .route("/b/{b}/contacts", get(contacts::contacts))
        .route("/b/{b}/contacts/export.csv", get(contacts::contacts_export))
        .route("/b/{b}/contacts/{id}", get(contacts::contact))
        .route("/b/{b}/reports", get(reports::reports))
        .route(
            "/b/{b}/settings",
            get(settings::settings).post(settings::save_settings),
        )
        .route("/b/{b}/try", get(simulator::page))
        .route("/b/{b}/try/start", post(simulator::start))
        .route("/b/{b}/try/say", post(simulator::say))
        .layer(middleware::map_response(page::error_page))
        .layer(DefaultBodyLimit::max(body_limit))
}
