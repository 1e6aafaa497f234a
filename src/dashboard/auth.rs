//! Signing in and out of the dashboard. Passwords are argon2id hashes; a session is a random
//! 32-byte token in an `HttpOnly; SameSite=Lax` cookie (`Secure` when the public URL is https)
//! stored only as its SHA-256 hash, with its own CSRF token, an expiry, and a revocation mark
//! (sign-out, password change, account removal). Failed sign-ins are counted in the store's
//! audit log (so every node sees them): five per email and client address per fifteen minutes,
//! after which even the right password is refused until the window passes.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{DashError, Post, Res, Who, render, see_other};
use crate::app::App;
use crate::store::{Role, Store};

/// The session cookie's name.
pub const COOKIE: &str = "fd_session";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed sign-ins allowed per email per window.
pub const MAX_FAILURES: usize = 5;
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

/// Hex SHA-256 of a session token: what the store keeps.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

/// Compares two secrets without an early exit.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
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
    let secure = app
        .settings
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
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
    chrome: super::pages::Chrome,
    next: String,
    error: Option<String>,
    email: String,
}

/// Only same-site paths are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub async fn login_page(Query(q): Query<NextQuery>) -> Response {
    render(&LoginPage {
        chrome: Default::default(),
        next: safe_next(q.next.as_deref()),
        error: None,
        email: String::new(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /login`: checks the password (rate limited), opens a session, sets the cookie.
pub async fn login(State(app): State<App>, axum::Form(form): axum::Form<LoginForm>) -> Res {
    let now = app.clock.now();
    let email = form.email.trim().to_lowercase();
    // Keyed by email only: client addresses are not trusted (headers can be forged, and the
    // server does not record peer addresses), so a guesser cannot escape by rotating them.
    let key = format!("login:{email}");
    let since = now - SignedDuration::from_mins(WINDOW_MINUTES);
    if app.store.audit_count(&key, "login.failed", since).await? >= MAX_FAILURES as i64 {
        app.store
            .audit(None, &email, "login.limited", &serde_json::json!({}), now)
            .await?;
        return Err(DashError::TooMany(format!(
            "Too many failed sign-ins for {email:?}; try again in {WINDOW_MINUTES} minutes."
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
        app.store
            .audit(None, &key, "login.failed", &serde_json::json!({}), now)
            .await?;
        let page = LoginPage {
            chrome: Default::default(),
            next,
            error: Some("That email and password do not match.".into()),
            email,
        };
        return Ok((axum::http::StatusCode::UNAUTHORIZED, render(&page)).into_response());
    };
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

/// Where a user lands: their business, or the operator's list.
pub fn home_of(who: &Who) -> Option<String> {
    match (&who.user.role, &who.user.business_id) {
        (Role::Operator, _) => None,
        (_, Some(b)) => Some(format!("/b/{b}")),
        (_, None) => None,
    }
}

/// `frontdesk user add`: creates an account. Owners and staff need a business.
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
