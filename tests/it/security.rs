//! What no owner, staff member or stranger can do: read a server secret through the profile,
//! reach the server's own network through an outbound URL, take another business's number or
//! save a profile that stops the deployment from starting, act beyond their role, outrun the
//! sign-in limit, or be sent off the site (or signed in) by another site; and what the operator's
//! own tools refuse (a service the shop does not book online, an account for a business that
//! does not exist).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::dashboard::auth;
use frontdesk::store::{Role, Store};
use tower::ServiceExt as _;

use crate::support::{self, field, first_cookie};
use crate::twilio::Harness;

const PASSWORD: &str = "correct horse battery";
const JOES_NUMBER: &str = "+15125550100";
const OTHERS_NUMBER: &str = "+15125550900";

fn other_text() -> String {
    frontdesk_profile::EXAMPLE_TOML
        .replace("id = \"joes-auto\"", "id = \"other-garage\"")
        .replace("name = \"Joe's Auto Repair\"", "name = \"Other Garage\"")
        .replace(
            &format!("phones = [\"{JOES_NUMBER}\"]"),
            &format!("phones = [\"{OTHERS_NUMBER}\"]"),
        )
}

/// Joe's and Other Garage, both from files in one folder (the deployment's `--profile`), with
/// an owner and a staff member for Joe's, an owner for Other Garage, and an operator.
struct World {
    app: App,
    folder: std::path::PathBuf,
    _db: Option<support::TestDb>,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let db = support::sqlite().await;
    let store = db.store.clone();
    world_on(store, Some(db), Settings::default()).await
}

