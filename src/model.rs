//! The language model in a turn: it proposes, code decides. The built-in understanding is made
//! first (microseconds). When a model is configured it reads every substantive caller turn as
//! well, within the channel's deadline (1.5 s on voice, 4 s on SMS by default); the turns the
//! built-in reading answers with certainty stay its own: very short answers, a yes or no to a
//! read-back or question, a pick among the times just offered, a name, a car or a number when
//! that was what was asked (STOP and HELP never reach here). The model's typed reading, already
//! validated field by field against the profile, is merged in; a yes, a no, a booking, a move or
//! a cancellation never comes from it; when the two readings name another day or time, or
//! another service, neither is used and the flow asks (for a day, the engine says so before
//! the soonest times are offered) — unless the model reports a correction the caller's words
//! back. Beside the reading the model reports signals (a pick among the times just offered, a
//! status question, a complaint, Spanish), handed to the engine as [`Hints`] that can only
//! lead to a read-back or to a person. A late, failing or junk answer changes
//! nothing: the built-in reading goes to the engine, and a circuit breaker skips the model after
//! repeated failures. The transcript keeps both readings, and `/metrics` counts each turn as
//! `skipped`, `asked`, `used` or `fallback` (`frontdesk_llm_turns_total`).

use std::time::Instant;

use frontdesk_engine::state::Awaiting;
use frontdesk_engine::{Engine, Hints, Input, State};
use frontdesk_llm::{Corrects, Llm, LlmError, ProfileView, Reading, Signals, Turn};
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
    /// Why the model was not asked: the built-in reading answered with certainty.
    pub skipped: Option<&'static str>,
    /// The built-in reading, kept when the model's was used, so the turn can fall back to it.
    pub builtin: Option<Understanding>,
    /// The model's reading as validated (before the merge), when it answered.
    pub model: Option<Understanding>,
    /// The model's signals as validated (a correction, a pick, a status question, ...).
    pub signals: Signals,
    /// What the two readings disagreed on ("time", "service"); left for the flow to ask.
    pub disputed: Vec<&'static str>,
}

impl ModelUse {
    pub fn to_json(&self) -> Value {
        let mut v = json!({"asked": self.asked, "used": self.used, "latency_ms": self.latency_ms,
            "fallback": self.fallback});
        if let Some(why) = self.skipped {
            v["skipped"] = json!(why);
        }
        if let Some(model) = &self.model {
            v["model_reading"] = reading(model);
            if let Some(signals) = self.signals.to_json() {
                v["model_signals"] = signals;
            }
            if let Some(builtin) = &self.builtin {
                v["builtin_reading"] = reading(builtin);
            }
        }
        if !self.disputed.is_empty() {
            v["disputed"] = json!(self.disputed);
        }
        v
    }
}

/// A reading in a few words: what a person checking the transcript needs to compare two.
fn reading(u: &Understanding) -> Value {
    let mut v = json!({});
    if !u.intents.is_empty() {
        v["intents"] = json!(u.intents);
    }
    if !u.services.is_empty() {
        v["services"] = json!(u.services);
    }
    if !u.faqs.is_empty() {
        v["faqs"] = json!(u.faqs);
    }
    if let Some(t) = &u.time {
        v["time"] = json!(t.start.strftime("%Y-%m-%d %H:%M").to_string());
    }
    if let Some(n) = &u.name {
        v["name"] = json!(n);
    }
    if let Some(car) = &u.vehicle {
        v["vehicle"] = json!(car);
    }
    if u.urgency != frontdesk_nlu::Urgency::Normal {
        v["urgency"] = json!(u.urgency);
    }
    v
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

/// Words that pick among the times just offered.
const PICK_WORDS: [&str; 10] = [
    "first", "second", "third", "last", "later", "earlier", "either", "one", "1st", "2nd",
];

/// Why the built-in reading answers this turn alone, or `None` when the model should read it
/// too. Each case is one the built-in reading answers with certainty.
pub fn certain(builtin: &Understanding, state: &State, text: &str) -> Option<&'static str> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(str::to_lowercase)
        .collect();
    if words.len() < 3 {
        return Some("short");
    }
    let yes_no =
        builtin.intents.contains(&Intent::Affirm) || builtin.intents.contains(&Intent::Deny);
    let asking = matches!(
        state.awaiting,
        Awaiting::Confirm | Awaiting::ChangeConfirm | Awaiting::OfferBooking
    ) || state.asked == Some(Asked::Confirm);
    if asking && yes_no && builtin.time.is_none() && builtin.services.is_empty() && words.len() <= 6
    {
        return Some("yes_no");
    }
    let picking = matches!(state.awaiting, Awaiting::Pick | Awaiting::ChangePick);
    let picked = builtin.time.is_some() || words.iter().any(|w| PICK_WORDS.contains(&w.as_str()));
    if picking && picked && words.len() <= 6 {
        return Some("pick");
    }
    let answered = match state.asked {
        Some(Asked::Name) => builtin.name.is_some() && words.len() <= 5,
        Some(Asked::Vehicle) => builtin.vehicle.is_some() && words.len() <= 8,
        Some(Asked::Phone) => builtin.phone.is_some(),
        _ => false,
    };
    if answered
        || (state.awaiting == Awaiting::Details
            && builtin.name.is_some()
            && builtin.vehicle.is_some()
            && words.len() <= 8)
    {
        return Some("answer");
    }
    None
}

fn reason(e: &LlmError) -> &'static str {
    match e {
        LlmError::Off => "off",
        LlmError::Timeout => "timeout",
        LlmError::CircuitOpen => "circuit_open",
        LlmError::Http(..) => "error",
        LlmError::Malformed(_) | LlmError::NoToolCall(_) => "malformed",
    }
}

