//! Outbound webhooks: the event envelope the owner's systems receive, its Stripe-style HMAC-SHA256
//! signature (see the crate docs for the scheme and receiver snippets), and the POST itself with
//! its answer sorted into retryable and permanent failures.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::NotifyError;

type HmacSha256 = Hmac<Sha256>;

/// How long one webhook attempt may take before it counts as a (retryable) timeout.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

fn mac(secret: &[u8], timestamp: &str, body: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret).expect("hmac takes keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The lowercase hex HMAC-SHA256 of `"{timestamp}.{body}"` keyed with `secret`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    hex::encode(
        mac(secret, &timestamp.to_string(), body)
            .finalize()
            .into_bytes(),
    )
}

/// The `X-Frontdesk-Signature` header value: `t={timestamp},v1={sign(..)}`.
pub fn signature_header(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

/// Whether `header` (an `X-Frontdesk-Signature` value) signs `body` with `secret` at a time no
/// more than `tolerance_secs` away from `now`. The comparison is constant-time; several `v1`
/// entries are accepted (secret rotation); a missing or malformed header is rejected.
///
/// ```
/// use frontdesk_notify::{signature_header, verify};
///
/// let body = br#"{"id":"0193","type":"task.created"}"#;
/// let header = signature_header(b"whsec_123", 1_700_000_000, body);
/// assert!(verify(b"whsec_123", &header, body, 1_700_000_060, 300));
/// // Ten minutes later the same request is a replay.
/// assert!(!verify(b"whsec_123", &header, body, 1_700_000_600, 300));
/// ```
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let Some((key, value)) = item.trim().split_once('=') else {
            continue;
        };
        match key {
            // Only plain digits, and the MAC is checked over them as sent (as receivers do).
            "t" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                timestamp = value.parse::<i64>().ok().map(|t| (value, t));
            }
            "t" => timestamp = None,
            "v1" => signatures.push(value),
            _ => {}
        }
    }
    let Some((raw_timestamp, timestamp)) = timestamp else {
        return false;
    };
    if now.abs_diff(timestamp) > tolerance_secs.max(0).unsigned_abs() {
        return false;
    }
    let expected = mac(secret, raw_timestamp, body);
    let mut any = false;
    for signature in signatures {
        if let Ok(bytes) = hex::decode(signature) {
            // verify_slice compares in constant time.
            any |= expected.clone().verify_slice(&bytes).is_ok();
        }
    }
    any
}

/// One thing that happened, as delivered to the owner's webhook endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// A UUID; also the receivers' idempotency key (`X-Frontdesk-Delivery`).
    pub id: String,
    /// `conversation.completed`, `appointment.booked`, `appointment.rescheduled`,
    /// `appointment.cancelled`, `task.created` or `contact.opted_out`.
    pub kind: String,
    /// The business the event belongs to (its profile id).
    pub business: String,
    /// When it happened.
    pub at: jiff::Timestamp,
    /// The event's own fields, e.g. [`crate::Briefing::webhook_json`].
    pub data: serde_json::Value,
}

#[derive(Serialize)]
struct Envelope<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    business: &'a str,
    created_at: String,
    data: &'a serde_json::Value,
}

impl Event {
    /// A new event with a fresh UUID v7 id.
    pub fn new(
        kind: impl Into<String>,
        business: impl Into<String>,
        at: jiff::Timestamp,
        data: serde_json::Value,
    ) -> Event {
        Event {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.into(),
            business: business.into(),
            at,
            data,
        }
    }

    /// The JSON body posted to receivers: `{"id","type","business","created_at","data"}`, with
    /// `created_at` in RFC 3339 UTC.
    pub fn body(&self) -> Vec<u8> {
        let envelope = Envelope {
            id: &self.id,
            kind: &self.kind,
            business: &self.business,
            created_at: self.at.to_string(),
            data: &self.data,
        };
        serde_json::to_vec(&envelope).expect("a json value always serializes")
    }
}

/// A client fit for [`post_webhook`]: redirects are not followed (a 301/302 would turn the POST
/// into a GET whose 2xx looks like a delivery), connections time out after 5 seconds.
pub fn webhook_client() -> Result<reqwest::Client, NotifyError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| NotifyError::Permanent(format!("cannot build the webhook client: {e}")))
}

