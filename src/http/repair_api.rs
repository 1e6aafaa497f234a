//! The operator API for repair status and estimates, so a shop-management system or an
//! automation tool can push what staff would tap: `POST /api/appointments/{id}/status`,
//! `POST /api/appointments/{id}/estimate`, and `GET /api/appointments?from=&to=&status=` to list
//! them. Every change goes through [`crate::repair`], the same code the dashboard uses.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontdesk_profile::WorkStatus;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::AppError;
use super::api::{OperatorToken, appointment_json, business, parse_time};
use crate::app::App;
use crate::repair::{self, EstimateSend, StatusChange, StatusUpdate};
use crate::store::{AppointmentStatus, Range};

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    from: Option<String>,
    to: Option<String>,
    /// A work status (`ready`, ...) or an appointment status (`booked`, `cancelled`, ...).
    status: Option<String>,
    business: Option<String>,
}

fn date(text: &Option<String>, default: Date) -> Result<Date, AppError> {
    match text {
        Some(t) => t.parse().map_err(|_| {
            AppError::BadRequest(format!("cannot read {t:?} as a date like \"2026-11-26\""))
        }),
        None => Ok(default),
    }
}

type Keep = Box<dyn Fn(&crate::store::Appointment) -> bool + Send + Sync>;

/// A status filter: a work status or an appointment status, or a 400 that lists both.
fn status_filter(word: &str) -> Result<Keep, AppError> {
    if let Some(w) = WorkStatus::parse(word) {
        return Ok(Box::new(move |a| {
            a.work.as_ref().is_some_and(|x| x.status == w)
        }));
    }
    if let Ok(s) = serde_json::from_value::<AppointmentStatus>(Value::String(word.to_string())) {
        return Ok(Box::new(move |a| a.status == s));
    }
    let work: Vec<&str> = WorkStatus::ALL.iter().map(|s| s.word()).collect();
    Err(AppError::BadRequest(format!(
        "unknown status {word:?}: use a work status ({}) or booked, confirmed, cancelled, done, no_show",
        work.join(", ")
    )))
}

/// `GET /api/appointments?from=DATE&to=DATE&status=WORD`: appointments starting on those
/// business-local days (inclusive; default today), optionally of one status.
pub(super) async fn list(
    State(app): State<App>,
    _operator: OperatorToken,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let engine = business(&app, q.business.as_deref())?;
    let profile = engine.profile();
    let zone = profile.business.timezone.clone();
    let today = app.clock.now().to_zoned(zone.clone()).date();
    let from = date(&q.from, today)?;
    let to = date(&q.to, from)?;
    if to < from {
        return Err(AppError::BadRequest(format!(
            "\"to\" ({to}) is before \"from\" ({from})"
        )));
    }
    let instant = |d: Date| -> Result<jiff::Timestamp, AppError> {
        d.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| {
                AppError::BadRequest(format!("{d} has no midnight in the shop's zone: {e}"))
            })
    };
    let end = to
        .tomorrow()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let range = Range {
        from: instant(from)?,
        to: instant(end)?,
    };
    let keep: Keep = match &q.status {
        Some(word) => status_filter(word)?,
        None => Box::new(|_: &crate::store::Appointment| true),
    };
    let all = app
        .store
        .appointments_any(&profile.business.id, range)
        .await?;
    let items: Vec<Value> = all
        .iter()
        .filter(|a| keep(a))
        .map(|a| appointment_json(a, &engine))
        .collect();
    Ok(Json(json!({"appointments": items})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusBody {
    status: String,
    note: Option<String>,
    /// When staff expect the next step: RFC 3339, or business-local without an offset.
    expected: Option<String>,
    business: Option<String>,
}

fn appointment_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

/// `POST /api/appointments/{id}/status` with `{"status": "ready", "note": "..."}`.
pub(super) async fn set_status(
    State(app): State<App>,
    _operator: OperatorToken,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let req: StatusBody = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("invalid status request: {e}")))?;
    let engine = business(&app, req.business.as_deref())?;
    let status = WorkStatus::parse(&req.status).ok_or_else(|| {
        let all: Vec<&str> = WorkStatus::ALL.iter().map(|s| s.word()).collect();
        AppError::Unprocessable(format!(
            "unknown status {:?}: use one of {}",
            req.status,
            all.join(", ")
        ))
    })?;
    let expected = match req.expected.as_deref() {
        Some(t) => Some(parse_time(t, &engine)?),
        None => None,
    };
    let update = StatusUpdate {
        status,
        note: req.note,
        expected,
    };
    match repair::set_status(&app, engine.profile(), appointment_id(&id)?, update, "api").await? {
        StatusChange::Set(a) => Ok(Json(appointment_json(&a, &engine)).into_response()),
        StatusChange::NotFound => Err(AppError::NotFound),
        StatusChange::NotInShop(s) => Err(AppError::Conflict(format!(
            "the appointment is {:?}: there is no car in the shop to give a status to",
            s.word()
        ))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EstimateBody {
    amount_cents: i64,
    description: String,
    business: Option<String>,
}

/// `POST /api/appointments/{id}/estimate` with `{"amount_cents": 41250, "description": "..."}`:
/// the customer is texted the amount and how to approve.
pub(super) async fn send_estimate(
    State(app): State<App>,
    _operator: OperatorToken,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let req: EstimateBody = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("invalid estimate request: {e}")))?;
    let engine = business(&app, req.business.as_deref())?;
    let id = appointment_id(&id)?;
    match repair::send_estimate(
        &app,
        engine.profile(),
        id,
        req.amount_cents,
        &req.description,
        "api",
    )
    .await?
    {
        EstimateSend::Sent(e) => Ok((
            StatusCode::CREATED,
            Json(json!({
                "id": e.id, "appointment": e.appointment_id, "amount_cents": e.amount_cents,
                "description": e.description, "status": "sent",
            })),
        )
            .into_response()),
        EstimateSend::NotFound => Err(AppError::NotFound),
        EstimateSend::Invalid(why) => Err(AppError::Unprocessable(why)),
        EstimateSend::NoNumber => Err(AppError::Unprocessable(
            "the appointment has no customer number to text the estimate to".into(),
        )),
    }
}
