//! Carrying out what a turn decided: bookings, moves and cancellations through the appointments
//! service (their outcome fed back to the engine), tasks in the store, texts through the outbox,
//! owner briefings as jobs, contact updates. Every job gets a key made of the conversation, the
//! delivery and the effect's place in the turn, so running a turn twice never doubles anything.

use std::time::Instant;

use anyhow::{Context as _, bail};
use frontdesk_engine::{AppointmentView, Effect, Engine, Input, Outcome, Step, TurnContext};
use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Line, Turn, view};
use crate::app::App;
use crate::booking::{self, Booking};
use crate::outbox::{self, SmsJob};
use crate::store::{Conversation, NewTask, TaskKind};

/// A step with its effects carried out.
pub(super) struct Carried {
    /// The last engine step (after any booking outcome was fed back).
    pub step: Step,
    /// Every effect, in order, as carried out.
    pub done: Vec<Effect>,
    pub transfer: Option<(String, String)>,
    /// The conversation is over.
    pub done_call: bool,
    pub engine_us: i64,
}

/// Carries out a step's effects, feeding booking outcomes back to the engine. A step may ask for
/// an outcome; the follow-up steps are bounded so a confused engine can never loop the runtime.
pub(super) async fn carry_out(
    app: &App,
    engine: &Engine,
    line: Line,
    turn: &Turn<'_>,
    mut step: Step,
    mut engine_us: i64,
) -> anyhow::Result<Carried> {
    let conv = turn.conv;
    let now = app.clock.now();
    let mut done_effects = Vec::new();
    let mut transfer = None;
    let mut done = step.done;
    for round in 0..4 {
        let mut outcome = None;
        for (i, effect) in step.effects.iter().enumerate() {
            let effect_key = format!("{}:{}:{round}:{i}", conv.id, turn.key);
            match effect {
                Effect::Book { .. } | Effect::Reschedule { .. } | Effect::Cancel { .. } => {
                    outcome = Some(perform(app, engine, line, conv, effect).await?);
                }
                Effect::Transfer { to, whisper, .. } => {
                    transfer = Some((to.clone(), whisper.clone()))
                }
                Effect::EndCall => done = true,
                // Checked by the engine when it composed it.
                Effect::SendSms { to, body, purpose } => {
                    send_text(app, engine, conv, to, body, purpose, &effect_key).await?
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
        // The caller and calendar as they are now (an appointment just booked included).
        let (fresh, calendar) = view(app, engine, conv, now, false).await?;
        let ctx = TurnContext {
            now,
            channel: line.engine(),
            caller: &fresh,
            calendar: &calendar,
        };
        let started = Instant::now();
        let next = engine.turn(&step.state, Input::Outcome(outcome), &ctx);
        engine_us += started.elapsed().as_micros() as i64;
        super::screened(conv.id, &next);
        done |= next.done;
        step = Step {
            understanding: step.understanding.or(next.understanding.clone()),
            ..next
        };
    }
    Ok(Carried {
        step,
        done: done_effects,
        transfer,
        done_call: done,
        engine_us,
    })
}

/// A text the engine composed (a confirmation, a missed-call text) through the outbox.
async fn send_text(
    app: &App,
    engine: &Engine,
    conv: &Conversation,
    to: &str,
    body: &str,
    purpose: &str,
    key: &str,
) -> anyhow::Result<()> {
    let profile = engine.profile();
    if !crate::phone::textable(to) {
        tracing::info!(to = %to, purpose = %purpose, "text not sent: not a phone number");
        return Ok(());
    }
    let from = profile.business.phones.first().cloned().unwrap_or_default();
    let business = &profile.business.id;
    let own = match conv.contact_id {
        Some(id) => app.store.contact(business, id).await?.map(|c| c.phone),
        None => None,
    };
    if own.as_deref() != Some(to) {
        match app.store.contact_by_phone(business, to).await? {
            // Known and not opted out: it has reached the shop, or answered a consent text.
            Some(c) if !c.opted_out => {}
            // Opted out, or a consent text is already waiting for an answer.
            Some(_) => return Ok(()),
            None => return ask_consent(app, engine, conv, to, own.as_deref(), body, key).await,
        }
    }
    let sms = SmsJob::new(to, &from, body, purpose).in_conversation(conv.id);
    outbox::enqueue(app, business, &sms, &format!("sms:{key}"), None).await?;
    Ok(())
}

/// A number the caller gave that has never contacted the shop is not texted what was meant for
/// it: it gets one consent text (and is held as opted out until it answers YES), and the text
/// goes to the caller's own number instead when there is one.
async fn ask_consent(
    app: &App,
    engine: &Engine,
    conv: &Conversation,
    to: &str,
    own: Option<&str>,
    body: &str,
    key: &str,
) -> anyhow::Result<()> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let now = app.clock.now();
    app.store.upsert_contact(business, to, now).await?;
    app.store.set_opt_out(business, to, true, now).await?;
    app.store
        .audit(
            Some(business),
            "assistant",
            "contact.consent_asked",
            &json!({"phone": to, "conversation": conv.id}),
            now,
        )
        .await?;
    let from = profile.business.phones.first().cloned().unwrap_or_default();
    let ask = format!(
        "{}: someone gave this number for texts about a car appointment. Reply YES to get them, or STOP.",
        profile.business.name
    );
    let sms = SmsJob::new(to, &from, &ask, "consent").in_conversation(conv.id);
    outbox::enqueue(app, business, &sms, &format!("consent:{key}"), None).await?;
    if let Some(own) = own.filter(|p| crate::phone::textable(p)) {
        let sms = SmsJob::new(own, &from, body, "confirmation").in_conversation(conv.id);
        outbox::enqueue(app, business, &sms, &format!("sms:{key}"), None).await?;
    }
    Ok(())
}

/// Books, moves or cancels in the store, atomically, and says how it went.
pub(super) async fn perform(
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
                // Over the per-contact limit: a request the shop confirms, as when the
                // calendar is down, so a person looks at it.
                Booking::CalendarDown | Booking::Limit { .. } => Outcome::CalendarDown,
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
pub(super) async fn apply(
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
                    key: Some(format!("task:{key}")),
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
                // A booking for another number is for someone else: their name is not ours.
                let for_someone_else = turn_effects.iter().any(
                    |e| matches!(e, Effect::Book { phone: Some(p), .. } if *p != contact.phone),
                );
                if let Some(name) = name.as_ref().filter(|_| !for_someone_else) {
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
        link: app.settings.public_url.as_ref().map(|u| {
            format!(
                "{}/b/{}/conversations/{}",
                u.trim_end_matches('/'),
                profile.business.id,
                conv.id
            )
        }),
    })
}
