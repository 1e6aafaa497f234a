//! Twilio's wire protocol end to end over HTTP: signed webhooks (and forged ones refused), the
//! voice speech loop, forward-first with screening, SMS with opt-out keywords and duplicate
//! deliveries, missed-call texts, and the outbox sending through a local Twilio-compatible REST
//! endpoint that records every request and can answer 429.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::jobs::Ran;
use frontdesk::store::{JobStatus, Store};
use jiff::SignedDuration;
use tower::ServiceExt;

use crate::support::{sqlite, tuesday_evening};

pub const TOKEN: &str = "twilio-test-token";
pub const PUBLIC: &str = "https://frontdesk.example";
pub const SHOP_NUMBER: &str = "+15125550100";
pub const CALLER: &str = "+15125550143";

/// One request the fake Twilio REST API received.
#[derive(Debug, Clone)]
pub struct Sent {
    pub path: String,
    pub authorization: String,
    pub form: Vec<(String, String)>,
    /// The `I-Twilio-Idempotency-Token` header, if one came.
    pub idempotency: Option<String>,
    /// When Twilio "created" it (RFC 2822, as the Messages list shows it).
    pub date_created: String,
    /// Whether it was answered with a 2xx (a message Twilio created and lists).
    pub created: bool,
}

impl Sent {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A local Twilio-compatible Messages endpoint: records requests, answers from a script
/// (default 201 queued), lists what it created (`GET Messages.json?To=&From=`, newest first) and
/// can be slow for one recipient (it creates the message, then waits before answering, as
/// Twilio does when it is slow).
#[derive(Clone, Default)]
pub struct FakeTwilio {
    pub sent: Arc<Mutex<Vec<Sent>>>,
    pub script: Arc<Mutex<VecDeque<(u16, String)>>>,
    /// Recipients whose sends answer only after this long.
    pub slow: Arc<Mutex<Vec<(String, std::time::Duration)>>>,
    /// How many list look-ups came.
    pub lookups: Arc<Mutex<u32>>,
    /// Every request as it started and as it was answered: ("start"|"end", To).
    pub timeline: Arc<Mutex<Vec<(&'static str, String)>>>,
}

/// Twilio's Messages list: the fake's created messages for To and From, newest first.
async fn list_messages(
    state: FakeTwilio,
    query: std::collections::HashMap<String, String>,
) -> axum::Json<serde_json::Value> {
    *state.lookups.lock().unwrap() += 1;
    let sent = state.sent.lock().unwrap().clone();
    let messages: Vec<serde_json::Value> = sent
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, m)| {
            m.created
                && m.field("To") == query.get("To").map(String::as_str)
                && m.field("From") == query.get("From").map(String::as_str)
        })
        .map(|(i, m)| {
            serde_json::json!({"sid": format!("SM{i:032}"), "body": m.field("Body"),
                "status": "sent", "date_created": m.date_created})
        })
        .collect();
    axum::Json(serde_json::json!({"messages": messages, "page": 0}))
}

