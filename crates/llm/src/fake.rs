//! A local OpenAI-compatible chat-completions server for tests (feature `fake`). It listens on
//! 127.0.0.1 on a free port, answers `POST /v1/chat/completions` with the next scripted
//! [`Behaviour`] in the real wire format (`chat.completion` objects with tool-call arguments as
//! a JSON string, or `chat.completion.chunk` server-sent events ending with `data: [DONE]`),
//! and records every request so a test can check what was sent (the caller's text delimited,
//! no phone numbers, the deadline respected). When the script runs out it answers 500.
//!
//! A fake may also be a *reader* ([`FakeLlm::read_with`]): it then answers every
//! `report_understanding` request itself, with the reading set for the caller's latest message
//! (compared by its words), or an empty reading for a message it has none for; other requests
//! still take the script. That is how a test makes the model a perfect reader, or a liar,
//! whichever turns the runtime decides to ask it about.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// What the fake server does with one request.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// A whole reply whose one tool call (named as the request's tool) carries this object as
    /// its `arguments` string; `finish_reason: "tool_calls"`.
    Answer(Value),
    /// A whole reply with this object as JSON `content` (the `response_format` style).
    AnswerJson(Value),
    /// A streamed reply: one tool call whose `arguments` arrive in these fragments, one event
    /// each, then a usage event and `data: [DONE]`.
    Stream(Vec<String>),
    /// [`Behaviour::Stream`] with this pause before each fragment.
    SlowStream(Vec<String>, Duration),
    /// Waits this long, then answers 504.
    Stall(Duration),
    /// Answers this status with this body.
    Fail(u16, String),
    /// Answers 200 `application/json` with this raw body.
    Malformed(String),
    /// A whole reply with this plain `content` and `finish_reason: "stop"`.
    Text(String),
}

/// One request the fake server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub body: Value,
    pub authorization: Option<String>,
}

