//! Owner notifications for frontdesk: every call ends in a briefing the owner reads instead of a
//! voicemail. This crate turns a finished conversation into the texts the owner gets (SMS, email
//! in plain text and HTML, a webhook payload that Slack also understands, and hourly or daily
//! digests), sends email over SMTP and posts signed webhooks. It decides nothing about *when* to
//! send: the job queue calls [`Mailer::send`] and [`post_webhook`] and retries on
//! [`NotifyError::Retryable`].
//!
//! # Webhook signatures
//!
//! Every webhook we post carries these headers:
//!
//! - `Content-Type: application/json`
//! - `X-Frontdesk-Event`: the event type, e.g. `appointment.booked`
//! - `X-Frontdesk-Delivery`: the event id (a UUID). It stays the same when a delivery is retried,
//!   so receivers use it as their idempotency key.
//! - `X-Frontdesk-Signature: t=1700000000,v1=5257a869e7ec...` when the endpoint has a secret.
//!
//! The scheme is Stripe's: `t` is the Unix time in seconds when the request was signed and `v1`
//! is the lowercase hex HMAC-SHA256, keyed with the endpoint's secret, of the bytes
//! `"{t}.{raw body}"`. A receiver recomputes it over the **raw** body bytes (before any JSON
//! parsing), compares in constant time, and rejects timestamps more than a tolerance (we suggest
//! 300 seconds) away from its own clock, so a captured request cannot be replayed later. The
//! header may carry several `v1` entries while a secret is being rotated: accept the request if
//! any of them matches. [`sign`], [`signature_header`] and [`verify`] implement both sides.
//!
//! A receiver in Python (standard library only):
//!
#![doc = concat!("```python\n", include_str!("../receivers/verify_signature.py"), "```")]
//!
//! A receiver in Node.js (no dependencies):
//!
#![doc = concat!("```js\n", include_str!("../receivers/verify_signature.js"), "```")]
//!
//! # HTML email
//!
//! The HTML bodies are written by hand with a small escape function (`&`, `<`, `>`, `"`, `'`)
//! applied to every string that came from a caller or a profile; the only markup is ours. Links
//! are only made clickable when they are `http://` or `https://` URLs.

mod briefing;
mod email;
mod error;
mod webhook;

pub use briefing::{AppointmentLine, Briefing, Digest, SMS_MAX_CHARS, TaskLine};
pub use email::Mailer;
pub use error::NotifyError;
pub use webhook::{Event, post_webhook, sign, signature_header, verify, webhook_client};
