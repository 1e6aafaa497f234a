//! Repair status, estimate approval by text and the shared inbox, end to end through real HTTP:
//! the operator API, webhooks signed as Twilio signs them, the dashboard's forms, and the texts
//! the customer gets from the fake Twilio (which speaks Twilio's wire format).

use std::sync::Arc;

use axum::http::StatusCode;
use frontdesk::clock::Clock;
use frontdesk::store::{EstimateAnswer, Speaker, WorkStatus};
use jiff::SignedDuration;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{TestDb, csrf_of, on_both_databases};
use crate::twilio::{Harness, gather_action, sms_params, voice_params};

/// The customer (not anyone on the shop's staff list).
const DANA: &str = "+15125550177";
/// Joe, the owner, who is told of things at once by text.
const JOE: &str = "+15125550142";

async fn harness(db: TestDb) -> Arc<Harness> {
    Arc::new(Harness::on(db, vec![frontdesk_profile::example()], None, Vec::new()).await)
}

async fn api(h: &Harness, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", "Bearer operator");
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            axum::body::Body::from(b.to_string())
        }
        None => axum::body::Body::empty(),
    };
    let resp = h
        .router
        .clone()
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

/// Dana's brake job, Thursday Nov 26 at 9 AM, with her Camry.
async fn dana_booked(h: &Harness) -> String {
    let (status, body) = api(
        h,
        "POST",
        "/api/appointments",
        Some(
            json!({"service": "brake_inspection", "start": "2026-11-26T09:00:00-06:00",
            "name": "Dana Ortiz", "phone": DANA,
            "vehicle": {"year": 2017, "make": "Toyota", "model": "Camry"}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Thursday, the car is at the shop.
    h.clock.set("2026-11-26T16:00:00Z".parse().unwrap());
    body["id"].as_str().unwrap().to_string()
}

async fn set(h: &Harness, id: &str, body: Value) -> (StatusCode, Value) {
    api(
        h,
        "POST",
        &format!("/api/appointments/{id}/status"),
        Some(body),
    )
    .await
}

fn texts_to(h: &Harness, to: &str) -> Vec<String> {
    h.texts_to(to)
        .into_iter()
        // The appointment's own reminder is followups' business, not this file's.
        .filter(|b| !b.starts_with("Reminder from"))
        .collect()
}

async fn a_car_set_ready_through_the_api_texts_the_customer_its_pickup_hours_and_address(
    db: TestDb,
) {
    let h = harness(db).await;
    let id = dana_booked(&h).await;
    let (status, body) = set(&h, &id, json!({"status": "checked_in"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["work"]["status"], "checked_in");
    h.drain().await;
    assert!(
        texts_to(&h, DANA).is_empty(),
        "checking in texts nobody by default"
    );

    let (status, _) = set(
        &h,
        &id,
        json!({"status": "ready", "note": "rotors were fine"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    h.drain().await;
    let texts = texts_to(&h, DANA);
    assert_eq!(texts.len(), 1, "{texts:?}");
    let t = &texts[0];
    assert!(
        t.contains("Hi Dana") && t.contains("your 2017 Toyota Camry is ready for pickup"),
        "{t}"
    );
    assert!(
        t.contains("We're open until") && t.contains("4120 Burnet Rd"),
        "{t}"
    );
    assert!(t.contains("rotors were fine"), "{t}");

    // The API lists it by status, and refuses a status it does not know.
    let (status, list) = api(
        &h,
        "GET",
        "/api/appointments?from=2026-11-26&status=ready",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["appointments"].as_array().unwrap().len(), 1, "{list}");
    let (_, none) = api(
        &h,
        "GET",
        "/api/appointments?from=2026-11-26&status=in_progress",
        None,
    )
    .await;
    assert!(
        none["appointments"].as_array().unwrap().is_empty(),
        "{none}"
    );
    let (status, err) = set(&h, &id, json!({"status": "done-ish"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err.to_string().contains("waiting_on_parts"), "{err}");
    // A refused change texts nobody.
    h.drain().await;
    assert_eq!(texts_to(&h, DANA).len(), 1);
}
on_both_databases!(a_car_set_ready_through_the_api_texts_the_customer_its_pickup_hours_and_address);

async fn is_my_car_ready_by_text_is_answered_from_the_status_staff_set(db: TestDb) {
    let h = harness(db).await;
    let id = dana_booked(&h).await;
    let (status, _) = set(
        &h,
        &id,
        json!({"status": "waiting_on_parts", "note": "waiting on a wheel speed sensor",
            "expected": "2026-11-27T12:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = h
        .post(
            "/twilio/sms",
            &sms_params("SM900", DANA, "hey is my car ready yet?"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    h.drain().await;
    let reply = texts_to(&h, DANA).pop().expect("a reply");
    assert!(reply.contains("waiting on parts"), "{reply}");
    assert!(reply.contains("waiting on a wheel speed sensor"), "{reply}");
    assert!(reply.contains("tomorrow at 12"), "{reply}");
    assert!(!reply.contains("What does the car need"), "{reply}");
}
on_both_databases!(is_my_car_ready_by_text_is_answered_from_the_status_staff_set);

#[tokio::test]
async fn is_my_car_ready_on_a_call_is_answered_from_the_status() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    set(&h, &id, json!({"status": "ready"})).await;
    let (_, twiml) = h.post("/twilio/voice", &voice_params("CA900", DANA)).await;
    let action = gather_action(&twiml);
    let mut params = voice_params("CA900", DANA);
    params.push((
        "SpeechResult",
        "hi um I'm just calling to see if my car is ready",
    ));
    params.push(("Confidence", "0.9"));
    let (status, answer) = h.post(&action, &params).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.contains("ready for pickup"), "{answer}");
    assert!(answer.contains("open until"), "{answer}");
}

#[tokio::test]
async fn without_a_status_a_car_question_still_goes_to_a_person() {
    let h = harness(crate::support::sqlite().await).await;
    dana_booked(&h).await;
    h.post(
        "/twilio/sms",
        &sms_params("SM901", DANA, "any news on my camry?"),
    )
    .await;
    h.drain().await;
    let reply = texts_to(&h, DANA).pop().expect("a reply");
    assert!(reply.to_lowercase().contains("call"), "{reply}");
    assert!(!reply.contains("ready for pickup"), "{reply}");
}

async fn an_estimate_approved_by_yes_is_recorded_moves_the_car_on_and_tells_staff_at_once(
    db: TestDb,
) {
    let h = harness(db).await;
    let id = dana_booked(&h).await;
    set(&h, &id, json!({"status": "in_progress"})).await;
    let (status, est) = api(
        &h,
        "POST",
        &format!("/api/appointments/{id}/estimate"),
        Some(json!({"amount_cents": 41250, "description": "front pads and rotors"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{est}");
    h.drain().await;
    let sent = texts_to(&h, DANA).pop().expect("the estimate text");
    assert!(
        sent.contains("$412.50 for front pads and rotors. Reply YES to approve or call us"),
        "{sent}"
    );
    let appt_id: uuid::Uuid = id.parse().unwrap();
    let a = h
        .store
        .appointment("joes-auto", appt_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.work.unwrap().status, WorkStatus::WaitingOnApproval);

    h.clock.advance(SignedDuration::from_mins(7));
    let (status, _) = h
        .post("/twilio/sms", &sms_params("SM902", DANA, "Yes"))
        .await;
    assert_eq!(status, StatusCode::OK);
    h.drain().await;
    let thanks = texts_to(&h, DANA).pop().unwrap();
    assert!(
        thanks.contains("You approved $412.50 for front pads and rotors"),
        "{thanks}"
    );
    let e = h
        .store
        .estimates("joes-auto", appt_id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(e.answer, Some(EstimateAnswer::Approved));
    assert_eq!(e.answer_text.as_deref(), Some("Yes"));
    assert_eq!(e.answered_at, Some(h.clock.now()));
    let a = h
        .store
        .appointment("joes-auto", appt_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.work.unwrap().status, WorkStatus::InProgress);
    // Joe (immediate, by SMS) hears at once.
    let joe = texts_to(&h, JOE);
    assert!(
        joe.iter().any(|t| t.contains("approved the estimate")),
        "{joe:?}"
    );
    // The approval is in the appointment's history and the transcript.
    let audit = h.store.audit_log(Some("joes-auto"), 100).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "estimate.approved" && e.detail["text"] == "Yes")
    );
    let conv =
        frontdesk::runtime::texts::sms_conversation(&h.app, &frontdesk_profile::example(), DANA)
            .await
            .unwrap();
    let turns = h.store.turns(conv).await.unwrap();
    assert!(
        turns
            .iter()
            .any(|t| t.speaker == Speaker::Caller && t.flow.as_deref() == Some("estimate"))
    );
    // The next text is an ordinary one: answered once (the yes is not answered again by the
    // assistant), and nothing is approved twice.
    let before = texts_to(&h, DANA).len();
    h.post(
        "/twilio/sms",
        &sms_params("SM903", DANA, "what are your hours on saturday?"),
    )
    .await;
    h.post("/twilio/sms", &sms_params("SM904", DANA, "yes"))
        .await;
    h.drain().await;
    let after = texts_to(&h, DANA);
    assert_eq!(after.len(), before + 2, "one reply to each text: {after:?}");
    assert!(after[before].contains("On Saturday"), "{after:?}");
    let turns = h.store.turns(conv).await.unwrap();
    let replies_to_yes: Vec<&str> = turns
        .iter()
        .filter(|t| t.speaker == Speaker::Assistant)
        .filter(|t| t.dedupe_key.as_deref().is_some_and(|k| k.contains("SM902")))
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(
        replies_to_yes.len(),
        1,
        "the yes is answered once, by the estimate: {replies_to_yes:?}"
    );
    let audit = h.store.audit_log(Some("joes-auto"), 200).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "estimate.approved")
            .count(),
        1
    );
}
on_both_databases!(
    an_estimate_approved_by_yes_is_recorded_moves_the_car_on_and_tells_staff_at_once
);

#[tokio::test]
async fn a_question_about_an_estimate_makes_a_task_and_approves_nothing() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    api(
        &h,
        "POST",
        &format!("/api/appointments/{id}/estimate"),
        Some(json!({"amount_cents": 89000, "description": "timing belt"})),
    )
    .await;
    h.post(
        "/twilio/sms",
        &sms_params("SM904", DANA, "yes but can you do it for less?"),
    )
    .await;
    h.drain().await;
    let e = h
        .store
        .estimates("joes-auto", id.parse().unwrap())
        .await
        .unwrap()
        .remove(0);
    assert_eq!(e.answer, Some(EstimateAnswer::Question));
    let tasks = h.store.tasks("joes-auto", true).await.unwrap();
    assert!(
        tasks
            .iter()
            .any(|t| t.title.contains("question about the estimate")),
        "{tasks:?}"
    );
    let reply = texts_to(&h, DANA).pop().unwrap();
    assert!(reply.contains("call you about the estimate"), "{reply}");
}

#[tokio::test]
async fn an_estimate_the_api_cannot_send_says_why() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    let (status, body) = api(
        &h,
        "POST",
        &format!("/api/appointments/{id}/estimate"),
        Some(json!({"amount_cents": 0, "description": "nothing"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = api(
        &h,
        "POST",
        "/api/appointments/0196e8a0-0000-7000-8000-000000000000/estimate",
        Some(json!({"amount_cents": 100, "description": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_staff_reply_pauses_the_assistant_and_the_next_text_reaches_staff(db: TestDb) {
    let h = harness(db).await;
    dana_booked(&h).await;
    let profile = frontdesk_profile::example();
    let contact = h
        .store
        .contact_by_phone("joes-auto", DANA)
        .await
        .unwrap()
        .unwrap();
    let sent = frontdesk::inbox::staff_reply(
        &h.app,
        &profile,
        &contact,
        "Maria",
        "dashboard:maria@joesauto.example",
        "Hi Dana, your brakes are done early.",
        "n1",
    )
    .await
    .unwrap();
    assert!(
        matches!(sent, frontdesk::inbox::StaffReply::Sent { .. }),
        "{sent:?}"
    );
    h.drain().await;
    assert_eq!(
        texts_to(&h, DANA),
        vec!["Hi Dana, your brakes are done early. -Maria"]
    );

    h.post(
        "/twilio/sms",
        &sms_params("SM905", DANA, "great, how much do I owe?"),
    )
    .await;
    h.drain().await;
    assert_eq!(
        texts_to(&h, DANA).len(),
        1,
        "the assistant said nothing on a thread staff took over"
    );
    let joe = texts_to(&h, JOE);
    assert!(
        joe.iter().any(|t| t.contains("how much do I owe")),
        "{joe:?}"
    );
    // HELP still works.
    h.post("/twilio/sms", &sms_params("SM906", DANA, "HELP"))
        .await;
    h.drain().await;
    assert_eq!(texts_to(&h, DANA).len(), 2);
    // Handed back, the assistant answers again.
    frontdesk::inbox::hand_back(&h.app, &profile, contact.id, "test")
        .await
        .unwrap();
    h.post(
        "/twilio/sms",
        &sms_params("SM907", DANA, "what are your hours on saturday?"),
    )
    .await;
    h.drain().await;
    assert_eq!(texts_to(&h, DANA).len(), 3);
}
on_both_databases!(a_staff_reply_pauses_the_assistant_and_the_next_text_reaches_staff);

#[tokio::test]
async fn a_takeover_ends_by_itself_after_the_profiles_hours() {
    let h = harness(crate::support::sqlite().await).await;
    dana_booked(&h).await;
    let profile = frontdesk_profile::example();
    let contact = h
        .store
        .contact_by_phone("joes-auto", DANA)
        .await
        .unwrap()
        .unwrap();
    frontdesk::inbox::staff_reply(&h.app, &profile, &contact, "Maria", "t", "On it.", "n2")
        .await
        .unwrap();
    h.clock.advance(SignedDuration::from_hours(
        i64::from(profile.inbox.takeover_hours) + 1,
    ));
    h.post(
        "/twilio/sms",
        &sms_params("SM908", DANA, "what are your hours on saturday?"),
    )
    .await;
    h.drain().await;
    let texts = texts_to(&h, DANA);
    assert!(
        texts.iter().any(|t| t.contains("On Saturday we're open")),
        "the assistant answers again: {texts:?}"
    );
}

/// A signed-in browser session on the harness's router: its cookie and CSRF token.
struct Browser<'a> {
    h: &'a Harness,
    cookie: String,
    csrf: String,
}

/// One HTTP exchange: status, `Location`, `Set-Cookie`, body.
async fn exchange(
    h: &Harness,
    req: axum::http::Request<axum::body::Body>,
) -> (StatusCode, String, String, String) {
    let resp = h.router.clone().oneshot(req).await.unwrap();
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (location, cookie) = (header("location"), header("set-cookie"));
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 10 << 20)
        .await
        .unwrap();
    (
        status,
        location,
        cookie,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

impl<'a> Browser<'a> {
    /// Signs in as a browser does: the form (its CSRF token and cookie), then the post.
    async fn sign_in(h: &'a Harness, email: &str) -> Browser<'a> {
        let password = "correct horse battery";
        let now = frontdesk::clock::Clock::now(h.clock.as_ref());
        frontdesk::dashboard::auth::add_user(
            h.store.as_ref(),
            email,
            password,
            frontdesk::store::Role::Staff,
            Some("joes-auto"),
            now,
        )
        .await
        .unwrap();
        let get = axum::http::Request::get("/login")
            .body(axum::body::Body::empty())
            .unwrap();
        let (_, _, cookie, body) = exchange(h, get).await;
        let cookie = cookie.split(';').next().unwrap().to_string();
        let form = serde_urlencoded::to_string([
            ("email", email),
            ("password", password),
            ("csrf", &csrf_of(&body)),
        ])
        .unwrap();
        let post = axum::http::Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .body(axum::body::Body::from(form))
            .unwrap();
        let (status, _, cookie, body) = exchange(h, post).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let mut b = Browser {
            h,
            cookie: cookie.split(';').next().unwrap().to_string(),
            csrf: String::new(),
        };
        b.csrf = csrf_of(&b.get("/b/joes-auto").await.1);
        b
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let req = axum::http::Request::get(path)
            .header("cookie", &self.cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let (status, _, _, body) = exchange(self.h, req).await;
        (status, body)
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let mut fields: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        fields.extend_from_slice(form);
        let req = axum::http::Request::post(path)
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(
                serde_urlencoded::to_string(&fields).unwrap(),
            ))
            .unwrap();
        let (status, location, _, body) = exchange(self.h, req).await;
        (status, if location.is_empty() { body } else { location })
    }
}

#[tokio::test]
async fn staff_tap_a_status_send_an_estimate_and_take_a_thread_over_from_the_dashboard() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    let maria = Browser::sign_in(&h, "maria.lopez@joesauto.example").await;

    // Today shows Dana's car with one-tap statuses.
    let (status, today) = maria.get("/b/joes-auto").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        today.contains("Dana Ortiz") && today.contains("2017 Toyota Camry"),
        "{today}"
    );
    assert!(today.contains("Not checked in") && today.contains(">Ready for pickup</button>"));
    let (status, to) = maria
        .post(
            &format!("/b/joes-auto/appointments/{id}/work"),
            &[("status", "ready"), ("note", ""), ("expected", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    h.drain().await;
    assert!(
        texts_to(&h, DANA)
            .iter()
            .any(|t| t.contains("ready for pickup"))
    );
    let (_, today) = maria.get("/b/joes-auto").await;
    assert!(
        today.contains("<span class=\"tag work\">Ready for pickup</span>"),
        "{today}"
    );

    // An estimate typed in dollars reaches Dana in exact cents; her yes shows on Today.
    let (status, _) = maria
        .post(
            &format!("/b/joes-auto/appointments/{id}/estimate"),
            &[
                ("amount", "412.50"),
                ("description", "front pads and rotors"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    h.drain().await;
    assert!(
        texts_to(&h, DANA)
            .iter()
            .any(|t| t.contains("$412.50 for front pads and rotors"))
    );
    h.post("/twilio/sms", &sms_params("SM910", DANA, "yep go ahead"))
        .await;
    h.drain().await;
    let (_, today) = maria.get("/b/joes-auto").await;
    assert!(
        today.contains("Estimate: $412.50 for front pads and rotors · approved"),
        "{today}"
    );
    let (status, bad) = maria
        .post(
            &format!("/b/joes-auto/appointments/{id}/estimate"),
            &[("amount", "4.1.2"), ("description", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");

    // The inbox lists Dana's thread, unread; the thread shows who said what.
    let (_, inbox) = maria.get("/b/joes-auto/messages").await;
    assert!(inbox.contains("Dana Ortiz · 2017 Toyota Camry"), "{inbox}");
    assert!(inbox.contains("class=\"row unread\""), "{inbox}");
    let contact = h
        .store
        .contact_by_phone("joes-auto", DANA)
        .await
        .unwrap()
        .unwrap();
    let thread = format!("/b/joes-auto/messages/{}", contact.id);
    let (_, page) = maria.get(&thread).await;
    assert!(
        page.contains("yep go ahead") && page.contains("Assistant ·"),
        "{page}"
    );
    let (_, inbox) = maria.get("/b/joes-auto/messages").await;
    assert!(
        !inbox.contains("class=\"row unread\""),
        "opening the thread marks it read"
    );

    // Maria replies as herself, twice by accident: one text, signed, and the assistant pauses.
    for _ in 0..2 {
        let (status, _) = maria
            .post(
                &format!("{thread}/reply"),
                &[
                    ("text", "Come by after 3, it's parked out front."),
                    ("nonce", "form-1"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    h.drain().await;
    let signed: Vec<String> = texts_to(&h, DANA)
        .into_iter()
        .filter(|t| t.ends_with("-Maria"))
        .collect();
    assert_eq!(
        signed,
        vec!["Come by after 3, it's parked out front. -Maria"]
    );
    let (_, page) = maria.get(&thread).await;
    assert!(
        page.contains("Maria (staff)") && page.contains("Maria took this thread over"),
        "{page}"
    );
    let before = texts_to(&h, DANA).len();
    h.post(
        "/twilio/sms",
        &sms_params("SM911", DANA, "ok thanks, is there parking on the street?"),
    )
    .await;
    h.drain().await;
    assert_eq!(
        texts_to(&h, DANA).len(),
        before,
        "the assistant stays quiet"
    );
    assert!(
        texts_to(&h, JOE)
            .iter()
            .any(|t| t.contains("parking on the street"))
    );

    // Handed back, the page says so and the assistant answers again.
    let (status, _) = maria.post(&format!("{thread}/hand-back"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = maria.get(&thread).await;
    assert!(!page.contains("took this thread over"), "{page}");
    h.post(
        "/twilio/sms",
        &sms_params("SM912", DANA, "what are your hours on saturday?"),
    )
    .await;
    h.drain().await;
    assert!(texts_to(&h, DANA).iter().any(|t| t.contains("On Saturday")));
}

#[tokio::test]
async fn a_customer_calling_from_another_number_is_found_by_name_and_car_and_the_number_on_the_order()
 {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    set(
        &h,
        &id,
        json!({"status": "waiting_on_parts", "note": "sensor comes tomorrow"}),
    )
    .await;
    let other = "+15125550199";
    let (_, twiml) = h.post("/twilio/voice", &voice_params("CA910", other)).await;
    let turn = |action: String, text: &'static str| {
        let h = h.clone();
        async move {
            let mut params = voice_params("CA910", other);
            params.push(("SpeechResult", text));
            params.push(("Confidence", "0.9"));
            h.post(&action, &params).await.1
        }
    };
    let ask = turn(
        gather_action(&twiml),
        "hi, is my car ready? I'm calling from my work phone",
    )
    .await;
    assert!(ask.contains("name on the repair order"), "{ask}");
    let prove = turn(gather_action(&ask), "it's under Dana Ortiz, the Camry").await;
    assert!(prove.contains("last four digits"), "{prove}");
    let status = turn(gather_action(&prove), "zero one seven seven").await;
    assert!(status.contains("waiting on parts"), "{status}");
    assert!(
        !status.contains("sensor comes tomorrow"),
        "the note is for the number on file: {status}"
    );
}

#[tokio::test]
async fn a_name_without_the_right_car_hears_nothing_about_anyones_car() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    set(&h, &id, json!({"status": "ready"})).await;
    let other = "+15125550198";
    h.post(
        "/twilio/sms",
        &sms_params("SM920", other, "is my car ready?"),
    )
    .await;
    h.post(
        "/twilio/sms",
        &sms_params("SM921", other, "Dana Ortiz, a Honda Accord"),
    )
    .await;
    h.drain().await;
    let replies = texts_to(&h, other);
    assert!(
        replies
            .iter()
            .any(|t| t.contains("name on the repair order")),
        "{replies:?}"
    );
    assert!(
        replies
            .iter()
            .all(|t| !t.contains("ready for pickup") && !t.contains("Camry")),
        "{replies:?}"
    );
    assert!(
        replies.iter().any(|t| t.contains("couldn't find a car")),
        "{replies:?}"
    );
}

/// Dana's car with an estimate of $412.50 waiting for her answer.
async fn estimate_waiting(h: &Harness) -> uuid::Uuid {
    let id = dana_booked(h).await;
    let (status, body) = api(
        h,
        "POST",
        &format!("/api/appointments/{id}/estimate"),
        Some(json!({"amount_cents": 41250, "description": "front pads and rotors"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    h.drain().await;
    id.parse().unwrap()
}

#[tokio::test]
async fn only_a_plain_yes_approves_an_estimate() {
    for (n, text) in [
        "ok let me ask my husband",
        "great, I'll call you later",
        "sure but only the pads",
        "please confirm the total",
    ]
    .into_iter()
    .enumerate()
    {
        let h = harness(crate::support::sqlite().await).await;
        let id = estimate_waiting(&h).await;
        h.post("/twilio/sms", &sms_params(&format!("SM93{n}"), DANA, text))
            .await;
        h.drain().await;
        let e = h.store.estimates("joes-auto", id).await.unwrap().remove(0);
        assert_ne!(
            e.answer,
            Some(EstimateAnswer::Approved),
            "{text:?} approved the estimate"
        );
    }
    for (n, text) in ["YES!", "yes please", "Yep, go ahead", "approved"]
        .into_iter()
        .enumerate()
    {
        let h = harness(crate::support::sqlite().await).await;
        let id = estimate_waiting(&h).await;
        h.post("/twilio/sms", &sms_params(&format!("SM94{n}"), DANA, text))
            .await;
        h.drain().await;
        let e = h.store.estimates("joes-auto", id).await.unwrap().remove(0);
        assert_eq!(e.answer, Some(EstimateAnswer::Approved), "{text:?}");
    }
}

#[tokio::test]
async fn a_yes_delivered_twice_or_sent_twice_is_answered_once_and_never_again_later() {
    let h = harness(crate::support::sqlite().await).await;
    estimate_waiting(&h).await;
    h.post("/twilio/sms", &sms_params("SM950", DANA, "Yes"))
        .await;
    h.post("/twilio/sms", &sms_params("SM950", DANA, "Yes"))
        .await;
    h.post("/twilio/sms", &sms_params("SM951", DANA, "YES!"))
        .await;
    h.drain().await;
    let before = texts_to(&h, DANA).len();
    h.post(
        "/twilio/sms",
        &sms_params("SM952", DANA, "what are your hours on saturday?"),
    )
    .await;
    h.drain().await;
    let after = texts_to(&h, DANA);
    assert_eq!(
        after.len(),
        before + 1,
        "only the hours are answered: {after:?}"
    );
    assert!(after.last().unwrap().contains("On Saturday"), "{after:?}");
}

#[tokio::test]
async fn ready_set_twice_and_an_estimate_submitted_twice_text_the_customer_once() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    set(&h, &id, json!({"status": "ready"})).await;
    set(&h, &id, json!({"status": "ready"})).await;
    h.drain().await;
    let ready: Vec<String> = texts_to(&h, DANA)
        .into_iter()
        .filter(|t| t.contains("ready for pickup"))
        .collect();
    assert_eq!(ready.len(), 1, "{ready:?}");
    for _ in 0..2 {
        api(
            &h,
            "POST",
            &format!("/api/appointments/{id}/estimate"),
            Some(json!({"amount_cents": 9900, "description": "wiper blades"})),
        )
        .await;
    }
    h.drain().await;
    let estimates = h
        .store
        .estimates("joes-auto", id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(estimates.len(), 1);
    let sent: Vec<String> = texts_to(&h, DANA)
        .into_iter()
        .filter(|t| t.contains("for wiper blades"))
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
}

#[tokio::test]
async fn a_caller_from_another_number_learns_nothing_before_proving_the_number_on_the_order() {
    let h = harness(crate::support::sqlite().await).await;
    let id = dana_booked(&h).await;
    set(
        &h,
        &id,
        json!({"status": "waiting_on_parts", "note": "sensor comes tomorrow"}),
    )
    .await;
    let other = "+15125550197";
    h.post(
        "/twilio/sms",
        &sms_params("SM960", other, "is my car ready?"),
    )
    .await;
    // A first name and a make are not enough.
    h.post(
        "/twilio/sms",
        &sms_params("SM961", other, "Dana, the Toyota"),
    )
    .await;
    h.drain().await;
    let replies = texts_to(&h, other);
    assert!(
        replies
            .iter()
            .all(|t| !t.contains("Ortiz") && !t.contains("Camry")),
        "{replies:?}"
    );
    assert!(
        replies.iter().all(|t| !t.contains("waiting on parts")),
        "{replies:?}"
    );

    let other = "+15125550196";
    h.post(
        "/twilio/sms",
        &sms_params("SM962", other, "is my car ready?"),
    )
    .await;
    h.post(
        "/twilio/sms",
        &sms_params("SM963", other, "Dana Ortiz, the Camry"),
    )
    .await;
    h.drain().await;
    let ask = texts_to(&h, other).pop().unwrap();
    assert!(ask.contains("last four digits"), "{ask}");
    assert!(!ask.contains("2017") && !ask.contains("Ortiz"), "{ask}");
    h.post("/twilio/sms", &sms_params("SM964", other, "0177"))
        .await;
    h.drain().await;
    let status = texts_to(&h, other).pop().unwrap();
    assert!(status.contains("waiting on parts"), "{status}");
    assert!(
        !status.contains("sensor"),
        "staff's note stays for the number on file: {status}"
    );
}

#[tokio::test]
async fn an_assistant_reply_still_queued_when_staff_take_over_is_not_sent() {
    let h = harness(crate::support::sqlite().await).await;
    dana_booked(&h).await;
    h.drain().await;
    // The assistant's answer is queued, not yet sent, when Maria replies.
    h.post(
        "/twilio/sms",
        &sms_params("SM970", DANA, "what are your hours on saturday?"),
    )
    .await;
    let contact = h
        .store
        .contact_by_phone("joes-auto", DANA)
        .await
        .unwrap()
        .unwrap();
    frontdesk::inbox::staff_reply(
        &h.app,
        &frontdesk_profile::example(),
        &contact,
        "Maria",
        "t",
        "I'll call you in 5.",
        "n3",
    )
    .await
    .unwrap();
    h.drain().await;
    let texts = texts_to(&h, DANA);
    assert_eq!(texts, vec!["I'll call you in 5. -Maria"], "{texts:?}");
}
