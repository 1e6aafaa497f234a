//! Benchmark 2: a web lead is posted → its first text's Messages API request leaves the process.
//!
//! The real server (axum on 127.0.0.1:0) and the jobs worker run in-process on a SQLite file
//! store; the Twilio REST base points at a local fake Messages endpoint that timestamps every
//! arrival. Each lead has a distinct phone number; latency is from just before `POST /api/leads`
//! is sent to the moment the fake endpoint receives the text for that number.
//!
//! Each lead is posted and then waited for (closed loop), one at a time (`sequential`) and from
//! 20 tasks at once (`concurrency 20`). Two worker loops are measured:
//! - `Worker::run` as shipped (`frontdesk::serve::worker(&app).run(shutdown)`): when the queue is
//!   empty it parks until the enqueue in the same process wakes it (`App::jobs_queued`), with a
//!   250 ms poll as the fallback for jobs enqueued by another node.
//! - the same `Worker` driven by `run_next` until idle and then parked on a `Notify` that the
//!   load generator pokes when `POST /api/leads` returns: the external-wake variant this
//!   benchmark used before the worker woke itself, kept for comparison.
//!
//! Run: `cargo run --release --example bench_leads -- [LEADS]` (default 200 per run).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};
use tokio::sync::{Notify, oneshot, watch};

const SID: &str = "AC00000000000000000000000000000000";

type Waiters = Arc<Mutex<HashMap<String, oneshot::Sender<Instant>>>>;

