//! The two Twilio REST calls frontdesk makes, on the 2010-04-01 API (field names from
//! Twilio's OpenAPI description, twilio-oai `spec/json/twilio_api_v2010.json`):
//!
//! - send a message: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form
//!   fields `To`, `From`, `Body`, `StatusCallback`; answers a message resource with `sid` and
//!   `status` (`queued`, `accepted`, ...);
//! - redirect a live call to new TwiML: `POST .../Calls/{CallSid}.json` with `Twiml`.
//!
//! Both authenticate with HTTP basic auth (account SID, auth token). A failure is a
//! [`RestError`] read from Twilio's error body `{"code", "message", "more_info", "status"}`,
//! which says whether to retry ([`RestError::is_retryable`]) and whether the recipient has
//! opted out ([`RestError::opted_out`]). `base` is `https://api.twilio.com` unless a test or
//! the demo points it at a local server.

use serde::Deserialize;

/// Twilio's API host.
pub const DEFAULT_BASE: &str = "https://api.twilio.com";

/// Error code: the recipient replied STOP (unsubscribed); do not text them again.
pub const CODE_UNSUBSCRIBED: i64 = 21610;
/// Error code: the `To` number is not a valid phone number.
pub const CODE_INVALID_TO: i64 = 21211;
/// Error code: the `To` number is not a mobile number (cannot take SMS).
pub const CODE_NOT_MOBILE: i64 = 21614;
/// Error code: too many requests (concurrency limit).
pub const CODE_TOO_MANY_REQUESTS: i64 = 20429;

/// A Twilio REST client for one account.
#[derive(Debug, Clone)]
pub struct Client {
    pub account_sid: String,
    pub auth_token: String,
    /// Without a trailing slash; [`DEFAULT_BASE`] unless overridden.
    pub base: String,
    pub http: reqwest::Client,
}

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRequest {
    pub to: String,
    pub from: String,
    pub body: String,
    pub status_callback: Option<String>,
}

/// What Twilio answered about a message it accepted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MessageResponse {
    pub sid: String,
    pub status: String,
}

/// What Twilio answered about a call it updated.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CallResponse {
    pub sid: String,
    pub status: String,
}

/// A failed REST call: an HTTP error with Twilio's error body, or no answer at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("twilio answered status \"{}\" with code \"{}\": {message}", .status.map_or("none".to_string(), |s| s.to_string()), .code.map_or("none".to_string(), |c| c.to_string()))]
pub struct RestError {
    /// The HTTP status; `None` when no response came (connection, timeout, TLS).
    pub status: Option<u16>,
    /// Twilio's error code (e.g. 21610).
    pub code: Option<i64>,
    pub message: String,
    pub more_info: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<i64>,
    message: Option<String>,
    more_info: Option<String>,
}

impl RestError {
    /// Whether the same request may succeed later: rate limits (HTTP 429, code 20429), server
    /// errors (5xx) and network failures are; other 4xx (21610 unsubscribed, 21211 invalid To,
    /// 21614 not mobile, authentication, validation) are not.
    pub fn is_retryable(&self) -> bool {
        if self.code == Some(CODE_TOO_MANY_REQUESTS) {
            return true;
        }
        match self.status {
            None => true,
            Some(429) => true,
            Some(s) if s >= 500 => true,
            Some(_) => false,
        }
    }

    /// Whether the recipient has unsubscribed (replied STOP): code 21610.
    pub fn opted_out(&self) -> bool {
        self.code == Some(CODE_UNSUBSCRIBED)
    }

    /// Reads Twilio's error body; a body that is not Twilio's JSON keeps its text as message.
    pub fn from_response(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(parsed) => RestError {
                status: Some(status),
                code: parsed.code,
                message: parsed.message.unwrap_or_default(),
                more_info: parsed.more_info,
            },
            Err(_) => RestError {
                status: Some(status),
                code: None,
                message: body.chars().take(500).collect(),
                more_info: None,
            },
        }
    }

    fn network(err: reqwest::Error) -> Self {
        RestError {
            status: None,
            code: None,
            message: format!("request failed: {err}"),
            more_info: None,
        }
    }
}

