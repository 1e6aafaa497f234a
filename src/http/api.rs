//! The operator JSON API for integrations and tests: availability and appointments. The
//! dashboard and the engine use the same booking code. Every route needs the operator token
//! (`FRONTDESK_API_TOKEN`) as a bearer token.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_engine::Engine;
use frontdesk_schedule::{Slot, Want};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};
use subtle::ConstantTimeEq as _;
use uuid::Uuid;

use super::AppError;
use crate::app::App;
use crate::booking::{self, Booking};
use crate::store::Appointment;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/availability", get(availability))
        .route(
            "/api/appointments",
            axum::routing::post(create).get(super::repair_api::list),
        )
        .route(
            "/api/appointments/{id}/status",
            axum::routing::post(super::repair_api::set_status),
        )
        .route(
            "/api/appointments/{id}/estimate",
            axum::routing::post(super::repair_api::send_estimate),
        )
        .route(
            "/api/appointments/{id}",
            axum::routing::patch(reschedule).delete(cancel).get(show),
        )
        .route("/api/calendar", get(calendar_feed_url))
        .route("/api/calendar/rotate", axum::routing::post(rotate_feed))
        .route("/calendar/{file}", get(calendar_feed))
}

/// The operator API's bearer token (`FRONTDESK_API_TOKEN`), checked in constant time before the
/// handler runs; no token configured means the API is closed (401).
pub(crate) struct OperatorToken;

impl FromRequestParts<App> for OperatorToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(expected) = &app.settings.api_token else {
            return Err(AppError::Unauthorized);
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(OperatorToken)
        } else {
            Err(AppError::Unauthorized)
        }
    }
}

/// The business a request is about: `business=ID`, or the only one.
pub(super) fn business(app: &App, id: Option<&str>) -> Result<Arc<Engine>, AppError> {
    let dir = app.directory();
    match id {
        Some(id) => dir.by_id(id).ok_or(AppError::NotFound),
        None if dir.all().len() == 1 => Ok(dir.all()[0].clone()),
        None => Err(AppError::BadRequest(
            "several businesses: say which with \"business\"".into(),
        )),
    }
}