impl Recorded {
    /// Every message's content, joined: what the model was shown.
    pub fn prompt_text(&self) -> String {
        self.body["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["content"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The user message (the caller's words and the recent turns).
    pub fn user_text(&self) -> String {
        self.body["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["role"] == "user")
            .filter_map(|m| m["content"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Default)]
struct Shared {
    script: VecDeque<Behaviour>,
    requests: Vec<Recorded>,
    /// Readings by the caller's message (its words, lowercased), when the fake is a reader.
    reader: Option<Vec<(String, Value)>>,
    /// Caller messages a reader was asked about and had no reading for.
    unread: Vec<String>,
}

/// A message's words, lowercased and joined by single spaces (how a reader matches them).
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The caller's latest message in an understanding request: what the markers enclose.
fn caller_message(request: &Value) -> Option<String> {
    let user = request["messages"]
        .as_array()?
        .iter()
        .rev()
        .find(|m| m["role"] == "user")?["content"]
        .as_str()?;
    let start = user.rfind("<caller_message>")? + "<caller_message>".len();
    let end = user[start..].find("</caller_message>")? + start;
    Some(user[start..end].to_string())
}

/// The running fake server; it stops when dropped.
pub struct FakeLlm {
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeLlm {
    /// Starts the server; returns it and its base URL (`http://127.0.0.1:PORT/v1`).
    pub async fn start(script: Vec<Behaviour>) -> (FakeLlm, String) {
        let shared = Arc::new(Mutex::new(Shared {
            script: script.into(),
            ..Shared::default()
        }));
        let app = Router::new()
            .route("/v1/chat/completions", post(completions))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (FakeLlm { shared, task }, format!("http://{addr}/v1"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds behaviours to the end of the script.
    pub fn push(&self, more: impl IntoIterator<Item = Behaviour>) {
        self.lock().script.extend(more);
    }

    /// Makes this fake a reader: each `report_understanding` request is answered with the
    /// reading given for the caller's message (matched by its words, case and punctuation
    /// aside), or with an empty reading; other requests still follow the script.
    pub fn read_with(&self, readings: impl IntoIterator<Item = (String, Value)>) {
        self.lock().reader = Some(
            readings
                .into_iter()
                .map(|(said, v)| (words(&said), v))
                .collect(),
        );
    }

    /// The caller messages the reader was asked about and had no reading for.
    pub fn unread(&self) -> Vec<String> {
        self.lock().unread.clone()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }
}

fn tool_name(request: &Value) -> String {
    request
        .pointer("/tool_choice/function/name")
        .or_else(|| request.pointer("/tools/0/function/name"))
        .or_else(|| request.pointer("/response_format/json_schema/name"))
        .and_then(Value::as_str)
        .unwrap_or("report")
        .to_string()
}

fn usage(request: &Value, completion: &str) -> Value {
    let prompt = (request.to_string().len() / 4).max(1);
    let completion = (completion.len() / 4).max(1);
    json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion})
}

fn completion(n: usize, request: &Value, message: Value, finish: &str, said: &str) -> Value {
    json!({
        "id": format!("chatcmpl-fake{n}"),
        "object": "chat.completion",
        "created": 1_763_942_400,
        "model": request["model"],
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
        "usage": usage(request, said),
        "system_fingerprint": "fp_fake"
    })
}

fn chunk(n: usize, request: &Value, delta: Value, finish: Option<&str>) -> String {
    let event = json!({
        "id": format!("chatcmpl-fake{n}"),
        "object": "chat.completion.chunk",
        "created": 1_763_942_400,
        "model": request["model"],
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]
    });
    format!("data: {event}\n\n")
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn completions(
    State(shared): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let (n, next) = {
        let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
        s.requests.push(Recorded {
            body: request.clone(),
            authorization: headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        });
        let n = s.requests.len();
        let reading = match (&s.reader, caller_message(&request)) {
            (Some(readings), Some(said)) if tool_name(&request) == "report_understanding" => {
                let key = words(&said);
                let found = readings
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone());
                if found.is_none() {
                    s.unread.push(said);
                }
                Some(found.unwrap_or_else(|| json!({"intents": [], "urgency": "normal"})))
            }
            _ => None,
        };
        match reading {
            // A server asked with a JSON schema answers in content, else with the tool call.
            Some(v) if request.get("response_format").is_some() => {
                (n, Some(Behaviour::AnswerJson(v)))
            }
            Some(v) => (n, Some(Behaviour::Answer(v))),
            None => (n, s.script.pop_front()),
        }
    };
    let Some(next) = next else {
        return json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": {"message": "fake script exhausted", "type": "server_error"}})
                .to_string(),
        );
    };
    let call_id = format!("call_fake{n}");
    match next {
        Behaviour::Answer(v) => {
            let arguments = v.to_string();
            let message = json!({
                "role": "assistant",
                "content": null,
                "tool_calls": [{"id": call_id, "type": "function",
                                "function": {"name": tool_name(&request), "arguments": arguments}}],
                "refusal": null
            });
            let body = completion(n, &request, message, "tool_calls", &arguments);
            json_response(StatusCode::OK, body.to_string())
        }
        Behaviour::AnswerJson(v) => {
            let content = v.to_string();
            let message = json!({"role": "assistant", "content": content, "refusal": null});
            let body = completion(n, &request, message, "stop", &content);
            json_response(StatusCode::OK, body.to_string())
        }
        Behaviour::Text(content) => {
            let message = json!({"role": "assistant", "content": content, "refusal": null});
            let body = completion(n, &request, message, "stop", &content);
            json_response(StatusCode::OK, body.to_string())
        }
        Behaviour::Stream(parts) => stream(n, request, call_id, parts, Duration::from_millis(2)),
        Behaviour::SlowStream(parts, pause) => stream(n, request, call_id, parts, pause),
        Behaviour::Stall(d) => {
            tokio::time::sleep(d).await;
            json_response(
                StatusCode::GATEWAY_TIMEOUT,
                json!({"error": {"message": "stalled"}}).to_string(),
            )
        }
        Behaviour::Fail(status, body) => json_response(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        ),
        Behaviour::Malformed(text) => json_response(StatusCode::OK, text),
    }
}

fn stream(
    n: usize,
    request: Value,
    call_id: String,
    parts: Vec<String>,
    pause: Duration,
) -> Response {
    let mut events = vec![chunk(
        n,
        &request,
        json!({"role": "assistant", "content": null, "tool_calls": [{"index": 0, "id": call_id,
            "type": "function", "function": {"name": tool_name(&request), "arguments": ""}}]}),
        None,
    )];
    for part in &parts {
        events.push(chunk(
            n,
            &request,
            json!({"tool_calls": [{"index": 0, "function": {"arguments": part}}]}),
            None,
        ));
    }
    events.push(chunk(n, &request, json!({}), Some("tool_calls")));
    let usage_event = json!({
        "id": format!("chatcmpl-fake{n}"), "object": "chat.completion.chunk",
        "created": 1_763_942_400, "model": request["model"], "choices": [],
        "usage": usage(&request, &parts.concat())
    });
    events.push(format!("data: {usage_event}\n\n"));
    events.push("data: [DONE]\n\n".to_string());
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(4);
    tokio::spawn(async move {
        for (i, e) in events.into_iter().enumerate() {
            if i > 0 {
                tokio::time::sleep(pause).await;
            }
            if tx.send(Ok(e)).await.is_err() {
                return;
            }
        }
    });
    let body = Body::from_stream(ReceiverStream(rx));
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// An mpsc receiver as a stream of body chunks.
struct ReceiverStream<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> futures_core::Stream for ReceiverStream<T> {
    type Item = T;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}
