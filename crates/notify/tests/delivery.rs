//! Delivery against real peers started by the tests: email through aiosmtpd (a real SMTP server,
//! storing to a Maildir read back with Python's own MIME parser), scripted SMTP replies for the
//! retry classification, and webhooks to a local axum receiver that checks signatures with
//! `verify` and with the Python and Node receiver snippets from the crate docs.
//!
//! aiosmtpd is found through `FRONTDESK_AIOSMTPD` (a python with aiosmtpd installed) or
//! `/work/.venv-peers/bin/python`; without it the SMTP sink tests print why they skip, and fail
//! instead when `FRONTDESK_REQUIRE_PEERS=1`.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use frontdesk_notify::{
    AppointmentLine, Briefing, Event, Mailer, NotifyError, post_webhook, signature_header, verify,
    webhook_client,
};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn briefing() -> Briefing {
    Briefing {
        business: "Joe's Auto".into(),
        caller_name: Some("Jane <script>alert(1)</script> Peña".into()),
        caller_phone: Some("+15125550142".into()),
        about: "check engine light & a rattle".into(),
        outcome: "booked".into(),
        appointment: Some(AppointmentLine {
            service: "Diagnostic".into(),
            when: "Thu Nov 26, 2:00 PM".into(),
            vehicle: Some("2014 Honda Civic".into()),
        }),
        task: None,
        summary: "Light came on yesterday; booked the diagnostic. Café ☕ on the way.".into(),
        urgent: false,
        link: Some("https://fd.example/c/8f3a".into()),
    }
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A loopback port nobody listens on (bound, then released).
fn free_port() -> u16 {
    let listener = StdListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn scratch_dir(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "frontdesk-notify-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------------
// SMTP: aiosmtpd as the real server

fn aiosmtpd_python() -> Option<PathBuf> {
    let candidates = std::env::var_os("FRONTDESK_AIOSMTPD")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("/work/.venv-peers/bin/python")]);
    for python in candidates {
        let ok = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(python);
        }
    }
    let reason = "skipped: no python with aiosmtpd (set FRONTDESK_AIOSMTPD, or \
                  `python3 -m venv /work/.venv-peers && /work/.venv-peers/bin/pip install aiosmtpd`)";
    if std::env::var("FRONTDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!("FRONTDESK_REQUIRE_PEERS=1 but {reason}");
    }
    eprintln!("{reason}");
    None
}

/// aiosmtpd with the Mailbox handler, killed and cleaned up on drop.
struct SmtpSink {
    child: Child,
    python: PathBuf,
    scratch: PathBuf,
    maildir: PathBuf,
    port: u16,
}

impl SmtpSink {
    fn start(python: PathBuf) -> SmtpSink {
        let scratch = scratch_dir("smtp");
        let maildir = scratch.join("maildir"); // must not exist: aiosmtpd creates it
        let port = free_port();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(scratch.join("stderr")).unwrap())
            .spawn()
            .expect("start aiosmtpd");
        let mut sink = SmtpSink {
            child,
            python,
            scratch,
            maildir,
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = sink.child.try_wait() {
                let stderr =
                    std::fs::read_to_string(sink.scratch.join("stderr")).unwrap_or_default();
                panic!("aiosmtpd exited with {status}: {stderr}");
            }
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        sink
    }

