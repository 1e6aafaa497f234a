//! Benchmark 1: Twilio voice webhook in → TwiML out, built-in understanding, SQLite file store.
//!
//! Starts the real server in-process (axum on 127.0.0.1:0, gather mode, signatures checked), a
//! local fake Twilio REST endpoint, and a load generator that keeps N calls in flight. Each call
//! is `POST /twilio/voice`, then the seven-step speech turns posted to the `<Gather action>` of
//! the previous answer, every request signed with `X-Twilio-Signature`.
//!
//! Three load shapes per N:
//! - `call`: each caller pauses a random 4–8 s between turns, the pace of a real `<Gather>` call
//!   (Twilio reads the reply aloud, the caller answers, `speechTimeout` passes): N concurrent
//!   calls send about N/6 requests per second. Runs three times as long as the others.
//! - `paced`: a random 0.5–1.5 s between turns, about N requests per second: a far harsher load
//!   than N real calls, kept to show where latency starts to climb.
//! - `saturated`: no pause at all; a closed loop that measures the server's ceiling (latency here
//!   is queueing: N in flight / throughput).
//!
//! Run: `cargo run --release --example bench_voice -- [SECONDS_PER_RUN] [N...]`
//! (default 12 s per run, N = 50 200); `BENCH_MODE=call|paced|saturated` runs one shape.

use std::sync::Arc;
use std::time::{Duration, Instant};

use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};

const TOKEN: &str = "bench-twilio-token";
const SID: &str = "AC00000000000000000000000000000000";
const SHOP_NUMBER: &str = "+15125550100";
const SCRIPT: [&str; 4] = [
    "my check engine light came on",
    "do you have thursday at 2 pm",
    "it's Sam, a 2008 Honda Civic",
    "yes please",
];

#[derive(Default)]
struct Samples {
    first: Vec<Duration>,
    turn: Vec<Duration>,
    errors: u64,
    calls: u64,
}

