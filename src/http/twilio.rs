//! Twilio's webhooks: voice (a `<Gather>` speech loop or ConversationRelay), forward-first with
//! call screening, warm transfers, status callbacks, SMS with the carrier opt-out keywords, and
//! the ConversationRelay WebSocket. Every request's `X-Twilio-Signature` is checked against the
//! public URL before anything else; a forged one gets 403, a malformed one 400 and a log line, and
//! a number nobody owns gets a polite message.

use std::sync::Arc;

use axum::Router;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontdesk_engine::{Effect, Engine, Input, Outcome};
use frontdesk_profile::TemplateKey;
use frontdesk_twilio::twiml::{
    Connect, ConversationRelay, Dial, Gather, MessagingResponse, Number, Say, VoiceResponse,
};
use frontdesk_twilio::webhook::{
    self, CallStatus, DialCallStatus, DialResult, GatherResult, MessageRequest, VoiceRequest,
};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::AppError;
use crate::app::App;
use crate::runtime::{self, Line, Reply};
use crate::store::{Channel, NewConversation, NewTurn, Speaker};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/twilio/voice", post(voice))
        .route("/twilio/voice/turn", post(voice_turn))
        .route("/twilio/voice/after", post(voice_after))
        .route("/twilio/voice/screen", post(screen))
        .route("/twilio/voice/screen/accept", post(screen_accept))
        .route("/twilio/sms", post(sms))
        .route("/twilio/status", post(status))
        .route("/twilio/relay", get(relay))
}

