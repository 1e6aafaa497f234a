//! The HTTP layer: [`router`] builds the whole axum app from an [`App`] so tests can call it
//! without a socket. Handlers stay thin: they parse, call the library, and render; SQL stays in
//! the store and conversation logic in the engine.
//!
//! The handler families are siblings: they share [`AppError`] (from `crate::error`, which
//! depends on nothing else in the crate, so the dashboard uses it without reaching into the
//! HTTP layer) and [`BODY_LIMIT`], which the router applies to every route and hands to the
//! dashboard's routes for its form extractor.

mod api;
mod leads;
mod repair_api;
mod twilio;

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::app::App;

pub use crate::error::AppError;

/// Largest request body accepted (Twilio webhooks and lead forms are a few kB).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The whole HTTP app.
pub fn router(app: App) -> Router {
    // Install the recorder before the first request is counted.
    crate::telemetry::metrics();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .merge(api::routes())
        .merge(twilio::routes())
        .route("/api/leads", axum::routing::post(leads::create))
        .merge(crate::dashboard::routes(BODY_LIMIT))
        .layer(middleware::from_fn(track))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(app)
}

/// `GET /healthz`: 200 when the store answers, 503 when it does not.
async fn healthz(State(app): State<App>) -> Response {
    match app.store.ping().await {
        Ok(()) => Json(json!({"status": "ok", "store": app.store.dialect(),
            "businesses": app.directory().all().len()}))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "store": app.store.dialect()})),
            )
                .into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text. Queue depth is read from the store at scrape time.
async fn metrics(State(app): State<App>) -> Response {
    match app.store.job_counts().await {
        Ok(c) => {
            metrics::gauge!("frontdesk_jobs", "status" => "queued").set(c.queued as f64);
            metrics::gauge!("frontdesk_jobs", "status" => "running").set(c.running as f64);
            metrics::gauge!("frontdesk_jobs", "status" => "dead").set(c.dead as f64);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: could not count jobs"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::telemetry::metrics().render(),
    )
        .into_response()
}

/// Counts every request and its latency by route and status.
async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("frontdesk_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("frontdesk_http_request_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    resp
}
