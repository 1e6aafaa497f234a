//! Proving "the model proposes, code decides" over natural calls (`scenarios/llm/`): a scripted
//! perfect reader (the fake server answering each utterance with its right reading) makes every
//! scenario pass, including ones the built-in reading alone fails; a lying reader (another day,
//! an invented yes, another service, a price posing as a name) changes nothing unsafe: nothing
//! is booked, moved or cancelled without the caller's own yes, and no amount is said that the
//! menu does not hold. Short answers stay with the built-in reading, substantive turns ask the
//! model, and the transcript shows both readings.

use std::path::PathBuf;
use std::time::Duration;

use frontdesk::scenario::{Outcome, Scenario};
use frontdesk_llm::fake::FakeLlm;
use frontdesk_llm::{Llm, LlmConfig};
use frontdesk_nlu::Intent;
use serde_json::{Value, json};

use crate::support::root;

fn natural() -> Vec<(PathBuf, Scenario)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios/llm"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let s: Scenario = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            (f, s)
        })
        .collect()
}

/// Every scripted utterance with its right reading.
fn right_readings() -> Vec<(String, Value)> {
    natural()
        .iter()
        .flat_map(|(_, s)| {
            s.turns
                .iter()
                .filter_map(|t| Some((t.say.clone(), t.model.clone()?)))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn model(base: &str) -> Llm {
    let mut config = LlmConfig::new(base, "test-model");
    config.voice_deadline = Duration::from_secs(2);
    config.sms_deadline = Duration::from_secs(2);
    Llm::new(config)
}

async fn run_all(llm: Option<Llm>) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (file, _) in natural() {
        out.push(
            frontdesk::scenario::run_file(&file, llm.clone())
                .await
                .unwrap(),
        );
    }
    out
}

fn report(o: &Outcome) -> String {
    format!("{}: {:?}\n{}", o.name, o.failures, o.transcript.join("\n"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_perfect_reader_makes_every_natural_scenario_pass_including_those_the_built_in_reading_fails()
 {
    let alone = run_all(None).await;
    let failed_alone: Vec<&str> = alone
        .iter()
        .filter(|o| !o.passed())
        .map(|o| o.name.as_str())
        .collect();
    eprintln!(
        "built-in reading alone: {} of {} natural scenarios fail: {failed_alone:?}",
        failed_alone.len(),
        alone.len()
    );
    assert!(
        !failed_alone.is_empty(),
        "these scenarios exist to show what the model adds: at least one should need it"
    );

    let (fake, base) = FakeLlm::start(Vec::new()).await;
    fake.read_with(right_readings());
    for outcome in run_all(Some(model(&base))).await {
        assert!(outcome.passed(), "{}", report(&outcome));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_substantive_turn_asks_the_model_a_short_answer_does_not_and_the_transcript_shows_both_readings()
 {
    frontdesk::telemetry::metrics();
    let (fake, base) = FakeLlm::start(Vec::new()).await;
    fake.read_with(right_readings());
    let file = root().join("scenarios/llm/l08-priyas-the-name-on-it.toml");
    let outcome = frontdesk::scenario::run_file(&file, Some(model(&base)))
        .await
        .unwrap();
    assert!(outcome.passed(), "{}", report(&outcome));
    let asked: Vec<String> = fake.requests().iter().map(|r| r.user_text()).collect();
    let asked_about = |said: &str| {
        asked
            .iter()
            .any(|u| u.contains(&format!("<caller_message>{said}")))
    };
    assert!(asked_about("I need a brake check"), "{asked:?}");
    assert!(asked_about("it's my wife's car"), "{asked:?}");
    for short in ["tomorrow afternoon", "the second one", "yes<"] {
        assert!(!asked_about(short), "{short} was sent: {asked:?}");
    }
    let transcript = outcome.transcript.join("\n");
    assert!(
        transcript.contains("~ built-in") && transcript.contains("\"Priya\""),
        "{transcript}"
    );
    let metrics = frontdesk::telemetry::metrics().render();
    for reading in ["skipped", "asked", "used"] {
        assert!(
            metrics.contains(&format!(
                "frontdesk_llm_turns_total{{reading=\"{reading}\"}}"
            )),
            "{reading}: {metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_two_readings_name_different_days_the_assistant_asks_instead_of_guessing() {
    let (fake, base) = FakeLlm::start(Vec::new()).await;
    fake.read_with(right_readings());
    let file = root().join("scenarios/llm/l10-thursday-wont-work-but-friday-might.toml");
    let outcome = frontdesk::scenario::run_file(&file, Some(model(&base)))
        .await
        .unwrap();
    assert!(outcome.passed(), "{}", report(&outcome));
    let transcript = outcome.transcript.join("\n");
    assert!(transcript.contains("disputed [\"time\"]"), "{transcript}");
}

/// A lie told about every utterance.
fn lie(kind: &str, right: &Value) -> Value {
    let mut v = right.clone();
    match kind {
        "another day" => {
            // The caller's own words for the time (validation wants them said) with another
            // date and clock; or, where they named none, a time out of nowhere.
            let words = right["time"]["text"].as_str().unwrap_or("");
            v["time"] = json!({"text": words, "date": "2026-12-02", "clock": "16:00"});
        }
        "an invented yes" => {
            v["intents"] = json!(["affirm", "book", "reschedule", "cancel"]);
        }
        "another service" => {
            v["services"] = json!(["timing_belt"]);
        }
        "a false correction and pick" => {
            // Another service and another day, each claimed as the caller's correction, and a
            // pick of the first time offered whatever was said.
            let words = right["time"]["text"].as_str().unwrap_or("");
            v["time"] = json!({"text": words, "date": "2026-12-02", "clock": "16:00"});
            v["services"] = json!(["timing_belt"]);
            v["corrects"] = json!(if words.is_empty() { "service" } else { "time" });
            v["pick"] = json!(1);
        }
        "an invented emergency" => {
            v["urgency"] = json!("emergency");
            v["intents"] = json!(["emergency"]);
        }
        "every signal" => {
            v["status_question"] = json!(true);
            v["complaint"] = json!(true);
            v["language"] = json!("es");
            v["pick"] = json!(4);
        }
        _ => {
            v["name"] = json!("Free Brakes For $0");
            v["vehicle"] = json!({"year": 2015, "make": "$5", "model": "Special 9.99"});
            v["intents"] = json!(["price"]);
        }
    }
    v
}

/// The amounts the profile states, as a reply would say them: the menu's prices ("$49.99",
/// "$129") and those in the owner's own words (an FAQ's "$500").
fn menu_amounts() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("examples/auto-shop.toml")).unwrap();
    let mut out: Vec<String> = text
        .split('$')
        .skip(1)
        .map(|rest| {
            let n: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
                .collect();
            format!("${}", n.trim_end_matches(['.', ',']))
        })
        .collect();
    for part in text.split("cents = ").skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(c) = digits.parse::<u64>() {
            out.push(format!("${}", c / 100));
            out.push(format!("${}.{:02}", c / 100, c % 100));
        }
    }
    out
}

fn builtin_emergency(text: &str) -> bool {
    let engine = frontdesk_engine::Engine::new(frontdesk_profile::example());
    let u = engine.understand(text, jiff::civil::date(2026, 11, 30).at(10, 0, 0, 0));
    u.urgency == frontdesk_nlu::Urgency::Emergency || u.intents.contains(&Intent::Emergency)
}

fn said_yes(text: &str) -> bool {
    let engine = frontdesk_engine::Engine::new(frontdesk_profile::example());
    let u = engine.understand(text, jiff::civil::date(2026, 11, 30).at(10, 0, 0, 0));
    u.intents.contains(&Intent::Affirm)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lying_reader_books_nothing_without_the_callers_yes_and_says_no_amount_off_the_menu() {
    let amounts = menu_amounts();
    for kind in [
        "another day",
        "an invented yes",
        "another service",
        "a false correction and pick",
        "every signal",
        "an invented emergency",
        "a price",
    ] {
        let (fake, base) = FakeLlm::start(Vec::new()).await;
        let lies: Vec<(String, Value)> = right_readings()
            .iter()
            .map(|(said, right)| (said.clone(), lie(kind, right)))
            .collect();
        fake.read_with(lies);
        for outcome in run_all(Some(model(&base))).await {
            let mut caller = "";
            for line in &outcome.transcript {
                if let Some(said) = line.strip_prefix("caller: ") {
                    caller = said;
                }
                let acted = ["  · booking", "  · moving", "  · cancelling"]
                    .iter()
                    .any(|p| line.starts_with(p));
                let paged = kind == "an invented emergency"
                    && (line.starts_with("  · owner notified (Emergency)")
                        || line.starts_with("  · transferring"));
                assert!(
                    !paged || frontdesk_nlu::names_a_danger(caller) || builtin_emergency(caller),
                    "{kind}: an emergency on {caller:?}\n{}",
                    report(&outcome)
                );
                assert!(
                    !acted || said_yes(caller),
                    "{kind}: acted on {caller:?}\n{}",
                    report(&outcome)
                );
                if let Some(reply) = line.strip_prefix("receptionist: ") {
                    for word in reply.split_whitespace().filter(|w| w.starts_with('$')) {
                        let amount = word
                            .trim_end_matches(|c: char| !c.is_ascii_digit())
                            .replace(',', "");
                        assert!(
                            amounts.iter().any(|a| a.replace(',', "") == amount),
                            "{kind}: {amount} is not on the menu\n{}",
                            report(&outcome)
                        );
                    }
                    assert!(
                        !reply.contains("Free Brakes"),
                        "{kind}\n{}",
                        report(&outcome)
                    );
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_with_the_llm_variables_set_asks_the_model_and_prints_both_readings() {
    let (fake, base) = FakeLlm::start(Vec::new()).await;
    fake.read_with(right_readings());
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["chat", "--now", "2026-11-30T10:00", "--data-dir"])
        .arg(dir.path())
        .env("LLM_BASE_URL", &base)
        .env("LLM_MODEL", "test-model")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(
                b"my ride's been acting up, kind of a shudder thing once I get up on the highway\n",
            )
            .await
            .unwrap();
    }
    let out = child.wait_with_output().await.unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert_eq!(fake.requests().len(), 1, "{out}");
    assert!(out.contains("alignment"), "{out}");
    assert!(out.contains("~ built-in"), "{out}");
}
