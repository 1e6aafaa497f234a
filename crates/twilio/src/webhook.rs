//! The form parameters Twilio posts to our webhooks, typed. [`parse_form`] keeps every pair
//! of an `application/x-www-form-urlencoded` body, in order and with repeats, because the
//! signature ([`crate::signature`]) is over all of them; [`from_params`] then reads the pairs
//! into one of the structs below, naming the missing or malformed field in its error.
//!
//! Field names are Twilio's, as documented in "Twilio's request to your application" (voice
//! webhooks: `CallSid`, `AccountSid`, `From`, `To`, `CallStatus`, `Direction`, `CallerName`,
//! `ForwardedFrom`, ...), the `<Gather>` action (`SpeechResult`, `Confidence`, `Digits`), the
//! `<Dial>` action (`DialCallStatus`, `DialCallSid`, `DialCallDuration`), the `<Connect>`
//! action of ConversationRelay (`SessionId`, `SessionStatus`, `SessionDuration`,
//! `HandoffData`), the messaging webhook (`MessageSid`, `SmsSid`, `AccountSid`,
//! `MessagingServiceSid`, `From`, `To`, `Body`, `NumMedia`, `MediaUrl{N}`,
//! `MediaContentType{N}`) and the status callbacks (`CallStatus`, `CallDuration`;
//! `MessageStatus`, `ErrorCode`). Parameters we do not model are ignored; enum values we do
//! not know parse to an `Other` variant rather than failing the webhook.
//!
//! An empty value of an optional field reads as `None` (Twilio sends `CallerName=` and
//! `ErrorCode=` empty at times).

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// Why a webhook body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("webhook parameter \"{0}\" is missing")]
    MissingField(String),
    #[error("webhook parameter \"{name}\" has the invalid value \"{value}\": {reason}")]
    InvalidValue {
        name: String,
        value: String,
        reason: String,
    },
    #[error("form field \"{0}\" is not valid UTF-8 once percent-decoded")]
    InvalidUtf8(String),
    #[error("webhook parameters could not be read: {0}")]
    Other(String),
}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::Other(msg.to_string())
    }
    fn missing_field(field: &'static str) -> Self {
        Error::MissingField(field.to_string())
    }
}

/// Every `name=value` pair of a form body, percent-decoded (`+` is a space), in order, repeats
/// kept. Empty segments (`a=1&&b=2`) are skipped as browsers and Twilio's libraries do; a
/// malformed escape such as `%zz` is kept literally. A pair that does not decode to UTF-8 is an
/// error: we would otherwise sign something other than what Twilio signed.
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    for segment in body.split(|&b| b == b'&') {
        if segment.is_empty() {
            continue;
        }
        let (name, value) = match segment.iter().position(|&b| b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (segment, &b""[..]),
        };
        let name = decode_component(name)
            .map_err(|raw| Error::InvalidUtf8(String::from_utf8_lossy(&raw).into_owned()))?;
        let value = decode_component(value).map_err(|_| Error::InvalidUtf8(name.clone()))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

fn decode_component(raw: &[u8]) -> Result<String, Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex_val(raw.get(i + 1)), hex_val(raw.get(i + 2))) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|e| e.into_bytes())
}

fn hex_val(b: Option<&u8>) -> Option<u8> {
    match *b? {
        b @ b'0'..=b'9' => Some(b - b'0'),
        b @ b'a'..=b'f' => Some(b - b'a' + 10),
        b @ b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The value of the first pair named `name`.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Reads form pairs into one of the webhook structs. Where a name repeats, the first value
/// wins. Numbers and booleans are parsed from their text; an absent optional field, or an
/// empty one, is `None`.
pub fn from_params<T: DeserializeOwned>(params: &[(String, String)]) -> Result<T, Error> {
    let mut seen: Vec<&str> = Vec::new();
    let mut unique: Vec<(&str, &str)> = Vec::new();
    for (n, v) in params {
        if !seen.contains(&n.as_str()) {
            seen.push(n);
            unique.push((n, v));
        }
    }
    T::deserialize(PairsDeserializer {
        pairs: unique.into_iter(),
        current: None,
    })
}

struct PairsDeserializer<'a, I: Iterator<Item = (&'a str, &'a str)>> {
    pairs: I,
    current: Option<(&'a str, &'a str)>,
}

impl<'de, 'a, I: Iterator<Item = (&'a str, &'a str)>> de::Deserializer<'de>
    for PairsDeserializer<'a, I>
{
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, 'a, I: Iterator<Item = (&'a str, &'a str)>> de::MapAccess<'de>
    for PairsDeserializer<'a, I>
{
    type Error = Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.pairs.next() {
            Some(pair) => {
                self.current = Some(pair);
                seed.deserialize(pair.0.to_string().into_deserializer())
                    .map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (name, value) = self.current.take().expect("a value follows its key");
        seed.deserialize(TextValue(value)).map_err(|e| match e {
            Error::Other(reason) => Error::InvalidValue {
                name: name.to_string(),
                value: value.to_string(),
                reason,
            },
            other => other,
        })
    }
}

/// One form value, parsed into whatever type the field asks for.
struct TextValue<'a>(&'a str);

macro_rules! parse_number {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let n: $ty = self.0.trim().parse().map_err(|e| Error::Other(format!("{e}")))?;
            visitor.$visit(n)
        })*
    };
}

