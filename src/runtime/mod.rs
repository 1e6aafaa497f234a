//! The runtime: carries one conversation turn from the store through the sans-IO engine and back.
//! Every channel — Twilio voice and SMS, web leads, `chat`, `test-calls`, the dashboard's
//! simulator — goes through here.
//!
//! A turn goes: the caller's input is recorded first (durably, under the delivery's key), then
//! the conversation's turn lock is taken (in this process, and across nodes on PostgreSQL), so
//! the turns of one conversation run one at a time, in the order their inputs were recorded.
//! Under the lock, a delivery already answered gets its stored reply (and its text, if that was
//! never queued); otherwise the engine runs, the effects are carried out (bookings atomically in
//! the store, texts and briefings as keyed jobs, so a retry never doubles them), a reply by text
//! is queued, and the reply, the understanding and the new state are committed in one
//! transaction. Should the state have moved meanwhile, the turn is read again and rerun: a
//! conflict is retried here, never handed to the caller as an error.

use std::time::Instant;

mod caller;
mod effects;
mod locks;
mod reply;
pub mod texts;

use anyhow::bail;
use frontdesk_engine::{Effect, Engine, Input, State, Step, TurnContext};
use serde_json::{Value, json};
use uuid::Uuid;

use caller::view;
pub use effects::describe;
use reply::{stored_reply, text_reply};

use crate::app::App;
use crate::store::{Channel, Conversation, NewConversation, NewTurn, Speaker, TurnCommit};

/// How often a turn is rerun when the conversation moved under it before giving up.
const TRIES: usize = 4;

/// A delivery for a conversation that does not exist (a forged or stale callback).
#[derive(Debug, thiserror::Error)]
#[error("conversation \"{0}\" not found")]
pub struct UnknownConversation(pub Uuid);

/// What the caller gets back from one turn, and what happened.
#[derive(Debug, Clone)]
pub struct Reply {
    pub conversation_id: Uuid,
    pub text: String,
    /// Every effect of the turn, in order, as carried out.
    pub effects: Vec<Effect>,
    /// A warm transfer the channel must place (voice), with the whisper for whoever answers.
    pub transfer: Option<(String, String)>,
    /// The conversation is over after this reply.
    pub done: bool,
    /// Which flow answered.
    pub flow: String,
    /// This was a redelivery: the stored reply, nothing done again.
    pub replayed: bool,
    /// What was understood of the caller's input.
    pub understanding: Option<frontdesk_nlu::Understanding>,
}

/// The engine's flavour of a store channel.
fn engine_channel(channel: Channel, sms_flavour: bool) -> frontdesk_engine::Channel {
    match channel {
        Channel::Sms | Channel::Web => frontdesk_engine::Channel::Sms,
        Channel::Chat if sms_flavour => frontdesk_engine::Channel::Sms,
        Channel::Voice | Channel::Chat => frontdesk_engine::Channel::Voice,
    }
}

/// How a conversation is reached: its store channel and the engine's reply flavour.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub channel: Channel,
    /// For `chat` and the simulator: reply as on SMS rather than voice.
    pub sms_flavour: bool,
    /// The reply leaves as a text from the business's number at this index (a text that came
    /// in, a web lead): the runtime queues it with the turn, so it is never lost between the
    /// turn and the handler.
    pub texts_from: Option<usize>,
}

impl Line {
    pub fn new(channel: Channel) -> Self {
        Self {
            channel,
            sms_flavour: false,
            texts_from: None,
        }
    }

    /// The reply is texted back from the business's number at `index`.
    pub fn texting_from(mut self, index: usize) -> Self {
        self.texts_from = Some(index);
        self
    }

    fn engine(&self) -> frontdesk_engine::Channel {
        engine_channel(self.channel, self.sms_flavour)
    }

    /// The appointment source this line books as.
    pub fn source(&self) -> &'static str {
        match self.channel {
            Channel::Voice => "voice",
            Channel::Sms => "sms",
            Channel::Chat => "chat",
            Channel::Web => "web",
        }
    }
}

