//! The JSON messages of a ConversationRelay WebSocket, from Twilio's "Getting and sending
//! WebSocket messages" (twilio.com/docs/voice/conversationrelay/websocket-messages).
//!
//! Twilio to us ([`Inbound`], read with [`parse_inbound`]):
//! - `setup`: `sessionId`, `accountSid`, `parentCallSid`, `callSid`, `from`, `to`,
//!   `forwardedFrom`, `callType`, `callerName`, `direction`, `callStatus`, `customParameters`
//!   (the `<Parameter>` elements of the TwiML);
//! - `prompt`: `voicePrompt`, `lang`, `last` (false while a partial prompt streams);
//! - `interrupt`: `utteranceUntilInterrupt`, `durationUntilInterruptMs` (seen as a number and
//!   as a string: both are accepted);
//! - `dtmf`: `digit`;
//! - `error`: `description`;
//! - any other `type` parses to [`Inbound::Unknown`] with its raw JSON: a new message type
//!   must never end the call.
//!
//! Us to Twilio ([`Outbound`], written with [`Outbound::to_json`]):
//! - `text`: `token`, `last`, optional `lang`, `interruptible`, `preemptible`;
//! - `play`: `source`, optional `loop`, `preemptible`, `interruptible`;
//! - `sendDigits`: `digits`;
//! - `language`: `ttsLanguage`, `transcriptionLanguage`;
//! - `end`: `handoffData`, a STRING (JSON inside, by convention) that comes back as the
//!   `HandoffData` parameter of the `<Connect>` action ([`crate::webhook::RelayResult`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// A message from Twilio.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    Setup(Box<Setup>),
    Prompt(Prompt),
    Interrupt(Interrupt),
    Dtmf(Dtmf),
    Error(RelayError),
    /// A `type` this crate does not know, kept whole.
    Unknown {
        kind: String,
        raw: serde_json::Value,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setup {
    pub session_id: String,
    pub call_sid: String,
    #[serde(default)]
    pub account_sid: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub parent_call_sid: Option<String>,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub forwarded_from: Option<String>,
    #[serde(default)]
    pub call_type: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub caller_name: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub call_status: Option<String>,
    /// Values that are not strings are kept as their JSON text.
    #[serde(default, deserialize_with = "string_map")]
    pub custom_parameters: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prompt {
    pub voice_prompt: String,
    #[serde(default)]
    pub lang: Option<String>,
    /// `true` for the complete utterance; `false` for a partial one.
    #[serde(default = "yes")]
    pub last: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interrupt {
    /// The part of our reply the caller heard before speaking over it.
    #[serde(default)]
    pub utterance_until_interrupt: String,
    #[serde(default, deserialize_with = "lenient_millis")]
    pub duration_until_interrupt_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Dtmf {
    pub digit: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RelayError {
    #[serde(default)]
    pub description: String,
}

fn yes() -> bool {
    true
}

/// Why an inbound frame could not be read. Unknown types are not errors.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("relay message is not a JSON object with a string \"type\": {0}")]
    NotAMessage(String),
    #[error("relay message of type \"{kind}\" is malformed: {source}")]
    Malformed {
        kind: String,
        source: serde_json::Error,
    },
}

/// Reads one text frame from Twilio. An unknown `type` gives [`Inbound::Unknown`]; only a
/// frame that is not a JSON object with a string `type`, or a known type with missing or
/// mistyped fields, is an error, which the socket loop should log and skip.
pub fn parse_inbound(text: &str) -> Result<Inbound, ParseError> {
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ParseError::NotAMessage(e.to_string()))?;
    let kind = raw
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or_else(|| {
            ParseError::NotAMessage(format!("no string \"type\" in {}", truncate(text)))
        })?
        .to_string();
    fn typed<T: for<'de> Deserialize<'de>>(
        kind: &str,
        raw: serde_json::Value,
    ) -> Result<T, ParseError> {
        serde_json::from_value(raw).map_err(|source| ParseError::Malformed {
            kind: kind.to_string(),
            source,
        })
    }
    Ok(match kind.as_str() {
        "setup" => Inbound::Setup(Box::new(typed(&kind, raw)?)),
        "prompt" => Inbound::Prompt(typed(&kind, raw)?),
        "interrupt" => Inbound::Interrupt(typed(&kind, raw)?),
        "dtmf" => Inbound::Dtmf(typed(&kind, raw)?),
        "error" => Inbound::Error(typed(&kind, raw)?),
        _ => Inbound::Unknown { kind, raw },
    })
}

fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let map = Option::<BTreeMap<String, serde_json::Value>>::deserialize(d)?.unwrap_or_default();
    Ok(map
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

fn lenient_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    use serde::de::Error;
    let v = Option::<serde_json::Value>::deserialize(d)?;
    let parse_f = |f: f64| -> Result<Option<u64>, D::Error> {
        if f.is_finite() && f >= 0.0 {
            Ok(Some(f.round() as u64))
        } else {
            Err(D::Error::custom(format!(
                "durationUntilInterruptMs \"{f}\" is not a duration"
            )))
        }
    };
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(u) => Ok(Some(u)),
            None => parse_f(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(serde_json::Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<u64>() {
                Ok(u) => Ok(Some(u)),
                Err(_) => match s.parse::<f64>() {
                    Ok(f) => parse_f(f),
                    Err(_) => Err(D::Error::custom(format!(
                        "durationUntilInterruptMs \"{s}\" is not a number"
                    ))),
                },
            }
        }
        Some(other) => Err(D::Error::custom(format!(
            "durationUntilInterruptMs \"{other}\" is not a number"
        ))),
    }
}

/// A message to Twilio.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Outbound {
    /// Text to speak; stream tokens with `last: false` and finish with `last: true`.
    #[serde(rename = "text")]
    Text {
        token: String,
        last: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        interruptible: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        preemptible: Option<bool>,
    },
    /// Audio to play from a URL.
    #[serde(rename = "play")]
    Play {
        source: String,
        #[serde(rename = "loop", skip_serializing_if = "Option::is_none")]
        loop_count: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        preemptible: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        interruptible: Option<bool>,
    },
    /// DTMF digits to send on the call (`0-9`, `#`, `*`, `w` for a half-second wait).
    #[serde(rename = "sendDigits")]
    SendDigits { digits: String },
    /// Switch the languages of text-to-speech and speech-to-text.
    #[serde(rename = "language", rename_all = "camelCase")]
    Language {
        #[serde(skip_serializing_if = "Option::is_none")]
        tts_language: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        transcription_language: Option<String>,
    },
    /// End the session; Twilio then requests the `<Connect>` action with `HandoffData`.
    #[serde(rename = "end", rename_all = "camelCase")]
    End {
        #[serde(skip_serializing_if = "Option::is_none")]
        handoff_data: Option<String>,
    },
}

impl Outbound {
    /// A complete text reply in one message.
    pub fn text(token: impl Into<String>) -> Self {
        Outbound::Text {
            token: token.into(),
            last: true,
            lang: None,
            interruptible: None,
            preemptible: None,
        }
    }

    /// One token of a streamed reply.
    pub fn token(token: impl Into<String>, last: bool) -> Self {
        Outbound::Text {
            token: token.into(),
            last,
            lang: None,
            interruptible: None,
            preemptible: None,
        }
    }

    /// `end` with handoff data: the JSON value is written as a string, as Twilio requires.
    pub fn end_with(handoff: &serde_json::Value) -> Self {
        Outbound::End {
            handoff_data: Some(handoff.to_string()),
        }
    }

    /// The frame's JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("relay messages always serialise")
    }
}
