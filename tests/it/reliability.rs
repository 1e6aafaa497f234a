//! Nothing lost, nothing doubled: texts that arrive at the same moment, duplicate deliveries,
//! Twilio slow or failing while a text is sent, a worker that dies mid-send, and a slow send
//! that must not hold up someone else's reply. Each came from a probe of the running binary.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use frontdesk::clock::Clock;
use frontdesk::jobs::Ran;
use jiff::SignedDuration;

use crate::support::{TestDb, on_both_databases};
use crate::twilio::{CALLER, Harness, SHOP_NUMBER, gather_action, sms_params, voice_params};

async fn harness(db: TestDb) -> Arc<Harness> {
    Arc::new(Harness::on(db, vec![frontdesk_profile::example()], None, Vec::new()).await)
}

fn texts_to(h: &Harness, to: &str) -> Vec<String> {
    h.texts_to(to)
}

/// Thirty people each send "hi" and a price question at the same moment.
async fn thirty_people_texting_twice_at_once_each_get_both_replies_and_no_webhook_fails(
    db: TestDb,
) {
    let h = harness(db).await;
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..30 {
        for (n, body) in [(0, "hi"), (1, "how much is an oil change?")] {
            let h = h.clone();
            sends.spawn(async move {
                let from = format!("+1512555{:04}", 2000 + i);
                let sid = format!("SM{i:02}x{n}");
                h.post("/twilio/sms", &sms_params(&sid, &from, body)).await
            });
        }
    }
    let mut statuses = Vec::new();
    while let Some(done) = sends.join_next().await {
        statuses.push(done.unwrap().0);
    }
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "every webhook answers 200: {statuses:?}"
    );
    h.drain().await;
    for i in 0..30 {
        let from = format!("+1512555{:04}", 2000 + i);
        let texts = texts_to(&h, &from);
        assert_eq!(texts.len(), 2, "{from} gets one reply per text: {texts:?}");
        assert!(
            texts.iter().any(|t| t.contains('$')),
            "{from} hears the price: {texts:?}"
        );
    }
}
on_both_databases!(thirty_people_texting_twice_at_once_each_get_both_replies_and_no_webhook_fails);

/// Twilio delivers one text five times at once: every copy gets 200, one reply leaves.
async fn five_copies_of_one_text_at_once_all_answer_200_and_one_reply_leaves(db: TestDb) {
    let h = harness(db).await;
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let h = h.clone();
        sends.spawn(async move {
            h.post(
                "/twilio/sms",
                &sms_params("SMdup", CALLER, "do you do brake jobs?"),
            )
            .await
        });
    }
    while let Some(done) = sends.join_next().await {
        assert_eq!(done.unwrap().0, StatusCode::OK);
    }
    h.drain().await;
    assert_eq!(texts_to(&h, CALLER).len(), 1, "{:?}", texts_to(&h, CALLER));
}
on_both_databases!(five_copies_of_one_text_at_once_all_answer_200_and_one_reply_leaves);

/// A voice turn delivered twice at once: both copies get the same TwiML with 200 (Twilio would
/// otherwise say "an application error has occurred").
async fn a_voice_turn_delivered_twice_at_once_gets_the_same_answer_twice(db: TestDb) {
    let h = harness(db).await;
    let (_, twiml) = h
        .post("/twilio/voice", &voice_params("CA900", CALLER))
        .await;
    let action = gather_action(&twiml);
    let mut params = voice_params("CA900", CALLER);
    params.push(("SpeechResult", "how much is an oil change"));
    params.push(("Confidence", "0.9"));
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut copies = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (h, action, params) = (h.clone(), action.clone(), params.clone());
        copies.spawn(async move {
            let borrowed: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            h.post(&action, &borrowed).await
        });
    }
    let mut answers = Vec::new();
    while let Some(done) = copies.join_next().await {
        let (status, body) = done.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        answers.push(body);
    }
    assert!(answers[0].contains('$'), "{}", answers[0]);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
}
on_both_databases!(a_voice_turn_delivered_twice_at_once_gets_the_same_answer_twice);

