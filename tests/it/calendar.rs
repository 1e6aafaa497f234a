//! The owner's own calendar, against a real Radicale server: bookings written as events, the
//! owner's busy times blocking offers, the owner's moves and deletions followed, a calendar that
//! does not answer turning a booking into a request, and the subscribe-able iCalendar feed.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use frontdesk::store::{AppointmentStatus, JobStatus, Range, TaskKind};
use frontdesk_caldav::{CalDav, Event};
use jiff::Timestamp;
use tower::ServiceExt;

use crate::support::Radicale;
use crate::twilio::{CALLER, Harness};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn with_calendar(url: &str, deadline_ms: u32) -> frontdesk_profile::Profile {
    let mut p = frontdesk_profile::example();
    p.calendar = Some(frontdesk_profile::CalendarConfig {
        caldav_url: url.to_string(),
        username: Some("shop".into()),
        password_env: None,
        deadline_ms,
    });
    p
}

async fn api(
    h: &Harness,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", "Bearer operator");
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
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
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

fn booking(start: &str) -> serde_json::Value {
    serde_json::json!({"service": "diagnostic", "start": start, "name": "Sam", "phone": CALLER})
}

#[tokio::test]
async fn bookings_land_in_the_owners_calendar_and_the_owners_busy_times_block_offers() {
    let Some(radicale) = Radicale::start() else {
        return;
    };
    let url = format!("{}/shop/calendar/", radicale.base);
    let owner = CalDav::new(&url, Some("shop"), None, Duration::from_secs(5)).unwrap();
    owner.ensure_calendar().await.unwrap();
    // The owner is at a parts fair Thursday morning, 8 AM to noon Central.
    owner
        .put_event(&Event {
            uid: "parts-fair".into(),
            start: at("2026-11-26T14:00:00Z"),
            end: at("2026-11-26T18:00:00Z"),
            summary: "Parts fair".into(),
            description: String::new(),
            location: None,
        })
        .await
        .unwrap();
    let h = Harness::new(with_calendar(&url, 2000)).await;
    let (status, body) = api(
        &h,
        "GET",
        "/api/availability?service=diagnostic&from=2026-11-26&to=2026-11-26",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let starts: Vec<&str> = body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert!(
        !starts.iter().any(|s| s.contains("T08:")
            || s.contains("T09:")
            || s.contains("T10:")
            || s.contains("T11:")),
        "{starts:?}"
    );
    assert!(starts.contains(&"2026-11-26T14:00:00-06:00"), "{starts:?}");

    let (status, appt) = api(
        &h,
        "POST",
        "/api/appointments",
        Some(booking("2026-11-26T14:00:00-06:00")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{appt}");
    h.drain().await;
    let events = owner
        .events(at("2026-11-26T00:00:00Z"), at("2026-11-27T06:00:00Z"))
        .await
        .unwrap();
    let ours: Vec<_> = events
        .iter()
        .filter(|e| e.uid.starts_with("frontdesk-"))
        .collect();
    assert_eq!(ours.len(), 1, "{events:?}");
    assert_eq!(ours[0].start, at("2026-11-26T20:00:00Z"));
    assert!(ours[0].summary.contains("Sam"), "{:?}", ours[0]);
}

#[tokio::test]
async fn moving_or_deleting_an_event_in_the_owners_calendar_moves_or_cancels_the_booking() {
    let Some(radicale) = Radicale::start() else {
        return;
    };
    let url = format!("{}/shop/calendar/", radicale.base);
    let owner = CalDav::new(&url, Some("shop"), None, Duration::from_secs(5)).unwrap();
    owner.ensure_calendar().await.unwrap();
    let h = Harness::new(with_calendar(&url, 2000)).await;
    let (_, first) = api(
        &h,
        "POST",
        "/api/appointments",
        Some(booking("2026-11-26T14:00:00-06:00")),
    )
    .await;
    let (_, second) = api(
        &h,
        "POST",
        "/api/appointments",
        Some(booking("2026-11-27T08:00:00-06:00")),
    )
    .await;
    h.drain().await;
    let (first, second) = (
        first["id"].as_str().unwrap().to_string(),
        second["id"].as_str().unwrap().to_string(),
    );
    // The owner drags the first to 3 PM and deletes the second.
    owner
        .put_event(&Event {
            uid: format!("frontdesk-{first}"),
            start: at("2026-11-26T21:00:00Z"),
            end: at("2026-11-26T22:00:00Z"),
            summary: "moved".into(),
            description: String::new(),
            location: None,
        })
        .await
        .unwrap();
    owner
        .delete_event(&format!("frontdesk-{second}"))
        .await
        .unwrap();
    let engine = h.app.directory().by_id("joes-auto").unwrap();
    let (moved, cancelled) = frontdesk::calendar_sync::sync(&h.app, engine.profile())
        .await
        .unwrap();
    assert_eq!((moved, cancelled), (1, 1));
    let a = h
        .store
        .appointment("joes-auto", first.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.start, at("2026-11-26T21:00:00Z"));
    let b = h
        .store
        .appointment("joes-auto", second.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.status, AppointmentStatus::Cancelled);
    // The moved appointment's reminder follows it.
    let reminders: Vec<Timestamp> = h
        .store
        .jobs(JobStatus::Queued, 50)
        .await
        .unwrap()
        .iter()
        .filter(|j| j.kind == "followup.send" && j.payload["kind"] == "reminder")
        .map(|j| j.run_at)
        .collect();
    assert_eq!(reminders, vec![at("2026-11-25T21:00:00Z")]);
}

#[tokio::test]
async fn a_calendar_that_does_not_answer_in_time_turns_the_booking_into_a_request_for_the_owner() {
    // A server that accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let h = Harness::new(with_calendar(&format!("http://{addr}/shop/calendar/"), 300)).await;
    let sms = |sid: &'static str, body: &'static str| {
        vec![
            ("MessageSid", sid),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", CALLER),
            ("To", "+15125550100"),
            ("Body", body),
            ("NumMedia", "0"),
        ]
    };
    let started = std::time::Instant::now();
    for (sid, body) in [
        ("SM1", "my check engine light is on"),
        ("SM2", "thursday at 2pm"),
        ("SM3", "Sam, 2008 Honda Civic"),
        ("SM4", "yes"),
    ] {
        h.post("/twilio/sms", &sms(sid, body)).await;
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "each turn is bounded by the calendar's deadline"
    );
    let range = Range {
        from: at("2026-11-25T00:00:00Z"),
        to: at("2026-12-31T00:00:00Z"),
    };
    assert!(
        h.store
            .appointments("joes-auto", range)
            .await
            .unwrap()
            .is_empty(),
        "nothing booked blind"
    );
    let tasks = h.store.tasks("joes-auto", true).await.unwrap();
    assert!(
        tasks.iter().any(|t| t.kind == TaskKind::ManualBooking),
        "{tasks:?}"
    );
    h.drain().await;
    let texts = h.fake.texts();
    let to_caller: Vec<_> = texts
        .iter()
        .filter(|t| t.field("To") == Some(CALLER))
        .map(|t| t.field("Body").unwrap().to_string())
        .collect();
    assert!(
        to_caller.last().unwrap().to_lowercase().contains("request"),
        "{to_caller:?}"
    );
    assert!(
        texts.iter().any(|t| t.field("To") == Some("+15125550142")),
        "the owner is told: {texts:?}"
    );
}

#[tokio::test]
async fn the_calendar_feed_lists_bookings_and_a_rotated_secret_retires_the_old_url() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let (status, _) = api(
        &h,
        "POST",
        "/api/appointments",
        Some(booking("2026-11-26T14:00:00-06:00")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, feed) = api(&h, "GET", "/api/calendar", None).await;
    let url = feed["url"].as_str().unwrap().to_string();
    let path = url
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .map(|(_, p)| format!("/{p}"))
        .unwrap();
    let get = |p: String| {
        let r = h.router.clone();
        async move {
            let resp = r
                .oneshot(Request::builder().uri(p).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = resp.status();
            (
                status,
                String::from_utf8(
                    axum::body::to_bytes(resp.into_body(), 1 << 20)
                        .await
                        .unwrap()
                        .to_vec(),
                )
                .unwrap(),
            )
        }
    };
    let (status, ics) = get(path.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    let events = frontdesk_caldav::parse_events(&ics);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].start, at("2026-11-26T20:00:00Z"));
    assert_eq!(
        get("/calendar/not-the-secret-not-the-secret-not-the.ics".into())
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, rotated) = api(&h, "POST", "/api/calendar/rotate", None).await;
    assert_ne!(rotated["url"], feed["url"]);
    assert_eq!(
        get(path).await.0,
        StatusCode::NOT_FOUND,
        "the old URL no longer works"
    );
}