/// Posts `event` to `url`, signed with `secret` at time `now` (Unix seconds) when one is set.
/// Any 2xx is success; 408, 429, 5xx, timeouts and connection failures are
/// [`NotifyError::Retryable`]; other answers (3xx included, with [`webhook_client`]) and invalid
/// URLs are [`NotifyError::Permanent`]. Use a client that does not follow redirects.
pub async fn post_webhook(
    http: &reqwest::Client,
    url: &str,
    secret: Option<&[u8]>,
    event: &Event,
    now: i64,
) -> Result<(), NotifyError> {
    let body = event.body();
    let mut request = http
        .post(url)
        .timeout(WEBHOOK_TIMEOUT)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::USER_AGENT, "frontdesk-webhooks/0.1")
        .header("X-Frontdesk-Event", &event.kind)
        .header("X-Frontdesk-Delivery", &event.id);
    if let Some(secret) = secret {
        request = request.header(
            "X-Frontdesk-Signature",
            signature_header(secret, now, &body),
        );
    }
    let response = request
        .body(body)
        .send()
        .await
        .map_err(|e| classify_transport(url, &e))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text = response.text().await.unwrap_or_default();
    let snippet: String = text.chars().take(200).collect();
    let message = format!("webhook {url:?} answered {status}: {snippet:?}");
    let code = status.as_u16();
    if code == 408 || code == 429 || status.is_server_error() {
        Err(NotifyError::Retryable(message))
    } else {
        Err(NotifyError::Permanent(message))
    }
}

fn classify_transport(url: &str, e: &reqwest::Error) -> NotifyError {
    let message = format!("webhook {url:?} failed: {e}");
    if e.is_builder() {
        NotifyError::Permanent(message)
    } else {
        NotifyError::Retryable(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_made_now_verifies_and_a_replayed_one_does_not() {
        let header = signature_header(b"whsec", 1_700_000_000, b"{}");
        assert!(verify(b"whsec", &header, b"{}", 1_700_000_100, 300));
        assert!(!verify(b"whsec", &header, b"{}", 1_700_000_301, 300));
        assert!(!verify(b"whsec", &header, b"{ }", 1_700_000_000, 300));
        assert!(!verify(b"other", &header, b"{}", 1_700_000_000, 300));
    }

    #[test]
    fn a_header_with_a_rotated_secret_still_verifies_with_either() {
        let old = sign(b"old", 1_700_000_000, b"x");
        let new = sign(b"new", 1_700_000_000, b"x");
        let header = format!("t=1700000000,v1={old},v1={new}");
        assert!(verify(b"old", &header, b"x", 1_700_000_000, 300));
        assert!(verify(b"new", &header, b"x", 1_700_000_000, 300));
        assert!(!verify(b"neither", &header, b"x", 1_700_000_000, 300));
    }

    #[test]
    fn malformed_signature_headers_are_rejected() {
        let good = sign(b"s", 1_700_000_000, b"x");
        for header in [
            "",
            "garbage",
            &format!("v1={good}"),
            "t=1700000000",
            "t=1700000000,v1=zz",
            &format!("t=abc,v1={good}"),
            &format!("t=+1700000000,v1={good}"),
            &format!("t=01700000000,v1={good}"),
            &format!("t=1700000000,v1={}", &good[..10]),
        ] {
            assert!(
                !verify(b"s", header, b"x", 1_700_000_000, 300),
                "accepted {header:?}"
            );
        }
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body_in_hex() {
        // Computed independently: python3 -c 'import hmac,hashlib;
        // print(hmac.new(b"secret", b"1700000000.hello", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign(b"secret", 1_700_000_000, b"hello"),
            "47b1df0ab12338b2685470b0d2b37033add7c3b2bc8172f313e77413f1bb78c8"
        );
    }

    #[test]
    fn the_event_body_has_the_documented_fields() {
        let at: jiff::Timestamp = "2026-11-23T23:57:00Z".parse().unwrap();
        let event = Event {
            id: "0193".into(),
            kind: "appointment.booked".into(),
            business: "joes-auto".into(),
            at,
            data: serde_json::json!({"k": 1}),
        };
        let body: serde_json::Value = serde_json::from_slice(&event.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "id": "0193", "type": "appointment.booked", "business": "joes-auto",
                "created_at": "2026-11-23T23:57:00Z", "data": {"k": 1}
            })
        );
    }
}
