//! The seven-step call of DESIGN.md end to end over HTTP: a caller with a check engine light at
//! 7:30 PM on a Tuesday ends up booked for Thursday at 2 PM — by voice (signed webhooks, the
//! speech loop), by SMS (through the outbox to the local Twilio-compatible endpoint), and over
//! ConversationRelay's WebSocket, which streams replies and hands off to a person.

use axum::http::StatusCode;
use futures::{SinkExt, StreamExt};
use jiff::Timestamp;
use tokio_tungstenite::tungstenite::Message;

use crate::twilio::{CALLER, Harness, SHOP_NUMBER, TOKEN, gather_action};

fn thursday_two_pm() -> Timestamp {
    "2026-11-26T20:00:00Z".parse().unwrap()
}

async fn booked_thursday(h: &Harness) -> bool {
    let range = frontdesk::store::Range {
        from: "2026-11-26T00:00:00Z".parse().unwrap(),
        to: "2026-11-28T00:00:00Z".parse().unwrap(),
    };
    h.store
        .appointments("joes-auto", range)
        .await
        .unwrap()
        .iter()
        .any(|a| a.service_id == "diagnostic" && a.start == thursday_two_pm())
}

#[tokio::test]
async fn a_signed_call_books_thursday_at_2_for_a_check_engine_light() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let call = |speech: &'static str| {
        vec![
            ("CallSid", "CA700"),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", CALLER),
            ("To", SHOP_NUMBER),
            ("SpeechResult", speech),
            ("Confidence", "0.92"),
        ]
    };
    let (_, twiml) = h
        .post(
            "/twilio/voice",
            &[
                ("CallSid", "CA700"),
                ("AccountSid", "AC00000000000000000000000000000000"),
                ("From", CALLER),
                ("To", SHOP_NUMBER),
                ("CallStatus", "ringing"),
                ("Direction", "inbound"),
            ],
        )
        .await;
    let mut action = gather_action(&twiml);
    let mut heard = Vec::new();
    let mut last_action = String::new();
    for said in [
        "my check engine light came on",
        "do you have thursday at 2 pm",
        "it's Sam, a 2008 Honda Civic",
        "yes please",
    ] {
        let (status, twiml) = h.post(&action, &call(said)).await;
        assert_eq!(status, StatusCode::OK, "{twiml}");
        heard.push(twiml.clone());
        last_action = std::mem::replace(&mut action, gather_action(&twiml));
    }
    // Twilio redelivers the last turn: the same answer, nothing booked or texted twice.
    let last = heard.last().unwrap().clone();
    let (_, again) = h.post(&last_action, &call("yes please")).await;
    assert_eq!(again, last);
    assert!(
        heard[0].contains("$129") || heard[0].contains("129"),
        "the price in the same breath: {}",
        heard[0]
    );
    assert!(last.contains("Thursday at 2 PM"), "{last}");
    assert!(booked_thursday(&h).await, "the appointment is in the store");
    h.drain().await;
    let texts: Vec<_> = h
        .fake
        .texts()
        .into_iter()
        .filter(|t| t.field("To") == Some(CALLER))
        .collect();
    assert_eq!(
        texts.len(),
        1,
        "one confirmation text to the caller: {texts:?}"
    );
    assert!(
        texts[0]
            .field("Body")
            .unwrap()
            .contains("Thursday, November 26 at 2 PM"),
        "{texts:?}"
    );
    let range = frontdesk::store::Range {
        from: "2026-11-26T00:00:00Z".parse().unwrap(),
        to: "2026-11-28T00:00:00Z".parse().unwrap(),
    };
    assert_eq!(
        h.store
            .appointments("joes-auto", range)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_text_conversation_books_thursday_at_2_and_the_confirmation_leaves_through_the_outbox() {
    let h = Harness::new(frontdesk_profile::example()).await;
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
        (
            "SM701",
            "hi my check engine light is on, can you look at it?",
        ),
        ("SM702", "Thursday 2pm?"),
        ("SM703", "Sam. 2008 civic"),
        ("SM704", "yes"),
    ] {
        let (status, _) = h.post("/twilio/sms", &sms(sid, body)).await;
        assert_eq!(status, StatusCode::OK);
        h.drain().await;
    }
    assert!(booked_thursday(&h).await);
    let bodies: Vec<String> = h
        .fake
        .texts()
        .iter()
        .map(|t| t.field("Body").unwrap().to_string())
        .collect();
    assert!(bodies.len() >= 4, "{bodies:?}");
    assert!(
        bodies.iter().any(|b| b.contains("Reply C to confirm")),
        "{bodies:?}"
    );
}

