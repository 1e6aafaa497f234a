//! Signing in and out of the dashboard. Passwords are argon2id hashes; a session is a random
//! 32-byte token in an `HttpOnly; SameSite=Lax` cookie (`Secure` when the public URL is https)
//! stored only as its SHA-256 hash, with its own CSRF token, an expiry, and a revocation mark
//! (sign-out, password change, account removal).
//!
//! Sign-in attempts are counted in the store's audit log (so every node sees them) *before* the
//! password is checked: each attempt is appended, then the attempts in the window are counted,
//! so of any number of parallel guesses the k-th to be recorded sees at least k and only the
//! first five per email (twenty per client address) are ever checked; after that even the right
//! password is refused until the window passes. A successful or refused attempt is given back
//! (a `login.cleared` entry), so only checked wrong passwords keep counting. The client address
//! is the socket's peer, or with `FRONTDESK_TRUST_FORWARDED=1` the last `X-Forwarded-For` entry
//! (an IPv6 client counts by its /64).
//!
//! The sign-in form is protected against login CSRF by a double-submit token: `GET /login` sets
//! a random token in an `HttpOnly; SameSite=Strict` cookie (`__Host-` prefixed behind https, so
//! a sibling subdomain cannot plant one) and in the form; `POST /login` must carry both, equal.
//! After signing in, only same-site paths are followed.

use std::net::{IpAddr, SocketAddr};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::page::{Chrome, Res, render, see_other};
use super::session::{Post, cookie, hex, same};
use crate::app::App;
use crate::error::AppError;
use crate::store::{Role, Store};

pub use super::session::{COOKIE, hash_token};
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed sign-ins allowed per email per window.
pub const MAX_FAILURES: usize = 5;
/// Failed sign-ins allowed per client address per window (across every email).
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The failure window, in minutes.
pub const WINDOW_MINUTES: i64 = 15;

/// An argon2id hash of `password` in PHC form.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// Whether `password` matches the PHC `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

fn random_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

/// Opens a session for `user_id`; returns the raw token for the cookie.
pub async fn open_session(
    store: &dyn Store,
    user_id: uuid::Uuid,
    now: Timestamp,
) -> anyhow::Result<String> {
    let token = random_token();
    let expires = now + SignedDuration::from_hours(SESSION_HOURS);
    store
        .create_session(&hash_token(&token), user_id, &random_token(), now, expires)
        .await?;
    Ok(token)
}

fn set_cookie(app: &App, token: &str, max_age: i64) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure(app) { "; Secure" } else { "" }
    )
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "dashboard/login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    error: Option<String>,
    email: String,
    csrf: String,
}

/// Only same-site paths are followed after signing in: one leading `/`, then printable ASCII
/// with no backslash (browsers drop tabs and newlines, and read `\` as `/`, so `/\t/evil`
/// and `/\evil` would leave the site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

fn secure(app: &App) -> bool {
    app.settings
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
}

/// The sign-in form's CSRF cookie.
fn login_cookie_name(app: &App) -> &'static str {
    if secure(app) {
        "__Host-fd_login"
    } else {
        "fd_login"
    }
}

fn login_cookie(app: &App, token: &str, max_age: Option<i64>) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{}{}",
        login_cookie_name(app),
        max_age
            .map(|a| format!("; Max-Age={a}"))
            .unwrap_or_default(),
        if secure(app) { "; Secure" } else { "" }
    )
}

/// The browser's sign-in form token, if it has a well-formed one.
fn login_token(app: &App, headers: &HeaderMap) -> Option<String> {
    cookie(headers, login_cookie_name(app))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The sign-in page with its CSRF token (the browser's own, or a new one set as a cookie).
fn login_form(
    app: &App,
    headers: &HeaderMap,
    status: axum::http::StatusCode,
    next: String,
    error: Option<String>,
    email: String,
) -> Res {
    let (csrf, fresh) = match login_token(app, headers) {
        Some(t) => (t, false),
        None => (random_token(), true),
    };
    let mut resp = render(&LoginPage {
        chrome: Default::default(),
        next,
        error,
        email,
        csrf: csrf.clone(),
    });
    if fresh {
        resp.headers_mut()
            .append(header::SET_COOKIE, login_cookie(app, &csrf, None).parse()?);
    }
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn login_page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Res {
    login_form(
        &app,
        &headers,
        axum::http::StatusCode::OK,
        safe_next(q.next.as_deref()),
        None,
        String::new(),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    csrf: String,
}

/// The client's address for sign-in limits: the socket's peer, or behind a trusted proxy
/// (`FRONTDESK_TRUST_FORWARDED=1`) the last `X-Forwarded-For` entry. IPv6 by its /64.
pub struct ClientAddr(pub Option<String>);

impl axum::extract::FromRequestParts<App> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &App,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = app
            .settings
            .trust_forwarded
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                    .next_back()
            })
            .flatten();
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(forwarded.or(peer).map(|ip| match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        })))
    }
}

/// Counts one sign-in attempt under `key` and returns how many in the window are not given back
/// (this one included). Appended first, then counted: of parallel attempts, the k-th to be
/// recorded counts at least k. Give-backs are read before attempts, so a count never falls short.
async fn count_attempt(app: &App, key: &str, now: Timestamp) -> anyhow::Result<i64> {
    let since = now - SignedDuration::from_mins(WINDOW_MINUTES);
    app.store
        .audit(None, key, "login.attempt", &serde_json::json!({}), now)
        .await?;
    let cleared = app.store.audit_count(key, "login.cleared", since).await?;
    let attempts = app.store.audit_count(key, "login.attempt", since).await?;
    Ok(attempts - cleared)
}

