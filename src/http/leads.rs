//! `POST /api/leads`: a web-form lead (JSON or form-encoded) with the business's lead key. The
//! contact is created and the first text — a greeting plus real slots for what they asked
//! about — leaves through the outbox at once; the conversation then continues by SMS. The same
//! person submitting again within minutes gets one text.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontdesk_engine::Input;
use serde::Deserialize;
use serde_json::json;

use super::AppError;
use crate::app::App;
use crate::outbox::{self, SmsJob};
use crate::runtime::{self, Line};
use crate::store::Channel;
use subtle::ConstantTimeEq as _;

#[derive(Debug, Deserialize)]
struct Lead {
    name: Option<String>,
    phone: String,
    email: Option<String>,
    /// What they wrote in the form.
    message: Option<String>,
    /// A service id or words ("brakes"), when the form has a picker.
    service: Option<String>,
    key: Option<String>,
}

/// How long a repeated submission counts as the same lead.
const DUPLICATE_WINDOW_SECS: i64 = 15 * 60;

/// Whether a form's name field holds a name: letters, spaces, apostrophes, hyphens and dots,
/// at most four words. Anything else (digits, `$`, a sentence of instructions) is not said back
/// to anyone or stored as the contact's name.
fn name_shaped(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 40
        && name.split_whitespace().count() <= 4
        && name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '.'))
}

pub async fn create(
    State(app): State<App>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let lead: Lead = if json {
        serde_json::from_slice(&body)
            .map_err(|e| AppError::BadRequest(format!("invalid lead: {e}")))?
    } else {
        serde_urlencoded::from_bytes(&body)
            .map_err(|e| AppError::BadRequest(format!("invalid lead form: {e}")))?
    };
    let key = headers
        .get("x-frontdesk-lead-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or(lead.key.clone())
        .ok_or(AppError::Unauthorized)?;
    let dir = app.directory();
    let engine = dir
        .all()
        .iter()
        .find(|e| {
            e.profile()
                .leads
                .key
                .as_deref()
                .is_some_and(|k| bool::from(k.as_bytes().ct_eq(key.as_bytes())))
        })
        .cloned()
        .ok_or(AppError::Unauthorized)?;
    let profile = engine.profile();
    let business = profile.business.id.clone();
    let phone = crate::phone::normalize(&lead.phone, "US").ok_or_else(|| {
        AppError::Unprocessable(format!("{:?} is not a valid phone number", lead.phone))
    })?;
    let now = app.clock.now();

    let mut contact = app.store.upsert_contact(&business, &phone, now).await?;
    let name = lead.name.as_deref().map(str::trim).filter(|n| {
        let shaped = name_shaped(n);
        if !shaped && !n.is_empty() {
            tracing::info!(business = %business, name = %n, "a lead's name is not a name; it is not used");
        }
        shaped
    });
    if let Some(n) = name
        && contact.name.is_none()
    {
        contact.name = Some(n.to_string());
    }
    if let Some(email) = lead
        .email
        .as_deref()
        .filter(|e| e.contains('@') && e.len() <= 200)
        && !contact.notes.contains(email)
    {
        contact.notes = format!("{} email: {email}", contact.notes)
            .trim()
            .to_string();
    }
    app.store.update_contact(&contact, now).await?;

    // One text per person per window, however often the form is sent.
    let bucket = now.as_second() / DUPLICATE_WINDOW_SECS;
    let keys = [
        format!("lead:{business}:{phone}:{bucket}"),
        format!("lead:{business}:{phone}:{}", bucket - 1),
    ];
    if app.store.job_by_key(&keys[1]).await?.is_some()
        || app.store.job_by_key(&keys[0]).await?.is_some()
    {
        return Ok((
            StatusCode::ACCEPTED,
            Json(json!({"status": "duplicate", "texted": false})),
        )
            .into_response());
    }
    let what = match (&lead.message, &lead.service) {
        (Some(m), _) if !m.trim().is_empty() => m.trim().chars().take(1000).collect::<String>(),
        (_, Some(s)) => {
            let named = profile
                .service(s)
                .map(|svc| svc.name.clone())
                .unwrap_or_else(|| s.clone());
            format!("I'd like to book {named}")
        }
        _ => "I'd like to book an appointment".to_string(),
    };
    let conversation = runtime::texts::sms_conversation(&app, engine.profile(), &phone).await?;
    let reply = runtime::respond(
        &app,
        &engine,
        Line::new(Channel::Sms),
        conversation,
        Input::Said(what),
        Some(&keys[0]),
    )
    .await?;
    let hello = match name {
        Some(n) => format!(
            "Hi {n}, thanks for reaching out to {}! ",
            profile.business.name
        ),
        None => format!("Hi, thanks for reaching out to {}! ", profile.business.name),
    };
    let from = profile.business.phones.first().cloned().unwrap_or_default();
    let sms = SmsJob::new(&phone, &from, &format!("{hello}{}", reply.text), "lead")
        .in_conversation(conversation);
    outbox::enqueue(&app, &business, &sms, &keys[0], None).await?;
    app.store
        .audit(
            Some(&business),
            "web",
            "lead.received",
            &json!({"phone": phone, "conversation": conversation}),
            now,
        )
        .await?;
    metrics::counter!("frontdesk_leads_total").increment(1);
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"status": "received", "texted": true, "conversation": conversation})),
    )
        .into_response())
}