/// Opens (or, for a redelivered webhook with the same external id, finds) a conversation and
/// returns its greeting.
pub async fn begin(
    app: &App,
    engine: &Engine,
    line: Line,
    caller_phone: Option<&str>,
    external_id: Option<&str>,
) -> anyhow::Result<Reply> {
    let now = app.clock.now();
    let business = &engine.profile().business.id;
    let contact = match caller_phone {
        Some(phone) => Some(app.store.upsert_contact(business, phone, now).await?),
        None => None,
    };
    let conv = app
        .store
        .open_conversation(&NewConversation {
            business_id: business.clone(),
            contact_id: contact.as_ref().map(|c| c.id),
            channel: line.channel,
            external_id: external_id.map(str::to_string),
            started_at: now,
        })
        .await?;
    let _held = locks::hold(app, conv.id).await?;
    for _ in 0..TRIES {
        let conv = load(app, business, conv.id).await?;
        if let Some(reply) = stored_reply(app, engine, line, &conv, "start").await? {
            return Ok(reply);
        }
        let now = app.clock.now();
        let (caller, calendar) = view(app, engine, &conv, now, false).await?;
        let ctx = TurnContext {
            now,
            channel: line.engine(),
            caller: &caller,
            calendar: &calendar,
        };
        let started = Instant::now();
        let step = engine.start(&ctx);
        screened(conv.id, &step);
        let engine_us = started.elapsed().as_micros() as i64;
        let turn = Turn {
            conv: &conv,
            key: "start",
            understanding: None,
        };
        if let Some(reply) = finish(app, engine, line, &turn, step, engine_us).await? {
            return Ok(reply);
        }
    }
    bail!(
        "conversation {} kept changing while it was greeted",
        conv.id
    )
}

/// One caller input in an existing conversation. `dedupe` names the delivery (a MessageSid, or
/// CallSid + turn number): the same delivery twice gets the stored reply and changes nothing.
pub async fn respond(
    app: &App,
    engine: &Engine,
    line: Line,
    conversation_id: Uuid,
    input: Input,
    dedupe: Option<&str>,
) -> anyhow::Result<Reply> {
    let business = &engine.profile().business.id;
    let key = dedupe
        .map(str::to_string)
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    // A call's turns come one at a time (Twilio waits for each answer), so the input is recorded
    // once the lock is held, on the conversation read under it.
    let _held = locks::hold(app, conversation_id).await?;
    let conv = load(app, business, conversation_id).await?;
    record_input(app, &conv, &input, &key).await?;
    answer(
        app,
        engine,
        line,
        Loaded::Fresh(Box::new(conv)),
        input,
        &key,
    )
    .await
}

/// A text that came in: recorded first, then every text of the conversation recorded before it
/// and not yet answered is answered in order, then this one.
pub async fn text_in(
    app: &App,
    engine: &Engine,
    line: Line,
    conversation_id: Uuid,
    said: &str,
    key: &str,
) -> anyhow::Result<Reply> {
    let business = &engine.profile().business.id;
    let conv = load(app, business, conversation_id).await?;
    let input = Input::Said(said.to_string());
    record_input(app, &conv, &input, key).await?;
    let _held = locks::hold(app, conv.id).await?;
    for earlier in app.store.pending_inbound(conv.id).await? {
        let Some(earlier_key) = earlier.dedupe_key.as_deref() else {
            continue;
        };
        if earlier_key == key {
            break;
        }
        let input = Input::Said(earlier.text.clone());
        if let Err(e) = answer(app, engine, line, Loaded::Not(conv.id), input, earlier_key).await {
            // One text that cannot be answered must not hold up every later one: it is marked
            // answered (with nothing said) and stays in the transcript for the shop to read.
            tracing::error!(conversation = %conv.id, key = %earlier_key, error = %e,
                "an earlier text could not be answered; it is set aside");
            give_up(app, conv.id, earlier_key).await?;
        }
    }
    answer(app, engine, line, Loaded::Not(conv.id), input, key).await
}

/// Marks a text answered outside a turn (an estimate's answer taken already) as answered
/// with nothing, under the runtime's `#reply` mark, so it never becomes pending.
pub(crate) async fn mark_answered(
    app: &App,
    conversation_id: Uuid,
    key: &str,
) -> anyhow::Result<()> {
    answered_with_nothing(app, conversation_id, key, "answered").await
}

/// Marks a recorded input as answered with nothing, so it leaves the pending list.
async fn give_up(app: &App, conversation_id: Uuid, key: &str) -> anyhow::Result<()> {
    answered_with_nothing(app, conversation_id, key, "failed").await
}

async fn answered_with_nothing(
    app: &App,
    conversation_id: Uuid,
    key: &str,
    flow: &str,
) -> anyhow::Result<()> {
    app.store
        .append_turn(&NewTurn {
            conversation_id,
            speaker: Speaker::System,
            text: String::new(),
            understanding: None,
            flow: Some(flow.into()),
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(format!("{key}#reply")),
            at: app.clock.now(),
        })
        .await?;
    Ok(())
}

