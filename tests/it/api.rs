//! The operator JSON API: availability, booking with idempotency keys, conflicts with real
//! alternatives, refusals with reasons, reschedule and cancel; closed without the token.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::store::Store;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{on_both_stores, tuesday_evening};

const TOKEN: &str = "operator-secret";

async fn router(store: Arc<dyn Store>) -> axum::Router {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(tuesday_evening()));
    let settings = Settings {
        api_token: Some(TOKEN.into()),
        ..Settings::default()
    };
    let app = App::new(store, clock, vec![frontdesk_profile::example()], settings);
    app.register_businesses().await.unwrap();
    frontdesk::http::router(app)
}

async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let resp = router
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
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn thursday_two_pm(name: &str, phone: &str) -> Value {
    json!({"service": "diagnostic", "start": "2026-11-26T14:00:00-06:00", "name": name, "phone": phone,
           "vehicle": {"year": 2008, "make": "Honda", "model": "Civic"}})
}

async fn the_api_books_against_real_availability_and_never_double_books(store: Arc<dyn Store>) {
    let r = router(store.clone()).await;
    // Closed without the token, or with a wrong one.
    assert_eq!(
        call(
            &r,
            "GET",
            "/api/availability?service=diagnostic",
            None,
            None,
            None
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(
            &r,
            "GET",
            "/api/availability?service=diagnostic",
            Some("guess"),
            None,
            None
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );

    // Thursday's free starts, in the shop's offset, inside its split shift.
    let (status, body) = call(
        &r,
        "GET",
        "/api/availability?service=diagnostic&from=2026-11-26&to=2026-11-26",
        Some(TOKEN),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let starts: Vec<&str> = body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert!(starts.contains(&"2026-11-26T14:00:00-06:00"), "{starts:?}");
    assert!(
        starts
            .iter()
            .all(|s| s.starts_with("2026-11-26T") && s.ends_with("-06:00")),
        "{starts:?}"
    );
    assert!(
        !starts.iter().any(|s| s.contains("T12:")),
        "nothing starts in the lunch break: {starts:?}"
    );

    // Book with a key; the retry returns the same appointment.
    let (status, first) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        Some("k-1"),
        Some(thursday_two_pm("Sam", "(512) 555-0143")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["start"], "2026-11-26T14:00:00-06:00");
    let (status, again) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        Some("k-1"),
        Some(thursday_two_pm("Sam", "(512) 555-0143")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], first["id"]);

    // Two bays: a second caller fits, a third gets 409 with real alternatives.
    let (status, _) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        Some("k-2"),
        Some(thursday_two_pm("Dana", "+15125550177")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, conflict) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        Some("k-3"),
        Some(thursday_two_pm("Pat", "+15125550188")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    let alternatives = conflict["alternatives"].as_array().unwrap();
    assert!(!alternatives.is_empty());
    assert!(
        alternatives
            .iter()
            .all(|a| a["start"] != "2026-11-26T14:00:00-06:00")
    );

    // Outside the rules: 422 with a reason.
    let mut sunday = thursday_two_pm("Pat", "+15125550188");
    sunday["start"] = json!("2026-11-29T10:00:00-06:00");
    let (status, refused) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        None,
        Some(sunday),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused["error"].as_str().unwrap().contains("closed"),
        "{refused}"
    );
    let (status, _) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        None,
        Some(json!({"service": "diagnostic"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Reschedule into Friday morning, then cancel: Thursday 2 PM has a bay again.
    let id = first["id"].as_str().unwrap();
    let (status, moved) = call(
        &r,
        "PATCH",
        &format!("/api/appointments/{id}"),
        Some(TOKEN),
        None,
        Some(json!({"start": "2026-11-27T08:00:00-06:00"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["start"], "2026-11-27T08:00:00-06:00");
    let (status, _) = call(
        &r,
        "POST",
        "/api/appointments",
        Some(TOKEN),
        Some("k-4"),
        Some(thursday_two_pm("Pat", "+15125550188")),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the moved appointment freed its old time"
    );
    let (status, cancelled) = call(
        &r,
        "DELETE",
        &format!("/api/appointments/{id}"),
        Some(TOKEN),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["status"], "cancelled");
    let (status, _) = call(
        &r,
        "DELETE",
        "/api/appointments/0190f3c2-0000-7000-8000-000000000000",
        Some(TOKEN),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both_stores!(the_api_books_against_real_availability_and_never_double_books);
