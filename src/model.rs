//! The language model in a turn: it proposes, code decides. The built-in understanding is made
//! first (microseconds); when it came up short, the model is asked within the channel's deadline
//! (1.5 s on voice, 4 s on SMS by default) and its typed answer, already validated field by field
//! against the profile, is merged in. A late, failing or junk answer changes nothing: the
//! built-in reading goes to the engine, and a circuit breaker skips the model after repeated
//! failures. The engine then checks everything against the profile and the calendar as always.

use std::time::Instant;

use frontdesk_engine::{Engine, Input, State};
use frontdesk_llm::{Llm, LlmError, ProfileView, Turn};
use frontdesk_nlu::{Asked, Intent, Understanding};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::store::{Speaker, Store};

/// What the model contributed to a turn, for the transcript and `/metrics`.
#[derive(Debug, Clone, Default)]
pub struct ModelUse {
    /// The model was asked.
    pub asked: bool,
    /// Its answer was used (merged); otherwise the built-in reading answered.
    pub used: bool,
    pub latency_ms: u64,
    pub fallback: Option<&'static str>,
    /// The built-in reading, kept when the model's was used, so the turn can fall back to it.
    pub builtin: Option<Understanding>,
}

impl ModelUse {
    pub fn to_json(&self) -> Value {
        json!({"asked": self.asked, "used": self.used, "latency_ms": self.latency_ms, "fallback": self.fallback})
    }
}

/// The part of the profile the model may see: service and FAQ names, no numbers or prices.
pub fn view(engine: &Engine) -> ProfileView {
    let p = engine.profile();
    ProfileView {
        business: p.business.name.clone(),
        services: p
            .services
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        faqs: p
            .faqs
            .iter()
            .map(|f| (f.id.clone(), f.question.clone(), f.answer.clone()))
            .collect(),
    }
}

/// Whether the built-in reading left out something the conversation needs.
fn short(builtin: &Understanding, asked: Option<Asked>) -> bool {
    let nothing = builtin.intents.is_empty()
        && builtin.services.is_empty()
        && builtin.faqs.is_empty()
        && builtin.time.is_none()
        && builtin.name.is_none()
        && builtin.vehicle.is_none()
        && builtin.phone.is_none()
        && builtin.mileage.is_none()
        && builtin.urgency == frontdesk_nlu::Urgency::Normal;
    let missing_answer = match asked {
        Some(Asked::Name) => builtin.name.is_none(),
        Some(Asked::Vehicle) => builtin.vehicle.is_none(),
        Some(Asked::Time) | Some(Asked::Date) => builtin.time.is_none(),
        Some(Asked::Service) => builtin.services.is_empty(),
        Some(Asked::Phone) => builtin.phone.is_none(),
        _ => false,
    };
    nothing || missing_answer
}

fn reason(e: &LlmError) -> &'static str {
    match e {
        LlmError::Off => "off",
        LlmError::Timeout => "timeout",
        LlmError::CircuitOpen => "circuit_open",
        LlmError::Http(..) => "error",
        LlmError::Malformed(_) => "malformed",
    }
}

/// Turns the caller's words into the engine's input, asking the model when it can help.
#[allow(clippy::too_many_arguments)]
pub async fn input(
    llm: &Llm,
    store: &dyn Store,
    engine: &Engine,
    state: &State,
    conversation: uuid::Uuid,
    text: String,
    sms: bool,
    now: Timestamp,
) -> (Input, ModelUse) {
    let builtin = engine.understand_in(&text, state, now);
    // Short answers ("yes", "Sam", "blorp") are the built-in layer's: a model adds nothing
    // there but risk.
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if words < 3 || !short(&builtin, state.asked) {
        return (
            Input::Understood {
                text,
                understanding: builtin,
            },
            ModelUse::default(),
        );
    }
    let recent: Vec<Turn> = match store.turns(conversation).await {
        Ok(turns) => {
            let spoken: Vec<Turn> = turns
                .iter()
                .filter(|t| t.speaker != Speaker::System)
                .map(|t| Turn {
                    caller: t.speaker == Speaker::Caller,
                    text: t.text.clone(),
                })
                .collect();
            spoken[spoken.len().saturating_sub(6)..].to_vec()
        }
        Err(_) => Vec::new(),
    };
    let deadline = if sms {
        llm.config().sms_deadline
    } else {
        llm.config().voice_deadline
    };
    let local = now
        .to_zoned(engine.profile().business.timezone.clone())
        .datetime();
    let started = Instant::now();
    let result = llm
        .understand(&text, state.asked, local, &recent, &view(engine), deadline)
        .await;
    let latency_ms = started.elapsed().as_millis() as u64;
    metrics::gauge!("frontdesk_llm_breaker_open").set(if llm.breaker_open() { 1.0 } else { 0.0 });
    match result {
        Ok(mut model) => {
            // Mid-booking, a service only the model heard would silently change what is being
            // booked: keep the one the caller chose unless they named another themselves.
            if state.draft.as_ref().is_some_and(|d| d.service_id.is_some()) {
                model.services.clear();
            }
            // Yes, no and the transactions must come from the caller's own words: a model that
            // "hears" a yes, a booking or a cancellation would act on what nobody asked for. The
            // model's reading of *what* they need (service, time, name, car) is what it adds.
            model.intents.retain(|i| {
                !matches!(
                    i,
                    Intent::Affirm
                        | Intent::Deny
                        | Intent::Book
                        | Intent::Reschedule
                        | Intent::Cancel
                )
            });
            let merged = frontdesk_llm::merge(&builtin, &model);
            let used = ModelUse {
                asked: true,
                used: true,
                latency_ms,
                fallback: None,
                builtin: Some(builtin),
            };
            (
                Input::Understood {
                    text,
                    understanding: merged,
                },
                used,
            )
        }
        Err(e) => {
            let why = reason(&e);
            metrics::counter!("frontdesk_llm_fallback_total", "reason" => why).increment(1);
            tracing::info!(error = %e, "the built-in understanding answered");
            let used = ModelUse {
                asked: !matches!(e, LlmError::CircuitOpen),
                used: false,
                latency_ms,
                fallback: Some(why),
                builtin: None,
            };
            (
                Input::Understood {
                    text,
                    understanding: builtin,
                },
                used,
            )
        }
    }
}