/// RFC 3339 with the business's offset.
pub(super) fn local(ts: Timestamp, engine: &Engine) -> String {
    ts.to_zoned(engine.profile().business.timezone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn slot_json(s: &Slot, engine: &Engine) -> Value {
    json!({"start": local(s.start, engine), "end": local(s.end, engine)})
}

pub(super) fn appointment_json(a: &Appointment, engine: &Engine) -> Value {
    json!({
        "id": a.id, "business": a.business_id, "service": a.service_id,
        "start": local(a.start, engine), "end": local(a.end, engine),
        "status": a.status, "source": a.source, "vehicle": a.vehicle, "notes": a.notes,
        "contact_id": a.contact_id,
        "work": a.work.as_ref().map(|w| json!({
            "status": w.status, "note": w.note,
            "expected": w.expected.map(|t| local(t, engine)),
            "updated_at": local(w.updated_at, engine),
        })),
    })
}

/// Reads a time as RFC 3339 with an offset, or as business-local without one.
pub(super) fn parse_time(text: &str, engine: &Engine) -> Result<Timestamp, AppError> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil: jiff::civil::DateTime = text.parse().map_err(|_| {
        AppError::Unprocessable(format!(
            "cannot read {text:?} as a time like \"2026-11-26T14:00:00-06:00\""
        ))
    })?;
    civil
        .to_zoned(engine.profile().business.timezone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| AppError::Unprocessable(format!("{text:?} is not a local time: {e}")))
}

#[derive(Debug, Deserialize)]
struct AvailabilityQuery {
    service: String,
    from: Option<String>,
    to: Option<String>,
    business: Option<String>,
}

/// `GET /api/availability?service=ID&from=DATE&to=DATE`: every free start, dates inclusive.
async fn availability(
    State(app): State<App>,
    _operator: OperatorToken,
    Query(q): Query<AvailabilityQuery>,
) -> Result<Response, AppError> {
    let engine = business(&app, q.business.as_deref())?;
    let profile = engine.profile();
    let service = profile
        .service(&q.service)
        .ok_or_else(|| AppError::Unprocessable(format!("unknown service {:?}", q.service)))?;
    let now = app.clock.now();
    let zone = profile.business.timezone.clone();
    let date = |text: &Option<String>, default: Date| -> Result<Date, AppError> {
        match text {
            Some(t) => t.parse().map_err(|_| {
                AppError::BadRequest(format!("cannot read {t:?} as a date like \"2026-11-26\""))
            }),
            None => Ok(default),
        }
    };
    let today = now.to_zoned(zone.clone()).date();
    let from = date(&q.from, today)?;
    let to = date(
        &q.to,
        from.checked_add(jiff::Span::new().days(6)).unwrap_or(from),
    )?;
    if to < from {
        return Err(AppError::BadRequest(format!(
            "\"to\" ({to}) is before \"from\" ({from})"
        )));
    }
    let end = to.checked_add(jiff::Span::new().days(1)).unwrap_or(to);
    let want = Want {
        windows: vec![(
            from.to_datetime(jiff::civil::Time::midnight()),
            end.to_datetime(jiff::civil::Time::midnight()),
        )],
        ..Want::default()
    };
    let busy = booking::busy(&app, profile, now).await?;
    let rules = frontdesk_engine::rules(profile);
    let slots =
        frontdesk_schedule::free_slots(&rules, service.duration_minutes, &busy, now, &want, 2000);
    let slots: Vec<Value> = slots.iter().map(|s| slot_json(s, &engine)).collect();
    Ok(Json(json!({"service": service.id, "slots": slots})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewBooking {
    service: String,
    start: String,
    name: String,
    phone: String,
    vehicle: Option<Value>,
    notes: Option<String>,
    business: Option<String>,
}

/// A US-or-international number in E.164, or a 422.
fn e164(phone: &str) -> Result<String, AppError> {
    crate::phone::normalize(phone, "US")
        .ok_or_else(|| AppError::Unprocessable(format!("{phone:?} is not a valid phone number")))
}

fn booking_response(
    result: Booking,
    engine: &Engine,
    created: StatusCode,
) -> Result<Response, AppError> {
    Ok(match result {
        Booking::Booked(a) => (created, Json(appointment_json(&a, engine))).into_response(),
        Booking::Replayed(a) => (StatusCode::OK, Json(appointment_json(&a, engine))).into_response(),
        Booking::Taken { alternatives } => (
            StatusCode::CONFLICT,
            Json(json!({"error": "that time was just taken",
                "alternatives": alternatives.iter().map(|s| slot_json(s, engine)).collect::<Vec<_>>()})),
        )
            .into_response(),
        Booking::Refused(refusal) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"error": refusal.to_string()}))).into_response()
        }
        Booking::UnknownService => return Err(AppError::Unprocessable("unknown service".into())),
        Booking::CalendarDown => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"error": "the shop's calendar cannot be reached right now; try again shortly"})),
        )
            .into_response(),
        Booking::Limit { open } => (
            StatusCode::CONFLICT,
            Json(json!({"error": format!("this customer already has {open} upcoming appointments, the most the shop allows")})),
        )
            .into_response(),
        Booking::NotFound => return Err(AppError::NotFound),
    })
}

/// `POST /api/appointments` with an optional `Idempotency-Key` header.
async fn create(
    State(app): State<App>,
    _operator: OperatorToken,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let req: NewBooking = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("invalid appointment request: {e}")))?;
    let engine = business(&app, req.business.as_deref())?;
    let profile = engine.profile();
    match profile.service(&req.service) {
        None => {
            return Err(AppError::Unprocessable(format!(
                "unknown service {:?}",
                req.service
            )));
        }
        Some(s) if !s.bookable => {
            return Err(AppError::Unprocessable(format!(
                "service {:?} is marked bookable = false (a technician looks first): book an inspection or take a callback instead",
                req.service
            )));
        }
        Some(_) => {}
    }
    let start = parse_time(&req.start, &engine)?;
    let phone = e164(&req.phone)?;
    let now = app.clock.now();
    let mut contact = app
        .store
        .upsert_contact(&profile.business.id, &phone, now)
        .await?;
    let mut changed = false;
    if !req.name.trim().is_empty() && contact.name.as_deref() != Some(req.name.trim()) {
        contact.name = Some(req.name.trim().to_string());
        changed = true;
    }
    // The car booked is one of the customer's cars (the inbox and the status texts name it).
    if let Some(v) = req.vehicle.as_ref().filter(|v| v.is_object())
        && !contact.vehicles.contains(v)
    {
        contact.vehicles.push(v.clone());
        changed = true;
    }
    if changed {
        app.store.update_contact(&contact, now).await?;
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("api:{k}"));
    let result = booking::book(
        &app,
        profile,
        &booking::Request {
            service_id: req.service.clone(),
            start,
            contact_id: Some(contact.id),
            vehicle: req.vehicle.clone(),
            notes: req.notes.clone(),
            source: "api".into(),
            idempotency_key: key,
        },
    )
    .await?;
    booking_response(result, &engine, StatusCode::CREATED)
}

