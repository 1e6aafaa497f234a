//! The voice webhooks: a call comes in (answered at once, or after the shop's own phone rang),
//! each `<Gather>` turn, the end of a `<Dial>` or relay session, and the "press 1" screen for
//! whoever answers a forwarded or transferred call.

use axum::extract::{Query, State};
use axum::response::Response;
use frontdesk_engine::{Effect, Engine, Input, Outcome};
use frontdesk_twilio::twiml::{
    Connect, ConversationRelay, Dial, Gather, Number, Say, VoiceResponse,
};
use frontdesk_twilio::webhook::{self, DialCallStatus, DialResult, GatherResult, VoiceRequest};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{TwilioForm, engine_for, typed, unknown_number, xml};
use crate::app::App;
use crate::http::AppError;
use crate::runtime::{self, Line, Reply};
use crate::store::{Channel, NewConversation, NewTurn, Speaker};

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
pub(super) struct VoiceQuery {
    /// Set when the shop's own phone already rang (forward-first) and nobody took the call.
    taken: Option<String>,
}

/// `POST /twilio/voice`: a call comes in. Answer at once.
pub(super) async fn voice(
    State(app): State<App>,
    Query(q): Query<VoiceQuery>,
    form: TwilioForm,
) -> Result<Response, AppError> {
    let TwilioForm { params, uri } = form;
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
pub(super) struct TurnQuery {
    c: Uuid,
    t: u32,
}

/// `POST /twilio/voice/turn?c=CONVERSATION&t=N`: what the caller said (or silence).
pub(super) async fn voice_turn(
    State(app): State<App>,
    Query(q): Query<TurnQuery>,
    form: TwilioForm,
) -> Result<Response, AppError> {
    let TwilioForm { params, uri } = form;
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
pub(super) struct AfterQuery {
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
pub(super) async fn voice_after(
    State(app): State<App>,
    Query(q): Query<AfterQuery>,
    form: TwilioForm,
) -> Result<Response, AppError> {
    let TwilioForm { params, uri } = form;
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
pub(super) struct ScreenQuery {
    stage: String,
    c: Uuid,
}

/// `POST /twilio/voice/screen`: said to the person we are transferring to before they are
/// connected; they must press 1, so a voicemail greeting never takes the caller.
pub(super) async fn screen(
    State(app): State<App>,
    Query(q): Query<ScreenQuery>,
    form: TwilioForm,
) -> Result<Response, AppError> {
    let TwilioForm { params, .. } = form;
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
pub(super) struct AcceptQuery {
    c: Uuid,
    p: String,
}

/// `POST /twilio/voice/screen/accept`: 1 connects; anything else hangs up this leg, and the
/// caller's `<Dial>` action then hears that nobody took it.
pub(super) async fn screen_accept(
    State(app): State<App>,
    Query(q): Query<AcceptQuery>,
    form: TwilioForm,
) -> Result<Response, AppError> {
    let TwilioForm { params, .. } = form;
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