impl Client {
    /// A client on [`DEFAULT_BASE`] with a 15-second request timeout.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        Client {
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            base: DEFAULT_BASE.to_string(),
            http,
        }
    }

    /// The same client giving up on a request after `timeout` instead of 15 seconds.
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .unwrap_or_default();
        self
    }

    /// The same client against another base URL (a local server in tests, the demo).
    pub fn with_base(mut self, base: impl Into<String>) -> Self {
        self.base = base.into().trim_end_matches('/').to_string();
        self
    }

    fn account_url(&self, tail: &str) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/{tail}",
            self.base, self.account_sid
        )
    }

    async fn post_form<T: for<'de> Deserialize<'de>>(
        &self,
        url: String,
        form: &[(&str, &str)],
        idempotency_token: Option<&str>,
    ) -> Result<T, RestError> {
        let mut request = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(form);
        if let Some(token) = idempotency_token {
            request = request.header(IDEMPOTENCY_HEADER, token);
        }
        let response = request.send().await.map_err(RestError::network)?;
        Self::read(response).await
    }

    async fn read<T: for<'de> Deserialize<'de>>(
        response: reqwest::Response,
    ) -> Result<T, RestError> {
        let status = response.status().as_u16();
        let body = response.text().await.map_err(RestError::network)?;
        if !(200..300).contains(&status) {
            return Err(RestError::from_response(status, &body));
        }
        serde_json::from_str(&body).map_err(|e| RestError {
            status: Some(status),
            code: None,
            message: format!("unreadable success body: {e}"),
            more_info: None,
        })
    }

    /// Sends an SMS: `POST .../Messages.json` with `To`, `From`, `Body` and, when given,
    /// `StatusCallback`.
    pub async fn send_message(
        &self,
        message: MessageRequest,
    ) -> Result<MessageResponse, RestError> {
        self.send_message_with_token(message, None).await
    }

    /// [`send_message`](Self::send_message) carrying one stable token per message on every
    /// attempt, in the `I-Twilio-Idempotency-Token` header. Twilio documents that header on the
    /// webhooks it sends, not as a promise about creating messages, so callers must not rely on
    /// it alone: look the message up ([`list_messages`](Self::list_messages)) before resending
    /// after an ambiguous failure.
    pub async fn send_message_with_token(
        &self,
        message: MessageRequest,
        idempotency_token: Option<&str>,
    ) -> Result<MessageResponse, RestError> {
        let mut form = vec![
            ("To", message.to.as_str()),
            ("From", message.from.as_str()),
            ("Body", message.body.as_str()),
        ];
        if let Some(cb) = &message.status_callback {
            form.push(("StatusCallback", cb.as_str()));
        }
        self.post_form(self.account_url("Messages.json"), &form, idempotency_token)
            .await
    }

    /// Replaces what a live call is doing with new TwiML: `POST .../Calls/{CallSid}.json`
    /// with `Twiml`.
    pub async fn update_call(
        &self,
        call_sid: &str,
        twiml: &str,
    ) -> Result<CallResponse, RestError> {
        self.post_form(
            self.account_url(&format!("Calls/{call_sid}.json")),
            &[("Twiml", twiml)],
            None,
        )
        .await
    }

    /// The most recent messages from `from` to `to` (newest first, one page of at most
    /// `page_size`): `GET .../Messages.json?To=..&From=..&PageSize=..`. Used to find out whether
    /// a message whose send failed ambiguously (a timeout, a reset, a crash) was created after
    /// all.
    pub async fn list_messages(
        &self,
        to: &str,
        from: &str,
        page_size: u32,
    ) -> Result<Vec<MessageRecord>, RestError> {
        let page = page_size.to_string();
        let url = url::Url::parse_with_params(
            &self.account_url("Messages.json"),
            [("To", to), ("From", from), ("PageSize", page.as_str())],
        )
        .map_err(|e| RestError {
            status: None,
            code: None,
            message: format!("bad messages url: {e}"),
            more_info: None,
        })?;
        let response = self
            .http
            .get(url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .send()
            .await
            .map_err(RestError::network)?;
        let list: MessageList = Self::read(response).await?;
        Ok(list.messages)
    }
}

/// The header that carries one token per message on every attempt to create it.
pub const IDEMPOTENCY_HEADER: &str = "I-Twilio-Idempotency-Token";

/// One message as the Messages list resource returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MessageRecord {
    pub sid: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub status: String,
    /// RFC 2822, e.g. `Thu, 03 Dec 2026 08:10:00 +0000`.
    #[serde(default)]
    pub date_created: Option<String>,
}

#[derive(Deserialize)]
struct MessageList {
    #[serde(default)]
    messages: Vec<MessageRecord>,
}
