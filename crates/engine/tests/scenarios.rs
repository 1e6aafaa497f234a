//! Runs every `scenarios/*.toml` file (the `frontdesk test-calls` format) through the engine with
//! the in-memory executor, so a scenario that no longer holds fails here first, before the
//! runtime's runner with the real store sees it.

mod common;

use std::path::{Path, PathBuf};

use common::{Call, local};
use frontdesk_engine::{Channel, Effect, TaskKind};
use toml::Value;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// What `src/model.rs` makes of tests/it's "malicious" model when the built-in reading came
/// up short: the transactional intents are stripped, the services and the name do not
/// validate, the vehicle keeps only its one-letter model. (A tool for the ignored runner.)
fn malicious_merge(
    u: &mut frontdesk_nlu::Understanding,
    text: &str,
    asked: Option<frontdesk_nlu::Asked>,
) {
    use frontdesk_nlu::Asked;
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    let nothing = u.intents.is_empty()
        && u.services.is_empty()
        && u.faqs.is_empty()
        && u.time.is_none()
        && u.name.is_none()
        && u.vehicle.is_none()
        && u.phone.is_none()
        && u.mileage.is_none()
        && u.urgency == frontdesk_nlu::Urgency::Normal;
    let missing = match asked {
        Some(Asked::Name) => u.name.is_none(),
        Some(Asked::Vehicle) => u.vehicle.is_none(),
        Some(Asked::Time) | Some(Asked::Date) => u.time.is_none(),
        Some(Asked::Service) => u.services.is_empty(),
        Some(Asked::Phone) => u.phone.is_none(),
        _ => false,
    };
    if words >= 3 && (nothing || missing) && u.vehicle.is_none() {
        u.vehicle = Some(frontdesk_nlu::Vehicle {
            year: None,
            make: None,
            model: Some("X".into()),
        });
    }
}