/// Records a text that is not answered (its sender opted out): kept in the transcript, and the
/// conversation does not move on.
pub async fn record_only(
    app: &App,
    conversation_id: Uuid,
    text: &str,
    key: &str,
) -> anyhow::Result<()> {
    app.store
        .append_turn(&NewTurn {
            conversation_id,
            speaker: Speaker::Caller,
            text: text.to_string(),
            understanding: None,
            flow: None,
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(format!("{key}#unanswered")),
            at: app.clock.now(),
        })
        .await?;
    Ok(())
}

async fn load(app: &App, business: &str, id: Uuid) -> anyhow::Result<Conversation> {
    match app.store.conversation(business, id).await? {
        Some(conv) => Ok(conv),
        None => Err(UnknownConversation(id).into()),
    }
}

/// What the transcript shows for an input.
fn heard(input: &Input) -> String {
    match input {
        Input::Said(t) => t.clone(),
        Input::Understood { text, .. } => text.clone(),
        Input::Silence => "(silence)".into(),
        Input::Dtmf(d) => format!("(pressed {d})"),
        Input::Outcome(o) => format!("({})", serde_json::to_string(o).unwrap_or_default()),
    }
}

/// Records the caller's input under its delivery key before anything else happens, so a crash
/// after this point loses nothing: the next delivery, or the next text, answers it.
async fn record_input(
    app: &App,
    conv: &Conversation,
    input: &Input,
    key: &str,
) -> anyhow::Result<()> {
    let speaker = if matches!(input, Input::Outcome(_)) {
        Speaker::System
    } else {
        Speaker::Caller
    };
    app.store
        .append_turn(&NewTurn {
            conversation_id: conv.id,
            speaker,
            text: heard(input),
            understanding: None,
            flow: None,
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(key.to_string()),
            at: app.clock.now(),
        })
        .await?;
    Ok(())
}

/// The conversation an answer starts from: read under the lock already, or to be read.
enum Loaded {
    Fresh(Box<Conversation>),
    Not(Uuid),
}

/// Answers one recorded input under the conversation's lock: the stored reply if there is one,
/// otherwise a fresh turn, rerun if the conversation moved under it.
async fn answer(
    app: &App,
    engine: &Engine,
    line: Line,
    from: Loaded,
    input: Input,
    key: &str,
) -> anyhow::Result<Reply> {
    let business = &engine.profile().business.id;
    let (conversation_id, mut fresh) = match from {
        Loaded::Fresh(conv) => (conv.id, Some(*conv)),
        Loaded::Not(id) => (id, None),
    };
    for _ in 0..TRIES {
        let conv = match fresh.take() {
            Some(conv) => conv,
            None => load(app, business, conversation_id).await?,
        };
        if let Some(reply) = stored_reply(app, engine, line, &conv, key).await? {
            return Ok(reply);
        }
        if let Some(reply) = run_turn(app, engine, line, &conv, input.clone(), key).await? {
            return Ok(reply);
        }
        metrics::counter!("frontdesk_turn_conflicts_total").increment(1);
        tracing::info!(conversation = %conversation_id, "conversation moved under a turn; running it again");
    }
    bail!("conversation {conversation_id} kept changing under its turn")
}

/// Runs the engine on one input and finishes the turn; `None` when the state moved meanwhile.
async fn run_turn(
    app: &App,
    engine: &Engine,
    line: Line,
    conv: &Conversation,
    input: Input,
    key: &str,
) -> anyhow::Result<Option<Reply>> {
    let now = app.clock.now();
    let heard = heard(&input);
    let state: State = serde_json::from_value(conv.state.clone()).unwrap_or_default();
    let (input, mut model_use) = match (input, &app.llm) {
        (Input::Said(text), Some(llm)) => {
            let sms = line.engine() == frontdesk_engine::Channel::Sms;
            let (input, used) = crate::model::input(
                llm,
                app.store.as_ref(),
                engine,
                &state,
                conv.id,
                text,
                sms,
                now,
            )
            .await;
            (input, Some(used))
        }
        (input, _) => (input, None),
    };
    let (caller, calendar) =
        view(app, engine, conv, now, caller::about_a_car(&state, &heard)).await?;
    let ctx = TurnContext {
        now,
        channel: line.engine(),
        caller: &caller,
        calendar: &calendar,
    };
    let started = Instant::now();
    let mut step = engine.turn(&state, input, &ctx);
    // The engine checked its reply. One the model's reading shaped that did not pass is not
    // trimmed and sent: the built-in reading answers instead (the template reply).
    if let Some(used) = model_use
        .as_mut()
        .filter(|m| m.used && frontdesk_engine::check::reply_caught(&step))
        && let Some(builtin) = &used.builtin
    {
        tracing::warn!(conversation = %conv.id, caught = ?step.screened,
            "the reply shaped by the model's reading failed the check; the built-in reading answers");
        metrics::counter!("frontdesk_reply_check_total", "outcome" => "built_in").increment(1);
        metrics::counter!("frontdesk_llm_fallback_total", "reason" => "reply_check").increment(1);
        used.used = false;
        used.fallback = Some("reply_check");
        let input = Input::Understood {
            text: heard.clone(),
            understanding: builtin.clone(),
            hints: Default::default(),
        };
        step = engine.turn(&state, input, &ctx);
    }
    screened(conv.id, &step);
    let engine_us = started.elapsed().as_micros() as i64;
    let understanding = step
        .understanding
        .as_ref()
        .and_then(|u| serde_json::to_value(u).ok())
        .map(|mut v| {
            if let (Some(m), Value::Object(map)) = (&model_use, &mut v) {
                map.insert("model".into(), m.to_json());
            }
            v
        });
    let turn = Turn {
        conv,
        key,
        understanding,
    };
    finish(app, engine, line, &turn, step, engine_us).await
}