async fn world_on(store: Arc<dyn Store>, db: Option<support::TestDb>, settings: Settings) -> World {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("profiles");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("joes.toml"), frontdesk_profile::EXAMPLE_TOML).unwrap();
    std::fs::write(folder.join("other.toml"), other_text()).unwrap();
    let profiles = frontdesk_profile::load(&folder).unwrap();
    let clock = Arc::new(ManualClock::new(support::tuesday_evening()));
    let settings = Settings {
        profile_path: Some(folder.clone()),
        ..settings
    };
    let app = App::new(
        store.clone(),
        clock.clone() as Arc<dyn Clock>,
        profiles,
        settings,
    );
    app.register_businesses().await.unwrap();
    let now = clock.now();
    for (email, role, b) in [
        ("joe@shop.test", Role::Owner, Some("joes-auto")),
        ("sam@shop.test", Role::Staff, Some("joes-auto")),
        ("other@shop.test", Role::Owner, Some("other-garage")),
        ("ops@frontdesk.test", Role::Operator, None),
    ] {
        auth::add_user(store.as_ref(), email, PASSWORD, role, b, now)
            .await
            .unwrap();
    }
    World {
        app,
        folder,
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

#[derive(Clone, Default)]
struct Session {
    cookie: String,
    csrf: String,
}

/// The sign-in form's token and cookie (whatever the server hands out with `GET /login`).
#[derive(Clone, Default)]
struct LoginForm {
    cookie: String,
    csrf: String,
}

impl World {
    async fn send(&self, req: Request<Body>) -> Page {
        send(&self.app, req).await
    }

    async fn get(&self, path: &str, s: &Session) -> Page {
        self.send(
            Request::get(path)
                .header(header::COOKIE, &s.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn post(&self, path: &str, s: &Session, form: &[(&str, &str)]) -> Page {
        let mut fields: Vec<(&str, &str)> = vec![("csrf", &s.csrf)];
        fields.extend_from_slice(form);
        self.send(
            Request::post(path)
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(&fields).unwrap()))
                .unwrap(),
        )
        .await
    }

    async fn login_form(&self, from: Option<SocketAddr>) -> LoginForm {
        let mut req = Request::get("/login").body(Body::empty()).unwrap();
        if let Some(a) = from {
            req.extensions_mut().insert(ConnectInfo(a));
        }
        let page = self.send(req).await;
        LoginForm {
            cookie: first_cookie(&page.cookie),
            csrf: field(&page.body, "csrf").unwrap_or_default(),
        }
    }

    async fn try_login_from(
        &self,
        email: &str,
        password: &str,
        next: Option<&str>,
        from: Option<SocketAddr>,
    ) -> Page {
        let form = self.login_form(from).await;
        let mut fields = vec![("email", email), ("password", password)];
        if !form.csrf.is_empty() {
            fields.push(("csrf", &form.csrf));
        }
        if let Some(n) = next {
            fields.push(("next", n));
        }
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &form.cookie)
            .body(Body::from(serde_urlencoded::to_string(&fields).unwrap()))
            .unwrap();
        if let Some(a) = from {
            req.extensions_mut().insert(ConnectInfo(a));
        }
        self.send(req).await
    }

    async fn try_login(&self, email: &str, password: &str) -> Page {
        self.try_login_from(email, password, None, None).await
    }

    async fn login(&self, email: &str, business: &str) -> Session {
        let page = self.try_login(email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let mut s = Session {
            cookie: first_cookie(&page.cookie),
            csrf: String::new(),
        };
        let home = self.get(&format!("/b/{business}/try"), &s).await;
        s.csrf = field(&home.body, "csrf").expect("a csrf token");
        s
    }

    fn profile(&self, b: &str) -> frontdesk_profile::Profile {
        self.app.directory().by_id(b).unwrap().profile().clone()
    }
}

async fn send(app: &App, req: Request<Body>) -> Page {
    let resp = frontdesk::http::router(app.clone())
        .oneshot(req)
        .await
        .unwrap();
    let (parts, body) = resp.into_parts();
    let h = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (location, cookie) = (h(header::LOCATION), h(header::SET_COOKIE));
    let status = parts.status;
    let bytes = axum::body::to_bytes(body, 10 << 20).await.unwrap();
    Page {
        status,
        location,
        cookie,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Standard base64 with padding, for Basic auth headers.
fn base64(text: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn joes_with(extra: &str) -> String {
    format!("{}\n{extra}\n", frontdesk_profile::EXAMPLE_TOML.trim_end())
}

/// An HTTP server on loopback that records the `Authorization` header of every request.
async fn recorder() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let log = log.clone();
        async move {
            let auth = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let sig = req
                .headers()
                .get("x-frontdesk-signature")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            log.lock()
                .unwrap()
                .push(format!("{} {} {auth} {sig}", req.method(), req.uri()));
            StatusCode::INTERNAL_SERVER_ERROR
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

// ----- 1. secrets and outbound addresses ------------------------------------------------------

#[tokio::test]
async fn an_owner_cannot_point_the_calendar_at_a_server_secret() {
    let w = world().await;
    let joe = w.login("joe@shop.test", "joes-auto").await;
    for (extra, name) in [
        (
            "[calendar]\ncaldav_url = \"https://cal.example/joe/shop/\"\nusername = \"joe\"\npassword_env = \"TWILIO_AUTH_TOKEN\"",
            "TWILIO_AUTH_TOKEN",
        ),
        (
            "[[webhooks]]\nurl = \"https://hooks.example/frontdesk\"\nsecret_env = \"FRONTDESK_API_TOKEN\"",
            "FRONTDESK_API_TOKEN",
        ),
        (
            // Another business's secret is not this one's either.
            "[[webhooks]]\nurl = \"https://hooks.example/frontdesk\"\nsecret_env = \"FRONTDESK_SECRET_OTHER_GARAGE_HOOK\"",
            "FRONTDESK_SECRET_OTHER_GARAGE_HOOK",
        ),
    ] {
        let page = w
            .post(
                "/b/joes-auto/settings",
                &joe,
                &[("profile", &joes_with(extra))],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Not saved"), "{}", page.body);
        assert!(page.body.contains(name), "{}", page.body);
        assert!(
            page.body.contains("FRONTDESK_SECRET_JOES_AUTO_"),
            "the hint names the allowed prefix: {}",
            page.body
        );
        let p = w.profile("joes-auto");
        assert!(p.calendar.is_none() && p.webhooks.is_empty());
    }
    // `frontdesk check` says the same, with the line.
    let text = joes_with(
        "[calendar]\ncaldav_url = \"https://cal.example/joe/shop/\"\npassword_env = \"TWILIO_AUTH_TOKEN\"",
    );
    let report = frontdesk_profile::parse("joes.toml", &text).unwrap_err();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("TWILIO_AUTH_TOKEN"))
        .expect("a diagnostic about the secret");
    assert_eq!(
        text.lines().nth(d.line - 1).unwrap(),
        "password_env = \"TWILIO_AUTH_TOKEN\""
    );
    // The owner cannot add one even of the business's own secrets: the operator can.
    let own = joes_with(
        "[[webhooks]]\nurl = \"https://hooks.example/frontdesk\"\nsecret_env = \"FRONTDESK_SECRET_JOES_AUTO_HOOK\"",
    );
    let page = w
        .post("/b/joes-auto/settings", &joe, &[("profile", &own)])
        .await;
    assert!(page.body.contains("operator"), "{}", page.body);
    assert!(w.profile("joes-auto").webhooks.is_empty());
    let ops = w.login("ops@frontdesk.test", "joes-auto").await;
    let ok = w
        .post(
            "/b/joes-auto/settings",
            &ops,
            &[(
                "profile",
                &joes_with(
                    "[[webhooks]]\nurl = \"https://hooks.example/frontdesk\"\nsecret_env = \"FRONTDESK_SECRET_JOES_AUTO_HOOK\"",
                ),
            )],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        w.profile("joes-auto").webhooks[0].secret_env.as_deref(),
        Some("FRONTDESK_SECRET_JOES_AUTO_HOOK")
    );
}

#[tokio::test]
async fn a_calendar_naming_a_server_secret_never_sends_its_value() {
    // A profile that slipped past the checks (an old file, a queued job): the value of a
    // variable outside the business's prefix is never read.
    let (base, seen) = recorder().await;
    let mut profile = frontdesk_profile::example();
    profile.calendar = Some(frontdesk_profile::CalendarConfig {
        caldav_url: format!("{base}/cal/"),
        username: Some("joe".into()),
        password_env: Some("TWILIO_AUTH_TOKEN".into()),
        deadline_ms: 1000,
    });
    let h = Harness::with_secrets(
        profile,
        vec![("TWILIO_AUTH_TOKEN".into(), "the-real-twilio-token".into())],
    )
    .await;
    let resp = h
        .router
        .clone()
        .oneshot(
            Request::get("/api/availability?service=oil_change")
                .header("authorization", "Bearer operator")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let _ = axum::body::to_bytes(resp.into_body(), 1 << 20).await;
    let leaked = base64("joe:the-real-twilio-token");
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter().all(|l| !l.contains(&leaked)),
        "the token was sent: {seen:?}"
    );
}

#[tokio::test]
async fn an_owner_cannot_point_a_webhook_or_calendar_at_a_private_address() {
    let w = world().await;
    let joe = w.login("joe@shop.test", "joes-auto").await;
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8080/api/",
        "http://localhost:5432/",
        "http://10.1.2.3/hook",
        "http://192.168.1.1/",
        "http://172.16.0.9/",
        "http://100.64.0.1/",
        "http://[::1]:8080/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0:8080/",
    ] {
        for extra in [
            format!("[[webhooks]]\nurl = \"{url}\""),
            format!("[calendar]\ncaldav_url = \"{url}\""),
        ] {
            let page = w
                .post(
                    "/b/joes-auto/settings",
                    &joe,
                    &[("profile", &joes_with(&extra))],
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{url}: {}", page.body);
            assert!(page.body.contains("Not saved"), "{url}: {}", page.body);
            assert!(
                page.body.contains("FRONTDESK_ALLOW_PRIVATE_URLS"),
                "{url}: the hint names the operator's setting: {}",
                page.body
            );
        }
    }
    let p = w.profile("joes-auto");
    assert!(p.calendar.is_none() && p.webhooks.is_empty());
}

#[tokio::test]
async fn a_webhook_to_a_private_address_is_not_posted_without_the_operators_allowance() {
    let (base, seen) = recorder().await;
    let mut profile = frontdesk_profile::example();
    // By address, and by a name that resolves to loopback (refused when resolved).
    let by_name = base.replace("127.0.0.1", "localhost");
    profile.webhooks = [format!("{base}/hook"), format!("{by_name}/hook")]
        .into_iter()
        .map(|url| frontdesk_profile::WebhookConfig {
            url,
            secret_env: None,
            events: vec!["appointment.booked".into()],
        })
        .collect();
    let h = Harness::new(profile.clone()).await;
    // The same deployment without the harness's allowance for loopback peers.
    let settings = Settings {
        allow_private_urls: Vec::new(),
        ..(*h.app.settings).clone()
    };
    let app = App::new(h.store.clone(), h.clock.clone(), vec![profile], settings);
    let booked = send(
        &app,
        Request::post("/api/appointments")
            .header("authorization", "Bearer operator")
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({"service": "oil_change", "start": "2026-11-26T10:00:00-06:00",
                    "name": "Ana", "phone": "+15125550143"})
                .to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    frontdesk::serve::worker(&app)
        .run_until_idle()
        .await
        .unwrap();
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
    let mut events = h
        .store
        .jobs(frontdesk::store::JobStatus::Dead, 50)
        .await
        .unwrap();
    events.extend(
        h.store
            .jobs(frontdesk::store::JobStatus::Queued, 50)
            .await
            .unwrap(),
    );
    let errors: Vec<String> = events
        .iter()
        .filter(|j| j.kind == "webhook.event")
        .map(|j| j.last_error.clone().unwrap_or_default())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|e| e.contains("loopback")), "{errors:?}");
}

// ----- 2. numbers and a deployment that starts ------------------------------------------------

#[tokio::test]
async fn an_owner_cannot_take_another_businesss_number() {
    let w = world().await;
    let joe = w.login("joe@shop.test", "joes-auto").await;
    for phones in [
        format!("phones = [\"{JOES_NUMBER}\", \"{OTHERS_NUMBER}\"]"),
        format!("phones = [\"{OTHERS_NUMBER}\"]"),
        "phones = [\"+15125550777\"]".to_string(),
    ] {
        let text = frontdesk_profile::EXAMPLE_TOML
            .replace(&format!("phones = [\"{JOES_NUMBER}\"]"), &phones);
        let page = w
            .post("/b/joes-auto/settings", &joe, &[("profile", &text)])
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Not saved"), "{}", page.body);
        assert!(page.body.contains("operator"), "{}", page.body);
    }
    let dir = w.app.directory();
    assert_eq!(
        dir.for_number(OTHERS_NUMBER).unwrap().profile().business.id,
        "other-garage"
    );
    assert_eq!(w.profile("joes-auto").business.phones, vec![JOES_NUMBER]);
    assert!(frontdesk_profile::load(&w.folder).is_ok());
}

#[tokio::test]
async fn no_saved_profile_stops_the_deployment_from_starting() {
    let w = world().await;
    let ops = w.login("ops@frontdesk.test", "joes-auto").await;
    // The operator may move numbers, but not onto another business's.
    let text = frontdesk_profile::EXAMPLE_TOML.replace(
        &format!("phones = [\"{JOES_NUMBER}\"]"),
        &format!("phones = [\"{JOES_NUMBER}\", \"{OTHERS_NUMBER}\"]"),
    );
    let page = w
        .post("/b/joes-auto/settings", &ops, &[("profile", &text)])
        .await;
    assert!(page.body.contains("Not saved"), "{}", page.body);
    assert!(page.body.contains("other-garage"), "{}", page.body);
    // A profile added to the folder since the start counts too: `serve` would load it.
    let third = frontdesk_profile::EXAMPLE_TOML
        .replace("id = \"joes-auto\"", "id = \"third-shop\"")
        .replace(
            &format!("phones = [\"{JOES_NUMBER}\"]"),
            "phones = [\"+15125550777\"]",
        );
    std::fs::write(w.folder.join("third.toml"), third).unwrap();
    let text = frontdesk_profile::EXAMPLE_TOML.replace(
        &format!("phones = [\"{JOES_NUMBER}\"]"),
        &format!("phones = [\"{JOES_NUMBER}\", \"+15125550777\"]"),
    );
    let page = w
        .post("/b/joes-auto/settings", &ops, &[("profile", &text)])
        .await;
    assert!(page.body.contains("Not saved"), "{}", page.body);
    assert!(page.body.contains("third"), "{}", page.body);
    assert!(frontdesk_profile::load(&w.folder).is_ok());
    // A new number nobody has is the operator's to give.
    let text = frontdesk_profile::EXAMPLE_TOML.replace(
        &format!("phones = [\"{JOES_NUMBER}\"]"),
        &format!("phones = [\"{JOES_NUMBER}\", \"+15125550888\"]"),
    );
    let page = w
        .post("/b/joes-auto/settings", &ops, &[("profile", &text)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(frontdesk_profile::load(&w.folder).is_ok());
    assert!(w.profile("joes-auto").answers("+15125550888"));
}

// ----- 3. roles ----------------------------------------------------------------------------

#[tokio::test]
async fn staff_work_the_pages_but_cannot_open_or_change_the_settings() {
    let w = world().await;
    let sam = w.login("sam@shop.test", "joes-auto").await;
    for page in [
        "/b/joes-auto",
        "/b/joes-auto/tasks",
        "/b/joes-auto/appointments",
    ] {
        assert_eq!(w.get(page, &sam).await.status, StatusCode::OK, "{page}");
    }
    let settings = w.get("/b/joes-auto/settings", &sam).await;
    assert_eq!(settings.status, StatusCode::FORBIDDEN);
    assert!(!settings.body.contains("password_env"));
    let renamed = frontdesk_profile::EXAMPLE_TOML.replace("Joe's Auto Repair\"", "Sam's Garage\"");
    let save = w
        .post("/b/joes-auto/settings", &sam, &[("profile", &renamed)])
        .await;
    assert_eq!(save.status, StatusCode::FORBIDDEN, "{}", save.body);
    assert_eq!(w.profile("joes-auto").business.name, "Joe's Auto Repair");
    // A correction edits the profile too.
    let start = w.post("/b/joes-auto/try/start", &sam, &[]).await;
    let conv = start
        .location
        .split("c=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let fix = w
        .post(
            &format!("/b/joes-auto/conversations/{conv}/correct"),
            &sam,
            &[
                ("seq", "1"),
                ("kind", "faq"),
                ("asked", "do you do tint"),
                ("answer", "No tint, sorry."),
            ],
        )
        .await;
    assert_eq!(fix.status, StatusCode::FORBIDDEN, "{}", fix.body);
    assert!(
        w.profile("joes-auto")
            .faqs
            .iter()
            .all(|f| !f.answer.contains("No tint"))
    );
    // The owner still can.
    let joe = w.login("joe@shop.test", "joes-auto").await;
    assert_eq!(
        w.get("/b/joes-auto/settings", &joe).await.status,
        StatusCode::OK
    );
    let save = w
        .post("/b/joes-auto/settings", &joe, &[("profile", &renamed)])
        .await;
    assert_eq!(save.status, StatusCode::SEE_OTHER, "{}", save.body);
}

// ----- 4. the sign-in limit ------------------------------------------------------------------

async fn parallel_guesses_cannot_outrun_the_sign_in_limit(store: Arc<dyn Store>) {
    let w = Arc::new(world_on(store, None, Settings::default()).await);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let w = w.clone();
        tasks.push(tokio::spawn(async move {
            w.try_login("joe@shop.test", &format!("guess {i}"))
                .await
                .status
        }));
    }
    let mut checked = 0;
    for t in tasks {
        let status = t.await.unwrap();
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
        if status == StatusCode::UNAUTHORIZED {
            checked += 1;
        }
    }
    assert!(
        checked <= auth::MAX_FAILURES,
        "{checked} passwords were checked"
    );
    // Guesses refused unchecked do not count: the rest of the five can still be tried, and
    // then not even the right password gets in.
    for i in checked..auth::MAX_FAILURES {
        let page = w
            .try_login("joe@shop.test", &format!("late guess {i}"))
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        w.try_login("joe@shop.test", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
support::on_both_stores!(parallel_guesses_cannot_outrun_the_sign_in_limit);

#[tokio::test]
async fn one_address_guessing_many_accounts_is_limited_too() {
    let w = world().await;
    let guesser: SocketAddr = "203.0.113.9:40000".parse().unwrap();
    let elsewhere: SocketAddr = "198.51.100.7:40000".parse().unwrap();
    let mut limited = false;
    for i in 0..60 {
        let page = w
            .try_login_from(&format!("user{i}@shop.test"), "guess", None, Some(guesser))
            .await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    assert!(
        limited,
        "60 accounts guessed from one address without a limit"
    );
    assert_eq!(
        w.try_login_from("joe@shop.test", PASSWORD, None, Some(guesser))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        w.try_login_from("joe@shop.test", PASSWORD, None, Some(elsewhere))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

// ----- 5. redirects and the sign-in form -----------------------------------------------------

#[tokio::test]
async fn signing_in_never_sends_the_browser_to_another_site() {
    let w = world().await;
    for next in [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\r/evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\/evil.example/",
        "https://evil.example/",
        "/ /evil.example/",
        "/\u{0b}/evil.example/",
        "evil.example",
    ] {
        let page = w
            .try_login_from("joe@shop.test", PASSWORD, Some(next), None)
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(page.location, "/", "{next:?}");
    }
    let page = w
        .try_login_from(
            "joe@shop.test",
            PASSWORD,
            Some("/b/joes-auto/tasks?x=1"),
            None,
        )
        .await;
    assert_eq!(page.location, "/b/joes-auto/tasks?x=1");
    // The form carries the same rule.
    let form = w
        .send(
            Request::get("/login?next=%2F%09%2Fevil.example%2F")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(field(&form.body, "next").as_deref(), Some("/"));
}

#[tokio::test]
async fn a_sign_in_posted_without_the_forms_token_is_refused() {
    let w = world().await;
    // Another site posting the victim into the attacker's account: no cookie, no token.
    let form =
        serde_urlencoded::to_string([("email", "joe@shop.test"), ("password", PASSWORD)]).unwrap();
    let page = w
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(!page.cookie.contains(auth::COOKIE), "{}", page.cookie);
    // A token that does not match the browser's cookie.
    let real = w.login_form(None).await;
    let form = serde_urlencoded::to_string([
        ("email", "joe@shop.test"),
        ("password", PASSWORD),
        ("csrf", "0123456789abcdef0123456789abcdef"),
    ])
    .unwrap();
    let page = w
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &real.cookie)
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    // The form as served works.
    assert_eq!(
        w.try_login("joe@shop.test", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

// ----- 12. the operator API and the menu -----------------------------------------------------

#[tokio::test]
async fn the_operator_api_does_not_book_a_service_the_shop_does_not_book() {
    let h = Harness::new(frontdesk_profile::example()).await;
    assert!(
        !frontdesk_profile::example()
            .service("suspension")
            .unwrap()
            .bookable
    );
    let resp = h
        .router
        .clone()
        .oneshot(
            Request::post("/api/appointments")
                .header("authorization", "Bearer operator")
                .header("content-type", "application/json")
                .body(Body::from(
                    serde_json::json!({"service": "suspension", "start": "2026-11-26T10:00:00-06:00",
                        "name": "Ana", "phone": "+15125550143"})
                    .to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(String::from_utf8_lossy(&body).contains("suspension"));
    let range = frontdesk::store::Range {
        from: "2026-11-20T00:00:00Z".parse().unwrap(),
        to: "2026-12-20T00:00:00Z".parse().unwrap(),
    };
    assert!(
        h.store
            .appointments_any("joes-auto", range)
            .await
            .unwrap()
            .is_empty()
    );
}

// ----- 14. accounts for businesses that exist ------------------------------------------------

#[tokio::test]
async fn user_add_refuses_a_business_that_does_not_exist() {
    let db = support::sqlite().await;
    let clock = Arc::new(ManualClock::new(support::tuesday_evening()));
    let app = App::new(
        db.store.clone(),
        clock as Arc<dyn Clock>,
        vec![frontdesk_profile::example()],
        Settings::default(),
    );
    app.register_businesses().await.unwrap();
    let run = |business: &str| {
        support::bin()
            .args(["user", "--db", &db.url, "add", "pat@shop.test"])
            .args(["--business", business, "--password", "longenough1"])
            .env_remove("FRONTDESK_PROFILE")
            .output()
            .unwrap()
    };
    let typo = run("joes-autos");
    assert!(!typo.status.success());
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(err.contains("\"joes-autos\""), "{err}");
    assert!(
        db.store
            .user_by_email("pat@shop.test")
            .await
            .unwrap()
            .is_none()
    );
    let ok = run("joes-auto");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// Kills the child process when the test ends, passed or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_checks_a_dashboard_save_against_its_whole_profile_folder() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("profiles");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("joes.toml"), frontdesk_profile::EXAMPLE_TOML).unwrap();
    std::fs::write(folder.join("other.toml"), other_text()).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("fd.db").display());
    let added = support::bin()
        .args([
            "user",
            "--db",
            &db,
            "add",
            "ops@frontdesk.test",
            "--role",
            "operator",
        ])
        .args(["--password", PASSWORD])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let mut child = support::bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--db", &db, "--profile"])
        .arg(&folder)
        .env_remove("FRONTDESK_ALLOW_PRIVATE_URLS")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _child = Killed(child);
    let line = std::io::BufReader::new(stdout)
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let base = line
        .strip_prefix("frontdesk listening on ")
        .expect(&line)
        .to_string();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = http.get(format!("{base}/login")).send().await.unwrap();
    let login_cookie = first_cookie(form.headers()["set-cookie"].to_str().unwrap());
    let csrf = field(&form.text().await.unwrap(), "csrf").unwrap();
    let login = http
        .post(format!("{base}/login"))
        .header("cookie", &login_cookie)
        .form(&[
            ("email", "ops@frontdesk.test"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let session = first_cookie(login.headers()["set-cookie"].to_str().unwrap());
    let page = http
        .get(format!("{base}/b/joes-auto/settings"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    let csrf = field(&page.text().await.unwrap(), "csrf").unwrap();
    // A profile added to the folder after the start: the next `serve` loads it too.
    std::fs::write(
        folder.join("third.toml"),
        frontdesk_profile::EXAMPLE_TOML
            .replace("id = \"joes-auto\"", "id = \"third-shop\"")
            .replace(
                &format!("phones = [\"{JOES_NUMBER}\"]"),
                "phones = [\"+15125550777\"]",
            ),
    )
    .unwrap();
    let text = frontdesk_profile::EXAMPLE_TOML.replace(
        &format!("phones = [\"{JOES_NUMBER}\"]"),
        &format!("phones = [\"{JOES_NUMBER}\", \"+15125550777\"]"),
    );
    let saved = http
        .post(format!("{base}/b/joes-auto/settings"))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str()), ("profile", text.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let body = saved.text().await.unwrap();
    assert!(
        body.contains("Not saved") && body.contains("third"),
        "{body}"
    );
    assert!(frontdesk_profile::load(&folder).is_ok());
}