impl FakeTwilio {
    pub async fn start() -> (FakeTwilio, String) {
        let fake = FakeTwilio::default();
        let state = fake.clone();
        let lister = fake.clone();
        let app = axum::Router::new().route(
            "/2010-04-01/Accounts/{sid}/Messages.json",
            axum::routing::get(
                move |axum::extract::Query(q): axum::extract::Query<
                    std::collections::HashMap<String, String>,
                >| list_messages(lister.clone(), q),
            )
            .post(
                move |headers: axum::http::HeaderMap,
                      uri: axum::http::Uri,
                      body: axum::body::Bytes| {
                    let state = state.clone();
                    async move {
                        let form: Vec<(String, String)> =
                            serde_urlencoded::from_bytes(&body).unwrap_or_default();
                        let authorization = headers
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string();
                        let idempotency = headers
                            .get("i-twilio-idempotency-token")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string);
                        let to = form
                            .iter()
                            .find(|(k, _)| k == "To")
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default();
                        state.timeline.lock().unwrap().push(("start", to.clone()));
                        let date_created = jiff::fmt::rfc2822::to_string(
                            &jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC),
                        )
                        .unwrap();
                        let (status, body) = state.script.lock().unwrap().pop_front().unwrap_or((
                            201,
                            r#"{"sid": "SM00000000000000000000000000000001", "status": "queued"}"#
                                .to_string(),
                        ));
                        state.sent.lock().unwrap().push(Sent {
                            path: uri.path().to_string(),
                            authorization,
                            form,
                            idempotency,
                            date_created,
                            created: (200..300).contains(&status),
                        });
                        let delay = state
                            .slow
                            .lock()
                            .unwrap()
                            .iter()
                            .find(|(n, _)| *n == to)
                            .map(|(_, d)| *d);
                        if let Some(delay) = delay {
                            tokio::time::sleep(delay).await;
                        }
                        state.timeline.lock().unwrap().push(("end", to));
                        (
                            StatusCode::from_u16(status).unwrap(),
                            [("content-type", "application/json")],
                            body,
                        )
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (fake, format!("http://{addr}"))
    }

    pub fn texts(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }
}

/// The app wired for Twilio, with its router and a clock the test moves.
pub struct Harness {
    pub app: App,
    pub router: axum::Router,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    pub fake: FakeTwilio,
    _db: crate::support::TestDb,
}

impl Harness {
    pub async fn new(profile: frontdesk_profile::Profile) -> Harness {
        Self::with_smtp(profile, None).await
    }

    pub async fn with_secrets(
        profile: frontdesk_profile::Profile,
        secrets: Vec<(String, String)>,
    ) -> Harness {
        Self::build(profile, None, secrets).await
    }

    pub async fn with_smtp(
        profile: frontdesk_profile::Profile,
        smtp_url: Option<String>,
    ) -> Harness {
        Self::build(profile, smtp_url, Vec::new()).await
    }

    async fn build(
        profile: frontdesk_profile::Profile,
        smtp_url: Option<String>,
        secrets: Vec<(String, String)>,
    ) -> Harness {
        Self::on(sqlite().await, vec![profile], smtp_url, secrets).await
    }

    /// The harness on a given database (SQLite or PostgreSQL) with several businesses.
    pub async fn on(
        db: crate::support::TestDb,
        profiles: Vec<frontdesk_profile::Profile>,
        smtp_url: Option<String>,
        secrets: Vec<(String, String)>,
    ) -> Harness {
        Self::tuned(db, profiles, smtp_url, secrets, |_| {}).await
    }

    /// [`on`](Self::on) with settings changed by `tune` (a shorter Twilio timeout, say).
    pub async fn tuned(
        db: crate::support::TestDb,
        profiles: Vec<frontdesk_profile::Profile>,
        smtp_url: Option<String>,
        secrets: Vec<(String, String)>,
        tune: impl FnOnce(&mut Settings),
    ) -> Harness {
        let (fake, base) = FakeTwilio::start().await;
        let clock = Arc::new(ManualClock::new(tuesday_evening()));
        let settings = Settings {
            public_url: Some(PUBLIC.into()),
            api_token: Some("operator".into()),
            twilio_account_sid: Some("AC00000000000000000000000000000000".into()),
            twilio_auth_token: Some(TOKEN.into()),
            twilio_api_base: Some(base),
            voice_mode: Some("gather".into()),
            smtp_url,
            smtp_from: Some("frontdesk@joesauto.example".into()),
            secrets,
            // The calendar and webhook peers of these tests listen on loopback.
            allow_private_urls: vec!["*".into()],
            ..Settings::default()
        };
        let mut settings = settings;
        tune(&mut settings);
        let app = App::new(
            db.store.clone(),
            clock.clone() as Arc<dyn Clock>,
            profiles,
            settings,
        );
        app.register_businesses().await.unwrap();
        let router = frontdesk::http::router(app.clone());
        Harness {
            store: db.store.clone(),
            app,
            router,
            clock,
            fake,
            _db: db,
        }
    }

    /// POSTs a form signed the way Twilio signs it.
    pub async fn post(&self, path: &str, params: &[(&str, &str)]) -> (StatusCode, String) {
        let owned: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let signature =
            frontdesk_twilio::signature::compute(TOKEN, &format!("{PUBLIC}{path}"), &owned);
        self.post_signed(path, &owned, &signature).await
    }

    pub async fn post_signed(
        &self,
        path: &str,
        params: &[(String, String)],
        signature: &str,
    ) -> (StatusCode, String) {
        let body = serde_urlencoded::to_string(params).unwrap();
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", signature)
            .body(Body::from(body))
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The bodies of the texts Twilio accepted for `to`, in order.
    pub fn texts_to(&self, to: &str) -> Vec<String> {
        self.fake
            .texts()
            .iter()
            .filter(|t| t.field("To") == Some(to) && t.created)
            .map(|t| t.field("Body").unwrap_or("").to_string())
            .collect()
    }

    /// Runs the outbox until nothing is due.
    pub async fn drain(&self) -> Vec<Ran> {
        frontdesk::serve::worker(&self.app)
            .run_until_idle()
            .await
            .unwrap()
    }
}

pub fn voice_params<'a>(call: &'a str, from: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("CallSid", call),
        ("AccountSid", "AC00000000000000000000000000000000"),
        ("From", from),
        ("To", SHOP_NUMBER),
        ("CallStatus", "ringing"),
        ("Direction", "inbound"),
        ("ApiVersion", "2010-04-01"),
    ]
}

/// The `action` URL of the `<Gather>` in a TwiML answer.
pub fn gather_action(twiml: &str) -> String {
    let start = twiml.find("<Gather").expect("a Gather");
    let action = &twiml[start..];
    let from = action.find("action=\"").expect("an action") + 8;
    let to = action[from..].find('"').unwrap() + from;
    action[from..to].replace("&amp;", "&")
}

#[tokio::test]
async fn a_signed_call_is_answered_at_once_with_a_greeting_and_a_speech_gather() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let (status, twiml) = h
        .post("/twilio/voice", &voice_params("CA100", CALLER))
        .await;
    assert_eq!(status, StatusCode::OK, "{twiml}");
    assert!(twiml.starts_with("<?xml"), "{twiml}");
    assert!(twiml.contains("<Gather"), "{twiml}");
    assert!(twiml.contains("input=\"speech dtmf\""), "{twiml}");
    assert!(twiml.contains("actionOnEmptyResult=\"true\""), "{twiml}");
    assert!(twiml.contains("speechTimeout=\"auto\""), "{twiml}");
    assert!(
        twiml.contains("check engine light"),
        "hints carry the service aliases: {twiml}"
    );
    assert!(
        gather_action(&twiml).starts_with("/twilio/voice/turn?c="),
        "{twiml}"
    );
    // Twilio retrying the same webhook finds the same conversation and says the same thing.
    let (_, again) = h
        .post("/twilio/voice", &voice_params("CA100", CALLER))
        .await;
    assert_eq!(gather_action(&again), gather_action(&twiml));
}

