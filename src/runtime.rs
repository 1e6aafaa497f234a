//! The runtime: carries one conversation turn from the store through the sans-IO engine and back.
//! It loads the conversation and what the store knows of the caller, reads the calendar, asks the
//! engine, carries out the effects (atomic bookings in the store, tasks, texts and briefings as
//! durable jobs), records both turns and saves the state with a version check. Every channel —
//! Twilio voice and SMS, `chat`, `test-calls`, the dashboard's simulator — goes through here.

use std::time::Instant;

use anyhow::{Context as _, bail};
use frontdesk_engine::{
    AppointmentView, CalendarView, Caller, Effect, Engine, Input, Outcome, State, Step, TurnContext,
};
use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::booking::{self, Booking};
use crate::store::{
    Channel, Conversation, NewConversation, NewJob, NewTask, NewTurn, Speaker, TaskKind,
};

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
}

impl Line {
    pub fn new(channel: Channel) -> Self {
        Self {
            channel,
            sms_flavour: false,
        }
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
    if let Some(reply) = stored_reply(app, &conv, "start").await? {
        return Ok(reply);
    }
    let (caller, calendar) = view(app, engine, &conv, now).await?;
    let ctx = TurnContext {
        now,
        channel: line.engine(),
        caller: &caller,
        calendar: &calendar,
    };
    let started = Instant::now();
    let step = engine.start(&ctx);
    let engine_us = started.elapsed().as_micros() as i64;
    let before = State::default();
    finish(
        app, engine, line, &conv, &before, &caller, step, engine_us, "start",
    )
    .await
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
    let conv = app
        .store
        .conversation(business, conversation_id)
        .await?
        .with_context(|| format!("conversation {conversation_id} not found"))?;
    let key = dedupe
        .map(str::to_string)
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    if let Some(reply) = stored_reply(app, &conv, &key).await? {
        return Ok(reply);
    }
    let now = app.clock.now();
    let heard = match &input {
        Input::Said(t) => t.clone(),
        Input::Understood { text, .. } => text.clone(),
        Input::Silence => "(silence)".into(),
        Input::Dtmf(d) => format!("(pressed {d})"),
        Input::Outcome(o) => format!("({})", serde_json::to_string(o).unwrap_or_default()),
    };
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
    let (caller, calendar) = view(app, engine, &conv, now).await?;
    let ctx = TurnContext {
        now,
        channel: line.engine(),
        caller: &caller,
        calendar: &calendar,
    };
    let started = Instant::now();
    let mut step = engine.turn(&state, input.clone(), &ctx);
    // A reply the model's reading shaped must pass the check before anything is done; if it
    // does not, the built-in reading answers (the template reply, without the model).
    if let Some(used) = model_use
        .as_mut()
        .filter(|m| m.used && !step.reply.is_empty())
    {
        let allowed = crate::guard::allowed(
            engine.profile(),
            &[&state, &step.state],
            &[&caller],
            step.understanding.as_ref(),
            &step.effects,
            now,
        );
        if let (Err(v), Some(builtin)) = (crate::guard::check(&step.reply, &allowed), &used.builtin)
        {
            tracing::warn!(conversation = %conv.id, violation = %v,
                "the reply shaped by the model's reading failed the check; the built-in reading answers");
            metrics::counter!("frontdesk_reply_check_total", "outcome" => "built_in").increment(1);
            metrics::counter!("frontdesk_llm_fallback_total", "reason" => "reply_check")
                .increment(1);
            used.used = false;
            used.fallback = Some("reply_check");
            let input = Input::Understood {
                text: heard.clone(),
                understanding: builtin.clone(),
            };
            step = engine.turn(&state, input, &ctx);
        }
    }
    let engine_us = started.elapsed().as_micros() as i64;
    let speaker = if matches!(input, Input::Outcome(_)) {
        Speaker::System
    } else {
        Speaker::Caller
    };
    app.store
        .append_turn(&NewTurn {
            conversation_id: conv.id,
            speaker,
            text: heard,
            understanding: step
                .understanding
                .as_ref()
                .and_then(|u| serde_json::to_value(u).ok())
                .map(|mut v| {
                    if let (Some(m), Value::Object(map)) = (&model_use, &mut v) {
                        map.insert("model".into(), m.to_json());
                    }
                    v
                }),
            flow: None,
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(key.clone()),
            at: now,
        })
        .await?;
    finish(
        app, engine, line, &conv, &state, &caller, step, engine_us, &key,
    )
    .await
}

/// The reply already given for a delivery, if any.
async fn stored_reply(app: &App, conv: &Conversation, key: &str) -> anyhow::Result<Option<Reply>> {
    let reply_key = format!("{key}#reply");
    let Some(turn) = app.store.turn_by_key(conv.id, &reply_key).await? else {
        return Ok(None);
    };
    let effects: Vec<Effect> = turn
        .effects
        .iter()
        .filter_map(|e| serde_json::from_value(e.clone()).ok())
        .collect();
    let transfer = effects.iter().find_map(|e| match e {
        Effect::Transfer { to, whisper, .. } => Some((to.clone(), whisper.clone())),
        _ => None,
    });
    Ok(Some(Reply {
        conversation_id: conv.id,
        text: turn.text.clone(),
        done: effects.iter().any(|e| matches!(e, Effect::EndCall)),
        effects,
        transfer,
        flow: turn.flow.clone().unwrap_or_default(),
        replayed: true,
        understanding: None,
    }))
}

/// What the store knows of the caller, and the calendar from now to the end of the horizon.
async fn view(
    app: &App,
    engine: &Engine,
    conv: &Conversation,
    now: Timestamp,
) -> anyhow::Result<(Caller, CalendarView)> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let mut caller = Caller::default();
    if let Some(contact) = match conv.contact_id {
        Some(id) => app.store.contact(business, id).await?,
        None => None,
    } {
        caller.phone = Some(contact.phone.clone());
        caller.name = contact.name.clone();
        caller.vehicles = contact
            .vehicles
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        caller.upcoming = app
            .store
            .appointments_of_contact(business, contact.id)
            .await?
            .into_iter()
            .filter(|a| a.status.holds_slot() && a.end > now)
            .map(|a| AppointmentView {
                id: a.id.to_string(),
                service_id: a.service_id,
                start: a.start,
                end: a.end,
            })
            .collect();
        caller.returning = contact.name.is_some()
            || app
                .store
                .has_other_conversation(business, contact.id, conv.id)
                .await?;
    }
    let (busy, reachable) = booking::calendar_view(app, profile, now).await?;
    Ok((caller, CalendarView { busy, reachable }))
}