/// Gives an attempt back (it was the right password, or it was refused without a check).
async fn give_back(app: &App, keys: &[(String, usize)], now: Timestamp) -> anyhow::Result<()> {
    for (key, _) in keys {
        app.store
            .audit(None, key, "login.cleared", &serde_json::json!({}), now)
            .await?;
    }
    Ok(())
}

/// `POST /login`: checks the form's CSRF token, counts the attempt (per email and per client
/// address) before checking the password, opens a session, sets the cookie.
pub async fn login(
    State(app): State<App>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Res {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    let token_ok =
        login_token(&app, &headers).is_some_and(|t| !form.csrf.is_empty() && same(&t, &form.csrf));
    if cross_site || !token_ok {
        return Err(AppError::Refused(
            "This sign-in form has expired; reload the page and try again.".into(),
        ));
    }
    let now = app.clock.now();
    let email = form.email.trim().to_lowercase();
    let mut keys = vec![(format!("login:{email}"), MAX_FAILURES)];
    if let Some(a) = &addr {
        keys.push((format!("login-addr:{a}"), MAX_FAILURES_PER_ADDRESS));
    }
    let mut limited = false;
    for (key, max) in &keys {
        limited |= count_attempt(&app, key, now).await? > *max as i64;
    }
    if limited {
        give_back(&app, &keys, now).await?;
        app.store
            .audit(
                None,
                &email,
                "login.limited",
                &serde_json::json!({"address": addr}),
                now,
            )
            .await?;
        return Err(AppError::TooMany(format!(
            "Too many failed sign-ins for {email:?} or from this address; try again in {WINDOW_MINUTES} minutes."
        )));
    }
    let user = app.store.user_by_email(&email).await?;
    let ok = match &user {
        Some(u) => verify_password(&form.password, &u.password_hash),
        None => {
            // Spend the same time as a real check, so timing does not reveal accounts.
            let _ = verify_password(&form.password, dummy_hash());
            false
        }
    };
    let next = safe_next(form.next.as_deref());
    let Some(user) = user.filter(|_| ok) else {
        for (key, _) in &keys {
            app.store
                .audit(None, key, "login.failed", &serde_json::json!({}), now)
                .await?;
        }
        return login_form(
            &app,
            &headers,
            axum::http::StatusCode::UNAUTHORIZED,
            next,
            Some("That email and password do not match.".into()),
            email,
        );
    };
    give_back(&app, &keys, now).await?;
    let token = open_session(app.store.as_ref(), user.id, now).await?;
    app.store
        .audit(
            user.business_id.as_deref(),
            &user.email,
            "login",
            &serde_json::json!({}),
            now,
        )
        .await?;
    let mut resp = see_other(&next);
    resp.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(&app, &token, SESSION_HOURS * 3600).parse()?,
    );
    resp.headers_mut()
        .append(header::SET_COOKIE, login_cookie(&app, "", Some(0)).parse()?);
    Ok(resp)
}

/// A real hash of a random password, checked against when the email is unknown.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

#[derive(Deserialize)]
pub struct Empty {}

/// `POST /logout`: revokes the session and clears the cookie.
pub async fn logout(State(app): State<App>, post: Post<Empty>) -> Res {
    app.store
        .revoke_session(&post.who.token_hash, app.clock.now())
        .await?;
    let mut resp = see_other("/login");
    resp.headers_mut()
        .insert(header::SET_COOKIE, set_cookie(&app, "", 0).parse()?);
    Ok(resp)
}

/// `frontdesk user add`: creates an account. Owners and staff need a business the store knows
/// (registered by `serve` from its profile).
pub async fn add_user(
    store: &dyn Store,
    email: &str,
    password: &str,
    role: Role,
    business: Option<&str>,
    now: Timestamp,
) -> anyhow::Result<()> {
    if password.chars().count() < 8 {
        anyhow::bail!("password too short: use at least 8 characters");
    }
    if role != Role::Operator && business.is_none() {
        anyhow::bail!("an owner or staff account needs --business ID");
    }
    if store.user_by_email(email).await?.is_some() {
        anyhow::bail!("user {email:?} already exists: use `frontdesk user passwd`");
    }
    let business = if role == Role::Operator {
        None
    } else {
        business
    };
    if let Some(b) = business
        && store.business_profile(b).await?.is_none()
    {
        anyhow::bail!(
            "no business {b:?} in this database: check the id, or start `frontdesk serve` with its profile once so it is registered"
        );
    }
    store
        .create_user(email, &hash_password(password)?, role, business, now)
        .await?;
    Ok(())
}

/// `frontdesk user passwd`: sets a new password and signs the user out everywhere.
pub async fn change_password(
    store: &dyn Store,
    email: &str,
    password: &str,
    now: Timestamp,
) -> anyhow::Result<()> {
    if password.chars().count() < 8 {
        anyhow::bail!("password too short: use at least 8 characters");
    }
    let Some(user) = store.user_by_email(email).await? else {
        anyhow::bail!("no user {email:?}");
    };
    store.set_password(email, &hash_password(password)?).await?;
    store.revoke_user_sessions(user.id, now).await?;
    Ok(())
}

/// `frontdesk user remove`: deletes the account and revokes its sessions.
pub async fn remove_user(store: &dyn Store, email: &str, now: Timestamp) -> anyhow::Result<()> {
    let Some(user) = store.user_by_email(email).await? else {
        anyhow::bail!("no user {email:?}");
    };
    store.revoke_user_sessions(user.id, now).await?;
    store.delete_user(email).await?;
    Ok(())
}