fn count(reading: &'static str) {
    metrics::counter!("frontdesk_llm_turns_total", "reading" => reading).increment(1);
}

/// The conversation's last spoken turns, for the model's context.
async fn recent(store: &dyn Store, conversation: uuid::Uuid) -> Vec<Turn> {
    let Ok(turns) = store.turns(conversation).await else {
        return Vec::new();
    };
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

/// The model's reading with what it may not decide taken out: a yes, a no, a booking, a move or
/// a cancellation comes from the caller's own words as the built-in layer read them (a model
/// that hears one would move the flow on what nobody asked for; the service, time, name and car
/// it reads are what it adds), and mid-booking a service only the model heard would silently
/// change what is being booked (a correction of the service the caller's words back is the
/// merge's to decide).
fn proposals(mut model: Reading, state: &State) -> Reading {
    let correcting = model.signals.corrects == Some(Corrects::Service);
    if state.draft.as_ref().is_some_and(|d| d.service_id.is_some()) && !correcting {
        model.understanding.services.clear();
    }
    model.understanding.intents.retain(|i| {
        !matches!(
            i,
            Intent::Affirm | Intent::Deny | Intent::Book | Intent::Reschedule | Intent::Cancel
        )
    });
    model
}

/// The engine's hints from the model's signals and what the merge left disputed.
fn hints(signals: &Signals, disputed: &[&'static str]) -> Hints {
    Hints {
        pick: signals.pick.map(|n| usize::from(n).saturating_sub(1)),
        status: signals.status,
        complaint: signals.complaint,
        spanish: signals.spanish,
        day_unclear: disputed.contains(&"time"),
    }
}

/// Turns the caller's words into the engine's input: the built-in reading, and on every
/// substantive turn the model's beside it (see the module docs).
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
    if let Some(why) = certain(&builtin, state, &text) {
        count("skipped");
        let skipped = ModelUse {
            skipped: Some(why),
            ..ModelUse::default()
        };
        return (understood(text, builtin, Hints::default()), skipped);
    }
    let deadline = if sms {
        llm.config().sms_deadline
    } else {
        llm.config().voice_deadline
    };
    let local = now
        .to_zoned(engine.profile().business.timezone.clone())
        .datetime();
    let context = recent(store, conversation).await;
    let started = Instant::now();
    let result = llm
        .read(&text, state.asked, local, &context, &view(engine), deadline)
        .await;
    let latency_ms = started.elapsed().as_millis() as u64;
    metrics::gauge!("frontdesk_llm_breaker_open").set(if llm.breaker_open() { 1.0 } else { 0.0 });
    match result {
        Ok(model) => {
            count("asked");
            count("used");
            let proposed = proposals(model.clone(), state);
            let merged = frontdesk_llm::reconcile_in(&text, &builtin, &proposed);
            for field in &merged.disputed {
                metrics::counter!("frontdesk_llm_disputes_total", "field" => *field).increment(1);
            }
            let hints = hints(&model.signals, &merged.disputed);
            let used = ModelUse {
                asked: true,
                used: true,
                latency_ms,
                builtin: Some(builtin),
                model: Some(model.understanding),
                signals: model.signals,
                disputed: merged.disputed,
                ..ModelUse::default()
            };
            (understood(text, merged.understanding, hints), used)
        }
        Err(e) => {
            let why = reason(&e);
            let asked = !matches!(e, LlmError::CircuitOpen);
            if asked {
                count("asked");
            }
            count("fallback");
            metrics::counter!("frontdesk_llm_fallback_total", "reason" => why).increment(1);
            tracing::info!(error = %e, "the built-in understanding answered");
            let used = ModelUse {
                asked,
                latency_ms,
                fallback: Some(why),
                ..ModelUse::default()
            };
            (understood(text, builtin, Hints::default()), used)
        }
    }
}

fn understood(text: String, understanding: Understanding, hints: Hints) -> Input {
    Input::Understood {
        text,
        understanding,
        hints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(frontdesk_profile::example())
    }

    fn read(state: &State, text: &str) -> Option<&'static str> {
        let now: Timestamp = "2026-11-25T01:30:00Z".parse().unwrap();
        let builtin = engine().understand_in(text, state, now);
        certain(&builtin, state, text)
    }

    #[test]
    fn a_yes_to_a_read_back_and_short_answers_stay_with_the_built_in_reading() {
        let confirming = State {
            awaiting: Awaiting::Confirm,
            asked: Some(Asked::Confirm),
            ..State::default()
        };
        assert_eq!(read(&confirming, "yes please do"), Some("yes_no"));
        assert_eq!(read(&State::default(), "ok thanks"), Some("short"));
        let naming = State {
            asked: Some(Asked::Name),
            ..State::default()
        };
        assert_eq!(read(&naming, "it's Sam Ortiz"), Some("answer"));
    }

    #[test]
    fn a_substantive_turn_is_read_by_the_model_even_when_the_built_in_reading_found_something() {
        let state = State::default();
        assert_eq!(read(&state, "Wednesday, no wait, Thursday morning"), None);
        assert_eq!(
            read(&state, "can I bring my car in for brakes tomorrow"),
            None
        );
        let confirming = State {
            awaiting: Awaiting::Confirm,
            asked: Some(Asked::Confirm),
            ..State::default()
        };
        assert_eq!(
            read(&confirming, "yes but can we make it Friday at 3 instead"),
            None
        );
    }
}