    /// The messages stored so far, each parsed by Python's email package.
    fn messages(&self) -> Vec<serde_json::Value> {
        let new = self.maildir.join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|f| parse_with_python(&self.python, f))
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

const PARSE_EMAIL: &str = r#"
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
text = m.get_body(preferencelist=("plain",))
html = m.get_body(preferencelist=("html",))
print(json.dumps({
    "subject": str(m["subject"]), "to": str(m["to"]), "from": str(m["from"]),
    "rcpt": str(m["X-RcptTo"]), "content_type": m.get_content_type(),
    "message_id": str(m["message-id"]), "date": str(m["date"]),
    "text": text.get_content() if text else None, "html": html.get_content() if html else None,
}))
"#;

fn parse_with_python(python: &Path, file: &Path) -> serde_json::Value {
    let out = Command::new(python)
        .args(["-c", PARSE_EMAIL])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_owner_receives_the_briefing_email_with_text_and_escaped_html_parts() {
    let Some(python) = aiosmtpd_python() else {
        return;
    };
    let sink = SmtpSink::start(python);
    let mailer = Mailer::from_url(
        &format!("smtp://127.0.0.1:{}", sink.port),
        "Frontdesk <frontdesk@frontdesk.example>",
    )
    .unwrap();
    let b = briefing();
    mailer
        .send(
            "Joe Owner <owner@joes-auto.example>",
            &b.email_subject(),
            &b.email_text(),
            &b.email_html(),
        )
        .await
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    let messages = loop {
        let m = sink.messages();
        if !m.is_empty() || Instant::now() > deadline {
            break m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(m["subject"], b.email_subject().as_str());
    assert_eq!(m["to"], "Joe Owner <owner@joes-auto.example>");
    assert_eq!(m["rcpt"], "owner@joes-auto.example");
    assert_eq!(m["from"], "Frontdesk <frontdesk@frontdesk.example>");
    assert_eq!(m["content_type"], "multipart/alternative");
    let message_id = m["message_id"].as_str().unwrap();
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@frontdesk.example>"),
        "{m}"
    );
    assert_ne!(m["date"], "None");

    let text = m["text"].as_str().unwrap().replace("\r\n", "\n");
    assert_eq!(text.trim_end(), b.email_text().trim_end());
    assert!(text.contains("Caller: Jane <script>alert(1)</script> Peña"));
    assert!(text.contains("Café ☕"), "non-ASCII survives: {text}");

    let html = m["html"].as_str().unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("Jane &lt;script&gt;alert(1)&lt;/script&gt; Peña"),
        "{html}"
    );
    assert!(html.contains("check engine light &amp; a rattle"), "{html}");
    assert!(
        html.contains("<a href=\"https://fd.example/c/8f3a\">"),
        "{html}"
    );
}

#[tokio::test]
async fn a_mail_server_that_is_down_is_retried_later() {
    let mailer = Mailer::from_url(
        &format!("smtp://127.0.0.1:{}", free_port()),
        "frontdesk@frontdesk.example",
    )
    .unwrap();
    let err = mailer
        .send("owner@joes-auto.example", "s", "t", "<p>h</p>")
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Retryable(_)), "{err}");
    assert!(err.to_string().contains("owner@joes-auto.example"), "{err}");
}

/// A scripted SMTP server: accepts, then answers RCPT TO with `rcpt_reply`.
async fn scripted_smtp(rcpt_reply: &'static str) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 scripted ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply = match verb.as_str() {
                        "EHLO" | "HELO" => "250 scripted\r\n".to_owned(),
                        "RCPT" => format!("{rcpt_reply}\r\n"),
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => "250 OK\r\n".to_owned(),
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

#[tokio::test]
async fn a_mailbox_the_server_rejects_is_not_retried() {
    let port = scripted_smtp("550 5.1.1 no such user").await;
    let mailer =
        Mailer::from_url(&format!("smtp://127.0.0.1:{port}"), "fd@frontdesk.example").unwrap();
    let err = mailer
        .send("nobody@joes-auto.example", "s", "t", "<p>h</p>")
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
    assert!(err.to_string().contains("no such user"), "{err}");
}

#[tokio::test]
async fn a_greylisting_mail_server_is_retried_later() {
    let port = scripted_smtp("451 4.7.1 greylisted, try again").await;
    let mailer =
        Mailer::from_url(&format!("smtp://127.0.0.1:{port}"), "fd@frontdesk.example").unwrap();
    let err = mailer
        .send("owner@joes-auto.example", "s", "t", "<p>h</p>")
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Retryable(_)), "{err}");
}