#[tokio::test]
async fn forged_replayed_reordered_and_stripped_signatures_are_refused_with_403() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let params: Vec<(String, String)> = voice_params("CA101", CALLER)
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let good =
        frontdesk_twilio::signature::compute(TOKEN, &format!("{PUBLIC}/twilio/voice"), &params);
    assert_eq!(
        h.post_signed("/twilio/voice", &params, &good).await.0,
        StatusCode::OK
    );
    // Forged with another token.
    let forged = frontdesk_twilio::signature::compute(
        "not-the-token",
        &format!("{PUBLIC}/twilio/voice"),
        &params,
    );
    assert_eq!(
        h.post_signed("/twilio/voice", &params, &forged).await.0,
        StatusCode::FORBIDDEN
    );
    // Replayed to another route.
    assert_eq!(
        h.post_signed("/twilio/sms", &params, &good).await.0,
        StatusCode::FORBIDDEN
    );
    // A value changed after signing.
    let mut tampered = params.clone();
    tampered[2].1 = "+15125559999".into();
    assert_eq!(
        h.post_signed("/twilio/voice", &tampered, &good).await.0,
        StatusCode::FORBIDDEN
    );
    // Values swapped between two parameters.
    let mut swapped = params.clone();
    let (a, b) = (swapped[2].1.clone(), swapped[3].1.clone());
    swapped[2].1 = b;
    swapped[3].1 = a;
    assert_eq!(
        h.post_signed("/twilio/voice", &swapped, &good).await.0,
        StatusCode::FORBIDDEN
    );
    // No signature at all.
    assert_eq!(
        h.post_signed("/twilio/voice", &params, "").await.0,
        StatusCode::FORBIDDEN
    );
    // The same request signed for the URL with :443 is accepted (Twilio may sign either form).
    let with_port = frontdesk_twilio::signature::compute(
        TOKEN,
        "https://frontdesk.example:443/twilio/voice",
        &params,
    );
    assert_eq!(
        h.post_signed("/twilio/voice", &params, &with_port).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_signature_made_by_twilios_own_python_library_is_accepted() {
    let python = std::env::var("FRONTDESK_TWILIO_PYTHON")
        .unwrap_or_else(|_| "/work/.venv-twilio/bin/python".into());
    if !std::path::Path::new(&python).exists() {
        eprintln!(
            "skipped: no python with the twilio library at {python} (set FRONTDESK_TWILIO_PYTHON)"
        );
        return;
    }
    let h = Harness::new(frontdesk_profile::example()).await;
    let params = voice_params("CA102", CALLER);
    let script = format!(
        "import json,sys\nfrom twilio.request_validator import RequestValidator\nprint(RequestValidator({TOKEN:?}).compute_signature({:?}, dict(json.loads(sys.argv[1]))))",
        format!("{PUBLIC}/twilio/voice")
    );
    let args = serde_json::to_string(&params).unwrap();
    let out = std::process::Command::new(&python)
        .args(["-c", &script, &args])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signature = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        h.post_signed("/twilio/voice", &owned, &signature).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_malformed_webhook_gets_400_and_an_unknown_number_a_polite_message() {
    let h = Harness::new(frontdesk_profile::example()).await;
    // Signed, but without the fields a voice webhook has.
    let (status, _) = h.post("/twilio/voice", &[("Foo", "bar")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut params = voice_params("CA103", CALLER);
    params[3] = ("To", "+15125559876");
    let (status, twiml) = h.post("/twilio/voice", &params).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("not set up to take calls"), "{twiml}");
    assert!(twiml.contains("<Hangup"), "{twiml}");
}

#[tokio::test]
async fn forward_first_rings_the_shop_screened_and_the_assistant_takes_an_unanswered_call() {
    let mut profile = frontdesk_profile::example();
    profile.forwarding.enabled = true;
    profile.forwarding.ring_seconds = 12;
    let h = Harness::new(profile.clone()).await;
    // Wednesday 10 AM: the shop is open.
    h.clock.set("2026-11-25T16:00:00Z".parse().unwrap());
    let (_, twiml) = h
        .post("/twilio/voice", &voice_params("CA200", CALLER))
        .await;
    let shop = profile.business.shop_phone.clone().unwrap();
    assert!(twiml.contains("<Dial"), "{twiml}");
    assert!(twiml.contains("timeout=\"12\""), "{twiml}");
    assert!(twiml.contains(&shop), "{twiml}");
    assert!(
        twiml.contains("/twilio/voice/screen?stage=forward"),
        "the shop must press 1: {twiml}"
    );
    let after = {
        let from = twiml.find("/twilio/voice/after").unwrap();
        twiml[from..from + twiml[from..].find('"').unwrap()].replace("&amp;", "&")
    };
    // The screening prompt asks for a key press.
    let conversation = after.split("c=").nth(1).unwrap().to_string();
    let (_, screen) = h
        .post(
            &format!("/twilio/voice/screen?stage=forward&c={conversation}"),
            &[
                ("CallSid", "CA201"),
                ("ParentCallSid", "CA200"),
                ("From", SHOP_NUMBER),
                ("To", &shop),
            ],
        )
        .await;
    assert!(screen.contains("Press 1"), "{screen}");
    // Voicemail answered (completed, nobody pressed 1): the assistant takes the call.
    let mut params = voice_params("CA200", CALLER);
    params.push(("DialCallStatus", "completed"));
    params.push(("DialCallSid", "CA201"));
    let (_, taken) = h.post(&after, &params).await;
    assert!(taken.contains("<Gather"), "the assistant answers: {taken}");
    let log = h.store.audit_log(Some("joes-auto"), 20).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "transfer.outcome" && e.detail["outcome"] == "voicemail"),
        "{log:?}"
    );

    // After hours the assistant answers straight away.
    h.clock.set(tuesday_evening());
    let (_, twiml) = h
        .post("/twilio/voice", &voice_params("CA202", CALLER))
        .await;
    assert!(!twiml.contains("<Dial"), "{twiml}");
    assert!(twiml.contains("<Gather"), "{twiml}");
}

#[tokio::test]
async fn a_shop_that_presses_1_takes_the_forwarded_call() {
    let mut profile = frontdesk_profile::example();
    profile.forwarding.enabled = true;
    let h = Harness::new(profile.clone()).await;
    h.clock.set("2026-11-25T16:00:00Z".parse().unwrap());
    let (_, twiml) = h
        .post("/twilio/voice", &voice_params("CA210", CALLER))
        .await;
    let from = twiml.find("/twilio/voice/after").unwrap();
    let after = twiml[from..from + twiml[from..].find('"').unwrap()].replace("&amp;", "&");
    let conversation = after.split("c=").nth(1).unwrap().to_string();
    let shop = profile.business.shop_phone.clone().unwrap();
    let (_, ok) = h
        .post(
            &format!("/twilio/voice/screen/accept?stage=forward&c={conversation}&p=CA210"),
            &[
                ("CallSid", "CA211"),
                ("Digits", "1"),
                ("From", SHOP_NUMBER),
                ("To", &shop),
            ],
        )
        .await;
    assert!(!ok.contains("<Hangup"), "{ok}");
    let mut params = voice_params("CA210", CALLER);
    params.push(("DialCallStatus", "completed"));
    let (_, done) = h.post(&after, &params).await;
    assert!(done.contains("<Hangup"), "{done}");
}

pub fn sms_params<'a>(sid: &'a str, from: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("MessageSid", sid),
        ("SmsSid", sid),
        ("AccountSid", "AC00000000000000000000000000000000"),
        ("From", from),
        ("To", SHOP_NUMBER),
        ("Body", body),
        ("NumMedia", "0"),
    ]
}

