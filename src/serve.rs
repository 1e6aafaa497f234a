//! `frontdesk serve`: the HTTP server and the jobs worker in one process (or either alone for
//! scaled deployments), with graceful shutdown that finishes in-flight requests and gives back
//! job leases.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::sync::watch;

use crate::app::App;
use crate::briefings;
use crate::calendar;
use crate::followups::FollowupSender;
use crate::jobs::{WebhookPost, Worker};
use crate::outbox::SmsSender;

/// Which halves of the server run in this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Both,
    WebOnly,
    WorkerOnly,
}

/// A worker with every job handler the product has.
pub fn worker(app: &App) -> Worker {
    let id = format!(
        "{}-{}-{:04x}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into()),
        std::process::id(),
        rand::random::<u16>()
    );
    let http = reqwest::Client::builder()
        .user_agent(concat!("frontdesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default();
    let lease = app.settings.job_lease_secs.unwrap_or(60).clamp(1, 3600) as i64;
    Worker::new(id, app.store.clone(), app.clock.clone())
        .with_lease(jiff::SignedDuration::from_secs(lease))
        .woken_by(app.jobs_queued.clone())
        .handle("webhook.post", Arc::new(WebhookPost::new(http)))
        .handle(crate::outbox::KIND, Arc::new(SmsSender::new(app.clone())))
        .handle("followup.send", Arc::new(FollowupSender::new(app.clone())))
        .handle("email.send", Arc::new(briefings::EmailSender::new(app)))
        .handle(
            "webhook.event",
            Arc::new(briefings::EventSender::new(app.clone())),
        )
        .handle(
            "briefing.digest",
            Arc::new(briefings::DigestSender::new(app.clone())),
        )
        .handle(
            "summary.daily",
            Arc::new(briefings::SummarySender::new(app.clone())),
        )
        .handle(
            "briefing.compose",
            Arc::new(briefings::BriefingComposer::new(app.clone())),
        )
        .handle(
            "calendar.write",
            Arc::new(calendar::CalendarWriter::new(app.clone())),
        )
        .handle(
            "calendar.sync",
            Arc::new(crate::calendar_sync::CalendarSync::new(app.clone())),
        )
}

/// Runs until SIGINT/SIGTERM. Prints `listening on http://ADDR` once the socket is bound.
pub async fn run(app: App, listen: SocketAddr, mode: Mode) -> anyhow::Result<()> {
    briefings::schedule_summaries(&app).await?;
    crate::calendar_sync::schedule_syncs(&app, jiff::SignedDuration::from_secs(5)).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker_task = (mode != Mode::WebOnly).then(|| {
        let w = worker(&app);
        tokio::spawn(w.run(stop_rx.clone()))
    });

    if mode == Mode::WorkerOnly {
        println!("frontdesk worker running (no HTTP)");
        shutdown_signal().await;
    } else {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        println!("frontdesk listening on http://{addr}");
        tracing::info!(%addr, store = app.store.dialect(), "serving");
        // The peer address is kept for the sign-in limits per client address.
        let service =
            crate::http::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
    }
    let _ = stop_tx.send(true);
    if let Some(task) = worker_task {
        let _ = task.await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
