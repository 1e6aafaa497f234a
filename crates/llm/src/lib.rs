//! The optional language-model layer. It asks any OpenAI-compatible chat-completions server
//! (hosted, vLLM, llama.cpp server, Ollama) for the same typed [`Understanding`] the built-in
//! layer produces, and for answers grounded only in the profile's FAQs. A language model only
//! proposes; this crate decides: every reply is parsed strictly and validated field by field
//! against the profile before the engine sees it, every call is bounded by a deadline and
//! guarded by a circuit breaker, and [`check_reply`] rejects any sentence that states an amount,
//! a time or a date the code did not allow. When the model is off, slow or wrong the built-in
//! layer answers alone.
//!
//! How the runtime uses it, per caller turn:
//!
//! 1. `let builtin = frontdesk_nlu::understand(..)` — always, first; it is exact and instant.
//! 2. When the model is on (`LlmConfig::from_env()` is `Some`) and the turn is substantive (not
//!    a short answer, a yes or no to a read-back, a pick among offered times or the name or car
//!    that was asked for: those the built-in reading answers with certainty),
//!    `llm.understand(text, asked, now_local, recent, view, deadline)` with
//!    `config.voice_deadline` on a call and `config.sms_deadline` on a text, unless the breaker
//!    is open. Any `Err` means: use `builtin` alone (nothing to tell the caller).
//! 3. `reconcile(&builtin, &model)` and hand the result to the flow, which checks services
//!    against the menu and times against the calendar as it does for the built-in layer; a time
//!    or service the two readings dispute is left out, so the flow asks for it.
//! 4. For an open question no FAQ matched, `llm.answer(question, view, deadline)`: `Some` is said
//!    as is (it was checked against its FAQ); `None` or an error takes the callback path.
//! 5. Any sentence a model wrote, before it is said: [`check_reply`] with the amounts, times and
//!    dates the code computed for this turn; a violation means: say the template instead.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontdesk_nlu::{Asked, Understanding};

mod breaker;
#[cfg(feature = "fake")]
pub mod fake;
mod merge;
mod prompt;
mod signals;
mod validate;
mod wire;
mod year;

pub use frontdesk_nlu::claims::{Allowed, Claim, Violation, check_reply};
pub use merge::{Merged, merge, reconcile, reconcile_in};
pub use signals::{Corrects, Reading, Signals};

use breaker::Breaker;

/// How to reach the model, and how long each channel may wait for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmConfig {
    /// The server's OpenAI-compatible root, e.g. `https://api.openai.com/v1` or
    /// `http://127.0.0.1:8080/v1`; `/chat/completions` is appended.
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer ...` when set (local servers need none).
    pub api_key: Option<String>,
    /// The bound on one call during a voice turn (1.5 s by default).
    pub voice_deadline: Duration,
    /// The bound on one call while answering a text message (4 s by default).
    pub sms_deadline: Duration,
    /// How the model is asked to report: a forced tool call, a `json_schema` response format,
    /// or a tool call first and the schema from then on when the server cannot do tools.
    pub output: Output,
    /// Ask for the reply as server-sent events (`stream: true`); read whole otherwise. Either
    /// way the reading is used only once complete.
    pub stream: bool,
}

/// How the model reports its reading (`LLM_OUTPUT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    /// A forced `tools` call; a server that refuses tools (400, 422, 501) or answers in prose
    /// instead of calling the tool is asked again with `json_schema`, and from then on only so.
    #[default]
    Auto,
    /// Always a forced `tools` call (hosted providers, vLLM with a tool parser).
    Tools,
    /// Always `response_format: json_schema` (llama.cpp's server, Ollama, vLLM's guided JSON).
    JsonSchema,
}

impl LlmConfig {
    pub const DEFAULT_VOICE_DEADLINE: Duration = Duration::from_millis(1500);
    pub const DEFAULT_SMS_DEADLINE: Duration = Duration::from_millis(4000);

    /// Reads `LLM_BASE_URL`, `LLM_MODEL`, `LLM_API_KEY`, `LLM_VOICE_DEADLINE_MS`,
    /// `LLM_SMS_DEADLINE_MS`, `LLM_OUTPUT` (`auto`, `tools` or `json_schema`) and `LLM_STREAM`
    /// (`1` or `true`). `None` (the model is off) when the URL or the model is unset or empty;
    /// a deadline that is not a positive whole number of milliseconds keeps its default, and an
    /// unknown output keeps `auto`.
    pub fn from_env() -> Option<LlmConfig> {
        LlmConfig::from_lookup(|key| std::env::var(key).ok())
    }

