//! The server skeleton: health and metrics through the router (no socket), and the real binary
//! starting on its defaults and stopping gracefully.

use std::io::{BufRead, BufReader};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use frontdesk::clock::ManualClock;
use tower::ServiceExt;

use crate::support::{app, sqlite, tuesday_evening};

async fn get(router: axum::Router, path: &str) -> (StatusCode, String) {
    let resp = router
        .oneshot(Request::builder().uri(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn health_says_ok_and_names_the_store_when_the_database_answers() {
    let db = sqlite().await;
    let router = frontdesk::http::router(app(
        db.store.clone(),
        Arc::new(ManualClock::new(tuesday_evening())),
    ));
    let (status, body) = get(router, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["store"], "sqlite");
    assert_eq!(v["businesses"], 1);
}

#[tokio::test]
async fn metrics_show_requests_and_the_job_queue_in_prometheus_text() {
    let db = sqlite().await;
    let router = frontdesk::http::router(app(
        db.store.clone(),
        Arc::new(ManualClock::new(tuesday_evening())),
    ));
    let _ = get(router.clone(), "/healthz").await;
    let (status, body) = get(router, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("frontdesk_http_requests_total"), "{body}");
    assert!(body.contains("route=\"/healthz\""), "{body}");
    assert!(
        body.contains("frontdesk_jobs{status=\"queued\"} 0"),
        "{body}"
    );
}

#[tokio::test]
async fn an_unknown_path_is_a_plain_404() {
    let db = sqlite().await;
    let router = frontdesk::http::router(app(
        db.store.clone(),
        Arc::new(ManualClock::new(tuesday_evening())),
    ));
    let (status, _) = get(router, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn serve_with_only_a_profile_starts_on_sqlite_answers_health_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = crate::support::bin()
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FRONTDESK_DATA_DIR")
        .args(["serve", "--listen", "127.0.0.1:0", "--profile"])
        .arg(crate::support::root().join("examples/auto-shop.toml"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start frontdesk");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().expect("a line").expect("utf-8");
    let url = line
        .strip_prefix("frontdesk listening on ")
        .expect(&line)
        .to_string();

    let http = reqwest::Client::new();
    let health: serde_json::Value = http
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["store"], "sqlite");
    let metrics = http
        .get(format!("{url}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("frontdesk_http_requests_total"));
    assert!(
        dir.path().join("frontdesk-data/frontdesk.db").exists(),
        "the default database was created"
    );

    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}
