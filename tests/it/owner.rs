//! The owner's side with the clock under the test's control: the seven-step call ends with the
//! owner's SMS and email briefing (through a real SMTP sink) and follow-ups queued; CRM webhooks
//! carry signatures that verify with the shared secret; a seeded day's summary has the right
//! numbers; exports are CSV.

use axum::http::StatusCode;
use frontdesk::store::{Channel, JobStatus, NewConversation, NewTurn, Speaker};
use jiff::Timestamp;
use serde_json::json;

use crate::support::SmtpSink;
use crate::twilio::{CALLER, Harness, SHOP_NUMBER};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn seven_step_by_sms(h: &Harness) {
    let sms = |sid: &'static str, body: &'static str| {
        vec![
            ("MessageSid", sid),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", CALLER),
            ("To", SHOP_NUMBER),
            ("Body", body),
            ("NumMedia", "0"),
        ]
    };
    for (sid, body) in [
        ("SM1", "my check engine light is on"),
        ("SM2", "thursday at 2pm"),
        ("SM3", "Sam, 2008 Honda Civic"),
        ("SM4", "yes"),
    ] {
        assert_eq!(
            h.post("/twilio/sms", &sms(sid, body)).await.0,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn the_seven_step_call_ends_with_the_owners_sms_and_email_briefing_and_follow_ups_queued() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let h = Harness::with_smtp(frontdesk_profile::example(), Some(sink.url.clone())).await;
    seven_step_by_sms(&h).await;
    // Follow-ups wait for their times; briefings and replies go now.
    let queued: Vec<String> = h
        .store
        .jobs(JobStatus::Queued, 50)
        .await
        .unwrap()
        .iter()
        .filter(|j| j.kind == "followup.send")
        .map(|j| j.payload["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(queued.len(), 3, "{queued:?}");
    h.drain().await;
    let owner = frontdesk_profile::example()
        .people
        .into_iter()
        .find(|p| p.name.starts_with("Joe"))
        .unwrap();
    let texts = h.fake.texts();
    let briefing = texts
        .iter()
        .find(|t| t.field("To") == owner.phone.as_deref())
        .expect("the owner got a text");
    let body = briefing.field("Body").unwrap();
    assert!(
        body.contains("Sam") && body.contains("+15125550143"),
        "{body}"
    );
    assert!(body.to_lowercase().contains("check engine"), "{body}");
    assert!(body.contains("Thu Nov 26, 2:00 PM"), "{body}");
    let mut mail = Vec::new();
    for _ in 0..50 {
        mail = sink.messages();
        if !mail.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let to_joe: Vec<&String> = mail
        .iter()
        .filter(|m| m.contains(owner.email.as_deref().unwrap()))
        .collect();
    assert_eq!(to_joe.len(), 1, "{mail:?}");
    assert!(to_joe[0].contains("Booked"), "{}", to_joe[0]);
    assert!(to_joe[0].contains("2008 Honda Civic"), "{}", to_joe[0]);
    // Maria batches daily: nothing for her yet, one digest at the summary time.
    let maria = frontdesk_profile::example()
        .people
        .into_iter()
        .find(|p| p.name.starts_with("Maria"))
        .unwrap();
    assert!(
        !mail
            .iter()
            .any(|m| m.contains(maria.email.as_deref().unwrap()))
    );
    let digests = h
        .store
        .jobs(JobStatus::Queued, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == "briefing.digest")
        .count();
    assert_eq!(digests, 1);
}

/// One webhook delivery: event type header, signature header, body.
type Delivery = (String, String, Vec<u8>);

#[tokio::test]
async fn crm_webhooks_are_signed_and_verify_with_the_shared_secret() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<Delivery>>> = Arc::default();
    let seen = received.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let seen = seen.clone();
                async move {
                    let h = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    seen.lock().unwrap().push((
                        h("x-frontdesk-event"),
                        h("x-frontdesk-signature"),
                        body.to_vec(),
                    ));
                    StatusCode::NO_CONTENT
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let mut profile = frontdesk_profile::example();
    profile.webhooks = vec![frontdesk_profile::WebhookConfig {
        url: format!("http://{addr}/hook"),
        secret_env: Some("FRONTDESK_SECRET_JOES_AUTO_HOOK".into()),
        events: vec!["appointment.booked".into(), "task.created".into()],
    }];
    let h = Harness::with_secrets(
        profile,
        vec![(
            "FRONTDESK_SECRET_JOES_AUTO_HOOK".into(),
            "s3cret-shared".into(),
        )],
    )
    .await;
    seven_step_by_sms(&h).await;
    h.drain().await;
    let got = received.lock().unwrap().clone();
    let booked: Vec<_> = got
        .iter()
        .filter(|(kind, _, _)| kind == "appointment.booked")
        .collect();
    assert_eq!(booked.len(), 1, "{got:?}");
    let (_, signature, body) = booked[0];
    let now = h.clock_now_secs();
    assert!(
        frontdesk_notify::verify(b"s3cret-shared", signature, body, now, 300),
        "{signature}"
    );
    assert!(!frontdesk_notify::verify(
        b"wrong", signature, body, now, 300
    ));
    let event: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(event["type"], "appointment.booked");
    assert_eq!(event["data"]["service_id"], "diagnostic");
}

impl Harness {
    fn clock_now_secs(&self) -> i64 {
        use frontdesk::clock::Clock;
        self.clock.now().as_second()
    }
}

#[tokio::test]
async fn a_seeded_days_summary_has_the_right_numbers() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let store = &h.store;
    let business = "joes-auto";
    // Tuesday Nov 24 (local): three calls and one text. One call booked (after hours), one missed,
    // one a callback; the text asked for hours.
    let seed = [
        (
            "2026-11-24T15:00:00Z",
            Channel::Voice,
            Some("callback"),
            vec!["price"],
            900,
        ),
        (
            "2026-11-24T16:00:00Z",
            Channel::Voice,
            Some("missed"),
            vec![],
            0,
        ),
        (
            "2026-11-25T01:30:00Z",
            Channel::Voice,
            Some("booked"),
            vec!["book", "price"],
            300,
        ),
        (
            "2026-11-24T20:00:00Z",
            Channel::Sms,
            None,
            vec!["hours"],
            600,
        ),
    ];
    for (i, (start, channel, outcome, intents, us)) in seed.iter().enumerate() {
        let contact = store
            .upsert_contact(business, &format!("+1512555020{i}"), at(start))
            .await
            .unwrap();
        let conv = store
            .open_conversation(&NewConversation {
                business_id: business.into(),
                contact_id: Some(contact.id),
                channel: *channel,
                external_id: None,
                started_at: at(start),
            })
            .await
            .unwrap();
        if *us > 0 {
            store
                .append_turn(&NewTurn {
                    conversation_id: conv.id,
                    speaker: Speaker::Caller,
                    text: "hi".into(),
                    understanding: Some(json!({"intents": intents, "services": ["oil_change"]})),
                    flow: None,
                    effects: vec![],
                    processing_us: None,
                    dedupe_key: None,
                    at: at(start),
                })
                .await
                .unwrap();
            let effects = if *outcome == Some("booked") {
                vec![json!({"kind": "book"})]
            } else {
                vec![]
            };
            store
                .append_turn(&NewTurn {
                    conversation_id: conv.id,
                    speaker: Speaker::Assistant,
                    text: "ok".into(),
                    understanding: None,
                    flow: Some("x".into()),
                    effects,
                    processing_us: Some(*us),
                    dedupe_key: None,
                    at: at(start),
                })
                .await
                .unwrap();
        }
        if let Some(o) = outcome {
            store
                .end_conversation(conv.id, at(start), o, None)
                .await
                .unwrap();
        }
    }
    // The booking itself, made at 7:30 PM (after hours).
    h.clock.set(at("2026-11-25T01:30:00Z"));
    let engine = h.app.directory().by_id(business).unwrap();
    let booked = frontdesk::booking::book(
        &h.app,
        engine.profile(),
        &frontdesk::booking::Request {
            service_id: "oil_change".into(),
            start: at("2026-11-26T14:00:00Z"),
            contact_id: None,
            vehicle: None,
            notes: None,
            source: "voice".into(),
            idempotency_key: None,
        },
    )
    .await
    .unwrap();
    assert!(matches!(booked, frontdesk::booking::Booking::Booked(_)));
    store
        .create_task(&frontdesk::store::NewTask {
            business_id: business.into(),
            contact_id: None,
            conversation_id: None,
            kind: frontdesk::store::TaskKind::Callback,
            urgency: "normal".into(),
            title: "call back".into(),
            context: json!({}),
            at: at("2026-11-24T15:00:00Z"),
            key: None,
        })
        .await
        .unwrap();

    let f = frontdesk::report::day(
        store.as_ref(),
        engine.profile(),
        jiff::civil::date(2026, 11, 24),
    )
    .await
    .unwrap();
    assert_eq!((f.calls, f.texts), (3, 1));
    assert_eq!((f.answered, f.missed), (3, 1));
    assert_eq!(f.booked, 1);
    assert_eq!(
        f.booked_value_cents,
        engine.profile().business.average_ticket_cents
    );
    assert_eq!(f.open_callbacks, 1);
    assert_eq!(f.median_response_ms, 0.6);
    assert_eq!(f.p95_response_ms, 0.9);
    assert_eq!(f.top_questions[0], ("oil change".to_string(), 3));
    assert!((f.booking_rate - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(f.after_hours, 1, "the 7:30 PM call");
    assert_eq!(
        f.recovered_revenue_cents,
        engine.profile().business.average_ticket_cents
    );
    let text = frontdesk::report::render(engine.profile(), &f, false);
    assert!(text.contains("Calls 3, texts 1"), "{text}");
    // The CSV export lists the booking with its local time.
    let csv = frontdesk::export::csv(store.as_ref(), engine.profile(), "appointments")
        .await
        .unwrap();
    assert!(
        csv.lines().nth(1).unwrap().contains("2026-11-26 08:00"),
        "{csv}"
    );
    assert!(
        frontdesk::export::csv(store.as_ref(), engine.profile(), "invoices")
            .await
            .is_err()
    );
}

async fn with_model(
    h: &mut Harness,
    script: Vec<frontdesk_llm::fake::Behaviour>,
) -> frontdesk_llm::fake::FakeLlm {
    let (fake, base) = frontdesk_llm::fake::FakeLlm::start(script).await;
    let llm = frontdesk_llm::Llm::new(frontdesk_llm::LlmConfig {
        base_url: base,
        model: "test-model".into(),
        api_key: None,
        voice_deadline: std::time::Duration::from_millis(500),
        sms_deadline: std::time::Duration::from_millis(2000),
        output: frontdesk_llm::Output::Auto,
        stream: false,
    });
    h.app = h.app.clone().with_llm(Some(llm));
    h.router = frontdesk::http::router(h.app.clone());
    // The model reads the call's substantive turns and adds nothing; the script is the summary.
    fake.read_with(Vec::new());
    fake
}

fn owner_text(h: &Harness) -> String {
    let owner = frontdesk_profile::example()
        .people
        .into_iter()
        .find(|p| p.name.starts_with("Joe"))
        .unwrap();
    h.fake
        .texts()
        .iter()
        .find(|t| t.field("To") == owner.phone.as_deref())
        .expect("the owner got a text")
        .field("Body")
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn with_a_model_the_briefing_carries_its_summary_of_the_call() {
    use frontdesk_llm::fake::Behaviour;
    let mut h = Harness::new(frontdesk_profile::example()).await;
    // The model reads the call's substantive turns (an empty reading) and writes the summary.
    let fake = with_model(&mut h, vec![Behaviour::Answer(json!({"summary": "Sam's check engine light is on; booked a diagnostic for Thursday at 2 PM."}))]).await;
    seven_step_by_sms(&h).await;
    h.drain().await;
    let body = owner_text(&h);
    assert!(
        body.contains("Sam's check engine light is on; booked a diagnostic"),
        "{body}"
    );
    let summaries = fake
        .requests()
        .iter()
        .filter(|r| r.body.to_string().contains("report_summary"))
        .count();
    assert_eq!(summaries, 1, "one summary request");
}

#[tokio::test]
async fn a_model_summary_that_invents_a_time_a_price_or_a_number_is_refused() {
    use frontdesk_llm::fake::Behaviour;
    let mut h = Harness::new(frontdesk_profile::example()).await;
    with_model(
        &mut h,
        vec![Behaviour::Answer(
            json!({"summary": "Sam booked Friday at 9 AM, owes $500; call him at 512-555-0199."}),
        )],
    )
    .await;
    seven_step_by_sms(&h).await;
    h.drain().await;
    let body = owner_text(&h);
    assert!(
        !body.contains("$500") && !body.contains("0199") && !body.contains("Friday at 9"),
        "{body}"
    );
    assert!(
        body.contains("Thu Nov 26, 2:00 PM"),
        "the composed briefing still goes out: {body}"
    );
}