#[tokio::test]
async fn a_text_is_answered_through_the_outbox_once_even_when_twilio_delivers_it_twice() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let (status, twiml) = h
        .post(
            "/twilio/sms",
            &sms_params("SM1", CALLER, "what are your hours on saturday?"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !twiml.contains("<Message"),
        "replies go through the outbox, not inline: {twiml}"
    );
    let (status, _) = h
        .post(
            "/twilio/sms",
            &sms_params("SM1", CALLER, "what are your hours on saturday?"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    h.drain().await;
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    let sent = &texts[0];
    assert_eq!(
        sent.path,
        "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"
    );
    assert_eq!(sent.field("To"), Some(CALLER));
    assert_eq!(sent.field("From"), Some(SHOP_NUMBER));
    assert_eq!(
        sent.field("StatusCallback"),
        Some("https://frontdesk.example/twilio/status")
    );
    assert!(
        sent.authorization.starts_with("Basic "),
        "basic auth: {sent:?}"
    );
    assert!(!sent.field("Body").unwrap_or("").is_empty());
}

#[tokio::test]
async fn stop_opts_out_help_answers_start_opts_back_in() {
    let h = Harness::new(frontdesk_profile::example()).await;
    h.post("/twilio/sms", &sms_params("SM10", CALLER, "STOP"))
        .await;
    let contact = h
        .store
        .contact_by_phone("joes-auto", CALLER)
        .await
        .unwrap()
        .unwrap();
    assert!(contact.opted_out);
    // Anything else from an opted-out number gets no reply.
    h.post(
        "/twilio/sms",
        &sms_params("SM11", CALLER, "how much is an oil change"),
    )
    .await;
    h.drain().await;
    // STOP is confirmed once, with how to opt back in; the question gets no reply.
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].field("Body").unwrap().contains("Reply START"));
    // HELP is always answered with the business name and number.
    h.post("/twilio/sms", &sms_params("SM12", CALLER, "help"))
        .await;
    h.drain().await;
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 2);
    assert!(
        texts[1]
            .field("Body")
            .unwrap()
            .contains("Joe's Auto Repair")
    );
    h.post("/twilio/sms", &sms_params("SM13", CALLER, "START"))
        .await;
    assert!(
        !h.store
            .contact_by_phone("joes-auto", CALLER)
            .await
            .unwrap()
            .unwrap()
            .opted_out
    );
    for word in [
        "unsubscribe",
        "Cancel",
        "END",
        "quit",
        "stopall",
        "revoke",
        "optout",
    ] {
        let sid = format!("SM-{word}");
        h.post("/twilio/sms", &sms_params(&sid, "+15125550111", word))
            .await;
        assert!(
            h.store
                .contact_by_phone("joes-auto", "+15125550111")
                .await
                .unwrap()
                .unwrap()
                .opted_out,
            "{word}"
        );
        h.post(
            "/twilio/sms",
            &sms_params(&format!("{sid}-back"), "+15125550111", "unstop"),
        )
        .await;
    }
}

