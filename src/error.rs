//! The one error type every handler returns, the operator API's and the webhooks' as well as
//! the dashboard's pages: [`AppError`] logs the internals and shows a plain message.
//!
//! An error has one status and two faces. Its [`IntoResponse`] answers JSON
//! (`{"error": "..."}`) and also leaves a [`Shown`] in the response's extensions: what a person
//! reading a page is told. Which face reaches the client is chosen by the route, not by the
//! handler: the dashboard's router carries a layer that turns any response holding a [`Shown`]
//! into its HTML message page, with the same status; every other route sends the JSON as it is.
//! So a handler writes `Err(AppError::NotFound)` wherever it sits, and `?` works on anything
//! that converts into `anyhow::Error` (store errors, I/O, header values), which becomes a logged
//! 500 with a generic message.
//!
//! [`AppError::SignIn`] is the one error with no message: a page asked for without a live
//! session is redirected to the sign-in page the dashboard names; a form posted without one is
//! answered 401 in plain text.

use std::fmt;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

/// An error a handler returns. Internal errors are logged with their cause and answered with a
/// generic message; the others carry a message meant for the client.
#[derive(Debug)]
pub enum AppError {
    /// 400, with what could not be read.
    BadRequest(String),
    /// 401: no or wrong credentials (the operator token, a lead form's key).
    Unauthorized,
    /// No live dashboard session: a page request is redirected to `Some(login URL)`, a form
    /// post (`None`) is answered 401 `sign in first`.
    SignIn(Option<String>),
    /// 403 without a reason (a webhook whose signature does not check out).
    Forbidden,
    /// 403 with a reason for the person refused (an expired form, staff on the settings).
    Refused(String),
    /// 404; also what a user gets for another business's pages and ids.
    NotFound,
    /// 409.
    Conflict(String),
    /// 422.
    Unprocessable(String),
    /// 429 (too many sign-in attempts).
    TooMany(String),
    /// 500: logged with its cause, answered with a generic message.
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(e: E) -> Self {
        Self::Internal(e.into())
    }
}

impl fmt::Display for AppError {
    /// The JSON face's message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadRequest(m)
            | Self::Refused(m)
            | Self::Conflict(m)
            | Self::Unprocessable(m)
            | Self::TooMany(m) => f.write_str(m),
            Self::Unauthorized => f.write_str("unauthorized"),
            Self::SignIn(_) => f.write_str("sign in first"),
            Self::Forbidden => f.write_str("forbidden"),
            Self::NotFound => f.write_str("not found"),
            Self::Internal(_) => {
                f.write_str("something went wrong on our side; it has been logged")
            }
        }
    }
}

impl AppError {
    /// The response's status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::SignIn(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Refused(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page face's message: a sentence for a person.
    fn sentence(&self) -> String {
        match self {
            Self::NotFound => "Not found.".into(),
            Self::Internal(_) => "Something went wrong on our side; it has been logged.".into(),
            other => other.to_string(),
        }
    }
}

/// What a person reading a page is told about an error; left in the response's extensions by
/// [`AppError`] for a route that shows its errors as pages (the status is the response's).
#[derive(Debug, Clone)]
pub struct Shown {
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::SignIn(Some(login)) => return Redirect::to(login).into_response(),
            Self::SignIn(None) => return (self.status(), "sign in first").into_response(),
            Self::Internal(e) => tracing::error!(error = ?e, "internal error"),
            _ => {}
        }
        let shown = Shown {
            message: self.sentence(),
        };
        let mut resp = (self.status(), Json(json!({"error": self.to_string()}))).into_response();
        resp.extensions_mut().insert(shown);
        resp
    }
}