#[tokio::test]
async fn a_redelivered_text_whose_reply_was_stored_but_never_queued_sends_it() {
    let h = harness(crate::support::sqlite().await).await;
    // What an earlier version could leave behind: the reply stored, its text never queued.
    let engine = h.app.directory().for_number(SHOP_NUMBER).unwrap();
    let conv = frontdesk::runtime::texts::sms_conversation(&h.app, engine.profile(), CALLER)
        .await
        .unwrap();
    let now = h.clock.now();
    for (speaker, text, key) in [
        (
            frontdesk::store::Speaker::Caller,
            "are you open today?",
            "SMlost",
        ),
        (
            frontdesk::store::Speaker::Assistant,
            "We're open until 6 PM today.",
            "SMlost#reply",
        ),
    ] {
        h.store
            .append_turn(&frontdesk::store::NewTurn {
                conversation_id: conv,
                speaker,
                text: text.into(),
                understanding: None,
                flow: None,
                effects: Vec::new(),
                processing_us: None,
                dedupe_key: Some(key.into()),
                at: now,
            })
            .await
            .unwrap();
    }
    let (status, _) = h
        .post(
            "/twilio/sms",
            &sms_params("SMlost", CALLER, "are you open today?"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    h.drain().await;
    assert_eq!(texts_to(&h, CALLER), vec!["We're open until 6 PM today."]);
}

async fn timed_out_harness() -> Arc<Harness> {
    Arc::new(
        Harness::tuned(
            crate::support::sqlite().await,
            vec![frontdesk_profile::example()],
            None,
            Vec::new(),
            |s| s.twilio_timeout_ms = Some(300),
        )
        .await,
    )
}

#[tokio::test]
async fn a_text_twilio_took_too_long_to_accept_is_looked_up_and_not_sent_twice() {
    let h = timed_out_harness().await;
    h.fake
        .slow
        .lock()
        .unwrap()
        .push((CALLER.to_string(), Duration::from_millis(1200)));
    h.post(
        "/twilio/sms",
        &sms_params("SMslow", CALLER, "are you open saturday?"),
    )
    .await;
    let first = h.drain().await;
    assert!(
        matches!(first.as_slice(), [Ran::Retrying(..)]),
        "the client gave up: {first:?}"
    );
    // Not sent again at once: the next attempt waits a minute for Twilio's list to show it.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    h.clock.advance(SignedDuration::from_secs(11));
    assert!(h.drain().await.is_empty(), "nothing due after ten seconds");
    h.clock.advance(SignedDuration::from_secs(50));
    let second = h.drain().await;
    assert!(matches!(second.as_slice(), [Ran::Done(..)]), "{second:?}");
    let posts = h
        .fake
        .texts()
        .iter()
        .filter(|t| t.field("To") == Some(CALLER))
        .count();
    assert_eq!(posts, 1, "Twilio had it: no second send");
    assert!(*h.fake.lookups.lock().unwrap() >= 1);
}

#[tokio::test]
async fn a_text_whose_worker_died_mid_send_is_not_sent_again_when_its_lease_runs_out() {
    let h = harness(crate::support::sqlite().await).await;
    h.post(
        "/twilio/sms",
        &sms_params("SMkill", CALLER, "are you open saturday?"),
    )
    .await;
    // A worker takes the reply and dies just after Twilio created the message.
    let job = h
        .store
        .claim_job("dying-worker", h.clock.now(), SignedDuration::from_secs(60))
        .await
        .unwrap()
        .expect("the reply is queued");
    let sms: frontdesk::outbox::SmsJob = serde_json::from_value(job.payload.clone()).unwrap();
    let client = frontdesk_twilio::rest::Client::new("AC00000000000000000000000000000000", "t")
        .with_base(h.app.settings.twilio_api_base.clone().unwrap());
    client
        .send_message(frontdesk_twilio::rest::MessageRequest {
            to: sms.to.clone(),
            from: sms.from.clone(),
            body: sms.body.clone(),
            status_callback: None,
        })
        .await
        .unwrap();
    h.clock.advance(SignedDuration::from_secs(61));
    let ran = h.drain().await;
    assert!(matches!(ran.as_slice(), [Ran::Done(..)]), "{ran:?}");
    assert_eq!(texts_to(&h, CALLER).len(), 1, "{:?}", texts_to(&h, CALLER));
}

#[tokio::test]
async fn every_attempt_to_send_one_text_carries_the_same_idempotency_token() {
    let h = harness(crate::support::sqlite().await).await;
    h.fake.script.lock().unwrap().push_back((
        503,
        r#"{"code": 20500, "message": "Service unavailable", "status": 503}"#.into(),
    ));
    h.post(
        "/twilio/sms",
        &sms_params("SMtok", CALLER, "are you open saturday?"),
    )
    .await;
    h.drain().await;
    h.clock.advance(SignedDuration::from_secs(11));
    h.drain().await;
    let posts: Vec<_> = h
        .fake
        .texts()
        .into_iter()
        .filter(|t| t.field("To") == Some(CALLER))
        .collect();
    assert_eq!(
        posts.len(),
        2,
        "Twilio created nothing the first time: sent again"
    );
    let token = posts[0].idempotency.clone().expect("a token");
    assert_eq!(posts[1].idempotency.as_deref(), Some(token.as_str()));
    assert_eq!(texts_to(&h, CALLER).len(), 1);
}

#[tokio::test]
async fn a_reply_is_sent_before_follow_ups_that_were_due_earlier() {
    let h = harness(crate::support::sqlite().await).await;
    for i in 0..5 {
        let sms = frontdesk::outbox::SmsJob::new(
            &format!("+1512555{:04}", 3000 + i),
            SHOP_NUMBER,
            "Reminder: your appointment is tomorrow.",
            "reminder",
        );
        frontdesk::outbox::enqueue(&h.app, "joes-auto", &sms, &format!("rem{i}"), None)
            .await
            .unwrap();
    }
    h.clock.advance(SignedDuration::from_secs(1));
    h.post(
        "/twilio/sms",
        &sms_params("SMfirst", CALLER, "are you open saturday?"),
    )
    .await;
    let worker = frontdesk::serve::worker(&h.app);
    let Some(Ran::Done(job)) = worker.run_next().await.unwrap() else {
        panic!("a job ran")
    };
    assert_eq!(job.payload["purpose"], "reply", "{job:?}");
}

#[tokio::test]
async fn a_slow_twilio_call_does_not_hold_up_another_callers_reply() {
    let h = harness(crate::support::sqlite().await).await;
    let slow = "+15125554000";
    h.fake
        .slow
        .lock()
        .unwrap()
        .push((slow.to_string(), Duration::from_secs(3)));
    let sms = frontdesk::outbox::SmsJob::new(slow, SHOP_NUMBER, "Your car is due.", "reminder");
    frontdesk::outbox::enqueue(&h.app, "joes-auto", &sms, "slow-one", None)
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(frontdesk::serve::worker(&h.app).run(stopped));
    // The slow send is under way before the caller texts.
    while !h
        .fake
        .timeline
        .lock()
        .unwrap()
        .contains(&("start", slow.to_string()))
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.post(
        "/twilio/sms",
        &sms_params("SMquick", CALLER, "are you open saturday?"),
    )
    .await;
    while !h
        .fake
        .timeline
        .lock()
        .unwrap()
        .contains(&("end", CALLER.to_string()))
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let timeline = h.fake.timeline.lock().unwrap().clone();
    let _ = stop.send(true);
    let _ = worker.await;
    let end = |to: &str| timeline.iter().position(|e| *e == ("end", to.to_string()));
    assert!(
        end(slow).is_none_or(|slow_end| end(CALLER).unwrap() < slow_end),
        "the reply left while the slow send was still waiting: {timeline:?}"
    );
}

async fn api_book(h: &Harness, start: &str, phone: &str) -> (StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let body = serde_json::json!({"service": "oil_change", "start": start, "name": "Sam Lee",
        "phone": phone});
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/appointments")
        .header("authorization", "Bearer operator")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let resp = h.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[tokio::test]
async fn one_number_cannot_hold_more_upcoming_appointments_than_the_profile_allows() {
    let h = harness(crate::support::sqlite().await).await;
    let phone = "+15125554321";
    // Both bays at the same time for the same car, then a third: the profile allows three.
    for start in [
        "2026-11-26T09:00:00-06:00",
        "2026-11-26T09:00:00-06:00",
        "2026-11-26T10:00:00-06:00",
    ] {
        let (status, body) = api_book(&h, start, phone).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = api_book(&h, "2026-11-26T11:00:00-06:00", phone).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("already has 3"),
        "{body}"
    );
    // Another customer still books.
    let (status, _) = api_book(&h, "2026-11-26T11:00:00-06:00", "+15125554322").await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_storm_of_briefings_about_one_caller_texts_the_owner_once_and_batches_the_rest() {
    let h = harness(crate::support::sqlite().await).await;
    let engine = h.app.directory().for_number(SHOP_NUMBER).unwrap();
    for i in 0..20 {
        let briefing = frontdesk_notify::Briefing {
            business: "Joe's Auto Repair".into(),
            caller_name: None,
            caller_phone: Some("+15125554321".into()),
            about: "oil change".into(),
            outcome: "booked".into(),
            appointment: None,
            task: None,
            summary: format!("booking number {i}"),
            urgent: false,
            link: None,
        };
        frontdesk::briefings::fan_out(&h.app, engine.profile(), &briefing, &format!("b{i}"))
            .await
            .unwrap();
    }
    let owner = "+15125550142";
    let queued = h
        .store
        .jobs(frontdesk::store::JobStatus::Queued, 500)
        .await
        .unwrap();
    let texts_now = queued
        .iter()
        .filter(|j| j.kind == "sms.send" && j.payload["to"] == owner)
        .count();
    let digests = queued
        .iter()
        .filter(|j| j.kind == "briefing.digest" && j.payload["person"] == 0)
        .count();
    assert_eq!(texts_now, 1, "one text at once");
    assert_eq!(digests, 1, "the rest in one digest");
}

#[tokio::test]
async fn a_number_a_texter_gives_that_never_wrote_to_the_shop_gets_a_consent_text_not_the_confirmation()
 {
    let h = harness(crate::support::sqlite().await).await;
    let other = "+15125550199";
    for (i, said) in [
        "Hi do you guys do brake jobs? how much",
        "yes",
        "Thursday afternoon",
        "2:30",
        "Chris 2016 F150, text him at 512 555 0199",
        "yep",
    ]
    .iter()
    .enumerate()
    {
        let (status, _) = h
            .post("/twilio/sms", &sms_params(&format!("SMc{i}"), CALLER, said))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    h.drain().await;
    let to_other = texts_to(&h, other);
    assert_eq!(to_other.len(), 1, "{to_other:?}");
    assert!(to_other[0].contains("Reply YES"), "{to_other:?}");
    let mine = texts_to(&h, CALLER);
    assert!(mine.iter().any(|t| t.contains("all set")), "{mine:?}");
    let texter = h
        .store
        .contact_by_phone("joes-auto", CALLER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(texter.name, None, "the texter is not renamed Chris");
    // The number answers YES: from now on it is texted.
    h.post("/twilio/sms", &sms_params("SMyes", other, "YES"))
        .await;
    let them = h
        .store
        .contact_by_phone("joes-auto", other)
        .await
        .unwrap()
        .unwrap();
    assert!(!them.opted_out);
}

#[tokio::test]
async fn the_owner_text_links_to_the_conversation_page_that_exists() {
    let h = harness(crate::support::sqlite().await).await;
    h.post(
        "/twilio/sms",
        &sms_params("SMlink", CALLER, "my car is smoking, can someone call me"),
    )
    .await;
    h.drain().await;
    let owner = texts_to(&h, "+15125550142");
    let link = owner
        .iter()
        .find_map(|t| t.split_whitespace().find(|w| w.contains("/conversations/")))
        .unwrap_or_else(|| panic!("a link in {owner:?}"));
    assert!(
        link.starts_with("https://frontdesk.example/b/joes-auto/conversations/"),
        "{link}"
    );
}

#[tokio::test]
async fn a_text_whose_from_is_empty_or_not_a_number_is_refused_with_400() {
    let h = harness(crate::support::sqlite().await).await;
    for from in ["", "client:alice"] {
        let (status, body) = h
            .post("/twilio/sms", &sms_params("SMbad", from, "hello"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{from:?}: {body}");
    }
    assert!(h.store.contacts("joes-auto", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_call_from_a_twilio_client_is_answered_and_books_but_is_never_texted() {
    let h = harness(crate::support::sqlite().await).await;
    let (status, mut twiml) = h
        .post("/twilio/voice", &voice_params("CAclient", "client:alice"))
        .await;
    assert_eq!(status, StatusCode::OK);
    for said in [
        "Hi, my check engine light is on",
        "Do you have anything Thursday at 2 PM?",
        "Sam, 2008 Civic",
        "Yes",
    ] {
        let mut params = voice_params("CAclient", "client:alice");
        params.push(("SpeechResult", said));
        params.push(("Confidence", "0.9"));
        let (status, next) = h.post(&gather_action(&twiml), &params).await;
        assert_eq!(status, StatusCode::OK, "{next}");
        twiml = next;
    }
    assert!(twiml.contains("all set"), "{twiml}");
    let mut done = voice_params("CAclient", "client:alice");
    done[4] = ("CallStatus", "completed");
    let (status, _) = h.post("/twilio/status", &done).await;
    assert!(status.is_success());
    h.drain().await;
    assert!(
        h.fake
            .texts()
            .iter()
            .all(|t| t.field("To").is_some_and(|to| to.starts_with('+'))),
        "nothing is texted to a client identity: {:?}",
        h.fake.texts()
    );
}

#[tokio::test]
async fn a_gather_turn_for_a_conversation_that_does_not_exist_starts_over_instead_of_failing() {
    let h = harness(crate::support::sqlite().await).await;
    let mut params = voice_params("CAghost", CALLER);
    params.push(("SpeechResult", "I need an oil change"));
    let (status, twiml) = h
        .post(
            "/twilio/voice/turn?c=0190a0a0-0000-7000-8000-000000000000&t=3",
            &params,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{twiml}");
    assert!(twiml.contains("<Gather"), "{twiml}");
}

#[tokio::test]
async fn a_bare_cancel_opts_out_says_so_and_says_how_to_opt_back_in() {
    let h = harness(crate::support::sqlite().await).await;
    let (status, _) = h
        .post("/twilio/sms", &sms_params("SMcx", CALLER, "cancel"))
        .await;
    assert_eq!(status, StatusCode::OK);
    h.drain().await;
    let texts = texts_to(&h, CALLER);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("unsubscribed"), "{texts:?}");
    assert!(texts[0].contains("START"), "{texts:?}");
}

#[tokio::test]
async fn texts_from_someone_who_opted_out_are_kept_but_do_not_move_the_conversation() {
    let h = harness(crate::support::sqlite().await).await;
    h.post(
        "/twilio/sms",
        &sms_params("SMo1", CALLER, "how much is an oil change?"),
    )
    .await;
    h.post("/twilio/sms", &sms_params("SMo2", CALLER, "STOP"))
        .await;
    let engine = h.app.directory().for_number(SHOP_NUMBER).unwrap();
    let conv = frontdesk::runtime::texts::sms_conversation(&h.app, engine.profile(), CALLER)
        .await
        .unwrap();
    let before = h
        .store
        .conversation("joes-auto", conv)
        .await
        .unwrap()
        .unwrap();
    h.post(
        "/twilio/sms",
        &sms_params("SMo3", CALLER, "yes book it for tomorrow"),
    )
    .await;
    let after = h
        .store
        .conversation("joes-auto", conv)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(before.version, after.version, "the state did not move");
    let turns = h.store.turns(conv).await.unwrap();
    assert!(
        turns.iter().any(|t| t.text == "yes book it for tomorrow"),
        "the text is kept in the transcript"
    );
}

/// At the read-back, two "yes" texts arrive at the same moment: one booking, one confirmation,
/// one owner text (a lost turn used to leave the state stale, and the second yes booked again).
async fn two_yeses_at_once_book_once_and_confirm_once(db: TestDb) {
    let h = harness(db).await;
    for (i, said) in [
        "Hi do you guys do brake jobs? how much",
        "yes",
        "Thursday afternoon",
        "2:30",
        "Chris 2016 F150",
    ]
    .iter()
    .enumerate()
    {
        h.post("/twilio/sms", &sms_params(&format!("SMy{i}"), CALLER, said))
            .await;
    }
    let mut yeses = tokio::task::JoinSet::new();
    for sid in ["SMyes1", "SMyes2"] {
        let h = h.clone();
        yeses.spawn(async move { h.post("/twilio/sms", &sms_params(sid, CALLER, "yep")).await });
    }
    while let Some(done) = yeses.join_next().await {
        assert_eq!(done.unwrap().0, StatusCode::OK);
    }
    h.drain().await;
    let contact = h
        .store
        .contact_by_phone("joes-auto", CALLER)
        .await
        .unwrap()
        .unwrap();
    let booked = h
        .store
        .appointments_of_contact("joes-auto", contact.id)
        .await
        .unwrap();
    assert_eq!(booked.len(), 1, "{booked:?}");
    let texts = texts_to(&h, CALLER);
    let count = |needle: &str| texts.iter().filter(|t| t.contains(needle)).count();
    assert_eq!(
        count("all set"),
        1,
        "one reply says it is booked: {texts:?}"
    );
    assert_eq!(
        count("you're booked"),
        1,
        "one confirmation text: {texts:?}"
    );
    assert_eq!(texts_to(&h, "+15125550142").len(), 1, "one owner text");
}
on_both_databases!(two_yeses_at_once_book_once_and_confirm_once);
