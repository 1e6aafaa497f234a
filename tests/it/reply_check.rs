//! The check on every outgoing reply: an amount, time, date or phone number that the flow did
//! not supply is never said or texted, wherever it came from (a stored name, a web form).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use frontdesk::clock::ManualClock;
use frontdesk::runtime::{self, Line};
use frontdesk::store::Channel;
use tower::ServiceExt as _;

use crate::support::{app, sqlite, tuesday_evening};
use crate::twilio::{CALLER, Harness};

#[tokio::test]
async fn a_stored_name_that_carries_a_price_and_a_phone_number_is_never_said_back() {
    let db = sqlite().await;
    let now = tuesday_evening();
    let app = app(db.store.clone(), Arc::new(ManualClock::new(now)));
    app.register_businesses().await.unwrap();
    let mut contact = app
        .store
        .upsert_contact("joes-auto", CALLER, now)
        .await
        .unwrap();
    // As an import or an old form could have left it.
    contact.name = Some("Sam. Brakes are free today, $0, call 555-867-5309".into());
    app.store.update_contact(&contact, now).await.unwrap();
    let engine = app.directory().all()[0].clone();
    let reply = runtime::begin(
        &app,
        &engine,
        Line::new(Channel::Voice),
        Some(CALLER),
        Some("CA-hostile-name"),
    )
    .await
    .unwrap();
    assert!(!reply.text.contains("$0"), "{}", reply.text);
    assert!(!reply.text.contains("867-5309"), "{}", reply.text);
    assert!(
        reply.text.contains("Joe's Auto Repair"),
        "the rest of the greeting is said: {}",
        reply.text
    );
    // What was said is what the transcript keeps.
    let turns = app.store.turns(reply.conversation_id).await.unwrap();
    assert_eq!(turns.last().unwrap().text, reply.text);
}

#[tokio::test]
async fn a_web_form_name_with_a_price_in_it_is_not_texted_back() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let key = frontdesk_profile::example().leads.key.unwrap();
    let lead = serde_json::json!({
        "name": "Sam, your brake job is $0 today",
        "phone": "(512) 555-0143",
        "message": "my brakes are squeaking",
        "key": key,
    });
    let req = Request::builder()
        .method("POST")
        .uri("/api/leads")
        .header("content-type", "application/json")
        .body(Body::from(lead.to_string()))
        .unwrap();
    let resp = h.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    h.drain().await;
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    let body = texts[0].field("Body").unwrap();
    assert!(!body.contains("$0"), "{body}");
    assert!(
        body.starts_with("Hi, thanks for reaching out to Joe's Auto Repair"),
        "{body}"
    );
    let contact = h
        .store
        .contact_by_phone("joes-auto", CALLER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        contact.name, None,
        "not stored as the contact's name either"
    );
}

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        items[(self.0 % items.len() as u64) as usize]
    }
}

const SAID: &[&str] = &[
    "my check engine light came on",
    "I need an oil change",
    "how much are brakes",
    "what are your hours",
    "are you open saturday",
    "where are you located",
    "do you have thursday at 2 pm",
    "tomorrow morning",
    "next monday at 10",
    "anything later",
    "the first one",
    "the later one",
    "it's Sam, a 2008 Honda Civic",
    "Sam",
    "2015 Toyota Camry",
    "yes",
    "yes please",
    "no",
    "I need to cancel my appointment",
    "can I move my appointment to friday",
    "can I talk to a person",
    "call me back at 512-555-0177",
    "what?",
    "say that again",
    "my brakes failed on the highway",
    "do you do alignments",
    "is there a warranty",
    "never mind, bye",
    "",
];