#[tokio::test]
async fn an_invalid_owner_address_is_not_retried() {
    let mailer = Mailer::from_url("smtp://127.0.0.1:25", "fd@frontdesk.example").unwrap();
    let err = mailer
        .send("not an address", "s", "t", "h")
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
    assert!(
        err.to_string()
            .starts_with("permanent: invalid recipient \"not an address\": "),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Webhooks: a local axum receiver

const SECRET: &[u8] = b"whsec_test_4f1c9a";

#[derive(Clone, Debug)]
struct Received {
    headers: HashMap<String, String>,
    body: Vec<u8>,
    verified: bool,
}

#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Received>>>,
}

fn record(state: &Receiver, headers: &HeaderMap, body: &Bytes) -> bool {
    let signature = headers
        .get("x-frontdesk-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let verified = verify(SECRET, signature, body, now(), 300);
    let headers = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    state.received.lock().unwrap().push(Received {
        headers,
        body: body.to_vec(),
        verified,
    });
    verified
}

async fn start_receiver() -> (String, Receiver) {
    let state = Receiver::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(s): State<Receiver>, headers: HeaderMap, body: Bytes| async move {
                    if record(&s, &headers, &body) {
                        StatusCode::NO_CONTENT
                    } else {
                        StatusCode::UNAUTHORIZED
                    }
                },
            ),
        )
        .route(
            "/open",
            post(
                |State(s): State<Receiver>, headers: HeaderMap, body: Bytes| async move {
                    record(&s, &headers, &body);
                    StatusCode::OK
                },
            ),
        )
        .route(
            "/moved",
            post(|| async { axum::response::Redirect::to("/open") }),
        )
        .route(
            "/status/{code}",
            post(|UrlPath(code): UrlPath<u16>| async move {
                (StatusCode::from_u16(code).unwrap(), "receiver says no")
            }),
        )
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

fn event() -> Event {
    Event::new(
        "appointment.booked",
        "joes-auto",
        jiff::Timestamp::now(),
        briefing().webhook_json("appointment.booked"),
    )
}

/// Runs a receiver snippet from `receivers/` (the same files the crate docs show); `None` when
/// its interpreter is not installed.
fn snippet_accepts(
    interpreter: &str,
    file: &str,
    secret: &[u8],
    header: &str,
    body: &[u8],
) -> Option<bool> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("receivers")
        .join(file);
    let mut child = match Command::new(interpreter)
        .arg(&script)
        .env("FRONTDESK_SECRET", std::str::from_utf8(secret).unwrap())
        .env("FRONTDESK_SIGNATURE", header)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            let reason = format!("skipped the {file} check: cannot run {interpreter:?}: {e}");
            if std::env::var("FRONTDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
                panic!("FRONTDESK_REQUIRE_PEERS=1 but {reason}");
            }
            eprintln!("{reason}");
            return None;
        }
    };
    child.stdin.take().unwrap().write_all(body).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    match (out.status.code(), said.as_str()) {
        (Some(0), "valid") => Some(true),
        (Some(1), "invalid") => Some(false),
        _ => panic!("{file} broke: {out:?}"),
    }
}

/// Whether both independent receivers (Python's hmac, Node's crypto) agree with `expected`.
fn independent_receivers_say(expected: bool, secret: &[u8], header: &str, body: &[u8]) {
    for (interpreter, file) in [
        ("python3", "verify_signature.py"),
        ("node", "verify_signature.js"),
    ] {
        if let Some(accepted) = snippet_accepts(interpreter, file, secret, header, body) {
            assert_eq!(accepted, expected, "{file} on {header:?}");
        }
    }
}

#[tokio::test]
async fn a_signed_webhook_is_accepted_by_a_receiver_holding_the_secret() {
    let (base, receiver) = start_receiver().await;
    let http = reqwest::Client::new();
    let event = event();
    post_webhook(&http, &format!("{base}/hook"), Some(SECRET), &event, now())
        .await
        .unwrap();

    let got = receiver.received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert!(r.verified);
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(r.headers["x-frontdesk-event"], "appointment.booked");
    assert_eq!(r.headers["x-frontdesk-delivery"], event.id);
    assert_eq!(r.body, event.body());
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["type"], "appointment.booked");
    assert_eq!(body["id"], event.id.as_str());
    assert_eq!(body["data"]["appointment"]["when"], "Thu Nov 26, 2:00 PM");
    assert!(
        body["data"]["text"]
            .as_str()
            .unwrap()
            .contains("*Joe's Auto*")
    );

    let header = &r.headers["x-frontdesk-signature"];
    assert!(
        header.starts_with("t=") && header.contains(",v1="),
        "{header}"
    );
    independent_receivers_say(true, SECRET, header, &r.body);
}

