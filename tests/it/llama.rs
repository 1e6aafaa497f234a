//! The language model against a real OpenAI-compatible server: llama.cpp's `llama-server`
//! (built by `scripts/llama-server.sh`, named by `FRONTDESK_LLAMA_SERVER`) serving SmolLM2 135M
//! (`FRONTDESK_LLAMA_MODEL`). The client's structured output comes back and parses into a
//! validated reading, whole and streamed; a stalled server (SIGSTOP) and a killed one leave the
//! turn to the built-in reading within the voice deadline. Without the server the tests say
//! they were skipped, except with `FRONTDESK_REQUIRE_PEERS=1` (CI), where that is a failure.
//! A 135M model reads poorly: these tests check the plumbing and the guarantees, not its wits.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use frontdesk_llm::{Llm, LlmConfig, LlmError, Output, ProfileView};
use jiff::civil::date;

use crate::support::root;

/// One real server at a time: two cores do not run several models and the other tests well.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The server binary and the model file, or `None` with a printed reason (a failure in CI).
fn llama() -> Option<(PathBuf, PathBuf)> {
    let cache = std::env::var("HOME")
        .map(|h| PathBuf::from(h).join(".cache/frontdesk/llama"))
        .unwrap_or_default();
    let server = std::env::var("FRONTDESK_LLAMA_SERVER")
        .map(PathBuf::from)
        .ok()
        .or_else(|| {
            let dirs = std::fs::read_dir(&cache).ok()?;
            dirs.flatten()
                .map(|d| d.path().join("bin/llama-server"))
                .find(|p| p.is_file())
        });
    let model = std::env::var("FRONTDESK_LLAMA_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|_| cache.join("SmolLM2-135M-Instruct.Q4_1.gguf"));
    match server {
        Some(server) if server.is_file() && model.is_file() => Some((server, model)),
        _ => {
            if std::env::var("FRONTDESK_REQUIRE_PEERS").is_ok_and(|v| v == "1") {
                panic!("llama-server and its model are required: run scripts/llama-server.sh");
            }
            eprintln!(
                "skipped: no llama-server or model (run scripts/llama-server.sh, or set FRONTDESK_LLAMA_SERVER and FRONTDESK_LLAMA_MODEL)"
            );
            None
        }
    }
}

/// A running `llama-server`, killed when dropped.
pub struct LlamaServer {
    child: Child,
    pub base_url: String,
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        self.signal("CONT");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LlamaServer {
    /// Starts the server on a free port and waits (up to 90 s) until `/health` says ok.
    pub async fn start() -> Option<LlamaServer> {
        let (server, model) = llama()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        // One thread: on two cores shared with the build and the other tests, two threads
        // spinning at llama.cpp's barriers were ten times slower.
        let child = Command::new(&server)
            .args(["-m", model.to_str()?, "--host", "127.0.0.1"])
            .args([
                "--port",
                &port.to_string(),
                "-c",
                "2048",
                "-t",
                "2",
                "-np",
                "1",
            ])
            .arg("--jinja")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start llama-server");
        let mut s = LlamaServer {
            child,
            base_url: format!("http://127.0.0.1:{port}/v1"),
        };
        let health = format!("http://127.0.0.1:{port}/health");
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(90) {
            if let Ok(r) = client.get(&health).send().await
                && r.status().is_success()
            {
                return Some(s);
            }
            if let Ok(Some(status)) = s.child.try_wait() {
                panic!("llama-server exited early: {status}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let _ = s.child.kill();
        panic!("llama-server did not become healthy within 90 s");
    }

    /// Sends the process a signal by name (`STOP`, `CONT`).
    pub fn signal(&self, name: &str) {
        let _ = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status();
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn llm(&self, output: Output, stream: bool) -> Llm {
        let mut config = LlmConfig::new(&self.base_url, "smollm2-135m");
        config.output = output;
        config.stream = stream;
        Llm::new(config)
    }
}

fn view() -> ProfileView {
    ProfileView {
        business: "Main Street Auto".into(),
        services: vec![
            ("brakes".into(), "Brake service".into()),
            ("oil".into(), "Oil change".into()),
        ],
        faqs: vec![(
            "warranty".into(),
            "Do you offer a warranty?".into(),
            "Yes: 24 months or 24,000 miles on parts and labor.".into(),
        )],
    }
}

const BOOKING: &str = "hi, this is Sam, my brakes are squealing, can I bring my 2014 Honda Civic in tomorrow morning?";

async fn read(llm: &Llm, deadline: Duration) -> Result<frontdesk_nlu::Understanding, LlmError> {
    let now = date(2026, 11, 23).at(18, 55, 0, 0);
    llm.understand(BOOKING, None, now, &[], &view(), deadline)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_server_answers_the_json_schema_request_with_a_reading_that_validates() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(server) = LlamaServer::start().await else {
        return;
    };
    // The first call warms the model up; it gets a generous deadline.
    let u = read(
        &server.llm(Output::JsonSchema, false),
        Duration::from_secs(120),
    )
    .await;
    let u = u.expect("a reading that parses and validates");
    // Whatever the small model said survived validation: only profile ids and said names.
    assert!(
        u.services.iter().all(|s| s == "brakes" || s == "oil"),
        "{u:?}"
    );
    assert!(
        u.name.as_deref().is_none_or(|n| BOOKING.contains(n)),
        "{u:?}"
    );
    eprintln!("llama-server json_schema reading: {u:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_auto_output_a_real_server_that_answers_tools_in_prose_is_asked_with_a_json_schema() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(server) = LlamaServer::start().await else {
        return;
    };
    let llm = server.llm(Output::Auto, false);
    // Whether the small model calls the tool or writes prose, a reading comes back: a tool
    // call directly, prose through the JSON schema asked next (two generations in one call,
    // each up to max_tokens on a busy box: hence the long deadline).
    read(&llm, Duration::from_secs(300))
        .await
        .expect("a reading through tools or the json schema");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_reply_from_the_real_server_is_assembled_into_a_reading() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(server) = LlamaServer::start().await else {
        return;
    };
    let u = read(
        &server.llm(Output::JsonSchema, true),
        Duration::from_secs(120),
    )
    .await;
    u.expect("the server-sent events make one reading");
}

/// One substantive voice turn through the whole runtime with this model (or none); the time it
/// took and the transcript.
async fn one_voice_turn(llm: Option<Llm>) -> (Duration, frontdesk::scenario::Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("turn.toml");
    std::fs::write(
        &path,
        format!(
            "profile = {:?}\nnow = \"2026-11-24T19:30\"\ncaller = \"+15125550143\"\nchannel = \"voice\"\n\n[[turn]]\nsay = \"my check engine light came on this morning, could somebody look at it thursday\"\nreply_contains = \"Thursday\"\n\n[expect]\nno_appointment = true\n",
            root().join("examples/auto-shop.toml").display().to_string()
        ),
    )
    .unwrap();
    let started = Instant::now();
    let outcome = frontdesk::scenario::run_file(&path, llm).await.unwrap();
    (started.elapsed(), outcome)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_real_server_leaves_the_voice_turn_to_the_built_in_reading_within_the_deadline() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(server) = LlamaServer::start().await else {
        return;
    };
    let llm = server.llm(Output::JsonSchema, false);
    assert_eq!(llm.config().voice_deadline, Duration::from_millis(1500));
    // The same call without a model: the store, greeting and engine, on this busy machine.
    let (alone, _) = one_voice_turn(None).await;
    server.signal("STOP");
    let (took, outcome) = one_voice_turn(Some(llm)).await;
    server.signal("CONT");
    assert!(
        outcome.passed(),
        "{:?}\n{}",
        outcome.failures,
        outcome.transcript.join("\n")
    );
    // The model had its 1.5 s, and not a moment more.
    assert!(
        took >= Duration::from_millis(1500),
        "the model was waited for: {took:?}"
    );
    assert!(
        took < alone + Duration::from_millis(2000),
        "{took:?} with the stalled model, {alone:?} without"
    );
    assert!(
        !outcome.transcript.iter().any(|l| l.contains("~ built-in")),
        "no model reading was used\n{}",
        outcome.transcript.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_real_server_leaves_the_voice_turn_to_the_built_in_reading_at_once() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(mut server) = LlamaServer::start().await else {
        return;
    };
    let llm = server.llm(Output::JsonSchema, false);
    server.kill();
    let (alone, _) = one_voice_turn(None).await;
    let (took, outcome) = one_voice_turn(Some(llm)).await;
    assert!(
        outcome.passed(),
        "{:?}\n{}",
        outcome.failures,
        outcome.transcript.join("\n")
    );
    // A refused connection is known at once: no deadline is waited out.
    assert!(
        took < alone + Duration::from_millis(500),
        "{took:?} with the killed model, {alone:?} without"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_real_server_every_call_ends_within_the_voice_deadline() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(server) = LlamaServer::start().await else {
        return;
    };
    let llm = server.llm(Output::JsonSchema, false);
    let deadline = llm.config().voice_deadline;
    let mut answered = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let r = read(&llm, deadline).await;
        let took = started.elapsed();
        assert!(took < deadline + Duration::from_millis(300), "{took:?}");
        match r {
            Ok(_) => answered += 1,
            Err(LlmError::Timeout) => {}
            Err(e) => panic!("only a reading or a timeout: {e}"),
        }
    }
    eprintln!("llama-server: {answered} of 5 voice-deadline calls answered in time");
}
