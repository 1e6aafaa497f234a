//! Twilio's wire protocol as frontdesk speaks it, with no HTTP server in it: the
//! `X-Twilio-Signature` scheme ([`signature`]), the form parameters Twilio posts to our
//! webhooks ([`webhook`]), the TwiML we answer with ([`twiml`]), the JSON messages of a
//! ConversationRelay WebSocket ([`relay`]) and the two REST calls we make ([`rest`]).
//! The HTTP routes live in the main crate; they hand this crate raw bytes, URLs and headers
//! and get typed values and exact wire text back.
//!
//! A voice webhook, end to end:
//!
//! ```
//! use frontdesk_twilio::{signature, twiml, webhook};
//!
//! let token = "12345";
//! let url = "https://mycompany.com/myapp.php?foo=1&bar=2"; // the public URL Twilio requested
//! let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234\
//!              &From=%2B14158675309&To=%2B18005551212";
//! let header = Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="); // X-Twilio-Signature
//!
//! let params = signature::verify_form(token, url, body, header).expect("signed by Twilio");
//! let digits = webhook::param(&params, "Digits");
//! assert_eq!(digits, Some("1234"));
//!
//! let reply = twiml::VoiceResponse::new()
//!     .say(twiml::Say::new("Thanks for calling Joe's Auto & Tire."))
//!     .hangup()
//!     .to_xml();
//! assert_eq!(
//!     reply,
//!     r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say>Thanks for calling Joe's Auto &amp; Tire.</Say><Hangup /></Response>"#
//! );
//! ```

pub mod relay;
pub mod rest;
pub mod signature;
pub mod twiml;
pub mod webhook;

/// The header Twilio puts its request signature in.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";
