//! The OpenAI chat-completions wire format: one POST to `{base_url}/chat/completions`, and the
//! reply read either whole (`object: chat.completion`) or as server-sent events
//! (`chat.completion.chunk` deltas ending with `data: [DONE]`), whichever the server sends. The
//! model's report is taken from the named tool call's `arguments` (a JSON string, or an object
//! as some local servers send) or else from the message content (`response_format`), with a
//! Markdown code fence tolerated. Token usage is counted in metrics.

use serde_json::Value;

use crate::{Call, LlmConfig, LlmError};

/// Longest part of an error body kept in an [`LlmError`].
const ERROR_BODY_CHARS: usize = 200;
/// Largest reply read; a model that talks longer is cut off as malformed.
const MAX_REPLY_BYTES: usize = 256 * 1024;

pub(crate) fn count(outcome: &'static str) {
    metrics::counter!("frontdesk_llm_requests_total", "outcome" => outcome).increment(1);
}

fn count_usage(usage: &Value) {
    for (field, kind) in [
        ("prompt_tokens", "prompt"),
        ("completion_tokens", "completion"),
    ] {
        if let Some(n) = usage.get(field).and_then(Value::as_u64) {
            metrics::counter!("frontdesk_llm_tokens_total", "kind" => kind).increment(n);
        }
    }
}

pub(crate) fn endpoint(base_url: &str) -> String {
    format!("{}/chat/completions", base_url.trim().trim_end_matches('/'))
}

fn cut(text: &str) -> String {
    let mut s: String = text.chars().take(ERROR_BODY_CHARS).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// Sends `body` and returns the JSON object the model reported for `call`.
pub(crate) async fn exchange(
    client: &reqwest::Client,
    config: &LlmConfig,
    call: &Call,
    body: &Value,
) -> Result<Value, LlmError> {
    let tools_asked = body.get("tools").is_some();
    let mut req = client.post(endpoint(&config.base_url)).json(body);
    if let Some(key) = &config.api_key {
        req = req.bearer_auth(key);
    }
    let mut resp = req
        .send()
        .await
        .map_err(|e| LlmError::Http(0, cut(&without_url(&e))))?;
    let status = resp.status();
    let streamed = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| LlmError::Http(status.as_u16(), cut(&without_url(&e))))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_REPLY_BYTES {
            return Err(LlmError::Malformed(format!(
                "reply longer than {MAX_REPLY_BYTES} bytes"
            )));
        }
    }
    let body = String::from_utf8_lossy(&body);
    if !status.is_success() {
        return Err(LlmError::Http(status.as_u16(), cut(&body)));
    }
    let message = if streamed {
        assemble_stream(&body)?
    } else {
        let completion: Value = serde_json::from_str(&body).map_err(|e| {
            LlmError::Malformed(format!("reply is not JSON ({e}): \"{}\"", cut(&body)))
        })?;
        if let Some(usage) = completion.get("usage") {
            count_usage(usage);
        }
        completion
            .pointer("/choices/0/message")
            .cloned()
            .ok_or_else(|| LlmError::Malformed("reply has no \"choices[0].message\"".into()))?
    };
    let called = message
        .get("tool_calls")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty());
    match report(&message, call.tool) {
        Err(LlmError::Malformed(m)) if tools_asked && !called => Err(LlmError::NoToolCall(m)),
        other => other,
    }
}

/// A reqwest error's message without the URL (which may carry credentials in its userinfo).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "broken reply body"
    } else {
        "request failed"
    };
    let source = std::error::Error::source(e)
        .map(|s| s.to_string())
        .unwrap_or_default();
    if source.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {source}")
    }
}

