//! Twilio's webhooks: voice (a `<Gather>` speech loop or ConversationRelay), forward-first with
//! call screening, warm transfers, status callbacks, SMS, and the ConversationRelay WebSocket.
//! Every request's `X-Twilio-Signature` is checked against the public URL by the [`TwilioForm`]
//! extractor before a handler runs; a forged one gets 403, a malformed one 400 and a log line,
//! and a number nobody owns gets a polite message. The handlers only parse, call the runtime and
//! answer in TwiML.

mod messages;
mod relay;
mod voice;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontdesk_engine::Engine;
use frontdesk_twilio::twiml::{Say, VoiceResponse};
use frontdesk_twilio::webhook;

use super::AppError;
use crate::app::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/twilio/voice", post(voice::voice))
        .route("/twilio/voice/turn", post(voice::voice_turn))
        .route("/twilio/voice/after", post(voice::voice_after))
        .route("/twilio/voice/screen", post(voice::screen))
        .route("/twilio/voice/screen/accept", post(voice::screen_accept))
        .route("/twilio/sms", post(messages::sms))
        .route("/twilio/status", post(messages::status))
        .route("/twilio/relay", get(relay::relay))
}

/// A Twilio webhook's form, its signature checked against the public URL (403 when it does not
/// match, 400 when the body is not a form). A JSON body (ConversationRelay's callbacks) is
/// checked by its body hash and gives no parameters.
pub(super) struct TwilioForm {
    pub params: Vec<(String, String)>,
    pub uri: Uri,
}

impl FromRequest<App> for TwilioForm {
    type Rejection = AppError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, super::BODY_LIMIT)
            .await
            .map_err(|e| AppError::BadRequest(format!("unreadable body: {e}")))?;
        let params = verified(app, &parts.headers, &parts.uri, &body)?;
        Ok(TwilioForm {
            params,
            uri: parts.uri,
        })
    }
}

/// The URL Twilio signed: the configured public URL plus the request's path and query.
pub(super) fn public_url(app: &App, headers: &HeaderMap, uri: &Uri, scheme: &str) -> String {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    match &app.settings.public_url {
        Some(base) => {
            let base = base.trim_end_matches('/');
            if scheme == "wss" {
                format!(
                    "{}{path}",
                    base.replacen("https://", "wss://", 1)
                        .replacen("http://", "ws://", 1)
                )
            } else {
                format!("{base}{path}")
            }
        }
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if scheme == "wss" { "ws" } else { "http" };
            format!("{scheme}://{host}{path}")
        }
    }
}

/// Checks the signature and reads the form. 403 for a bad or missing signature, 400 for a body
/// that is not a form.
fn verified(
    app: &App,
    headers: &HeaderMap,
    uri: &Uri,
    body: &[u8],
) -> Result<Vec<(String, String)>, AppError> {
    let Some(token) = &app.settings.twilio_auth_token else {
        tracing::warn!(path = %uri.path(), "twilio webhook refused: TWILIO_AUTH_TOKEN is not set");
        return Err(AppError::Forbidden);
    };
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let url = public_url(app, headers, uri, "https");
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        if !frontdesk_twilio::signature::validate_json_body(token, &url, body, signature) {
            tracing::warn!(path = %uri.path(), "twilio webhook refused: bad signature");
            return Err(AppError::Forbidden);
        }
        return Ok(Vec::new());
    }
    let params = webhook::parse_form(body).map_err(|e| {
        tracing::warn!(path = %uri.path(), error = %e, "malformed twilio webhook");
        AppError::BadRequest(format!("malformed form body: {e}"))
    })?;
    if !frontdesk_twilio::signature::validate(token, &url, &params, signature) {
        tracing::warn!(path = %uri.path(), url = %url, "twilio webhook refused: bad signature");
        return Err(AppError::Forbidden);
    }
    Ok(params)
}

pub(super) fn typed<T: serde::de::DeserializeOwned>(
    params: &[(String, String)],
    uri: &Uri,
) -> Result<T, AppError> {
    webhook::from_params(params).map_err(|e| {
        tracing::warn!(path = %uri.path(), error = %e, "malformed twilio webhook");
        AppError::BadRequest(format!("malformed webhook: {e}"))
    })
}

pub(super) fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

/// What a caller of a number nobody owns hears.
pub(super) fn unknown_number(to: &str) -> Response {
    tracing::warn!(to = %to, "call or text for a number no business owns");
    xml(VoiceResponse::new()
        .say(Say::new("Sorry, this number is not set up to take calls right now. Please try again later. Goodbye."))
        .hangup()
        .to_xml())
}

pub(super) fn engine_for(app: &App, to: &str) -> Option<Arc<Engine>> {
    app.directory().for_number(to)
}