    /// [`LlmConfig::from_env`] over any key lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Option<LlmConfig> {
        let non_empty = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let millis = |key: &str, default: Duration| {
            non_empty(key)
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|ms| *ms > 0)
                .map(Duration::from_millis)
                .unwrap_or(default)
        };
        Some(LlmConfig {
            base_url: non_empty("LLM_BASE_URL")?,
            model: non_empty("LLM_MODEL")?,
            api_key: non_empty("LLM_API_KEY"),
            voice_deadline: millis("LLM_VOICE_DEADLINE_MS", Self::DEFAULT_VOICE_DEADLINE),
            sms_deadline: millis("LLM_SMS_DEADLINE_MS", Self::DEFAULT_SMS_DEADLINE),
            output: match non_empty("LLM_OUTPUT").as_deref() {
                Some("tools") => Output::Tools,
                Some("json_schema" | "json-schema" | "json") => Output::JsonSchema,
                _ => Output::Auto,
            },
            stream: non_empty("LLM_STREAM").is_some_and(|v| matches!(v.as_str(), "1" | "true")),
        })
    }

    /// A configuration for `base_url` and `model` with the default deadlines, `auto` output and
    /// no streaming (tests and tools start from it).
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> LlmConfig {
        LlmConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            voice_deadline: Self::DEFAULT_VOICE_DEADLINE,
            sms_deadline: Self::DEFAULT_SMS_DEADLINE,
            output: Output::Auto,
            stream: false,
        }
    }
}

/// The part of the business profile the model may see. It holds no phone numbers, no prices and
/// no hours on purpose: what the model never sees it cannot leak or misquote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileView {
    pub business: String,
    /// `(id, name)` of each service.
    pub services: Vec<(String, String)>,
    /// `(id, question, answer)` of each FAQ. Only [`Llm::answer`] sends the answers.
    pub faqs: Vec<(String, String, String)>,
}

/// One earlier turn of the conversation, for context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Said by the caller (`true`) or by the assistant.
    pub caller: bool,
    pub text: String,
}

/// Why the model gave nothing usable. The messages are for logs and metrics only (they may
/// quote the server or the model): the caller hears the built-in path, never these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    #[error("the language model is off")]
    Off,
    #[error("the language model did not answer within the deadline")]
    Timeout,
    #[error("the language model is skipped while its circuit breaker is open")]
    CircuitOpen,
    /// A status the server returned, or `0` when no HTTP exchange happened (refused, reset).
    #[error("the language model server answered {0}: \"{1}\"")]
    Http(u16, String),
    #[error("the language model's reply is malformed: {0}")]
    Malformed(String),
    /// Asked for a tool call, the model answered in prose (llama.cpp's server does with small
    /// models); `auto` output then asks with a JSON schema instead.
    #[error("the language model answered without calling the tool: {0}")]
    NoToolCall(String),
}

/// A handle on the model. Cheap to clone; clones share the HTTP connection pool and the breaker.
#[derive(Debug, Clone)]
pub struct Llm {
    config: Arc<LlmConfig>,
    client: reqwest::Client,
    breaker: Arc<Mutex<Breaker>>,
    /// The server refused tools once and took `response_format: json_schema` instead.
    json_schema: Arc<AtomicBool>,
}

/// What one call asks of the server, and the tool its reply should use.
pub(crate) struct Call {
    pub body: serde_json::Value,
    pub tool: &'static str,
}

impl Llm {
    /// Consecutive failures (timeouts, HTTP errors, malformed replies) that open the breaker.
    pub const BREAKER_FAILURES: u32 = 5;
    /// How long an open breaker skips the model before one trial call is let through.
    pub const BREAKER_COOL_DOWN: Duration = Duration::from_secs(30);