#[tokio::test]
async fn a_webhook_signed_with_the_wrong_secret_is_rejected() {
    let (base, receiver) = start_receiver().await;
    let http = reqwest::Client::new();
    let err = post_webhook(
        &http,
        &format!("{base}/hook"),
        Some(b"whsec_wrong"),
        &event(),
        now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
    assert!(err.to_string().contains("401"), "{err}");
    let r = receiver.received.lock().unwrap()[0].clone();
    assert!(!r.verified);
    independent_receivers_say(false, SECRET, &r.headers["x-frontdesk-signature"], &r.body);
    independent_receivers_say(
        true,
        b"whsec_wrong",
        &r.headers["x-frontdesk-signature"],
        &r.body,
    );
}

#[tokio::test]
async fn a_replayed_webhook_with_an_old_timestamp_is_rejected() {
    let (base, receiver) = start_receiver().await;
    let http = reqwest::Client::new();
    let ten_minutes_ago = now() - 600;
    let err = post_webhook(
        &http,
        &format!("{base}/hook"),
        Some(SECRET),
        &event(),
        ten_minutes_ago,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
    let r = receiver.received.lock().unwrap()[0].clone();
    let header = &r.headers["x-frontdesk-signature"];
    assert!(
        header.starts_with(&format!("t={ten_minutes_ago},")),
        "{header}"
    );
    // The signature itself is right; only its age is wrong.
    assert!(verify(SECRET, header, &r.body, ten_minutes_ago, 300));
    independent_receivers_say(false, SECRET, header, &r.body);
}

#[tokio::test]
async fn a_webhook_whose_body_was_tampered_with_is_rejected() {
    let (base, receiver) = start_receiver().await;
    let event = event();
    let header = signature_header(SECRET, now(), &event.body());
    let tampered = String::from_utf8(event.body())
        .unwrap()
        .replace("Thu Nov 26, 2:00 PM", "Thu Nov 26, 3:00 PM")
        .into_bytes();
    assert_ne!(tampered, event.body());
    let status = reqwest::Client::new()
        .post(format!("{base}/hook"))
        .header("content-type", "application/json")
        .header("x-frontdesk-signature", &header)
        .body(tampered.clone())
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
    assert!(!receiver.received.lock().unwrap()[0].verified);
    independent_receivers_say(false, SECRET, &header, &tampered);
    independent_receivers_say(true, SECRET, &header, &event.body());
}

#[tokio::test]
async fn an_endpoint_without_a_secret_gets_no_signature_header() {
    let (base, receiver) = start_receiver().await;
    post_webhook(
        &reqwest::Client::new(),
        &format!("{base}/open"),
        None,
        &event(),
        now(),
    )
    .await
    .unwrap();
    let r = receiver.received.lock().unwrap()[0].clone();
    assert!(
        !r.headers.contains_key("x-frontdesk-signature"),
        "{:?}",
        r.headers
    );
    assert!(r.headers.contains_key("x-frontdesk-delivery"));
}

#[tokio::test]
async fn a_busy_or_failing_receiver_is_retried_and_a_rejecting_one_is_not() {
    let (base, _receiver) = start_receiver().await;
    let http = reqwest::Client::new();
    let event = event();
    for (code, retryable) in [
        (429, true),
        (500, true),
        (503, true),
        (408, true),
        (400, false),
        (404, false),
        (410, false),
    ] {
        let err = post_webhook(
            &http,
            &format!("{base}/status/{code}"),
            Some(SECRET),
            &event,
            now(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.is_retryable(), retryable, "{code}: {err}");
        assert!(err.to_string().contains(&code.to_string()), "{err}");
        assert!(err.to_string().contains("receiver says no"), "{err}");
    }
}

#[tokio::test]
async fn an_unreachable_receiver_is_retried_and_a_malformed_url_is_not() {
    let http = reqwest::Client::new();
    let err = post_webhook(
        &http,
        &format!("http://127.0.0.1:{}/hook", free_port()),
        None,
        &event(),
        now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NotifyError::Retryable(_)), "{err}");
    let err = post_webhook(&http, "not a url", None, &event(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
}

#[tokio::test]
async fn a_redirected_webhook_is_reported_not_silently_resent_as_a_get() {
    let (base, receiver) = start_receiver().await;
    let http = webhook_client().unwrap();
    let err = post_webhook(
        &http,
        &format!("{base}/moved"),
        Some(SECRET),
        &event(),
        now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
    assert!(err.to_string().contains("303"), "{err}");
    assert!(receiver.received.lock().unwrap().is_empty());
}