/// The URL Twilio signed: the configured public URL plus the request's path and query.
fn public_url(app: &App, headers: &HeaderMap, uri: &Uri, scheme: &str) -> String {
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

fn typed<T: serde::de::DeserializeOwned>(
    params: &[(String, String)],
    uri: &Uri,
) -> Result<T, AppError> {
    webhook::from_params(params).map_err(|e| {
        tracing::warn!(path = %uri.path(), error = %e, "malformed twilio webhook");
        AppError::BadRequest(format!("malformed webhook: {e}"))
    })
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

/// What a caller of a number nobody owns hears.
fn unknown_number(to: &str) -> Response {
    tracing::warn!(to = %to, "call or text for a number no business owns");
    xml(VoiceResponse::new()
        .say(Say::new("Sorry, this number is not set up to take calls right now. Please try again later. Goodbye."))
        .hangup()
        .to_xml())
}

fn engine_for(app: &App, to: &str) -> Option<Arc<Engine>> {
    app.directory().for_number(to)
}

/// Speech hints: the service names and aliases callers use for this business.
fn hints(engine: &Engine) -> String {
    let mut words: Vec<&str> = Vec::new();
    for s in &engine.profile().services {
        words.push(&s.name);
        words.extend(s.aliases.iter().map(String::as_str));
    }
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() + 2 > 900 {
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(w);
    }
    out
}

fn language(engine: &Engine) -> &'static str {
    match engine
        .profile()
        .business
        .languages
        .first()
        .map(String::as_str)
    {
        Some("es") => "es-US",
        _ => "en-US",
    }
}

/// The next `<Gather>` of the speech loop, saying `text` first.
fn gather(engine: &Engine, conversation: Uuid, turn: u32, text: &str) -> VoiceResponse {
    VoiceResponse::new().gather(
        Gather::new()
            .input("speech dtmf")
            .action(format!("/twilio/voice/turn?c={conversation}&t={turn}"))
            .method("POST")
            .speech_timeout("auto")
            .hints(hints(engine))
            .action_on_empty_result(true)
            .language(language(engine))
            .say(Say::new(text.to_string())),
    )
}

/// A warm transfer: the person called hears `whisper` and must press 1, so a voicemail never
/// takes the caller.
fn transfer(
    reply_text: &str,
    to: &str,
    caller_id: &str,
    conversation: Uuid,
    stage: &str,
    ring: u32,
) -> VoiceResponse {
    let mut resp = VoiceResponse::new();
    if !reply_text.is_empty() {
        resp = resp.say(Say::new(reply_text.to_string()));
    }
    resp.dial(
        Dial::new()
            .action(format!(
                "/twilio/voice/after?stage={stage}&c={conversation}"
            ))
            .method("POST")
            .timeout(ring)
            .caller_id(caller_id.to_string())
            .answer_on_bridge(true)
            .number(
                Number::new(to.to_string())
                    .url(format!(
                        "/twilio/voice/screen?stage={stage}&c={conversation}"
                    ))
                    .method("POST"),
            ),
    )
}

/// The TwiML for a reply: transfer, hang up, or listen for the next turn.
fn voice_reply(engine: &Engine, reply: &Reply, turn: u32, caller_id: &str) -> Response {
    if let Some((to, _)) = &reply.transfer {
        return xml(transfer(
            &reply.text,
            to,
            caller_id,
            reply.conversation_id,
            "transfer",
            20,
        )
        .to_xml());
    }
    if reply.done {
        return xml(VoiceResponse::new()
            .say(Say::new(reply.text.clone()))
            .hangup()
            .to_xml());
    }
    xml(gather(engine, reply.conversation_id, turn, &reply.text).to_xml())
}

/// Whether calls should use ConversationRelay (streaming voice) rather than the `<Gather>` loop.
fn use_relay(app: &App) -> bool {
    match app.settings.voice_mode.as_deref() {
        Some("gather") => false,
        Some("relay") => true,
        _ => app
            .settings
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
    }
}

#[derive(Debug, Deserialize)]
struct VoiceQuery {
    /// Set when the shop's own phone already rang (forward-first) and nobody took the call.
    taken: Option<String>,
}

/// `POST /twilio/voice`: a call comes in. Answer at once.
async fn voice(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<VoiceQuery>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
    let call: VoiceRequest = typed(&params, &uri)?;
    let Some(engine) = engine_for(&app, &call.to) else {
        return Ok(unknown_number(&call.to));
    };
    let profile = engine.profile();
    let now = app.clock.now();
    // Forward-first: ring the shop's own phone, screened, and take the call if nobody does.
    if q.taken.is_none()
        && profile.forwarding.enabled
        && profile.is_open(now)
        && let Some(shop) = &profile.business.shop_phone
    {
        let conv = app
            .store
            .open_conversation(&NewConversation {
                business_id: profile.business.id.clone(),
                contact_id: Some(
                    app.store
                        .upsert_contact(&profile.business.id, &call.from, now)
                        .await?
                        .id,
                ),
                channel: Channel::Voice,
                external_id: Some(call.call_sid.clone()),
                started_at: now,
            })
            .await?;
        return Ok(xml(transfer(
            "",
            shop,
            &call.to,
            conv.id,
            "forward",
            profile.forwarding.ring_seconds,
        )
        .to_xml()));
    }
    answer(&app, &engine, &call.from, &call.call_sid, &call.to).await
}

/// The assistant takes the call: greeting, then the relay or the speech loop.
async fn answer(
    app: &App,
    engine: &Engine,
    from: &str,
    call_sid: &str,
    to: &str,
) -> Result<Response, AppError> {
    let reply = runtime::begin(
        app,
        engine,
        Line::new(Channel::Voice),
        Some(from),
        Some(call_sid),
    )
    .await?;
    if use_relay(app) && !reply.done && reply.transfer.is_none() {
        let base = app.settings.public_url.clone().unwrap_or_default();
        let wss = format!(
            "{}/twilio/relay",
            base.trim_end_matches('/').replacen("https://", "wss://", 1)
        );
        let relay = ConversationRelay::new(wss)
            .welcome_greeting(reply.text.clone())
            .language(language(engine))
            .interruptible("any")
            .dtmf_detection(true)
            .hints(hints(engine))
            .parameter("conversation", reply.conversation_id.to_string())
            .parameter("business", engine.profile().business.id.clone());
        let connect = Connect::relay(relay)
            .action(format!(
                "/twilio/voice/after?stage=relay&c={}",
                reply.conversation_id
            ))
            .method("POST");
        return Ok(xml(VoiceResponse::new().connect(connect).to_xml()));
    }
    Ok(voice_reply(engine, &reply, 1, to))
}

#[derive(Debug, Deserialize)]
struct TurnQuery {
    c: Uuid,
    t: u32,
}

/// `POST /twilio/voice/turn?c=CONVERSATION&t=N`: what the caller said (or silence).
async fn voice_turn(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<TurnQuery>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
    let result: GatherResult = typed(&params, &uri)?;
    let to = webhook::param(&params, "To")
        .unwrap_or_default()
        .to_string();
    let Some(engine) = engine_for(&app, &to) else {
        return Ok(unknown_number(&to));
    };
    let input = match (
        result.speech_result.as_deref().map(str::trim),
        result.digits.as_deref(),
    ) {
        (Some(s), _) if !s.is_empty() => Input::Said(s.to_string()),
        (_, Some(d)) if !d.is_empty() => Input::Dtmf(d.to_string()),
        _ => Input::Silence,
    };
    let key = format!("{}:t{}", result.call_sid, q.t);
    let line = Line::new(Channel::Voice);
    let reply = match runtime::respond(&app, &engine, line, q.c, input, Some(&key)).await {
        Err(e) if e.is::<runtime::UnknownConversation>() => {
            // A stale or mangled action URL: greet the caller afresh rather than fail the call.
            tracing::warn!(conversation = %q.c, call = %result.call_sid,
                "gather turn for a conversation this business does not have; starting over");
            let from = webhook::param(&params, "From").filter(|f| crate::phone::textable(f));
            let reply = runtime::begin(&app, &engine, line, from, Some(&result.call_sid)).await?;
            return Ok(voice_reply(&engine, &reply, 1, &to));
        }
        other => other?,
    };
    Ok(voice_reply(&engine, &reply, q.t + 1, &to))
}

#[derive(Debug, Deserialize)]
struct AfterQuery {
    stage: String,
    c: Uuid,
}

/// Whether the person called pressed 1 on the screening prompt for this conversation.
async fn accepted(app: &App, conversation: Uuid, call_sid: &str) -> anyhow::Result<bool> {
    let key = format!("{call_sid}:accepted");
    Ok(app.store.turn_by_key(conversation, &key).await?.is_some())
}

/// `POST /twilio/voice/after`: the end of a `<Dial>` (forward-first or warm transfer) or of a
/// ConversationRelay session.
async fn voice_after(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<AfterQuery>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
    let to = webhook::param(&params, "To")
        .unwrap_or_default()
        .to_string();
    let from = webhook::param(&params, "From")
        .unwrap_or_default()
        .to_string();
    let call_sid = webhook::param(&params, "CallSid")
        .unwrap_or_default()
        .to_string();
    let Some(engine) = engine_for(&app, &to) else {
        return Ok(unknown_number(&to));
    };
    let business = engine.profile().business.id.clone();
    let now = app.clock.now();
    match q.stage.as_str() {
        "relay" => {
            let handoff: Value = webhook::param(&params, "HandoffData")
                .and_then(|h| serde_json::from_str(h).ok())
                .unwrap_or(Value::Null);
            match (handoff["reason"].as_str(), handoff["to"].as_str()) {
                (Some("transfer"), Some(number)) => Ok(xml(transfer(
                    handoff["say"].as_str().unwrap_or(""),
                    number,
                    &to,
                    q.c,
                    "transfer",
                    20,
                )
                .to_xml())),
                _ => Ok(xml(VoiceResponse::new().hangup().to_xml())),
            }
        }
        stage @ ("forward" | "transfer") => {
            let dial: DialResult = typed(&params, &uri)?;
            let took_it = accepted(&app, q.c, &call_sid).await?;
            let outcome = match (&dial.dial_call_status, took_it) {
                (DialCallStatus::Completed | DialCallStatus::Answered, true) => "accepted",
                (DialCallStatus::Completed | DialCallStatus::Answered, false) => "voicemail",
                (DialCallStatus::NoAnswer, _) => "no_answer",
                (DialCallStatus::Busy, _) => "busy",
                _ => "failed",
            };
            app.store
                .audit(Some(&business), "twilio", "transfer.outcome", &json!({"conversation": q.c, "stage": stage, "outcome": outcome, "dial_status": format!("{:?}", dial.dial_call_status)}), now)
                .await?;
            metrics::counter!("frontdesk_transfers_total", "stage" => stage.to_string(), "outcome" => outcome).increment(1);
            if outcome == "accepted" {
                app.store
                    .end_conversation(
                        q.c,
                        now,
                        if stage == "forward" {
                            "answered_by_shop"
                        } else {
                            "transferred"
                        },
                        None,
                    )
                    .await?;
                return Ok(xml(VoiceResponse::new().hangup().to_xml()));
            }
            if stage == "forward" {
                // Nobody at the shop took it: the assistant answers.
                return answer(&app, &engine, &from, &call_sid, &to).await;
            }
            let reply = runtime::respond(
                &app,
                &engine,
                Line::new(Channel::Voice),
                q.c,
                Input::Outcome(Outcome::TransferFailed {
                    reason: outcome.to_string(),
                }),
                Some(&format!("{call_sid}:transfer-failed")),
            )
            .await?;
            // No second transfer from here: a failed transfer ends in a callback promise.
            let reply = Reply {
                transfer: None,
                ..reply
            };
            Ok(voice_reply(&engine, &reply, 100, &to))
        }
        other => Err(AppError::BadRequest(format!("unknown stage {other:?}"))),
    }
}

#[derive(Debug, Deserialize)]
struct ScreenQuery {
    stage: String,
    c: Uuid,
}

/// `POST /twilio/voice/screen`: said to the person we are transferring to before they are
/// connected; they must press 1, so a voicemail greeting never takes the caller.
async fn screen(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<ScreenQuery>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
    let parent = webhook::param(&params, "ParentCallSid")
        .unwrap_or_default()
        .to_string();
    let whisper = whisper_for(&app, q.c, &q.stage).await?;
    let gather = Gather::new()
        .input("dtmf")
        .num_digits(1)
        .timeout(8)
        .action(format!(
            "/twilio/voice/screen/accept?stage={}&c={}&p={parent}",
            q.stage, q.c
        ))
        .method("POST")
        .say(Say::new(format!("{whisper} Press 1 to take this call.")));
    Ok(xml(VoiceResponse::new().gather(gather).hangup().to_xml()))
}

/// The context for whoever picks up: from the assistant's transfer, or a plain forward.
async fn whisper_for(app: &App, conversation: Uuid, stage: &str) -> anyhow::Result<String> {
    let turns = app.store.turns(conversation).await?;
    for t in turns.iter().rev() {
        for e in &t.effects {
            if let Ok(Effect::Transfer { whisper, .. }) =
                serde_json::from_value::<Effect>(e.clone())
            {
                return Ok(whisper);
            }
        }
    }
    Ok(if stage == "forward" {
        "Incoming call for the shop.".into()
    } else {
        "Transferred call from the assistant.".into()
    })
}

#[derive(Debug, Deserialize)]
struct AcceptQuery {
    c: Uuid,
    p: String,
}

/// `POST /twilio/voice/screen/accept`: 1 connects; anything else hangs up this leg, and the
/// caller's `<Dial>` action then hears that nobody took it.
async fn screen_accept(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<AcceptQuery>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
    if webhook::param(&params, "Digits") == Some("1") {
        app.store
            .append_turn(&NewTurn {
                conversation_id: q.c,
                speaker: Speaker::System,
                text: "(transfer accepted)".into(),
                understanding: None,
                flow: Some("transfer".into()),
                effects: Vec::new(),
                processing_us: None,
                dedupe_key: Some(format!("{}:accepted", q.p)),
                at: app.clock.now(),
            })
            .await?;
        return Ok(xml(VoiceResponse::new()
            .say(Say::new("Connecting you now."))
            .to_xml()));
    }
    Ok(xml(VoiceResponse::new().hangup().to_xml()))
}

/// `POST /twilio/status`: call and message status callbacks.
async fn status(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
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
async fn sms(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let params = verified(&app, &headers, &uri, &body)?;
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

/// `GET /twilio/relay`: the ConversationRelay WebSocket. The handshake carries a signature over
/// the wss URL.
async fn relay(
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