#[tokio::test]
async fn the_relay_websocket_streams_replies_and_hands_a_caller_who_wants_a_person_to_the_shop() {
    let mut h = Harness::new(frontdesk_profile::example()).await;
    // A real socket, with the public URL pointing at it so the wss signature checks out.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = frontdesk::app::Settings {
        public_url: Some(format!("http://{addr}")),
        voice_mode: Some("relay".into()),
        ..(*h.app.settings).clone()
    };
    let app = frontdesk::app::App::new(
        h.store.clone(),
        h.clock.clone(),
        vec![frontdesk_profile::example()],
        settings,
    );
    h.router = frontdesk::http::router(app.clone());
    let server = frontdesk::http::router(app);
    tokio::spawn(async move { axum::serve(listener, server).await });
    // Wednesday 10 AM: the shop is open, so a person is offered.
    h.clock.set("2026-11-25T16:00:00Z".parse().unwrap());

    let params: Vec<(String, String)> = [
        ("CallSid", "CA800"),
        ("AccountSid", "AC00000000000000000000000000000000"),
        ("From", CALLER),
        ("To", SHOP_NUMBER),
        ("CallStatus", "ringing"),
        ("Direction", "inbound"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signature = frontdesk_twilio::signature::compute(
        TOKEN,
        &format!("http://{addr}/twilio/voice"),
        &params,
    );
    let (_, twiml) = h.post_signed("/twilio/voice", &params, &signature).await;
    assert!(twiml.contains("<Connect"), "{twiml}");
    assert!(twiml.contains("<ConversationRelay"), "{twiml}");
    assert!(twiml.contains("welcomeGreeting="), "{twiml}");
    let conversation = twiml
        .split("name=\"conversation\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();

    let ws_url = format!("ws://{addr}/twilio/relay");
    let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        ws_url.as_str(),
    )
    .unwrap();
    // A forged handshake is refused.
    req.headers_mut()
        .insert("x-twilio-signature", "forged".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(req.clone()).await.is_err());
    let good = frontdesk_twilio::signature::compute(TOKEN, &ws_url, &[]);
    req.headers_mut()
        .insert("x-twilio-signature", good.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("signed handshake accepted");

    let setup = serde_json::json!({"type": "setup", "sessionId": "VX1", "callSid": "CA800", "from": CALLER, "to": SHOP_NUMBER,
        "direction": "inbound", "customParameters": {"conversation": conversation}});
    ws.send(Message::Text(setup.to_string().into()))
        .await
        .unwrap();
    let prompt = |text: &str| {
        serde_json::json!({"type": "prompt", "voicePrompt": text, "lang": "en-US", "last": true})
            .to_string()
    };
    ws.send(Message::Text(
        prompt("how much is an oil change and are you open saturday").into(),
    ))
    .await
    .unwrap();
    let mut tokens = Vec::new();
    loop {
        let Message::Text(frame) = ws.next().await.unwrap().unwrap() else {
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(frame.as_str()).unwrap();
        assert_eq!(v["type"], "text", "{v}");
        tokens.push(v["token"].as_str().unwrap().to_string());
        if v["last"] == true {
            break;
        }
    }
    let said = tokens.concat();
    assert!(
        tokens.len() >= 2,
        "streamed sentence by sentence: {tokens:?}"
    );
    assert!(said.contains("49.99"), "{said}");
    assert!(said.to_lowercase().contains("saturday"), "{said}");
    // An interruption is recorded with what the caller actually heard.
    ws.send(Message::Text(serde_json::json!({"type": "interrupt", "utteranceUntilInterrupt": "An oil change is", "durationUntilInterruptMs": "850"}).to_string().into())).await.unwrap();

    ws.send(Message::Text(
        prompt("can I talk to a real person please").into(),
    ))
    .await
    .unwrap();
    let handoff = loop {
        let Message::Text(frame) = ws.next().await.unwrap().unwrap() else {
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(frame.as_str()).unwrap();
        if v["type"] == "end" {
            break v;
        }
    };
    let data: serde_json::Value = serde_json::from_str(
        handoff["handoffData"]
            .as_str()
            .expect("handoffData is a string"),
    )
    .unwrap();
    assert_eq!(data["reason"], "transfer");
    // Twilio then calls the Connect action with the handoff: a screened warm transfer.
    let mut after = params.clone();
    after.push((
        "HandoffData".into(),
        handoff["handoffData"].as_str().unwrap().to_string(),
    ));
    after.push(("SessionStatus".into(), "ended".into()));
    let path = format!("/twilio/voice/after?stage=relay&c={conversation}");
    let signature =
        frontdesk_twilio::signature::compute(TOKEN, &format!("http://{addr}{path}"), &after);
    let (_, dial) = h.post_signed(&path, &after, &signature).await;
    assert!(dial.contains("<Dial"), "{dial}");
    assert!(
        dial.contains("/twilio/voice/screen?stage=transfer"),
        "{dial}"
    );
    let turns = h.store.turns(conversation.parse().unwrap()).await.unwrap();
    assert!(
        turns.iter().any(|t| t.text.contains("An oil change is")),
        "the interruption is in the transcript"
    );
}