/// Folds server-sent `chat.completion.chunk` events into one message
/// (`{"content": ..., "tool_calls": [...]}`), as the non-streamed reply would have it.
pub(crate) fn assemble_stream(body: &str) -> Result<Value, LlmError> {
    let mut content = String::new();
    // (id, name, arguments) by tool-call index.
    let mut calls: Vec<(String, String, String)> = Vec::new();
    let mut done = false;
    for line in body.lines() {
        let Some(data) = line.strip_prefix("data:") else {
            continue;
        };
        let data = data.trim();
        if data == "[DONE]" {
            done = true;
            break;
        }
        let chunk: Value = serde_json::from_str(data).map_err(|e| {
            LlmError::Malformed(format!("stream event is not JSON ({e}): \"{}\"", cut(data)))
        })?;
        if let Some(usage) = chunk.get("usage").filter(|u| !u.is_null()) {
            count_usage(usage);
        }
        let Some(delta) = chunk.pointer("/choices/0/delta") else {
            continue;
        };
        if let Some(text) = delta.get("content").and_then(Value::as_str) {
            content.push_str(text);
        }
        for call in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let index = call.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
            if index >= 16 {
                return Err(LlmError::Malformed(format!(
                    "tool call index \"{index}\" out of range"
                )));
            }
            if calls.len() <= index {
                calls.resize(index + 1, Default::default());
            }
            let slot = &mut calls[index];
            if let Some(id) = call.get("id").and_then(Value::as_str) {
                slot.0 = id.to_string();
            }
            if let Some(name) = call.pointer("/function/name").and_then(Value::as_str) {
                slot.1.push_str(name);
            }
            if let Some(args) = call.pointer("/function/arguments").and_then(Value::as_str) {
                slot.2.push_str(args);
            }
        }
    }
    if !done {
        return Err(LlmError::Malformed(
            "stream ended without \"data: [DONE]\"".into(),
        ));
    }
    let tool_calls: Vec<Value> = calls
        .into_iter()
        .map(|(id, name, arguments)| {
            serde_json::json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments}})
        })
        .collect();
    Ok(serde_json::json!({"role": "assistant", "content": content, "tool_calls": tool_calls}))
}

/// The JSON object in an assistant message: the named tool call's arguments, else the content.
pub(crate) fn report(message: &Value, tool: &str) -> Result<Value, LlmError> {
    let calls = message.get("tool_calls").and_then(Value::as_array);
    let call = calls.and_then(|calls| {
        calls
            .iter()
            .find(|c| c.pointer("/function/name").and_then(Value::as_str) == Some(tool))
    });
    let raw = match call.and_then(|c| c.pointer("/function/arguments")) {
        Some(Value::String(s)) => s.clone(),
        Some(obj @ Value::Object(_)) => return Ok(obj.clone()),
        Some(other) => {
            return Err(LlmError::Malformed(format!(
                "tool call arguments are neither a string nor an object: \"{}\"",
                cut(&other.to_string())
            )));
        }
        None => match message.get("content").and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => s.to_string(),
            _ if calls.is_some_and(|c| !c.is_empty()) => {
                return Err(LlmError::Malformed(format!(
                    "no \"{tool}\" tool call in the reply"
                )));
            }
            _ => return Err(LlmError::Malformed("reply is empty".into())),
        },
    };
    let text = strip_fence(&raw);
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(LlmError::Malformed(format!(
            "report is not a JSON object: \"{}\"",
            cut(text)
        ))),
        Err(e) => Err(LlmError::Malformed(format!(
            "report is not JSON ({e}): \"{}\"",
            cut(text)
        ))),
    }
}

/// `{...}` out of "```json\n{...}\n```", which some local models write despite being told.
fn strip_fence(s: &str) -> &str {
    let t = s.trim();
    let Some(rest) = t.strip_prefix("```") else {
        return t;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_endpoint_is_the_base_url_with_chat_completions_whatever_its_trailing_slash() {
        assert_eq!(endpoint("http://h:1/v1/"), "http://h:1/v1/chat/completions");
        assert_eq!(endpoint("http://h:1/v1"), "http://h:1/v1/chat/completions");
    }

    #[test]
    fn a_tool_call_with_arguments_as_a_string_is_the_report() {
        let msg = json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "t", "arguments": "{\"a\":1}"}}]});
        assert_eq!(report(&msg, "t").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn fenced_json_content_is_read_as_the_report() {
        let msg = json!({"role": "assistant", "content": "```json\n{\"a\": 2}\n```"});
        assert_eq!(report(&msg, "t").unwrap(), json!({"a": 2}));
    }

    #[test]
    fn a_call_to_another_tool_is_malformed() {
        let msg = json!({"tool_calls": [{"function": {"name": "other", "arguments": "{}"}}]});
        assert!(matches!(report(&msg, "t"), Err(LlmError::Malformed(m)) if m.contains("\"t\"")));
    }

    #[test]
    fn a_stream_cut_before_done_is_malformed() {
        let body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{\"}}]}\n\n";
        assert!(matches!(assemble_stream(body), Err(LlmError::Malformed(_))));
    }

    #[test]
    fn streamed_tool_call_fragments_are_joined_by_index() {
        let body = concat!(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"t\",\"arguments\":\"\"}}]}}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":3}\"}}]}}]}\n\n",
            "data: [DONE]\n\n"
        );
        let msg = assemble_stream(body).unwrap();
        assert_eq!(report(&msg, "t").unwrap(), json!({"a": 3}));
    }
}