/// Carries out a step's effects (feeding booking outcomes back to the engine), records the
/// assistant's turn and saves the state.
#[allow(clippy::too_many_arguments)]
async fn finish(
    app: &App,
    engine: &Engine,
    line: Line,
    conv: &Conversation,
    before: &State,
    caller: &Caller,
    mut step: Step,
    mut engine_us: i64,
    key: &str,
) -> anyhow::Result<Reply> {
    let now = app.clock.now();
    let mut done_effects = Vec::new();
    let mut transfer = None;
    let mut done = step.done;
    // The caller as the last engine step saw them; `caller` stays as the turn began, so an
    // appointment just cancelled may still be named.
    let mut fresh = caller.clone();
    // A step may ask for an outcome (booking); the follow-up step is bounded so a confused engine
    // can never loop the runtime.
    for round in 0..4 {
        let mut outcome = None;
        for (i, effect) in step.effects.iter().enumerate() {
            let effect_key = format!("{}:{key}:{round}:{i}", conv.id);
            match effect {
                Effect::Book { .. } | Effect::Reschedule { .. } | Effect::Cancel { .. } => {
                    outcome = Some(perform(app, engine, line, conv, effect).await?);
                }
                Effect::Transfer { to, whisper, .. } => {
                    transfer = Some((to.clone(), whisper.clone()))
                }
                Effect::EndCall => done = true,
                Effect::SendSms { to, body, purpose } => {
                    let allowed = crate::guard::allowed(
                        engine.profile(),
                        &[before, &step.state],
                        &[caller, &fresh],
                        step.understanding.as_ref(),
                        &done_effects,
                        now,
                    );
                    if let Some(body) = crate::guard::screen(body, &allowed, conv.id, purpose) {
                        let text = Effect::SendSms {
                            to: to.clone(),
                            body,
                            purpose: purpose.clone(),
                        };
                        apply(app, engine, conv, &text, &effect_key, &done_effects).await?
                    }
                }
                other => apply(app, engine, conv, other, &effect_key, &done_effects).await?,
            }
            done_effects.push(effect.clone());
        }
        let Some(outcome) = outcome else { break };
        if round == 3 {
            bail!(
                "the engine kept asking for outcomes in conversation {}",
                conv.id
            );
        }
        let calendar;
        (fresh, calendar) = view(app, engine, conv, now).await?;
        let ctx = TurnContext {
            now,
            channel: line.engine(),
            caller: &fresh,
            calendar: &calendar,
        };
        let started = Instant::now();
        let next = engine.turn(&step.state, Input::Outcome(outcome), &ctx);
        engine_us += started.elapsed().as_micros() as i64;
        done |= next.done;
        step = Step {
            understanding: step.understanding.or(next.understanding.clone()),
            ..next
        };
    }
    let allowed = crate::guard::allowed(
        engine.profile(),
        &[before, &step.state],
        &[caller, &fresh],
        step.understanding.as_ref(),
        &done_effects,
        now,
    );
    let safe = crate::guard::screen(&step.reply, &allowed, conv.id, "reply")
        .unwrap_or_else(|| crate::guard::FALLBACK.to_string());
    if safe != step.reply {
        if step.state.last_reply == step.reply {
            step.state.last_reply = safe.clone();
        }
        if let Some(line) = step.state.transcript.last_mut()
            && line.who == "assistant"
            && line.text == step.reply
        {
            line.text = safe.clone();
        }
        step.reply = safe;
    }
    let effects_json: Vec<Value> = done_effects
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .collect();
    app.store
        .append_turn(&NewTurn {
            conversation_id: conv.id,
            speaker: Speaker::Assistant,
            text: step.reply.clone(),
            understanding: None,
            flow: Some(step.flow.clone()),
            effects: effects_json,
            processing_us: Some(engine_us),
            dedupe_key: Some(format!("{key}#reply")),
            at: now,
        })
        .await?;
    metrics::histogram!("frontdesk_engine_turn_seconds").record(engine_us as f64 / 1e6);
    let state = serde_json::to_value(&step.state)?;
    if !app.store.save_state(conv.id, &state, conv.version).await? {
        bail!(
            "conversation {} changed while this turn ran; the delivery will be retried",
            conv.id
        );
    }
    if done {
        let outcome = outcome_of(&done_effects);
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
    Ok(Reply {
        conversation_id: conv.id,
        text: step.reply,
        effects: done_effects,
        transfer,
        done,
        flow: step.flow,
        replayed: false,
        understanding: step.understanding,
    })
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

/// Books, moves or cancels in the store, atomically, and says how it went.
async fn perform(
    app: &App,
    engine: &Engine,
    line: Line,
    conv: &Conversation,
    effect: &Effect,
) -> anyhow::Result<Outcome> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let now = app.clock.now();
    match effect {
        Effect::Book {
            service_id,
            start,
            name,
            phone,
            vehicle,
            notes,
            key,
            ..
        } => {
            let contact_id = match phone {
                Some(p) if conv.contact_id.is_none() => {
                    Some(app.store.upsert_contact(business, p, now).await?.id)
                }
                _ => conv.contact_id,
            };
            let req = booking::Request {
                service_id: service_id.clone(),
                start: *start,
                contact_id,
                vehicle: vehicle.as_ref().and_then(|v| serde_json::to_value(v).ok()),
                notes: notes
                    .clone()
                    .or_else(|| name.as_ref().map(|n| format!("for {n}"))),
                source: line.source().to_string(),
                idempotency_key: Some(format!("{}:{key}", conv.id)),
            };
            Ok(match booking::book(app, profile, &req).await? {
                Booking::Booked(a) | Booking::Replayed(a) => Outcome::Booked {
                    appointment: view_of(&a),
                },
                Booking::CalendarDown => Outcome::CalendarDown,
                Booking::Taken { .. }
                | Booking::Refused(_)
                | Booking::UnknownService
                | Booking::NotFound => Outcome::SlotTaken,
            })
        }
        Effect::Reschedule {
            appointment_id,
            start,
            ..
        } => {
            let id = Uuid::parse_str(appointment_id).context("appointment id")?;
            Ok(
                match booking::reschedule(app, profile, id, *start, "assistant").await? {
                    Booking::Booked(a) | Booking::Replayed(a) => Outcome::Rescheduled {
                        appointment: view_of(&a),
                    },
                    _ => Outcome::SlotTaken,
                },
            )
        }
        Effect::Cancel { appointment_id } => {
            let id = Uuid::parse_str(appointment_id).context("appointment id")?;
            booking::cancel(app, profile, id, "assistant").await?;
            Ok(Outcome::Cancelled {
                appointment_id: appointment_id.clone(),
            })
        }
        _ => bail!("not an effect with an outcome: {effect:?}"),
    }
}

fn view_of(a: &crate::store::Appointment) -> AppointmentView {
    AppointmentView {
        id: a.id.to_string(),
        service_id: a.service_id.clone(),
        start: a.start,
        end: a.end,
    }
}

/// Carries out an effect that needs no answer: tasks in the store, texts and briefings as jobs.
async fn apply(
    app: &App,
    engine: &Engine,
    conv: &Conversation,
    effect: &Effect,
    key: &str,
    turn_effects: &[Effect],
) -> anyhow::Result<()> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let now = app.clock.now();
    match effect {
        Effect::SendSms { to, body, purpose } => {
            if let Some(contact) = app.store.contact_by_phone(business, to).await?
                && contact.opted_out
            {
                tracing::info!(to = %to, purpose = %purpose, "text not sent: the contact opted out");
                return Ok(());
            }
            let from = profile.business.phones.first().cloned().unwrap_or_default();
            app.store
                .enqueue(&NewJob {
                    business_id: Some(business.clone()),
                    kind: "sms.send".into(),
                    payload: json!({"to": to, "from": from, "body": body, "purpose": purpose,
                        "conversation_id": conv.id}),
                    run_at: now,
                    max_attempts: 8,
                    idempotency_key: Some(format!("sms:{key}")),
                })
                .await?;
        }
        Effect::NotifyOwner {
            urgency,
            subject,
            body,
        } => {
            let briefing =
                compose_briefing(app, engine, conv, *urgency, subject, body, turn_effects).await?;
            crate::briefings::dispatch(
                app,
                profile,
                &briefing,
                &format!("notify:{key}"),
                Some(conv.id),
            )
            .await?;
        }
        Effect::CreateTask {
            task,
            urgency,
            title,
            context,
        } => {
            let kind = match task {
                frontdesk_engine::TaskKind::Callback => TaskKind::Callback,
                frontdesk_engine::TaskKind::ManualBooking => TaskKind::ManualBooking,
            };
            let turns: Vec<Value> = app
                .store
                .turns(conv.id)
                .await?
                .iter()
                .map(|t| json!({"who": t.speaker, "text": t.text}))
                .collect();
            let mut context = context.clone();
            if let Value::Object(map) = &mut context {
                map.entry("transcript").or_insert(Value::Array(turns));
            }
            let task = app
                .store
                .create_task(&NewTask {
                    business_id: business.clone(),
                    contact_id: conv.contact_id,
                    conversation_id: Some(conv.id),
                    kind,
                    urgency: serde_json::to_value(urgency)?
                        .as_str()
                        .unwrap_or("normal")
                        .to_string(),
                    title: title.clone(),
                    context,
                    at: now,
                })
                .await?;
            app.store
                .audit(
                    Some(business),
                    "assistant",
                    "task.created",
                    &json!({"id": task.id, "title": task.title}),
                    now,
                )
                .await?;
            crate::briefings::emit(
                app,
                profile,
                "task.created",
                serde_json::to_value(&task)?,
                &task.id.to_string(),
            )
            .await?;
        }
        Effect::UpdateContact { name, vehicle } => {
            if let Some(mut contact) = match conv.contact_id {
                Some(id) => app.store.contact(business, id).await?,
                None => None,
            } {
                if let Some(name) = name {
                    contact.name = Some(name.clone());
                }
                if let Some(v) = vehicle.as_ref().and_then(|v| serde_json::to_value(v).ok())
                    && !contact.vehicles.contains(&v)
                {
                    contact.vehicles.push(v);
                }
                app.store.update_contact(&contact, now).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One line saying what an effect did, in the business's zone, for `chat` and `test-calls`.
pub fn describe(effect: &Effect, zone: &jiff::tz::TimeZone) -> String {
    let local = |t: &Timestamp| {
        t.to_zoned(zone.clone())
            .strftime("%a %b %-d %-I:%M %p")
            .to_string()
    };
    match effect {
        Effect::Book {
            service_id,
            start,
            name,
            ..
        } => format!(
            "booking {service_id} {}{}",
            local(start),
            name.as_ref()
                .map(|n| format!(" for {n}"))
                .unwrap_or_default()
        ),
        Effect::Reschedule { start, .. } => format!("moving the appointment to {}", local(start)),
        Effect::Cancel { .. } => "cancelling the appointment".to_string(),
        Effect::SendSms { to, body, purpose } => {
            format!("text queued to {to} ({purpose}): {body:?}")
        }
        Effect::NotifyOwner {
            urgency, subject, ..
        } => format!("owner notified ({urgency:?}): {subject}"),
        Effect::CreateTask {
            task,
            urgency,
            title,
            ..
        } => format!("task created ({task:?}, {urgency:?}): {title}"),
        Effect::Transfer { to, reason, .. } => format!("transferring to {to} ({reason})"),
        Effect::UpdateContact { name, vehicle } => format!(
            "contact updated:{}{}",
            name.as_ref()
                .map(|n| format!(" name {n}"))
                .unwrap_or_default(),
            vehicle
                .as_ref()
                .map(|v| format!(" vehicle {}", serde_json::to_string(v).unwrap_or_default()))
                .unwrap_or_default()
        ),
        Effect::EndCall => "call ended".to_string(),
    }
}

/// What the owner reads about this conversation: who, what about, what came of it.
async fn compose_briefing(
    app: &App,
    engine: &Engine,
    conv: &Conversation,
    urgency: frontdesk_engine::Urgency,
    subject: &str,
    body: &str,
    turn_effects: &[Effect],
) -> anyhow::Result<frontdesk_notify::Briefing> {
    let profile = engine.profile();
    let zone = &profile.business.timezone;
    let contact = match conv.contact_id {
        Some(id) => app.store.contact(&profile.business.id, id).await?,
        None => None,
    };
    let service_name = |id: &str| {
        profile
            .service(id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut appointment = None;
    let mut booked_for = None;
    let mut outcome = subject.to_string();
    let mut about = subject.to_string();
    for e in turn_effects {
        match e {
            Effect::Book {
                service_id,
                start,
                vehicle,
                name,
                ..
            } => {
                booked_for = name.clone();
                about = service_name(service_id);
                outcome = "booked".into();
                appointment = Some(frontdesk_notify::AppointmentLine {
                    service: service_name(service_id),
                    when: start
                        .to_zoned(zone.clone())
                        .strftime("%a %b %-d, %-I:%M %p")
                        .to_string(),
                    vehicle: vehicle.as_ref().and_then(frontdesk_engine::vehicle_words),
                });
            }
            Effect::Reschedule { start, .. } => {
                outcome = format!(
                    "rescheduled to {}",
                    start
                        .to_zoned(zone.clone())
                        .strftime("%a %b %-d, %-I:%M %p")
                );
            }
            Effect::Cancel { .. } => outcome = "cancelled".into(),
            Effect::CreateTask { task, .. } => {
                outcome = match task {
                    frontdesk_engine::TaskKind::Callback => "callback requested".into(),
                    frontdesk_engine::TaskKind::ManualBooking => {
                        "booking request to confirm".into()
                    }
                };
            }
            _ => {}
        }
    }
    let task = turn_effects.iter().find_map(|e| match e {
        Effect::CreateTask { task, urgency, .. } => Some(frontdesk_notify::TaskLine {
            kind: serde_json::to_value(task)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            urgency: serde_json::to_value(urgency)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }),
        _ => None,
    });
    let urgent = urgency == frontdesk_engine::Urgency::Emergency;
    if urgent && !outcome.starts_with("emergency") {
        outcome = format!("emergency — {outcome}");
    }
    Ok(frontdesk_notify::Briefing {
        business: profile.business.name.clone(),
        caller_name: contact.as_ref().and_then(|c| c.name.clone()).or(booked_for),
        caller_phone: contact.as_ref().map(|c| c.phone.clone()),
        about,
        outcome,
        appointment,
        task,
        summary: body.to_string(),
        urgent,
        link: app
            .settings
            .public_url
            .as_ref()
            .map(|u| format!("{}/conversations/{}", u.trim_end_matches('/'), conv.id)),
    })
}
