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