    pub fn new(config: LlmConfig) -> Llm {
        Llm {
            config: Arc::new(config),
            client: reqwest::Client::builder()
                .pool_idle_timeout(Duration::from_secs(90))
                .build()
                .unwrap_or_default(),
            breaker: Arc::new(Mutex::new(Breaker::new(
                Self::BREAKER_FAILURES,
                Self::BREAKER_COOL_DOWN,
            ))),
            json_schema: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same handle with another breaker policy (`failures` at least 1).
    pub fn with_breaker(mut self, failures: u32, cool_down: Duration) -> Llm {
        self.breaker = Arc::new(Mutex::new(Breaker::new(failures.max(1), cool_down)));
        self
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// Asks the model for the same typed understanding as the built-in layer. The reply may
    /// come as a `report_understanding` tool call or as JSON content (`response_format`), whole
    /// or streamed. It is parsed strictly and validated field by field: a service or FAQ id not
    /// in the profile, an unknown intent, an impossible or past time, a time or name the caller
    /// did not say, a name that is really an instruction, a vehicle year outside
    /// 1950..=next year, a phone number the caller did not give — each is dropped alone.
    /// A reply that is not a JSON object at all is [`LlmError::Malformed`].
    pub async fn understand(
        &self,
        text: &str,
        asked: Option<Asked>,
        now_local: jiff::civil::DateTime,
        recent: &[Turn],
        view: &ProfileView,
        deadline: Duration,
    ) -> Result<Understanding, LlmError> {
        self.read(text, asked, now_local, recent, view, deadline)
            .await
            .map(|r| r.understanding)
    }

    /// [`Llm::understand`] with the signals beside the understanding: a correction, a pick
    /// among the times just offered, a status question, a complaint, the caller's language
    /// (see [`Signals`]), each validated on its own.
    pub async fn read(
        &self,
        text: &str,
        asked: Option<Asked>,
        now_local: jiff::civil::DateTime,
        recent: &[Turn],
        view: &ProfileView,
        deadline: Duration,
    ) -> Result<Reading, LlmError> {
        let call = Call {
            body: prompt::understand_request(
                &self.config.model,
                text,
                asked,
                now_local,
                recent,
                view,
            ),
            tool: prompt::UNDERSTAND_TOOL,
        };
        let value = self.run(call, deadline).await?;
        Ok(validate::reading(&value, text, asked, now_local, view))
    }

    /// An answer to an open question grounded only in the profile's FAQs. `Ok(None)` when they
    /// do not cover it, and also when the model's answer cites no FAQ of this profile, states
    /// an amount, time, date or phone number its FAQ does not, or repeats the instructions:
    /// the engine then takes the callback path.
    pub async fn answer(
        &self,
        question: &str,
        view: &ProfileView,
        deadline: Duration,
    ) -> Result<Option<String>, LlmError> {
        if view.faqs.is_empty() {
            return Ok(None);
        }
        let call = Call {
            body: prompt::answer_request(&self.config.model, question, view),
            tool: prompt::ANSWER_TOOL,
        };
        let value = self.run(call, deadline).await?;
        Ok(validate::answer(&value, view))
    }

    /// A one- or two-sentence summary of a conversation for the owner's briefing. `Ok(None)` when
    /// the model's summary states an amount, time, date or number the transcript does not, or
    /// repeats the instructions: the briefing then keeps the summary composed from what was
    /// understood.
    pub async fn summarize(
        &self,
        transcript: &[Turn],
        view: &ProfileView,
        deadline: Duration,
    ) -> Result<Option<String>, LlmError> {
        if transcript.is_empty() {
            return Ok(None);
        }
        let call = Call {
            body: prompt::summary_request(&self.config.model, transcript, view),
            tool: prompt::SUMMARY_TOOL,
        };
        let value = self.run(call, deadline).await?;
        let text: Vec<&str> = transcript.iter().map(|t| t.text.as_str()).collect();
        Ok(validate::summary(&value, &text.join("\n")))
    }

    /// The model is being skipped: too many calls failed in a row and the cool-down is not over
    /// (or its one trial call is still running).
    pub fn breaker_open(&self) -> bool {
        self.lock_breaker().is_open(Instant::now())
    }

    fn lock_breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks the way [`LlmConfig::output`] says. In `auto`, a server that refuses the tools (400,
    /// 422, 501) or answers in prose instead of calling the tool is asked again, in the same
    /// deadline, with `response_format: json_schema`, and from then on only that way.
    async fn exchange(&self, call: &Call) -> Result<serde_json::Value, LlmError> {
        let body = prompt::streamed(&call.body, self.config.stream);
        let schema_only = match self.config.output {
            Output::JsonSchema => true,
            Output::Tools => false,
            Output::Auto => self.json_schema.load(Ordering::Relaxed),
        };
        if schema_only {
            let body = prompt::as_json_schema(&body);
            return wire::exchange(&self.client, &self.config, call, &body).await;
        }
        match wire::exchange(&self.client, &self.config, call, &body).await {
            Err(LlmError::Http(400 | 422 | 501, _) | LlmError::NoToolCall(_))
                if self.config.output == Output::Auto =>
            {
                let body = prompt::as_json_schema(&body);
                let retried = wire::exchange(&self.client, &self.config, call, &body).await;
                if retried.is_ok() {
                    self.json_schema.store(true, Ordering::Relaxed);
                }
                retried
            }
            Err(LlmError::NoToolCall(m)) => Err(LlmError::Malformed(m)),
            other => other,
        }
    }

    /// One bounded, breaker-guarded exchange; returns the JSON object the model reported.
    async fn run(&self, call: Call, deadline: Duration) -> Result<serde_json::Value, LlmError> {
        if self.config.base_url.trim().is_empty() || self.config.model.trim().is_empty() {
            return Err(LlmError::Off);
        }
        if !self.lock_breaker().admit(Instant::now()) {
            wire::count("circuit_open");
            return Err(LlmError::CircuitOpen);
        }
        let started = Instant::now();
        let result = match tokio::time::timeout(deadline, self.exchange(&call)).await {
            Ok(r) => r,
            Err(_) => Err(LlmError::Timeout),
        };
        metrics::histogram!("frontdesk_llm_latency_seconds")
            .record(started.elapsed().as_secs_f64());
        let outcome = match &result {
            Ok(_) => "ok",
            Err(LlmError::Timeout) => "timeout",
            Err(LlmError::Malformed(_) | LlmError::NoToolCall(_)) => "malformed",
            Err(_) => "error",
        };
        wire::count(outcome);
        self.lock_breaker().record(result.is_ok(), Instant::now());
        result
    }
}
