//! The owner's dashboard through its router, without a socket: signing in (rate limited,
//! sessions that expire and can be revoked, CSRF on every form), the pages, the phone
//! simulator, corrections that stick, and tenant isolation on every business route.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::dashboard::auth;
use frontdesk::store::{NewAppointment, NewTask, Role, Store, TaskKind};
use jiff::SignedDuration;
use tower::ServiceExt as _;

use crate::support::{self, csrf_of};

const PASSWORD: &str = "correct horse battery";

/// Joe's and a second shop ("Other Garage") on one deployment, with an owner for each and an
/// operator.
struct World {
    app: App,
    clock: Arc<ManualClock>,
    store: Arc<dyn Store>,
    _db: support::TestDb,
    _dir: tempfile::TempDir,
}

fn other_shop() -> frontdesk_profile::Profile {
    let text = frontdesk_profile::EXAMPLE_TOML
        .replace("id = \"joes-auto\"", "id = \"other-garage\"")
        .replace("name = \"Joe's Auto Repair\"", "name = \"Other Garage\"")
        .replace("phones = [\"+15125550100\"]", "phones = [\"+15125550900\"]");
    frontdesk_profile::parse("other.toml", &text).expect("second profile")
}

async fn world() -> World {
    let db = support::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    // Joe's profile comes from a file, so corrections are written back and get a scenario.
    let path = dir.path().join("auto-shop.toml");
    std::fs::write(&path, frontdesk_profile::EXAMPLE_TOML).unwrap();
    let joes = frontdesk_profile::load(&path).unwrap().remove(0);
    let clock = Arc::new(ManualClock::new(support::tuesday_evening()));
    let app = App::new(
        db.store.clone(),
        clock.clone() as Arc<dyn Clock>,
        vec![joes, other_shop()],
        Settings::default(),
    );
    app.register_businesses().await.unwrap();
    let now = clock.now();
    for (email, role, b) in [
        ("joe@shop.test", Role::Owner, Some("joes-auto")),
        ("other@shop.test", Role::Owner, Some("other-garage")),
        ("ops@frontdesk.test", Role::Operator, None),
    ] {
        auth::add_user(db.store.as_ref(), email, PASSWORD, role, b, now)
            .await
            .unwrap();
    }
    World {
        app,
        clock,
        store: db.store.clone(),
        _db: db,
        _dir: dir,
    }
}

struct Page {
    status: StatusCode,
    location: String,
    cookie: String,
    body: String,
}

impl World {
    async fn send(&self, req: Request<Body>) -> Page {
        let resp = frontdesk::http::router(self.app.clone())
            .oneshot(req)
            .await
            .unwrap();
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let (location, cookie) = (header(header::LOCATION), header(header::SET_COOKIE));
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 10 << 20)
            .await
            .unwrap();
        Page {
            status,
            location,
            cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, session: &Session) -> Page {
        self.send(
            Request::get(path)
                .header(header::COOKIE, &session.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn post(&self, path: &str, session: &Session, form: &[(&str, &str)]) -> Page {
        let mut fields: Vec<(&str, &str)> = vec![("csrf", &session.csrf)];
        fields.extend_from_slice(form);
        self.send(
            Request::post(path)
                .header(header::COOKIE, &session.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(&fields).unwrap()))
                .unwrap(),
        )
        .await
    }

    /// Signs in as a browser does: the form (with its CSRF token and cookie), then the post.
    async fn try_login(&self, email: &str, password: &str) -> Page {
        let page = self
            .send(Request::get("/login").body(Body::empty()).unwrap())
            .await;
        let cookie = page.cookie.split(';').next().unwrap().to_string();
        let csrf = csrf_of(&page.body);
        let form = serde_urlencoded::to_string([
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
        ])
        .unwrap();
        self.send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(form))
                .unwrap(),
        )
        .await
    }