/// The turn being finished: its conversation as read, the delivery key, and what was understood
/// of the input.
struct Turn<'a> {
    conv: &'a Conversation,
    key: &'a str,
    understanding: Option<Value>,
}

/// Carries out a step's effects (feeding booking outcomes back to the engine), queues a reply
/// by text, and commits the reply and the new state together. `None` when the conversation's
/// state moved since it was read (nothing of the reply or state is written then).
async fn finish(
    app: &App,
    engine: &Engine,
    line: Line,
    turn: &Turn<'_>,
    step: Step,
    engine_us: i64,
) -> anyhow::Result<Option<Reply>> {
    let conv = turn.conv;
    let now = app.clock.now();
    let mut carried = effects::carry_out(app, engine, line, turn, step, engine_us).await?;
    let step = &mut carried.step;
    // Queued before the commit: if the process dies in between, the delivery is answered
    // again and the same key queues nothing twice.
    text_reply(app, engine, line, conv, &step.reply, turn.key).await?;
    let effects_json: Vec<Value> = carried
        .done
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .collect();
    let commit = TurnCommit {
        conversation_id: conv.id,
        version: conv.version,
        state: serde_json::to_value(&step.state)?,
        reply: NewTurn {
            conversation_id: conv.id,
            speaker: Speaker::Assistant,
            text: step.reply.clone(),
            understanding: None,
            flow: Some(step.flow.clone()),
            effects: effects_json,
            processing_us: Some(carried.engine_us),
            dedupe_key: Some(format!("{}#reply", turn.key)),
            at: now,
        },
        caller_key: Some(turn.key.to_string()),
        understanding: turn.understanding.clone(),
    };
    if !app.store.commit_turn(&commit).await? {
        return Ok(None);
    }
    metrics::histogram!("frontdesk_engine_turn_seconds").record(carried.engine_us as f64 / 1e6);
    let done = carried.done_call;
    if done {
        let outcome = outcome_of(&carried.done);
        app.store
            .end_conversation(conv.id, now, outcome, None)
            .await?;
        let data = json!({"conversation": conv.id, "channel": conv.channel, "outcome": outcome});
        crate::briefings::emit(
            app,
            engine.profile(),
            "conversation.completed",
            data,
            &conv.id.to_string(),
        )
        .await?;
    }
    app.wake_worker();
    Ok(Some(Reply {
        conversation_id: conv.id,
        text: carried.step.reply,
        effects: carried.done,
        transfer: carried.transfer,
        done,
        flow: carried.step.flow,
        replayed: false,
        understanding: carried.step.understanding,
    }))
}
/// Logs and counts what the engine's check dropped from a step it composed: our own flow or
/// stored data said something it should not, which someone should look at.
fn screened(conversation: Uuid, step: &Step) {
    for caught in &step.screened {
        tracing::error!(conversation = %conversation, caught = %caught,
            "the assistant composed what the flow did not supply; those sentences were not sent");
        metrics::counter!("frontdesk_reply_check_total", "outcome" => "redacted").increment(1);
    }
}

/// The conversation's outcome in one word, for lists and reports.
pub fn outcome_of(effects: &[Effect]) -> &'static str {
    if effects.iter().any(|e| matches!(e, Effect::Book { .. })) {
        "booked"
    } else if effects.iter().any(|e| matches!(e, Effect::Transfer { .. })) {
        "transferred"
    } else if effects
        .iter()
        .any(|e| matches!(e, Effect::CreateTask { .. }))
    {
        "callback"
    } else {
        "answered"
    }
}