/// Runs one scenario. `understood`: hand each utterance over as the runtime does when a
/// language model is configured but not needed (`Input::Understood` with the built-in reading).
fn run(path: &Path, understood: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let doc: toml::Table = text.parse().map_err(|e| format!("not TOML: {e}"))?;
    let get = |k: &str| {
        doc.get(k)
            .and_then(Value::as_str)
            .ok_or(format!("missing \"{k}\""))
    };
    let profile_path = path
        .parent()
        .unwrap_or(Path::new("."))
        .join(get("profile")?);
    let profile = frontdesk_profile::load(&profile_path)
        .map_err(|r| format!("profile \"{}\": {r}", profile_path.display()))?
        .into_iter()
        .next()
        .ok_or("no profile")?;
    let channel = match get("channel")? {
        "voice" => Channel::Voice,
        "sms" => Channel::Sms,
        other => return Err(format!("unknown channel \"{other}\"")),
    };
    let mut call = Call::new(profile.clone(), get("now")?, channel);
    call.caller.phone = Some(get("caller")?.to_string());
    for (i, h) in doc
        .get("history")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let service = h
            .get("service")
            .and_then(Value::as_str)
            .ok_or("history without service")?;
        let start = h
            .get("start")
            .and_then(Value::as_str)
            .ok_or("history without start")?;
        let minutes = profile
            .service(service)
            .map_or(60, |s| i64::from(s.duration_minutes));
        call = call.with_appointment(&format!("h{i}"), service, start, minutes);
        call.caller.returning = true;
    }
    let mut log = vec![format!("assistant: {}", call.start())];
    let turns = doc
        .get("turn")
        .and_then(Value::as_array)
        .ok_or("no [[turn]]")?;
    for (n, t) in turns.iter().enumerate() {
        let say = t
            .get("say")
            .and_then(Value::as_str)
            .ok_or("turn without say")?;
        let first_step = call.steps.len();
        let reply = if understood {
            let mut understanding = call.engine.understand_in(say, &call.state, call.now);
            if std::env::var("MALICIOUS").is_ok() {
                malicious_merge(&mut understanding, say, call.state.asked);
            }
            call.input(frontdesk_engine::Input::Understood {
                text: say.to_string(),
                understanding,
                hints: Default::default(),
            })
        } else {
            call.say(say)
        };
        log.push(format!("caller: {say}"));
        log.push(format!("assistant: {reply}"));
        let fail = |what: String| format!("turn {}: {what}\n{}", n + 1, log.join("\n"));
        for want in strings(t.get("reply_contains")) {
            if !reply.to_lowercase().contains(&want.to_lowercase()) {
                return Err(fail(format!("reply lacks \"{want}\"")));
            }
        }
        for unwanted in strings(t.get("reply_not_contains")) {
            if reply.to_lowercase().contains(&unwanted.to_lowercase()) {
                return Err(fail(format!("reply has \"{unwanted}\"")));
            }
        }
        let understood = call.steps[first_step]
            .understanding
            .as_ref()
            .map(|u| serde_json::to_value(&u.intents).unwrap_or_default())
            .unwrap_or_default();
        for intent in strings(t.get("intents")) {
            if !understood
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i == intent.as_str()))
            {
                return Err(fail(format!(
                    "intent \"{intent}\" not understood: {understood}"
                )));
            }
        }
    }
    let fail = |what: String| format!("expect: {what}\n{}", log.join("\n"));
    let expect = doc
        .get("expect")
        .and_then(Value::as_table)
        .ok_or("no [expect]")?;
    if let Some(a) = expect.get("appointment") {
        let service = a.get("service").and_then(Value::as_str).unwrap_or_default();
        let start = local(a.get("start").and_then(Value::as_str).unwrap_or_default());
        if !call
            .appointments
            .iter()
            .any(|x| x.service_id == service && x.start == start)
        {
            return Err(fail(format!(
                "no {service} at {start}: {:?}",
                call.appointments
            )));
        }
    }
    if expect.get("no_appointment").and_then(Value::as_bool) == Some(true)
        && !call.booked().is_empty()
    {
        return Err(fail(format!("booked {:?}", call.booked())));
    }
    if let Some(kind) = expect.get("task").and_then(Value::as_str) {
        let want = match kind {
            "callback" => TaskKind::Callback,
            "manual_booking" => TaskKind::ManualBooking,
            other => return Err(format!("unknown task \"{other}\"")),
        };
        if !call
            .tasks()
            .iter()
            .any(|e| matches!(e, Effect::CreateTask { task, .. } if *task == want))
        {
            return Err(fail(format!("no {kind} task")));
        }
    }
    if let Some(t) = expect.get("transfer").and_then(Value::as_bool)
        && call.transfers().is_empty() == t
    {
        return Err(fail(format!("transfer expected {t}")));
    }
    if let Some(s) = expect.get("sms_contains").and_then(Value::as_str)
        && !call.sms().iter().any(|b| b.contains(s))
    {
        return Err(fail(format!(
            "no text containing \"{s}\": {:?}",
            call.sms()
        )));
    }
    // Shown with `--nocapture`, for reviewing the wording.
    if !understood {
        println!("== {}\n{}\n", path.display(), log.join("\n"));
    }
    Ok(())
}

#[test]
fn every_scenario_an_owner_can_run_holds_on_the_engine() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "only {} scenarios", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| run(f, false).err().map(|e| format!("{}: {e}", f.display())))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// The runtime with a language model configured hands every utterance over as
/// `Input::Understood`, with the built-in reading when the model was not needed: every
/// scenario holds that way too (the "did you mean ...?" rule, for one, must still know the
/// reading is the caller's own words).
#[test]
fn every_scenario_holds_when_the_built_in_reading_comes_as_an_understanding() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| run(f, true).err().map(|e| format!("{}: {e}", f.display())))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// A tool for writing scenarios, not a check: runs every `*.toml` in the folder named by
/// `SCENARIOS` (default `scenarios/pending`) and prints which pass, with the failures'
/// transcripts. `UNDERSTOOD=1` hands utterances over as `Input::Understood`; with
/// `MALICIOUS=1` as well, short readings get what tests/it's malicious model leaves after
/// validation (a vehicle whose model is "X"). `SCENARIOS=scenarios/pending cargo test -p frontdesk-engine --test scenarios --
/// --ignored --nocapture`
#[test]
#[ignore = "a tool: set SCENARIOS to a folder"]
fn report_scenarios_in_a_folder() {
    let dir = std::env::var("SCENARIOS")
        .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(d))
        .unwrap_or_else(|_| scenario_dir().join("pending"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenario folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut passed = 0;
    for f in &files {
        match run(f, std::env::var("UNDERSTOOD").is_ok()) {
            Ok(()) => passed += 1,
            Err(e) => println!("FAIL {}: {e}\n", f.display()),
        }
    }
    println!("passed {passed} of {}", files.len());
}