    async fn login(&self, email: &str) -> Session {
        let page = self.try_login(email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let cookie = page.cookie.split(';').next().unwrap().to_string();
        let mut session = Session {
            cookie,
            csrf: String::new(),
        };
        let home = self.get("/b/joes-auto/try", &session).await;
        let home = if home.status == StatusCode::OK {
            home
        } else {
            self.get("/b/other-garage/try", &session).await
        };
        session.csrf = csrf_of(&home.body);
        session
    }
}

#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

/// The conversation id after a simulator POST (from its redirect).
fn conversation_of(location: &str) -> String {
    location
        .split("c=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_page_without_a_session_sends_the_owner_to_sign_in() {
    let w = world().await;
    let anon = Session {
        cookie: String::new(),
        csrf: String::new(),
    };
    let page = w.get("/b/joes-auto/conversations", &anon).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location, "/login?next=/b/joes-auto/conversations");
    let form = w.get("/login", &anon).await;
    assert!(form.body.contains("type=\"password\""));
}

#[tokio::test]
async fn signing_in_sets_an_http_only_same_site_cookie_and_lands_on_the_owners_business() {
    let w = world().await;
    let page = w.try_login("Joe@Shop.test", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.cookie.contains("HttpOnly"), "{}", page.cookie);
    assert!(page.cookie.contains("SameSite=Lax"), "{}", page.cookie);
    assert!(
        !page.cookie.contains("Secure"),
        "plain http demo: {}",
        page.cookie
    );
    let s = w.login("joe@shop.test").await;
    let home = w.get("/", &s).await;
    assert_eq!(home.location, "/b/joes-auto");
    let today = w.get("/b/joes-auto", &s).await;
    assert_eq!(today.status, StatusCode::OK);
    assert!(
        today.body.contains("Joe&#39;s Auto Repair")
            || today.body.contains("Joe&#x27;s Auto Repair"),
        "{}",
        today.body
    );
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure_and_pages_refuse_framing() {
    let db = support::sqlite().await;
    let clock = Arc::new(ManualClock::new(support::tuesday_evening()));
    let app = App::new(
        db.store.clone(),
        clock.clone() as Arc<dyn Clock>,
        vec![frontdesk_profile::example()],
        Settings {
            public_url: Some("https://shop.example".into()),
            ..Settings::default()
        },
    );
    app.register_businesses().await.unwrap();
    auth::add_user(
        db.store.as_ref(),
        "joe@shop.test",
        PASSWORD,
        Role::Owner,
        Some("joes-auto"),
        clock.now(),
    )
    .await
    .unwrap();
    let form_page = frontdesk::http::router(app.clone())
        .oneshot(Request::get("/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let login_cookie = form_page.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        login_cookie.starts_with("__Host-") && login_cookie.contains("; Secure"),
        "{login_cookie}"
    );
    let html = axum::body::to_bytes(form_page.into_body(), 1 << 20)
        .await
        .unwrap();
    let csrf = csrf_of(&String::from_utf8_lossy(&html));
    let form = serde_urlencoded::to_string([
        ("email", "joe@shop.test"),
        ("password", PASSWORD),
        ("csrf", &csrf),
    ])
    .unwrap();
    let resp = frontdesk::http::router(app.clone())
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, login_cookie.split(';').next().unwrap())
                .body(Body::from(form))
                .unwrap(),
        )
        .await
        .unwrap();
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with(auth::COOKIE), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    let page = frontdesk::http::router(app)
        .oneshot(
            Request::get("/b/joes-auto")
                .header(header::COOKIE, cookie.split(';').next().unwrap())
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn the_session_token_is_stored_only_as_a_hash() {
    let w = world().await;
    let page = w.try_login("joe@shop.test", PASSWORD).await;
    let token = page
        .cookie
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap()
        .to_string();
    let now = w.clock.now();
    assert!(w.store.session(&token, now).await.unwrap().is_none());
    assert!(
        w.store
            .session(&auth::hash_token(&token), now)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_sixth_try_is_locked_out_even_when_right() {
    let w = world().await;
    for _ in 0..auth::MAX_FAILURES {
        let page = w.try_login("joe@shop.test", "guess").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains("do not match"));
    }
    let locked = w.try_login("joe@shop.test", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    // Another account is not affected, and the lock lifts after the window.
    assert_eq!(
        w.try_login("other@shop.test", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    w.clock
        .advance(SignedDuration::from_mins(auth::WINDOW_MINUTES + 1));
    assert_eq!(
        w.try_login("joe@shop.test", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn signing_out_expiry_and_a_password_change_all_end_the_session() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    assert_eq!(w.get("/b/joes-auto/tasks", &s).await.status, StatusCode::OK);
    let out = w.post("/logout", &s, &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.get("/b/joes-auto/tasks", &s).await.status,
        StatusCode::SEE_OTHER
    );

    let s = w.login("joe@shop.test").await;
    w.clock
        .advance(SignedDuration::from_hours(auth::SESSION_HOURS + 1));
    assert_eq!(
        w.get("/b/joes-auto/tasks", &s).await.status,
        StatusCode::SEE_OTHER
    );

    let s = w.login("joe@shop.test").await;
    auth::change_password(
        w.store.as_ref(),
        "joe@shop.test",
        "a new long password",
        w.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        w.get("/b/joes-auto/tasks", &s).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_form_posted_without_the_sessions_csrf_token_changes_nothing() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let forged = Session {
        cookie: s.cookie.clone(),
        csrf: "0".repeat(64),
    };
    let page = w.post("/b/joes-auto/try/start", &forged, &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let none = Session {
        cookie: s.cookie.clone(),
        csrf: String::new(),
    };
    assert_eq!(
        w.post("/logout", &none, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.get("/b/joes-auto/tasks", &s).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_simulated_call_books_and_the_owner_sees_it_in_the_transcript_and_the_week() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let start = w.post("/b/joes-auto/try/start", &s, &[("sms", "1")]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let conv = conversation_of(&start.location);
    for said in [
        "I need an oil change thursday at 9am",
        "Maria Lopez",
        "2015 Honda Civic",
        "yes",
    ] {
        let page = w
            .post(
                "/b/joes-auto/try/say",
                &s,
                &[("conversation", &conv), ("text", said), ("sms", "1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let phone = w.get(&format!("/b/joes-auto/try?c={conv}&sms=1"), &s).await;
    let transcript = w
        .get(&format!("/b/joes-auto/conversations/{conv}"), &s)
        .await;
    assert!(transcript.body.contains("flow:"), "{}", transcript.body);
    assert!(transcript.body.contains(" ms"), "processing time shown");
    let week = w.get("/b/joes-auto/appointments?week=2026-11-26", &s).await;
    assert!(
        week.body.contains("oil change"),
        "phone:\n{}\nweek:\n{}",
        phone.body,
        week.body
    );
    let list = w.get("/b/joes-auto/conversations?q=simulator", &s).await;
    assert!(list.body.contains(&conv));
    let none = w.get("/b/joes-auto/conversations?q=zebra", &s).await;
    assert!(!none.body.contains(&conv) && none.body.contains("No conversations"));

    // The caller is a contact now, with the conversation and the visit in their history.
    let contacts = w.get("/b/joes-auto/contacts?q=maria", &s).await;
    assert!(contacts.body.contains("Maria Lopez"), "{}", contacts.body);
    let contact = w
        .store
        .contact_by_phone("joes-auto", "+15125550143")
        .await
        .unwrap()
        .unwrap();
    let page = w
        .get(&format!("/b/joes-auto/contacts/{}", contact.id), &s)
        .await;
    assert!(
        page.body.contains(&conv) && page.body.contains("oil change"),
        "{}",
        page.body
    );
    let csv = w.get("/b/joes-auto/contacts/export.csv", &s).await;
    assert!(
        csv.body.contains("+15125550143") && csv.body.contains("Maria Lopez"),
        "{}",
        csv.body
    );
}

#[tokio::test]
async fn what_a_caller_typed_is_shown_escaped() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let conv = conversation_of(&w.post("/b/joes-auto/try/start", &s, &[]).await.location);
    w.post(
        "/b/joes-auto/try/say",
        &s,
        &[
            ("conversation", &conv),
            ("text", "<script>alert('x')</script> brakes"),
        ],
    )
    .await;
    let page = w
        .get(&format!("/b/joes-auto/conversations/{conv}"), &s)
        .await;
    assert!(page.body.contains("&#60;script&#62;alert"), "{}", page.body);
    assert!(!page.body.contains("<script>alert"));
}

#[tokio::test]
async fn the_simulator_answers_fetch_with_json_reply_and_effects() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let body = serde_urlencoded::to_string([("csrf", s.csrf.as_str())]).unwrap();
    let page = w
        .send(
            Request::post("/b/joes-auto/try/start")
                .header(header::COOKIE, &s.cookie)
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert!(json["reply"].as_str().unwrap().contains("Joe"), "{json}");
    assert!(json["conversation"].is_string());
}

#[tokio::test]
async fn marking_a_task_done_keeps_the_owners_note() {
    let w = world().await;
    let task = w
        .store
        .create_task(&NewTask {
            business_id: "joes-auto".into(),
            contact_id: None,
            conversation_id: None,
            kind: TaskKind::Callback,
            urgency: "upset".into(),
            title: "Call back about the brake quote".into(),
            context: serde_json::json!({"asked": "why is it so expensive"}),
            at: w.clock.now(),
            key: None,
        })
        .await
        .unwrap();
    let s = w.login("joe@shop.test").await;
    let today = w.get("/b/joes-auto", &s).await;
    assert!(
        today.body.contains("Needs you now"),
        "upset callers go on top"
    );
    let tasks = w.get("/b/joes-auto/tasks", &s).await;
    assert!(tasks.body.contains("why is it so expensive"));
    let done = w
        .post(
            &format!("/b/joes-auto/tasks/{}/done", task.id),
            &s,
            &[("note", "Explained, booked Friday")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let open = w.store.tasks("joes-auto", true).await.unwrap();
    assert!(open.is_empty());
    let tasks = w.get("/b/joes-auto/tasks", &s).await;
    assert!(tasks.body.contains("Explained, booked Friday"));
}

#[tokio::test]
async fn a_correction_becomes_an_faq_the_next_call_uses_and_a_passing_regression_scenario() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let conv = conversation_of(
        &w.post("/b/joes-auto/try/start", &s, &[("sms", "1")])
            .await
            .location,
    );
    let question = "Do you do window tinting?";
    w.post(
        "/b/joes-auto/try/say",
        &s,
        &[("conversation", &conv), ("text", question), ("sms", "1")],
    )
    .await;
    let turns = w.store.turns(conv.parse().unwrap()).await.unwrap();
    let wrong = turns.last().unwrap();
    let answer = "No, we don't tint windows; Austin Tint on Lamar does good work.";
    let page = w
        .post(
            &format!("/b/joes-auto/conversations/{conv}/correct"),
            &s,
            &[
                ("seq", &wrong.seq.to_string()),
                ("kind", "faq"),
                ("asked", question),
                ("answer", answer),
                ("keywords", "tint, tinting, window tint"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let next = conversation_of(
        &w.post("/b/joes-auto/try/start", &s, &[("sms", "1")])
            .await
            .location,
    );
    w.post(
        "/b/joes-auto/try/say",
        &s,
        &[
            ("conversation", &next),
            ("text", "hey do you guys do window tint"),
            ("sms", "1"),
        ],
    )
    .await;
    let reply = w
        .store
        .turns(next.parse().unwrap())
        .await
        .unwrap()
        .last()
        .unwrap()
        .text
        .clone();
    assert!(reply.contains("Austin Tint"), "{reply}");

    let versions = w.store.profile_versions("joes-auto", 10).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].profile_toml.contains(answer));
    let scenarios: Vec<_> = std::fs::read_dir(w._dir.path().join("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(scenarios.len(), 1);
    let outcome = frontdesk::scenario::run_file(&scenarios[0], None)
        .await
        .unwrap();
    assert!(
        outcome.passed(),
        "{:?}\n{:?}",
        outcome.failures,
        outcome.transcript
    );
}

#[tokio::test]
async fn an_invalid_profile_is_not_saved_and_the_owner_sees_why() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let bad = frontdesk_profile::EXAMPLE_TOML.replace(
        "timezone = \"America/Chicago\"",
        "timezone = \"Mars/Olympus\"",
    );
    let page = w
        .post("/b/joes-auto/settings", &s, &[("profile", &bad)])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Not saved"), "{}", page.body);
    assert!(page.body.contains("Mars/Olympus"));
    assert!(
        w.store
            .profile_versions("joes-auto", 10)
            .await
            .unwrap()
            .is_empty()
    );
    let good =
        frontdesk_profile::EXAMPLE_TOML.replace("Joe's Auto Repair\"", "Joe's Auto & Tire\"");
    let page = w
        .post("/b/joes-auto/settings", &s, &[("profile", &good)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .directory()
            .by_id("joes-auto")
            .unwrap()
            .profile()
            .business
            .name,
        "Joe's Auto & Tire"
    );
}

#[tokio::test]
async fn reports_show_the_same_numbers_as_frontdesk_report() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    w.post("/b/joes-auto/try/start", &s, &[]).await;
    let profile = w
        .app
        .directory()
        .by_id("joes-auto")
        .unwrap()
        .profile()
        .clone();
    let day = jiff::civil::date(2026, 11, 24);
    let f = frontdesk::report::day(w.store.as_ref(), &profile, day)
        .await
        .unwrap();
    let page = w.get("/b/joes-auto/reports?day=2026-11-24", &s).await;
    let text = frontdesk::report::render(&profile, &f, false);
    let escaped = text.replace('\'', "&#39;");
    assert!(
        page.body.contains(&escaped) || page.body.contains(&text.replace('\'', "&#x27;")),
        "{}",
        page.body
    );
    let replies: u64 = page
        .body
        .split(" replies</td>")
        .filter_map(|chunk| chunk.rsplit('>').next()?.trim().parse::<u64>().ok())
        .sum();
    assert_eq!(replies, 1, "the one greeting is in the response-time chart");
    let month = w.get("/b/joes-auto/reports?month=2026-11", &s).await;
    assert!(month.body.contains("Calls and texts per day"));
}

#[tokio::test]
async fn an_owner_who_guesses_another_businesss_pages_and_ids_gets_not_found_everywhere() {
    let w = world().await;
    let other = w.login("other@shop.test").await;
    // The other shop's data: a simulated conversation, a task, an appointment, a contact.
    let conv = conversation_of(
        &w.post("/b/other-garage/try/start", &other, &[])
            .await
            .location,
    );
    let now = w.clock.now();
    let contact = w
        .store
        .upsert_contact("other-garage", "+15125550777", now)
        .await
        .unwrap();
    let task = w
        .store
        .create_task(&NewTask {
            business_id: "other-garage".into(),
            contact_id: Some(contact.id),
            conversation_id: None,
            kind: TaskKind::Callback,
            urgency: "normal".into(),
            title: "secret task".into(),
            context: serde_json::json!({}),
            at: now,
            key: None,
        })
        .await
        .unwrap();
    let start: jiff::Timestamp = "2026-11-26T15:00:00Z".parse().unwrap();
    let appt = match w
        .store
        .book(
            &NewAppointment {
                business_id: "other-garage".into(),
                contact_id: Some(contact.id),
                service_id: "oil_change".into(),
                start,
                end: start + SignedDuration::from_mins(30),
                status: frontdesk::store::AppointmentStatus::Booked,
                source: "test".into(),
                vehicle: None,
                notes: None,
                idempotency_key: None,
                at: now,
            },
            3,
        )
        .await
        .unwrap()
    {
        frontdesk::store::BookOutcome::Booked(a) => a,
        other => panic!("{other:?}"),
    };

    let joe = w.login("joe@shop.test").await;
    let gets = [
        "/b/other-garage".to_string(),
        "/b/other-garage/conversations".into(),
        format!("/b/other-garage/conversations/{conv}"),
        format!("/b/joes-auto/conversations/{conv}"),
        "/b/other-garage/tasks".into(),
        "/b/other-garage/appointments".into(),
        "/b/other-garage/contacts".into(),
        "/b/other-garage/contacts/export.csv".into(),
        format!("/b/other-garage/contacts/{}", contact.id),
        format!("/b/joes-auto/contacts/{}", contact.id),
        "/b/other-garage/reports".into(),
        "/b/other-garage/settings".into(),
        "/b/other-garage/try".into(),
        format!("/b/joes-auto/try?c={conv}"),
        "/b/no-such-business".into(),
    ];
    for path in &gets {
        let page = w.get(path, &joe).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {path}");
        assert!(
            !page.body.contains("secret task") && !page.body.contains("Other Garage"),
            "GET {path}"
        );
    }
    let (t, a) = (task.id.to_string(), appt.id.to_string());
    let seq = "1".to_string();
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/b/other-garage/tasks/{t}/done"),
            vec![("note", "x")],
        ),
        (format!("/b/joes-auto/tasks/{t}/done"), vec![("note", "x")]),
        (
            format!("/b/other-garage/appointments/{a}"),
            vec![("action", "cancel")],
        ),
        (
            format!("/b/joes-auto/appointments/{a}"),
            vec![("action", "cancel")],
        ),
        (
            format!("/b/joes-auto/appointments/{a}"),
            vec![("action", "done")],
        ),
        (
            "/b/other-garage/settings".into(),
            vec![("profile", frontdesk_profile::EXAMPLE_TOML)],
        ),
        (
            format!("/b/other-garage/conversations/{conv}/correct"),
            vec![
                ("seq", &seq),
                ("kind", "faq"),
                ("asked", "q"),
                ("answer", "a"),
            ],
        ),
        (
            format!("/b/joes-auto/conversations/{conv}/correct"),
            vec![
                ("seq", &seq),
                ("kind", "faq"),
                ("asked", "q"),
                ("answer", "a"),
            ],
        ),
        ("/b/other-garage/try/start".into(), vec![]),
        (
            "/b/other-garage/try/say".into(),
            vec![("conversation", &conv), ("text", "hi")],
        ),
        (
            "/b/joes-auto/try/say".into(),
            vec![("conversation", &conv), ("text", "hi")],
        ),
    ];
    for (path, form) in &posts {
        let page = w.post(path, &joe, form).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(w.store.tasks("other-garage", true).await.unwrap().len(), 1);
    let still = w
        .store
        .appointment("other-garage", appt.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, frontdesk::store::AppointmentStatus::Booked);
    assert_eq!(w.store.turns(conv.parse().unwrap()).await.unwrap().len(), 1);

    // The operator sees both.
    let ops = w.login("ops@frontdesk.test").await;
    assert_eq!(
        w.get("/b/other-garage/tasks", &ops).await.status,
        StatusCode::OK
    );
    assert_eq!(
        w.get("/b/joes-auto/tasks", &ops).await.status,
        StatusCode::OK
    );
    let home = w.get("/", &ops).await;
    assert!(home.body.contains("/b/other-garage") && home.body.contains("/b/joes-auto"));
}

#[tokio::test]
async fn user_add_passwd_and_remove_manage_who_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("u.db").display());
    // The business is registered (as `serve` does) before accounts are made for it.
    frontdesk::store::open(&db)
        .await
        .unwrap()
        .upsert_business("joes-auto", "Joe's Auto Repair", "", jiff::Timestamp::now())
        .await
        .unwrap();
    let run = |args: &[&str]| {
        support::bin()
            .args(["user", "--db", &db])
            .args(args)
            .output()
            .unwrap()
    };
    let add = run(&[
        "add",
        "sam@shop.test",
        "--business",
        "joes-auto",
        "--password",
        "longenough1",
    ]);
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let again = run(&[
        "add",
        "sam@shop.test",
        "--business",
        "joes-auto",
        "--password",
        "longenough1",
    ]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let store = frontdesk::store::open(&db).await.unwrap();
    let user = store.user_by_email("sam@shop.test").await.unwrap().unwrap();
    assert!(auth::verify_password("longenough1", &user.password_hash));
    assert!(
        run(&["passwd", "sam@shop.test", "--password", "evenlonger22"])
            .status
            .success()
    );
    let user = store.user_by_email("sam@shop.test").await.unwrap().unwrap();
    assert!(auth::verify_password("evenlonger22", &user.password_hash));
    assert!(!auth::verify_password("longenough1", &user.password_hash));
    assert!(run(&["remove", "sam@shop.test"]).status.success());
    assert!(
        store
            .user_by_email("sam@shop.test")
            .await
            .unwrap()
            .is_none()
    );
}

/// Runs `tests/browser/dashboard.mjs` (playwright-core driving Debian's Chromium against
/// `frontdesk demo`): sign in, try a call, correct an answer and see it used, mark a task done,
/// screenshots of every page at 390x844 and 1280x800 in `target/test-output/screenshots/`.
/// Skipped with a reason when node, Chromium or playwright-core are missing, unless
/// `FRONTDESK_REQUIRE_PEERS=1`.
#[test]
fn the_dashboard_works_in_a_real_headless_chromium() {
    let required = std::env::var("FRONTDESK_REQUIRE_PEERS").is_ok_and(|v| v == "1");
    let skip = |why: &str| {
        if required {
            panic!("browser test required but {why}");
        }
        eprintln!("skipped: {why}");
    };
    let dir = support::root().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !std::path::Path::new(&chromium).exists() {
        return skip(&format!("no Chromium at {chromium} (set CHROMIUM)"));
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return skip("node is not installed");
    }
    if !dir.join("node_modules/playwright-core").exists() {
        let installed = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            return skip("playwright-core is not installed (npm install in tests/browser failed)");
        }
    }
    let shots = support::root().join("target/test-output/screenshots");
    let out = std::process::Command::new("node")
        .arg("dashboard.mjs")
        .current_dir(&dir)
        .env("FRONTDESK_BIN", env!("CARGO_BIN_EXE_frontdesk"))
        .env("SCREENSHOTS", &shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("the next call used it"), "{text}");
    assert!(
        text.contains("replied in a thread at phone width"),
        "{text}"
    );
    assert!(shots.join("inbox-phone.png").exists());
    assert!(shots.join("today-phone.png").exists());
    assert!(shots.join("try-desktop.png").exists());
}

async fn booked(w: &World, start: &str) -> frontdesk::store::Appointment {
    let start: jiff::Timestamp = start.parse().unwrap();
    match w
        .store
        .book(
            &NewAppointment {
                business_id: "joes-auto".into(),
                contact_id: None,
                service_id: "oil_change".into(),
                start,
                end: start + SignedDuration::from_mins(30),
                status: frontdesk::store::AppointmentStatus::Booked,
                source: "test".into(),
                vehicle: None,
                notes: None,
                idempotency_key: None,
                at: w.clock.now(),
            },
            3,
        )
        .await
        .unwrap()
    {
        frontdesk::store::BookOutcome::Booked(a) => a,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_owner_marks_visits_done_or_no_show_and_moves_or_cancels_them_from_the_week() {
    use frontdesk::store::AppointmentStatus::*;
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    // Thursday Nov 26, 9:00 and 10:00 in Austin.
    let a = booked(&w, "2026-11-26T15:00:00Z").await;
    let b = booked(&w, "2026-11-26T16:00:00Z").await;
    let week = w.get("/b/joes-auto/appointments?week=2026-11-26", &s).await;
    assert!(week.body.contains("Thursday November 26") && week.body.contains("9:00 AM"));

    let path = |id: uuid::Uuid| format!("/b/joes-auto/appointments/{id}");
    let done = w.post(&path(a.id), &s, &[("action", "done")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.store
            .appointment("joes-auto", a.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        Done
    );
    let review = w
        .store
        .job_by_key(&format!("appt:{}:done:review", a.id))
        .await
        .unwrap();
    assert!(
        review.is_some(),
        "marking done schedules the review request"
    );

    let refused = w
        .post(
            &path(b.id),
            &s,
            &[("action", "reschedule"), ("start", "2026-11-26T12:15")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused.body.contains("cannot be booked"),
        "closed for lunch: {}",
        refused.body
    );
    let moved = w
        .post(
            &path(b.id),
            &s,
            &[("action", "reschedule"), ("start", "2026-11-27T14:00")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let b2 = w
        .store
        .appointment("joes-auto", b.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b2.start, "2026-11-27T20:00:00Z".parse().unwrap());

    w.post(&path(b.id), &s, &[("action", "no_show")]).await;
    assert_eq!(
        w.store
            .appointment("joes-auto", b.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        NoShow
    );
    let c = booked(&w, "2026-11-30T15:00:00Z").await;
    w.post(&path(c.id), &s, &[("action", "cancel")]).await;
    assert_eq!(
        w.store
            .appointment("joes-auto", c.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        Cancelled
    );
}

async fn sessions_and_profile_history_are_kept(store: Arc<dyn Store>) {
    let now = support::tuesday_evening();
    store.upsert_business("b1", "B1", "x", now).await.unwrap();
    let user = store
        .create_user("a@b.test", "h", Role::Owner, Some("b1"), now)
        .await
        .unwrap();
    let later = now + SignedDuration::from_hours(1);
    store
        .create_session("hash1", user.id, "csrf1", now, later)
        .await
        .unwrap();
    let s = store.session("hash1", now).await.unwrap().unwrap();
    assert_eq!(
        (s.user.email.as_str(), s.csrf.as_str()),
        ("a@b.test", "csrf1")
    );
    assert!(
        store.session("hash1", later).await.unwrap().is_none(),
        "expired"
    );
    assert!(store.session("other", now).await.unwrap().is_none());
    store.revoke_session("hash1", now).await.unwrap();
    assert!(
        store.session("hash1", now).await.unwrap().is_none(),
        "revoked"
    );
    store
        .create_session("hash2", user.id, "c", now, later)
        .await
        .unwrap();
    assert_eq!(store.revoke_user_sessions(user.id, now).await.unwrap(), 1);

    store
        .add_profile_version("b1", "v1", "joe", "first", now)
        .await
        .unwrap();
    store
        .add_profile_version("b1", "v2", "joe", "second", later)
        .await
        .unwrap();
    let v = store.profile_versions("b1", 10).await.unwrap();
    assert_eq!(
        v.iter().map(|v| v.note.as_str()).collect::<Vec<_>>(),
        ["second", "first"]
    );

    for _ in 0..3 {
        store
            .audit(
                None,
                "login:a@b.test",
                "login.failed",
                &serde_json::json!({}),
                now,
            )
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .audit_count("login:a@b.test", "login.failed", now)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .audit_count("login:a@b.test", "login.failed", later)
            .await
            .unwrap(),
        0
    );
}

support::on_both_stores!(sessions_and_profile_history_are_kept);

#[tokio::test]
async fn the_transcript_shows_what_was_understood_beside_each_reply() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let conv = conversation_of(&w.post("/b/joes-auto/try/start", &s, &[]).await.location);
    w.post(
        "/b/joes-auto/try/say",
        &s,
        &[
            ("conversation", &conv),
            ("text", "how much is an oil change"),
        ],
    )
    .await;
    let page = w
        .get(&format!("/b/joes-auto/conversations/{conv}"), &s)
        .await;
    assert!(page.body.contains("understood: "), "{}", page.body);
    assert!(page.body.contains("oil_change"), "{}", page.body);
}

#[tokio::test]
async fn a_phrase_corrected_to_a_service_names_that_service_on_the_next_call() {
    let w = world().await;
    let s = w.login("joe@shop.test").await;
    let conv = conversation_of(
        &w.post("/b/joes-auto/try/start", &s, &[("sms", "1")])
            .await
            .location,
    );
    let phrase = "how much for a dino juice swap";
    w.post(
        "/b/joes-auto/try/say",
        &s,
        &[("conversation", &conv), ("text", phrase), ("sms", "1")],
    )
    .await;
    let wrong = w
        .store
        .turns(conv.parse().unwrap())
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert!(
        !wrong.text.contains("$49.99"),
        "not known before: {}",
        wrong.text
    );
    let seq = wrong.seq;
    let page = w
        .post(
            &format!("/b/joes-auto/conversations/{conv}/correct"),
            &s,
            &[
                ("seq", &seq.to_string()),
                ("kind", "alias"),
                ("asked", "dino juice swap"),
                ("service", "oil_change"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let profile = w
        .app
        .directory()
        .by_id("joes-auto")
        .unwrap()
        .profile()
        .clone();
    assert!(
        profile
            .service("oil_change")
            .unwrap()
            .aliases
            .iter()
            .any(|a| a == "dino juice swap")
    );
    let text = std::fs::read_to_string(w._dir.path().join("auto-shop.toml")).unwrap();
    assert!(
        text.contains("aliases = [\"dino juice swap\", \"oil and filter\""),
        "written back, comments kept"
    );
    assert!(text.contains("# Joe's Auto Repair: an independent general repair shop"));

    let next = conversation_of(
        &w.post("/b/joes-auto/try/start", &s, &[("sms", "1")])
            .await
            .location,
    );
    w.post(
        "/b/joes-auto/try/say",
        &s,
        &[("conversation", &next), ("text", phrase), ("sms", "1")],
    )
    .await;
    let reply = w
        .store
        .turns(next.parse().unwrap())
        .await
        .unwrap()
        .last()
        .unwrap()
        .text
        .clone();
    assert!(reply.contains("$49.99"), "{reply}");
    let scenario = std::fs::read_dir(w._dir.path().join("scenarios"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let outcome = frontdesk::scenario::run_file(&scenario, None)
        .await
        .unwrap();
    assert!(
        outcome.passed(),
        "{:?}\n{:?}",
        outcome.failures,
        outcome.transcript
    );
}

#[tokio::test]
async fn frontdesk_demo_prints_an_address_and_a_sign_in_that_opens_the_simulator() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let mut child = support::bin()
        .args(["demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut password, mut base) = (String::new(), String::new());
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("with password ").nth(1) {
            password = rest.trim().to_string();
        }
        if let Some(rest) = line.split("listening on ").nth(1) {
            base = rest.trim().to_string();
            break;
        }
    }
    assert!(
        !password.is_empty() && base.starts_with("http://127.0.0.1:"),
        "{base}"
    );
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = http.get(format!("{base}/login")).send().await.unwrap();
    let login_cookie = form.headers()[header::SET_COOKIE.as_str()]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = csrf_of(&form.text().await.unwrap());
    let login = http
        .post(format!("{base}/login"))
        .header("cookie", login_cookie)
        .form(&[
            ("email", frontdesk::cli::DEMO_EMAIL),
            ("password", password.as_str()),
            ("next", "/try"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let cookie = login.headers()[header::SET_COOKIE.as_str()]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let to_try = http
        .get(format!("{base}/try"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(to_try.headers()["location"], "/b/joes-auto/try");
    let page = http
        .get(format!("{base}/b/joes-auto/try"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Try a call"));
    assert!(dir.path().join("auto-shop.toml").is_file());
    let _ = child.kill();
    let _ = child.wait();
}
