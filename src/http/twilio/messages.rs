//! Status callbacks (a call ended: its outcome, and a text back to a caller who hung up before
//! saying anything) and texts coming in, handed to the runtime.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontdesk_engine::Effect;
use frontdesk_profile::TemplateKey;
use frontdesk_twilio::twiml::MessagingResponse;
use frontdesk_twilio::webhook::{self, CallStatus, MessageRequest};
use serde_json::{Value, json};

use super::{TwilioForm, engine_for, typed, xml};
use crate::app::App;
use crate::http::AppError;
use crate::runtime;
use crate::store::{Channel, Speaker};

/// `POST /twilio/status`: call and message status callbacks.
pub(super) async fn status(State(app): State<App>, form: TwilioForm) -> Result<Response, AppError> {
    let TwilioForm { params, .. } = form;
    let now = app.clock.now();
    if let Some(message_sid) = webhook::param(&params, "MessageSid") {
        let status = webhook::param(&params, "MessageStatus").unwrap_or("unknown");
        let error = webhook::param(&params, "ErrorCode");
        let to = webhook::param(&params, "To").unwrap_or_default();
        let from = webhook::param(&params, "From").unwrap_or_default();
        let business = engine_for(&app, from).map(|e| e.profile().business.id.clone());
        app.store
            .audit(
                business.as_deref(),
                "twilio",
                "sms.status",
                &json!({"sid": message_sid, "status": status, "error": error, "to": to}),
                now,
            )
            .await?;
        metrics::counter!("frontdesk_sms_status_total", "status" => status.to_string())
            .increment(1);
        if error == Some("21610")
            && let Some(b) = &business
        {
            app.store.set_opt_out(b, to, true, now).await?;
        }
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let call_sid = webhook::param(&params, "CallSid")
        .unwrap_or_default()
        .to_string();
    let to = webhook::param(&params, "To")
        .unwrap_or_default()
        .to_string();
    let from = webhook::param(&params, "From")
        .unwrap_or_default()
        .to_string();
    let call_status: CallStatus = webhook::param(&params, "CallStatus")
        .and_then(|s| serde_json::from_value(Value::String(s.to_string())).ok())
        .unwrap_or(CallStatus::Other);
    let Some(engine) = engine_for(&app, &to) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let profile = engine.profile();
    let business = &profile.business.id;
    let finished = matches!(
        call_status,
        CallStatus::Completed
            | CallStatus::Busy
            | CallStatus::NoAnswer
            | CallStatus::Failed
            | CallStatus::Canceled
    );
    if !finished {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let duration = webhook::param(&params, "CallDuration")
        .and_then(|d| d.parse::<u64>().ok())
        .unwrap_or(0);
    let conv = app
        .store
        .conversation_by_external(business, Channel::Voice, &call_sid)
        .await?;
    let turns = match &conv {
        Some(c) => app.store.turns(c.id).await?,
        None => Vec::new(),
    };
    let spoke = turns.iter().any(|t| t.speaker == Speaker::Caller);
    if let Some(c) = &conv {
        let effects: Vec<Effect> = turns
            .iter()
            .flat_map(|t| {
                t.effects
                    .iter()
                    .filter_map(|e| serde_json::from_value(e.clone()).ok())
            })
            .collect();
        let outcome = match (&c.outcome, spoke) {
            (Some(o), _) => o.clone(),
            (None, false) => "missed".to_string(),
            (None, true) => runtime::outcome_of(&effects).to_string(),
        };
        app.store
            .end_conversation(c.id, now, &outcome, None)
            .await?;
    }
    app.store
        .audit(Some(business), "twilio", "call.ended", &json!({"call": call_sid, "status": format!("{call_status:?}"), "duration_s": duration, "spoke": spoke}), now)
        .await?;
    // A caller who hung up before saying anything gets a text back.
    if !spoke && crate::phone::textable(&from) {
        let number = profile.business.phones.first().cloned().unwrap_or_default();
        let body = frontdesk_profile::render(
            profile.template(TemplateKey::MissedCall),
            &[("business", &profile.business.name), ("phone", &number)],
        );
        let sms = crate::outbox::SmsJob::new(&from, &number, &body, "missed_call");
        crate::outbox::enqueue(&app, business, &sms, &format!("missed:{call_sid}"), None).await?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /twilio/sms`: a text comes in. Recorded and answered through the outbox, never inline.
pub(super) async fn sms(State(app): State<App>, form: TwilioForm) -> Result<Response, AppError> {
    let TwilioForm { params, uri } = form;
    let msg: MessageRequest = typed(&params, &uri)?;
    if !crate::phone::textable(&msg.from) {
        tracing::warn!(from = %msg.from, "text webhook refused: From is not a phone number");
        return Err(AppError::BadRequest(format!(
            "\"From\" is not a phone number: {:?}",
            msg.from
        )));
    }
    let empty = || xml(MessagingResponse::new().to_xml());
    let Some(engine) = engine_for(&app, &msg.to) else {
        tracing::warn!(to = %msg.to, "text for a number no business owns");
        return Ok(empty());
    };
    let text = runtime::texts::IncomingText {
        from: &msg.from,
        to: &msg.to,
        body: &msg.body,
        sid: &msg.message_sid,
    };
    runtime::texts::incoming(&app, &engine, text).await?;
    Ok(empty())
}