#[tokio::test]
async fn twilio_rate_limits_are_retried_with_backoff_and_the_text_goes_out_once() {
    let h = Harness::new(frontdesk_profile::example()).await;
    h.fake.script.lock().unwrap().push_back((429, r#"{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}"#.into()));
    h.fake.script.lock().unwrap().push_back((
        503,
        r#"{"code": 20500, "message": "Internal Server Error", "more_info": "", "status": 503}"#
            .into(),
    ));
    h.post(
        "/twilio/sms",
        &sms_params("SM20", CALLER, "where are you located"),
    )
    .await;
    let ran = h.drain().await;
    assert!(matches!(ran.as_slice(), [Ran::Retrying(..)]), "{ran:?}");
    assert!(h.drain().await.is_empty(), "not before the backoff");
    h.clock.advance(SignedDuration::from_secs(10));
    assert!(matches!(h.drain().await.as_slice(), [Ran::Retrying(..)]));
    h.clock.advance(SignedDuration::from_secs(20));
    assert!(matches!(h.drain().await.as_slice(), [Ran::Done(_)]));
    assert_eq!(
        h.fake.texts().len(),
        3,
        "two refused attempts and one accepted"
    );
    assert_eq!(h.store.job_counts().await.unwrap().dead, 0);
}

#[tokio::test]
async fn an_unsubscribed_recipient_is_marked_opted_out_and_not_retried() {
    let h = Harness::new(frontdesk_profile::example()).await;
    h.fake.script.lock().unwrap().push_back((400, r#"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "more_info": "https://www.twilio.com/docs/errors/21610", "status": 400}"#.into()));
    h.post(
        "/twilio/sms",
        &sms_params("SM30", CALLER, "are you open saturday"),
    )
    .await;
    assert!(matches!(h.drain().await.as_slice(), [Ran::Dead(_)]));
    assert!(
        h.store
            .contact_by_phone("joes-auto", CALLER)
            .await
            .unwrap()
            .unwrap()
            .opted_out
    );
    let dead = h.store.jobs(JobStatus::Dead, 5).await.unwrap();
    assert!(dead[0].last_error.as_deref().unwrap().contains("21610"));
}

#[tokio::test]
async fn a_caller_who_hangs_up_before_speaking_gets_a_missed_call_text() {
    let h = Harness::new(frontdesk_profile::example()).await;
    h.post("/twilio/voice", &voice_params("CA300", CALLER))
        .await;
    let mut status = voice_params("CA300", CALLER);
    status[4] = ("CallStatus", "completed");
    status.push(("CallDuration", "4"));
    assert_eq!(
        h.post("/twilio/status", &status).await.0,
        StatusCode::NO_CONTENT
    );
    // A redelivered status callback sends nothing more.
    h.post("/twilio/status", &status).await;
    h.drain().await;
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0]
            .field("Body")
            .unwrap()
            .contains("Sorry we missed your call")
    );
    let conv = h
        .store
        .conversation_by_external("joes-auto", frontdesk::store::Channel::Voice, "CA300")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(conv.outcome.as_deref(), Some("missed"));
    assert!(conv.ended_at.is_some());
}

#[tokio::test]
async fn a_web_lead_gets_one_first_text_within_the_window_however_often_the_form_is_sent() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let key = frontdesk_profile::example().leads.key.unwrap();
    let lead = serde_json::json!({"name": "Sam", "phone": "(512) 555-0143", "message": "my brakes are squeaking", "key": key});
    for _ in 0..3 {
        let req = Request::builder()
            .method("POST")
            .uri("/api/leads")
            .header("content-type", "application/json")
            .body(Body::from(lead.to_string()))
            .unwrap();
        let resp = h.router.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::ACCEPTED);
    }
    let wrong = Request::builder()
        .method("POST")
        .uri("/api/leads")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("name=Sam&phone=5125550143&key=guess"))
        .unwrap();
    assert_eq!(
        h.router.clone().oneshot(wrong).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    h.drain().await;
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    let body = texts[0].field("Body").unwrap();
    assert!(
        body.starts_with("Hi Sam, thanks for reaching out to Joe's Auto Repair"),
        "{body}"
    );
    assert_eq!(texts[0].field("To"), Some(CALLER));
}