#[derive(Debug, Deserialize)]
struct Which {
    business: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Move {
    start: String,
}

fn appointment_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

async fn show(
    State(app): State<App>,
    _operator: OperatorToken,
    Path(id): Path<String>,
    Query(w): Query<Which>,
) -> Result<Response, AppError> {
    let engine = business(&app, w.business.as_deref())?;
    let a = app
        .store
        .appointment(&engine.profile().business.id, appointment_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(appointment_json(&a, &engine)).into_response())
}

/// `PATCH /api/appointments/{id}` with `{"start"}`: reschedule.
async fn reschedule(
    State(app): State<App>,
    _operator: OperatorToken,
    Path(id): Path<String>,
    Query(w): Query<Which>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let engine = business(&app, w.business.as_deref())?;
    let id = appointment_id(&id)?;
    let req: Move = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("invalid reschedule request: {e}")))?;
    let start = parse_time(&req.start, &engine)?;
    let result = booking::reschedule(&app, engine.profile(), id, start, "api").await?;
    booking_response(result, &engine, StatusCode::OK)
}

/// `DELETE /api/appointments/{id}`: cancel (the slot is free again).
async fn cancel(
    State(app): State<App>,
    _operator: OperatorToken,
    Path(id): Path<String>,
    Query(w): Query<Which>,
) -> Result<Response, AppError> {
    let engine = business(&app, w.business.as_deref())?;
    let a = booking::cancel(&app, engine.profile(), appointment_id(&id)?, "api")
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(appointment_json(&a, &engine)).into_response())
}

fn feed_url(app: &App, secret: &str) -> String {
    let base = app
        .settings
        .public_url
        .clone()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    format!("{}/calendar/{secret}.ics", base.trim_end_matches('/'))
}

/// `GET /api/calendar`: the subscribe-able feed URL of a business.
async fn calendar_feed_url(
    State(app): State<App>,
    _operator: OperatorToken,
    Query(w): Query<Which>,
) -> Result<Response, AppError> {
    let engine = business(&app, w.business.as_deref())?;
    let secret = app
        .store
        .feed_secret(&engine.profile().business.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({"url": feed_url(&app, &secret)})).into_response())
}

/// `POST /api/calendar/rotate`: a new feed secret; the old URL stops working at once.
async fn rotate_feed(
    State(app): State<App>,
    _operator: OperatorToken,
    Query(w): Query<Which>,
) -> Result<Response, AppError> {
    let engine = business(&app, w.business.as_deref())?;
    let business = &engine.profile().business.id;
    let secret = crate::app::new_secret();
    app.store.set_feed_secret(business, &secret).await?;
    app.store
        .audit(
            Some(business),
            "operator",
            "calendar.feed_rotated",
            &json!({}),
            app.clock.now(),
        )
        .await?;
    Ok(Json(json!({"url": feed_url(&app, &secret)})).into_response())
}

/// `GET /calendar/{secret}.ics`: the business's appointments as an iCalendar feed.
async fn calendar_feed(
    State(app): State<App>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let secret = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    if secret.len() < 32 {
        return Err(AppError::NotFound);
    }
    let business = app
        .store
        .business_by_feed_secret(secret)
        .await?
        .ok_or(AppError::NotFound)?;
    let engine = app.directory().by_id(&business).ok_or(AppError::NotFound)?;
    let ics = crate::calendar::feed(&app, engine.profile()).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        ics,
    )
        .into_response())
}