impl<'de> de::Deserializer<'de> for TextValue<'_> {
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0.to_string())
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.trim().to_ascii_lowercase().as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(Error::Other("expected \"true\" or \"false\"".into())),
        }
    }
    parse_number! {
        deserialize_i8 => visit_i8: i8, deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32, deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8, deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32, deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32, deserialize_f64 => visit_f64: f64,
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.0.to_string().into_deserializer())
    }
    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// `CallStatus` of a voice webhook or call status callback.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    Queued,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Busy,
    Failed,
    NoAnswer,
    Canceled,
    #[serde(other)]
    Other,
}

/// `Direction` of a call.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Inbound,
    OutboundApi,
    OutboundDial,
    #[serde(other)]
    Other,
}

/// The voice webhook: what Twilio posts when a call comes in (and with every later voice
/// request of the call).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRequest {
    pub call_sid: String,
    pub account_sid: String,
    pub from: String,
    pub to: String,
    pub call_status: CallStatus,
    pub direction: Direction,
    #[serde(default)]
    pub caller_name: Option<String>,
    #[serde(default)]
    pub forwarded_from: Option<String>,
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub parent_call_sid: Option<String>,
}

/// The `<Gather>` action request: what the caller said or keyed in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GatherResult {
    pub call_sid: String,
    #[serde(default)]
    pub speech_result: Option<String>,
    /// 0.0 to 1.0; Twilio sends it with `SpeechResult`.
    #[serde(default)]
    pub confidence: Option<f64>,
    #[serde(default)]
    pub digits: Option<String>,
}

/// `DialCallStatus` of the `<Dial>` action request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DialCallStatus {
    Completed,
    Answered,
    Busy,
    NoAnswer,
    Failed,
    Canceled,
    #[serde(other)]
    Other,
}

/// The `<Dial>` action request: how the forwarded call ended.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DialResult {
    pub call_sid: String,
    pub dial_call_status: DialCallStatus,
    #[serde(default)]
    pub dial_call_sid: Option<String>,
    /// Seconds the dialed party was connected.
    #[serde(default)]
    pub dial_call_duration: Option<u64>,
}

/// `SessionStatus` of the ConversationRelay `<Connect>` action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionStatus {
    /// The application sent an `end` message (with `HandoffData`).
    Ended,
    /// The caller hung up.
    Completed,
    Failed,
    #[serde(other)]
    Other,
}

/// The `<Connect>` action request after a ConversationRelay session.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RelayResult {
    pub call_sid: String,
    #[serde(default)]
    pub account_sid: Option<String>,
    #[serde(default)]
    pub call_status: Option<CallStatus>,
    #[serde(default)]
    pub session_id: Option<String>,
    pub session_status: SessionStatus,
    /// Seconds the session lasted.
    #[serde(default)]
    pub session_duration: Option<u64>,
    /// The `handoffData` string of the application's `end` message, as sent.
    #[serde(default)]
    pub handoff_data: Option<String>,
    #[serde(default)]
    pub error_code: Option<i64>,
    #[serde(default)]
    pub error_message: Option<String>,
}

/// The messaging webhook: an incoming SMS or MMS.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IncomingMessage {
    pub message_sid: String,
    #[serde(default)]
    pub sms_sid: Option<String>,
    pub account_sid: String,
    #[serde(default)]
    pub messaging_service_sid: Option<String>,
    pub from: String,
    pub to: String,
    /// Empty for a picture-only MMS.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub num_media: u32,
    #[serde(default)]
    pub num_segments: Option<u32>,
}

/// The first name of [`IncomingMessage`], kept so early callers still build; not to be
/// confused with [`crate::rest::MessageRequest`], a message we send.
pub type MessageRequest = IncomingMessage;

impl IncomingMessage {
    /// The `MediaUrl{N}` and `MediaContentType{N}` pairs of an MMS, N from 0 to `NumMedia`-1.
    pub fn media(&self, params: &[(String, String)]) -> Vec<(String, Option<String>)> {
        (0..self.num_media)
            .filter_map(|i| {
                let url = param(params, &format!("MediaUrl{i}"))?;
                let kind = param(params, &format!("MediaContentType{i}")).map(str::to_string);
                Some((url.to_string(), kind))
            })
            .collect()
    }
}

/// A call status callback.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallStatusCallback {
    pub call_sid: String,
    #[serde(default)]
    pub account_sid: Option<String>,
    pub call_status: CallStatus,
    /// Seconds; sent with `completed`.
    #[serde(default)]
    pub call_duration: Option<u64>,
    #[serde(default)]
    pub sequence_number: Option<u64>,
}

/// `MessageStatus` of a message status callback.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Accepted,
    Scheduled,
    Queued,
    Sending,
    Sent,
    DeliveryUnknown,
    Delivered,
    Undelivered,
    Failed,
    Read,
    Receiving,
    Received,
    Canceled,
    PartiallyDelivered,
    #[serde(other)]
    Other,
}

/// A message status callback.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageStatusCallback {
    pub message_sid: String,
    #[serde(default)]
    pub account_sid: Option<String>,
    pub message_status: MessageStatus,
    /// Twilio's error code for `failed` and `undelivered` (e.g. 30003, 30005, 21610).
    #[serde(default)]
    pub error_code: Option<i64>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}
