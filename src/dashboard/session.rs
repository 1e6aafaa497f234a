//! Who is asking: the session cookie read into a [`Who`] (the signed-in user and the session's
//! CSRF token), and [`Post`], the extractor every dashboard form goes through (a live session
//! and a matching CSRF token, compared in constant time with `subtle`). A page asked for
//! without a session is sent to the sign-in page; a form posted without one gets a 401.
//!
//! Signing in and out (which opens and revokes these sessions) is `auth`'s; this module only
//! reads them, so `auth` and the pages both build on it and it on neither.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use frontdesk_engine::Engine;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;

use crate::app::App;
use crate::error::AppError;
use crate::store::{Role, User};

/// The session cookie's name.
pub const COOKIE: &str = "fd_session";

/// Hex SHA-256 of a session token: what the store keeps.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lowercase hex of some bytes.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two secrets are equal, compared in constant time (`subtle`); different lengths
/// are unequal.
pub(super) fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
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
    pub fn business(&self, app: &App, id: &str) -> Result<Arc<Engine>, AppError> {
        let allowed =
            self.user.role == Role::Operator || self.user.business_id.as_deref() == Some(id);
        if !allowed {
            return Err(AppError::NotFound);
        }
        app.directory().by_id(id).ok_or(AppError::NotFound)
    }

    /// Whether this user may edit the business's settings (the profile, corrections): owners
    /// and operators. Staff work the pages only.
    pub fn can_edit_settings(&self) -> bool {
        matches!(self.user.role, Role::Owner | Role::Operator)
    }

    /// The role editing the settings, or refused for staff.
    pub fn settings_editor(&self) -> Result<Role, AppError> {
        if self.can_edit_settings() {
            Ok(self.user.role)
        } else {
            Err(AppError::Refused(
                "Only the business's owner can change its settings.".into(),
            ))
        }
    }

    /// Where this user lands: their business's Today page, or `None` for the operator's list.
    pub fn landing(&self) -> Option<String> {
        match (&self.user.role, &self.user.business_id) {
            (Role::Operator, _) => None,
            (_, Some(b)) => Some(format!("/b/{b}")),
            (_, None) => None,
        }
    }

    /// Who did it, for the audit log.
    pub fn actor(&self) -> String {
        format!("dashboard:{}", self.user.email)
    }
}

impl FromRequestParts<App> for Who {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if let Some(token) = cookie(&parts.headers, COOKIE) {
            let token_hash = hash_token(&token);
            if let Some(s) = app.store.session(&token_hash, app.clock.now()).await? {
                return Ok(Who {
                    user: s.user,
                    csrf: s.csrf,
                    token_hash,
                });
            }
        }
        if parts.method == Method::GET {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            Err(AppError::SignIn(Some(format!(
                "/login?next={}",
                urlencode(next)
            ))))
        } else {
            Err(AppError::SignIn(None))
        }
    }
}

/// A form POST from a signed-in user whose `csrf` field (or `X-CSRF-Token` header) matches the
/// session's token. Every dashboard POST goes through it. The body is read within the limit
/// the dashboard's router sets (`DefaultBodyLimit`).
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
    type Rejection = AppError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let who = Who::from_request_parts(&mut parts, app).await?;
        let given = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = Bytes::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(|_| AppError::BadRequest("request too large".into()))?;
        let given = given.unwrap_or_else(|| {
            serde_urlencoded::from_bytes::<CsrfField>(&bytes)
                .map(|c| c.csrf)
                .unwrap_or_default()
        });
        if given.is_empty() || !same(&given, &who.csrf) {
            return Err(AppError::Refused(
                "This form has expired; reload the page and try again.".into(),
            ));
        }
        let form = serde_urlencoded::from_bytes::<T>(&bytes)
            .map_err(|e| AppError::BadRequest(format!("cannot read the form: {e}")))?;
        Ok(Post { who, form })
    }
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
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
