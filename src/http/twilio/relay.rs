//! The ConversationRelay WebSocket: the handshake carries a signature over the wss URL; each
//! prompt is a turn, and the reply is streamed back a sentence at a time.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use frontdesk_engine::{Engine, Input};
use uuid::Uuid;

use serde_json::json;

use super::{engine_for, public_url};
use crate::app::App;
use crate::http::AppError;
use crate::runtime::{self, Line};
use crate::store::{Channel, NewTurn, Speaker};

/// `GET /twilio/relay`: the ConversationRelay WebSocket. The handshake carries a signature over
/// the wss URL.
pub(super) async fn relay(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Result<Response, AppError> {
    let Some(token) = &app.settings.twilio_auth_token else {
        return Err(AppError::Forbidden);
    };
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let url = public_url(&app, &headers, &uri, "wss");
    if !frontdesk_twilio::signature::validate_websocket(token, &url, signature) {
        tracing::warn!(url = %url, "relay websocket refused: bad signature");
        return Err(AppError::Forbidden);
    }
    Ok(ws.on_upgrade(move |socket| relay_session(app, socket)))
}

/// Splits a reply into speakable pieces (sentences), streamed as they are ready.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in text.chars() {
        current.push(ch);
        if matches!(ch, '.' | '?' | '!') {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

async fn relay_session(app: App, mut socket: WebSocket) {
    let mut session: Option<(Arc<Engine>, Uuid, String)> = None;
    let mut turn = 0u32;
    while let Some(Ok(frame)) = socket.recv().await {
        let WsMessage::Text(text) = frame else {
            continue;
        };
        let inbound = match frontdesk_twilio::relay::parse_inbound(text.as_str()) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "malformed relay message skipped");
                continue;
            }
        };
        use frontdesk_twilio::relay::{Inbound, Outbound};
        let input = match inbound {
            Inbound::Setup(setup) => {
                let engine = engine_for(&app, &setup.to);
                let conv = setup
                    .custom_parameters
                    .get("conversation")
                    .and_then(|c| Uuid::parse_str(c).ok());
                match (engine, conv) {
                    (Some(e), Some(c)) => session = Some((e, c, setup.call_sid.clone())),
                    _ => {
                        tracing::warn!(to = %setup.to, "relay setup for an unknown number or conversation");
                        let _ = socket
                            .send(WsMessage::Text(
                                Outbound::text("Sorry, something went wrong. Goodbye.")
                                    .to_json()
                                    .into(),
                            ))
                            .await;
                        let _ = socket
                            .send(WsMessage::Text(
                                Outbound::end_with(&json!({"reason": "error"}))
                                    .to_json()
                                    .into(),
                            ))
                            .await;
                        return;
                    }
                }
                continue;
            }
            Inbound::Prompt(p) if p.last => Input::Said(p.voice_prompt),
            Inbound::Prompt(_) => continue,
            Inbound::Dtmf(d) => Input::Dtmf(d.digit),
            Inbound::Interrupt(i) => {
                if let Some((_, conv, _)) = &session {
                    let _ = app
                        .store
                        .append_turn(&NewTurn {
                            conversation_id: *conv,
                            speaker: Speaker::System,
                            text: format!(
                                "(caller interrupted; heard: {:?})",
                                i.utterance_until_interrupt
                            ),
                            understanding: None,
                            flow: None,
                            effects: Vec::new(),
                            processing_us: None,
                            dedupe_key: None,
                            at: app.clock.now(),
                        })
                        .await;
                }
                continue;
            }
            Inbound::Error(e) => {
                tracing::warn!(description = %e.description, "relay reported an error");
                continue;
            }
            Inbound::Unknown { kind, .. } => {
                tracing::debug!(kind = %kind, "unknown relay message");
                continue;
            }
        };
        let Some((engine, conv, call_sid)) = &session else {
            continue;
        };
        turn += 1;
        let reply = match runtime::respond(
            &app,
            engine,
            Line::new(Channel::Voice),
            *conv,
            input,
            Some(&format!("{call_sid}:r{turn}")),
        )
        .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = ?e, "relay turn failed");
                let _ = socket
                    .send(WsMessage::Text(
                        Outbound::text("Sorry, I didn't catch that. Could you say it again?")
                            .to_json()
                            .into(),
                    ))
                    .await;
                continue;
            }
        };
        let parts = sentences(&reply.text);
        let n = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            if socket
                .send(WsMessage::Text(
                    Outbound::token(part, i + 1 == n).to_json().into(),
                ))
                .await
                .is_err()
            {
                return;
            }
        }
        if let Some((to, whisper)) = &reply.transfer {
            let handoff = json!({"reason": "transfer", "to": to, "whisper": whisper});
            let _ = socket
                .send(WsMessage::Text(
                    Outbound::end_with(&handoff).to_json().into(),
                ))
                .await;
            return;
        }
        if reply.done {
            let _ = socket
                .send(WsMessage::Text(
                    Outbound::end_with(&json!({"reason": "done"}))
                        .to_json()
                        .into(),
                ))
                .await;
            return;
        }
    }
}