impl Samples {
    fn merge(&mut self, o: Samples) {
        self.first.extend(o.first);
        self.turn.extend(o.turn);
        self.errors += o.errors;
        self.calls += o.calls;
    }
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn report(label: &str, mut v: Vec<Duration>, secs: f64) {
    v.sort();
    println!(
        "  {label:<14} n={:<6} {:>7.1} req/s  p50={:>7.2}ms p90={:>7.2}ms p99={:>7.2}ms max={:>7.2}ms",
        v.len(),
        v.len() as f64 / secs,
        pct(&v, 50.0),
        pct(&v, 90.0),
        pct(&v, 99.0),
        v.last()
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(f64::NAN),
    );
}

/// The `action` URL of the `<Gather>` in a TwiML answer.
fn gather_action(twiml: &str) -> Option<String> {
    let start = twiml.find("<Gather")?;
    let action = &twiml[start..];
    let from = action.find("action=\"")? + 8;
    let to = action[from..].find('"')? + from;
    Some(action[from..to].replace("&amp;", "&"))
}

async fn fake_twilio() -> String {
    let app = axum::Router::new().route(
        "/2010-04-01/Accounts/{sid}/Messages.json",
        axum::routing::post(|| async {
            (
                axum::http::StatusCode::CREATED,
                [("content-type", "application/json")],
                r#"{"sid": "SM00000000000000000000000000000001", "status": "queued"}"#,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

struct Target {
    base: String,
    client: reqwest::Client,
}

impl Target {
    async fn post(&self, path: &str, params: &[(String, String)]) -> Result<String, String> {
        let url = format!("{}{path}", self.base);
        let signature = frontdesk_twilio::signature::compute(TOKEN, &url, params);
        let resp = self
            .client
            .post(&url)
            .header("x-twilio-signature", signature)
            .form(params)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        let body = resp.text().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(format!("{status}: {body}"))
        }
    }
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// How a caller paces its turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// 4–8 s between turns: a real call.
    Call,
    /// 0.5–1.5 s between turns.
    Paced,
    /// No pause.
    Saturated,
}

impl Shape {
    /// The shortest pause and the spread above it, in milliseconds.
    fn pause_ms(self) -> Option<(u64, u64)> {
        match self {
            Shape::Call => Some((4000, 4000)),
            Shape::Paced => Some((500, 1000)),
            Shape::Saturated => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Shape::Call => "call-paced (4-8 s between turns, a real call)",
            Shape::Paced => "paced (0.5-1.5 s between turns)",
            Shape::Saturated => "saturated (no pause)",
        }
    }
}

/// One task: calls back to back until `until`.
async fn caller(
    target: Arc<Target>,
    task: usize,
    run: &'static str,
    until: Instant,
    shape: Shape,
) -> Samples {
    let paced = shape.pause_ms().is_some();
    let (lo, spread) = shape.pause_ms().unwrap_or((0, 1));
    let mut s = Samples::default();
    let mut n = 0usize;
    let mut rng_state = (task as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut pause = || {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        Duration::from_millis(lo + rng_state % spread)
    };
    if paced {
        // Spread the first rings over one pause so the callers do not move in lockstep.
        tokio::time::sleep(Duration::from_millis((task as u64 * 7919) % (lo + spread))).await;
    }
    while Instant::now() < until {
        n += 1;
        let call_sid = format!("CA{run}{task:04}x{n:06}");
        // A distinct caller per call (valid NANP numbers, 512 area code).
        let from = format!("+1512{:03}{:04}", 200 + task % 700, n % 10000);
        let t = Instant::now();
        let first = target
            .post(
                "/twilio/voice",
                &owned(&[
                    ("CallSid", &call_sid),
                    ("AccountSid", SID),
                    ("From", &from),
                    ("To", SHOP_NUMBER),
                    ("CallStatus", "ringing"),
                    ("Direction", "inbound"),
                    ("ApiVersion", "2010-04-01"),
                ]),
            )
            .await;
        s.first.push(t.elapsed());
        let mut twiml = match first {
            Ok(b) => b,
            Err(e) => {
                if s.errors < 3 {
                    eprintln!("first webhook failed: {e}");
                }
                s.errors += 1;
                continue;
            }
        };
        for said in SCRIPT {
            let Some(action) = gather_action(&twiml) else {
                break;
            };
            if paced {
                tokio::time::sleep(pause()).await;
            }
            let t = Instant::now();
            let r = target
                .post(
                    &action,
                    &owned(&[
                        ("CallSid", &call_sid),
                        ("AccountSid", SID),
                        ("From", &from),
                        ("To", SHOP_NUMBER),
                        ("SpeechResult", said),
                        ("Confidence", "0.92"),
                    ]),
                )
                .await;
            s.turn.push(t.elapsed());
            match r {
                Ok(b) => twiml = b,
                Err(e) => {
                    if s.errors < 3 {
                        eprintln!("turn webhook failed: {e}");
                    }
                    s.errors += 1;
                    break;
                }
            }
        }
        s.calls += 1;
    }
    s
}

async fn run_load(target: Arc<Target>, run: &'static str, n: usize, secs: u64, shape: Shape) {
    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..n)
        .map(|i| tokio::spawn(caller(target.clone(), i, run, until, shape)))
        .collect();
    let mut all = Samples::default();
    for t in tasks {
        all.merge(t.await.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    println!(
        "N={n} {} ({wall:.1} s, {} calls, {} errors):",
        shape.label(),
        all.calls,
        all.errors
    );
    report("first webhook", all.first, wall);
    report("turn webhooks", all.turn, wall);
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: u64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(12);
    let ns: Vec<usize> = if args.len() > 1 {
        args[1..].iter().filter_map(|s| s.parse().ok()).collect()
    } else {
        vec![50, 200]
    };

    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let store = frontdesk::store::open(&url).await.expect("open sqlite");
    let api_base = fake_twilio().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let public = format!("http://{addr}");
    // Tuesday 7:30 PM Central, the seven-step story's moment; the clock stands still.
    let clock = Arc::new(ManualClock::new("2026-11-25T01:30:00Z".parse().unwrap()));
    let settings = Settings {
        twilio_auth_token: Some(TOKEN.into()),
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
    let router = frontdesk::http::router(app);
    tokio::spawn(async move { axum::serve(listener, router).await });

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let target = Arc::new(Target {
        base: public,
        client,
    });

    println!(
        "bench_voice: SQLite file store, gather mode, {} tokio workers, loadavg before: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        loadavg()
    );
    // Warm-up: open connections, fill caches.
    run_load(target.clone(), "w", 10, 2, Shape::Saturated).await;
    println!("--- measured ---");
    // BENCH_MODE=call|paced|saturated runs only one shape (default: all three).
    let mode = std::env::var("BENCH_MODE").unwrap_or_default();
    for (i, &n) in ns.iter().enumerate() {
        let tag = |c: char| -> &'static str { format!("{c}{i}").leak() };
        for (shape, name, c, run_secs) in [
            (Shape::Call, "call", 'c', secs * 3),
            (Shape::Paced, "paced", 'p', secs),
            (Shape::Saturated, "saturated", 's', secs / 2 + 1),
        ] {
            if mode.is_empty() || mode == name {
                run_load(target.clone(), tag(c), n, run_secs, shape).await;
                println!("  loadavg: {}", loadavg());
            }
        }
    }
}
