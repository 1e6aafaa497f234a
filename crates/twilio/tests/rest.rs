//! The REST client against a local server that records what it receives: method, path,
//! basic auth, form fields, and Twilio's error bodies turned into `RestError`s.

mod common;

use base64::Engine as _;
use frontdesk_twilio::rest::{Client, MessageRequest, RestError};
use frontdesk_twilio::webhook::parse_form;

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "auth-token-42";

fn client(base: &str) -> Client {
    Client::new(SID, TOKEN).with_base(base)
}

fn message() -> MessageRequest {
    MessageRequest {
        to: "+15550001111".into(),
        from: "+15550002222".into(),
        body: "Booked: Tue 9:00 AM, oil change & filter ($49.99) — reply C to confirm 🚗".into(),
        status_callback: Some("https://frontdesk.example/twilio/status?shop=joe's".into()),
    }
}

fn error_body(code: i64, message: &str, status: u16) -> String {
    serde_json::json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status,
    })
    .to_string()
}

#[tokio::test]
async fn a_message_is_posted_as_twilio_expects_it() {
    let server = common::start(vec![(
        201,
        r#"{"sid":"SM123","status":"queued","body":"x","error_code":null}"#.into(),
    )])
    .await;
    let answer = client(&server.base)
        .send_message(message())
        .await
        .expect("sent");
    assert_eq!(answer.sid, "SM123");
    assert_eq!(answer.status, "queued");
    let seen = server.requests.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("/2010-04-01/Accounts/{SID}/Messages.json"));
    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"))
    );
    assert_eq!(r.header("authorization"), Some(expected_auth.as_str()));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = parse_form(&r.body).expect("a form");
    let m = message();
    assert_eq!(
        form,
        vec![
            ("To".to_string(), m.to),
            ("From".to_string(), m.from),
            ("Body".to_string(), m.body),
            ("StatusCallback".to_string(), m.status_callback.unwrap()),
        ]
    );
}

#[tokio::test]
async fn a_message_without_a_status_callback_sends_no_status_callback_field() {
    let server = common::start(vec![(201, r#"{"sid":"SM1","status":"accepted"}"#.into())]).await;
    let mut m = message();
    m.status_callback = None;
    client(&server.base).send_message(m).await.expect("sent");
    let seen = server.requests.lock().unwrap().clone();
    let form = parse_form(&seen[0].body).expect("a form");
    let names: Vec<&str> = form.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["To", "From", "Body"]);
}

#[tokio::test]
async fn a_call_is_updated_with_twiml() {
    let server = common::start(vec![(
        200,
        r#"{"sid":"CA9","status":"in-progress"}"#.into(),
    )])
    .await;
    let twiml = r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say>Transferring you now &amp; thanks.</Say><Dial>+15553334444</Dial></Response>"#;
    let answer = client(&server.base)
        .update_call("CA9", twiml)
        .await
        .expect("updated");
    assert_eq!(answer.sid, "CA9");
    let seen = server.requests.lock().unwrap().clone();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(
        seen[0].path,
        format!("/2010-04-01/Accounts/{SID}/Calls/CA9.json")
    );
    assert_eq!(
        parse_form(&seen[0].body).expect("a form"),
        vec![("Twiml".to_string(), twiml.to_string())]
    );
}

async fn failure(status: u16, body: String) -> RestError {
    let server = common::start(vec![(status, body)]).await;
    client(&server.base)
        .send_message(message())
        .await
        .expect_err("a failure")
}

#[tokio::test]
async fn an_unsubscribed_recipient_is_an_opt_out_and_not_retried() {
    let e = failure(
        400,
        error_body(21610, "Attempt to send to unsubscribed recipient", 400),
    )
    .await;
    assert_eq!(e.status, Some(400));
    assert_eq!(e.code, Some(21610));
    assert_eq!(e.message, "Attempt to send to unsubscribed recipient");
    assert_eq!(
        e.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/21610")
    );
    assert!(e.opted_out());
    assert!(!e.is_retryable());
}

#[tokio::test]
async fn an_invalid_to_number_is_not_retried() {
    let e = failure(
        400,
        error_body(
            21211,
            "The 'To' number +1555 is not a valid phone number.",
            400,
        ),
    )
    .await;
    assert_eq!(e.code, Some(21211));
    assert!(!e.is_retryable());
    assert!(!e.opted_out());
}

#[tokio::test]
async fn a_landline_to_number_is_not_retried() {
    let e = failure(
        400,
        error_body(21614, "'To' number is not a valid mobile number", 400),
    )
    .await;
    assert_eq!(e.code, Some(21614));
    assert!(!e.is_retryable());
}

#[tokio::test]
async fn too_many_requests_is_retried() {
    let e = failure(429, error_body(20429, "Too Many Requests", 429)).await;
    assert_eq!(e.status, Some(429));
    assert_eq!(e.code, Some(20429));
    assert!(e.is_retryable());
}

#[tokio::test]
async fn a_server_error_without_twilios_json_is_retried_and_keeps_the_text() {
    let e = failure(503, "<html>upstream unavailable</html>".into()).await;
    assert_eq!(e.status, Some(503));
    assert_eq!(e.code, None);
    assert!(e.message.contains("upstream unavailable"));
    assert!(e.is_retryable());
}

#[tokio::test]
async fn an_authentication_failure_is_not_retried() {
    let e = failure(401, error_body(20003, "Authenticate", 401)).await;
    assert_eq!(e.code, Some(20003));
    assert!(!e.is_retryable());
}

#[tokio::test]
async fn no_server_at_all_is_a_retryable_network_error() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let e = client(&format!("http://127.0.0.1:{port}"))
        .send_message(message())
        .await
        .expect_err("no server");
    assert_eq!(e.status, None);
    assert!(e.is_retryable());
    assert!(e.to_string().contains("\"none\""), "{e}");
}