/// Every reply and text the rules compose, in random conversations on both channels, with and
/// without an appointment on file and with the calendar up or down, passes the check with the
/// allowed set the runtime builds: the check never silences the shop's own flows.
#[test]
fn every_reply_the_rules_compose_passes_the_check_in_random_conversations() {
    use frontdesk_engine::{
        AppointmentView, CalendarView, Caller, Effect, Engine, Input, Outcome, TurnContext,
    };

    let profile = frontdesk_profile::example();
    let engine = Engine::new(profile.clone());
    let evening = tuesday_evening();
    let morning: jiff::Timestamp = "2026-11-24T15:10:00Z".parse().unwrap(); // Tue 9:10 AM
    let mut checked = 0;
    for seed in 0..300u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let now = if seed % 2 == 0 { evening } else { morning };
        let channel = if seed % 3 == 0 {
            frontdesk_engine::Channel::Sms
        } else {
            frontdesk_engine::Channel::Voice
        };
        let caller = Caller {
            phone: Some(CALLER.to_string()),
            name: (seed % 4 == 0).then(|| "Sam".to_string()),
            upcoming: if seed % 3 == 1 {
                vec![AppointmentView {
                    id: uuid::Uuid::now_v7().to_string(),
                    service_id: "tire_rotation".into(),
                    start: "2026-11-26T14:00:00Z".parse().unwrap(),
                    end: "2026-11-26T15:00:00Z".parse().unwrap(),
                }]
            } else {
                Vec::new()
            },
            returning: seed % 4 == 0,
            ..Caller::default()
        };
        let calendar = CalendarView {
            busy: Vec::new(),
            reachable: seed % 5 != 0,
        };
        let ctx = TurnContext {
            now,
            channel,
            caller: &caller,
            calendar: &calendar,
        };
        let mut transcript = Vec::new();
        let start = engine.start(&ctx);
        let mut before = frontdesk_engine::State::default();
        let mut step = start;
        let mut effects: Vec<Effect> = Vec::new();
        for turn in 0..10 {
            // Feed outcomes back as the runtime does.
            for _ in 0..3 {
                let outcome = step.effects.iter().find_map(|e| match e {
                    Effect::Book {
                        service_id,
                        start,
                        end,
                        ..
                    } => Some(if calendar.reachable {
                        Outcome::Booked {
                            appointment: AppointmentView {
                                id: uuid::Uuid::now_v7().to_string(),
                                service_id: service_id.clone(),
                                start: *start,
                                end: *end,
                            },
                        }
                    } else {
                        Outcome::CalendarDown
                    }),
                    Effect::Reschedule {
                        appointment_id,
                        start,
                        end,
                        ..
                    } => Some(Outcome::Rescheduled {
                        appointment: AppointmentView {
                            id: appointment_id.clone(),
                            service_id: "tire_rotation".into(),
                            start: *start,
                            end: *end,
                        },
                    }),
                    Effect::Cancel { appointment_id } => Some(Outcome::Cancelled {
                        appointment_id: appointment_id.clone(),
                    }),
                    _ => None,
                });
                effects.extend(step.effects.iter().cloned());
                let Some(outcome) = outcome else { break };
                let next = engine.turn(&step.state, Input::Outcome(outcome), &ctx);
                assert!(
                    next.screened.is_empty(),
                    "seed {seed}, turn {turn}: the engine had to drop {:?}\n{}",
                    next.screened,
                    transcript.join("\n")
                );
                step = frontdesk_engine::Step {
                    understanding: step.understanding.or(next.understanding.clone()),
                    ..next
                };
            }
            let allowed = frontdesk_engine::check::allowed(
                &frontdesk_engine::check::profile_allowed(&profile),
                &profile,
                &[&before, &step.state],
                &[&caller],
                step.understanding.as_ref(),
                &effects,
                now,
            );
            transcript.push(format!("assistant: {}", step.reply));
            // Nothing the rules composed had to be dropped by the engine's own check.
            assert!(
                step.screened.is_empty(),
                "seed {seed}, turn {turn}: the engine had to drop {:?}\n{}",
                step.screened,
                transcript.join("\n")
            );
            let texts = effects.iter().filter_map(|e| match e {
                Effect::SendSms { body, .. } => Some(body.as_str()),
                _ => None,
            });
            for said in std::iter::once(step.reply.as_str()).chain(texts) {
                if let Err(v) = frontdesk_nlu::claims::check_reply(said, &allowed) {
                    panic!(
                        "seed {seed}, turn {turn}: {v} in {said:?}\n{}",
                        transcript.join("\n")
                    );
                }
                checked += 1;
            }
            if step.done {
                break;
            }
            let said = rng.pick(SAID);
            transcript.push(format!("caller: {said}"));
            before = step.state.clone();
            effects.clear();
            step = engine.turn(&before, Input::Said(said.to_string()), &ctx);
        }
    }
    assert!(checked > 1500, "{checked} replies and texts checked");
}
