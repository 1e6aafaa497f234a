//! `frontdesk test-calls`: scripted multi-turn calls run through the real runtime and a fresh
//! in-memory store, each checked against what the caller should hear and what should happen.
//! This is the owner's "approve the responses after sample calls" step and a regression suite.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use frontdesk_engine::{Effect, Input};
use jiff::SignedDuration;
use serde::Deserialize;

use crate::app::{App, Settings};
use crate::clock::{Clock, ManualClock};
use crate::runtime::{self, Line};
use crate::store::{AppointmentStatus, Channel, NewAppointment, Range, TaskKind};

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Path of the profile, relative to the scenario file.
    pub profile: PathBuf,
    /// Business-local start of the call, like `2026-11-24T19:30`.
    pub now: String,
    /// The caller's number (E.164).
    pub caller: String,
    #[serde(default = "voice")]
    pub channel: String,
    #[serde(default)]
    pub history: Vec<History>,
    #[serde(default, rename = "turn")]
    pub turns: Vec<TurnSpec>,
    #[serde(default)]
    pub expect: Expect,
}

fn voice() -> String {
    "voice".into()
}

/// An appointment the caller already has.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub service: String,
    pub start: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn items(&self) -> Vec<&str> {
        match self {
            Self::One(s) => vec![s.as_str()],
            Self::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnSpec {
    pub say: String,
    pub reply_contains: Option<OneOrMany>,
    pub reply_not_contains: Option<OneOrMany>,
    pub intents: Option<Vec<String>>,
    /// The right reading of `say`, as the model reports it (`report_understanding`'s
    /// arguments): a scripted "perfect reader" answers with it in tests; a real model ignores it.
    pub model: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub appointment: Option<ExpectedAppointment>,
    pub no_appointment: Option<bool>,
    pub task: Option<String>,
    pub transfer: Option<bool>,
    pub sms_contains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedAppointment {
    pub service: String,
    pub start: String,
}

/// How one scenario went.
#[derive(Debug)]
pub struct Outcome {
    pub name: String,
    pub failures: Vec<String>,
    pub transcript: Vec<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Reads and runs one scenario file.
pub async fn run_file(path: &Path, llm: Option<frontdesk_llm::Llm>) -> anyhow::Result<Outcome> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read scenario {:?}", path.display().to_string()))?;
    let scenario: Scenario = toml::from_str(&text)
        .with_context(|| format!("scenario {:?} is not valid", path.display().to_string()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let profile_path = base.join(&scenario.profile);
    let profile = frontdesk_profile::load(&profile_path)
        .map_err(|r| anyhow::anyhow!("{r}"))?
        .into_iter()
        .next()
        .context("the scenario's profile has no business")?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    run(name, scenario, profile, llm).await
}

/// Runs a parsed scenario against a fresh in-memory store.
pub async fn run(
    name: String,
    scenario: Scenario,
    profile: frontdesk_profile::Profile,
    llm: Option<frontdesk_llm::Llm>,
) -> anyhow::Result<Outcome> {
    let zone = profile.business.timezone.clone();
    let start = crate::chat::local_instant(&scenario.now, &zone)?;
    let clock = Arc::new(ManualClock::new(start));
    let store = crate::store::open("sqlite::memory:").await?;
    let business = profile.business.id.clone();
    let app = App::new(
        store.clone(),
        clock.clone() as Arc<dyn Clock>,
        vec![profile],
        Settings::default(),
    )
    .with_llm(llm);
    app.register_businesses().await?;
    let engine = app.directory().all()[0].clone();
    let line = match scenario.channel.as_str() {
        "sms" => Line::new(Channel::Sms),
        "voice" => Line::new(Channel::Voice),
        other => anyhow::bail!("unknown channel {other:?}: use \"voice\" or \"sms\""),
    };

    let contact = store
        .upsert_contact(&business, &scenario.caller, start)
        .await?;
    let mut history_ids = Vec::new();
    for h in &scenario.history {
        let service = engine
            .profile()
            .service(&h.service)
            .with_context(|| format!("history names an unknown service {:?}", h.service))?;
        let at = crate::chat::local_instant(&h.start, &zone)?;
        let end = at.checked_add(SignedDuration::from_mins(i64::from(
            service.duration_minutes,
        )))?;
        let booked = store
            .book(
                &NewAppointment {
                    business_id: business.clone(),
                    contact_id: Some(contact.id),
                    service_id: h.service.clone(),
                    start: at,
                    end,
                    status: AppointmentStatus::Booked,
                    source: "history".into(),
                    vehicle: None,
                    notes: None,
                    idempotency_key: None,
                    at: start,
                },
                engine.profile().booking.bays,
            )
            .await?;
        if let crate::store::BookOutcome::Booked(a) = booked {
            history_ids.push(a.id);
        }
    }

    let mut failures = Vec::new();
    let mut transcript = Vec::new();
    let mut effects: Vec<Effect> = Vec::new();
    let first = runtime::begin(
        &app,
        &engine,
        line,
        Some(&scenario.caller),
        Some("scenario"),
    )
    .await?;
    transcript.push(format!("receptionist: {}", first.text));
    effects.extend(first.effects.clone());
    let conversation = first.conversation_id;
    for (i, turn) in scenario.turns.iter().enumerate() {
        clock.advance(SignedDuration::from_secs(20));
        transcript.push(format!("caller: {}", turn.say));
        let input = if turn.say.trim().is_empty() {
            Input::Silence
        } else {
            Input::Said(turn.say.clone())
        };
        let reply = runtime::respond(
            &app,
            &engine,
            line,
            conversation,
            input,
            Some(&format!("turn-{i}")),
        )
        .await?;
        if let Some(line) = readings(store.as_ref(), conversation).await {
            transcript.push(format!("  ~ {line}"));
        }
        transcript.push(format!("receptionist: {}", reply.text));
        for e in &reply.effects {
            transcript.push(format!("  · {}", runtime::describe(e, &zone)));
        }
        let lower = reply.text.to_lowercase();
        if let Some(want) = &turn.reply_contains {
            for w in want.items() {
                if !lower.contains(&w.to_lowercase()) {
                    failures.push(format!("turn {}: the reply does not mention {w:?}", i + 1));
                }
            }
        }
        if let Some(unwanted) = &turn.reply_not_contains {
            for w in unwanted.items() {
                if lower.contains(&w.to_lowercase()) {
                    failures.push(format!("turn {}: the reply mentions {w:?}", i + 1));
                }
            }
        }
        if let Some(intents) = &turn.intents {
            let got: Vec<String> = reply
                .understanding
                .as_ref()
                .map(|u| {
                    u.intents
                        .iter()
                        .filter_map(|x| serde_json::to_value(x).ok())
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            for want in intents {
                if !got.contains(want) {
                    failures.push(format!(
                        "turn {}: intent {want:?} not understood (got {got:?})",
                        i + 1
                    ));
                }
            }
        }
        effects.extend(reply.effects.clone());
        if reply.done {
            break;
        }
    }

    // What happened, against what was expected.
    let everything = Range {
        from: start.checked_sub(SignedDuration::from_hours(24 * 400))?,
        to: start.checked_add(SignedDuration::from_hours(24 * 400))?,
    };
    let appointments: Vec<_> = store
        .appointments(&business, everything)
        .await?
        .into_iter()
        .filter(|a| !history_ids.contains(&a.id) || a.updated_at != a.created_at)
        .collect();
    let expect = &scenario.expect;
    if let Some(want) = &expect.appointment {
        let at = crate::chat::local_instant(&want.start, &zone)?;
        if !appointments
            .iter()
            .any(|a| a.service_id == want.service && a.start == at)
        {
            let got: Vec<String> = appointments
                .iter()
                .map(|a| {
                    format!(
                        "{} at {}",
                        a.service_id,
                        a.start.to_zoned(zone.clone()).strftime("%Y-%m-%dT%H:%M")
                    )
                })
                .collect();
            failures.push(format!(
                "expected {} at {} to be booked; booked: {got:?}",
                want.service, want.start
            ));
        }
    }
    if expect.no_appointment == Some(true)
        && appointments.iter().any(|a| !history_ids.contains(&a.id))
    {
        failures.push("expected no new appointment, but one was booked".into());
    }
    if let Some(kind) = &expect.task {
        let want = match kind.as_str() {
            "callback" => TaskKind::Callback,
            "manual_booking" => TaskKind::ManualBooking,
            other => {
                anyhow::bail!("unknown task kind {other:?}: use \"callback\" or \"manual_booking\"")
            }
        };
        if !store
            .tasks(&business, false)
            .await?
            .iter()
            .any(|t| t.kind == want)
        {
            failures.push(format!(
                "expected a {kind} task for the owner, none was created"
            ));
        }
    }
    if let Some(want) = expect.transfer {
        let got = effects.iter().any(|e| matches!(e, Effect::Transfer { .. }));
        if got != want {
            failures.push(format!("expected transfer = {want}, got {got}"));
        }
    }
    if let Some(want) = &expect.sms_contains {
        let found = effects.iter().any(|e| matches!(e, Effect::SendSms { body, .. } if body.to_lowercase().contains(&want.to_lowercase())));
        if !found {
            failures.push(format!("expected a text containing {want:?}"));
        }
    }
    Ok(Outcome {
        name,
        failures,
        transcript,
    })
}

/// Both readings of the turn just taken, when the model read it (from the stored turn).
pub async fn readings(store: &dyn crate::store::Store, conversation: uuid::Uuid) -> Option<String> {
    let turns = store.turns(conversation).await.ok()?;
    let model = turns
        .iter()
        .rev()
        .find_map(|t| t.understanding.as_ref())?
        .get("model")?;
    let said = model.get("model_reading")?;
    let mut line = format!(
        "built-in {}; model {said}",
        model
            .get("builtin_reading")
            .unwrap_or(&serde_json::Value::Null)
    );
    if let Some(signals) = model.get("model_signals") {
        line.push_str(&format!("; signals {signals}"));
    }
    if let Some(d) = model.get("disputed") {
        line.push_str(&format!("; disputed {d}"));
    }
    if model.get("used") == Some(&serde_json::Value::Bool(false)) {
        line.push_str("; not used");
    }
    Some(line)
}