async fn fake_twilio(waiters: Waiters) -> String {
    let app = axum::Router::new().route(
        "/2010-04-01/Accounts/{sid}/Messages.json",
        axum::routing::post(move |body: axum::body::Bytes| {
            let arrived = Instant::now();
            let waiters = waiters.clone();
            async move {
                let form: Vec<(String, String)> =
                    serde_urlencoded::from_bytes(&body).unwrap_or_default();
                if let Some((_, to)) = form.iter().find(|(k, _)| k == "To")
                    && let Some(tx) = waiters.lock().unwrap().remove(to)
                {
                    let _ = tx.send(arrived);
                }
                (
                    axum::http::StatusCode::CREATED,
                    [("content-type", "application/json")],
                    r#"{"sid": "SM00000000000000000000000000000001", "status": "queued"}"#,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn report(label: &str, mut v: Vec<Duration>, wall: f64) {
    v.sort();
    println!(
        "  {label:<26} n={:<4} {:>6.1}/s  p50={:>7.1}ms p90={:>7.1}ms p99={:>7.1}ms max={:>7.1}ms",
        v.len(),
        v.len() as f64 / wall,
        pct(&v, 50.0),
        pct(&v, 90.0),
        pct(&v, 99.0),
        v.last()
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(f64::NAN),
    );
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

struct Bench {
    base: String,
    key: String,
    client: reqwest::Client,
    waiters: Waiters,
    /// Poked after each post in the wake-on-enqueue variant.
    wake: Option<Arc<Notify>>,
}

impl Bench {
    /// Posts one lead and waits for its text: (post → text arrival, post → HTTP 202).
    async fn lead(&self, phone: &str) -> (Duration, Duration) {
        let (tx, rx) = oneshot::channel();
        self.waiters.lock().unwrap().insert(phone.to_string(), tx);
        let body = serde_json::json!({
            "name": "Sam", "phone": phone, "message": "my brakes are squeaking", "key": self.key,
        });
        let t = Instant::now();
        let resp = self
            .client
            .post(format!("{}/api/leads", self.base))
            .json(&body)
            .send()
            .await
            .expect("post lead");
        let http = t.elapsed();
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        assert_eq!(status.as_u16(), 202, "{text}");
        assert!(text.contains("\"texted\":true"), "{text}");
        if let Some(w) = &self.wake {
            w.notify_one();
        }
        let arrived = tokio::time::timeout(Duration::from_secs(30), rx)
            .await
            .expect("the text leaves within 30 s")
            .unwrap();
        (arrived - t, http)
    }
}

async fn run(bench: Arc<Bench>, label: &str, prefix: u32, leads: usize, concurrency: usize) {
    let started = Instant::now();
    let per_task = leads / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|task| {
            let bench = bench.clone();
            tokio::spawn(async move {
                let mut out = Vec::new();
                for i in 0..per_task {
                    let n = task * per_task + i;
                    // Distinct valid numbers: +1 512 <prefix><n>.
                    let phone = format!("+1512{prefix:03}{n:04}");
                    out.push(bench.lead(&phone).await);
                }
                out
            })
        })
        .collect();
    let mut arrive = Vec::new();
    let mut http = Vec::new();
    for t in tasks {
        for (a, h) in t.await.unwrap() {
            arrive.push(a);
            http.push(h);
        }
    }
    let wall = started.elapsed().as_secs_f64();
    println!(
        "{label}, concurrency {concurrency} ({wall:.1} s, loadavg {}):",
        loadavg()
    );
    report("post -> Messages API hit", arrive, wall);
    report("post -> HTTP 202", http, wall);
}

async fn setup(waiters: Waiters) -> (App, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let store = frontdesk::store::open(&url).await.expect("open sqlite");
    let api_base = fake_twilio(waiters).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let public = format!("http://{addr}");
    // Wednesday 10 AM Central: the shop is open; the clock stands still.
    let clock = Arc::new(ManualClock::new("2026-11-25T16:00:00Z".parse().unwrap()));
    let settings = Settings {
        twilio_auth_token: Some("bench-twilio-token".into()),
        public_url: Some(public.clone()),
        twilio_account_sid: Some(SID.into()),
        twilio_api_base: Some(api_base),
        voice_mode: Some("gather".into()),
        ..Default::default()
    };
    let app = App::new(
        store,
        clock as Arc<dyn Clock>,
        vec![frontdesk_profile::example()],
        settings,
    );
    app.register_businesses().await.unwrap();
    let router = frontdesk::http::router(app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (app, public, dir)
}

#[tokio::main]
async fn main() {
    let leads: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let key = frontdesk_profile::example().leads.key.expect("lead key");
    println!(
        "bench_leads: SQLite file store, {leads} leads per run, loadavg before: {}",
        loadavg()
    );

    // 1. The worker as shipped.
    {
        let waiters: Waiters = Default::default();
        let (app, base, _dir) = setup(waiters.clone()).await;
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = tokio::spawn(frontdesk::serve::worker(&app).run(stop_rx));
        let bench = Arc::new(Bench {
            base,
            key: key.clone(),
            client: reqwest::Client::new(),
            waiters,
            wake: None,
        });
        run(bench.clone(), "warm-up", 200, 10, 1).await;
        run(
            bench.clone(),
            "Worker::run as shipped (wakes on enqueue)",
            201,
            leads,
            1,
        )
        .await;
        run(
            bench.clone(),
            "Worker::run as shipped (wakes on enqueue)",
            202,
            leads,
            20,
        )
        .await;
        let _ = stop_tx.send(true);
        let _ = worker.await;
    }

    // 2. Simulated wake-on-enqueue.
    {
        let waiters: Waiters = Default::default();
        let (app, base, _dir) = setup(waiters.clone()).await;
        let wake = Arc::new(Notify::new());
        let w = frontdesk::serve::worker(&app);
        let notified = wake.clone();
        let worker = tokio::spawn(async move {
            loop {
                while let Ok(Some(_)) = w.run_next().await {}
                tokio::select! {
                    _ = notified.notified() => {}
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                }
            }
        });
        let bench = Arc::new(Bench {
            base,
            key,
            client: reqwest::Client::new(),
            waiters,
            wake: Some(wake),
        });
        run(bench.clone(), "warm-up", 200, 10, 1).await;
        run(bench.clone(), "run_next + external wake", 203, leads, 1).await;
        run(bench.clone(), "run_next + external wake", 204, leads, 20).await;
        worker.abort();
    }
}
