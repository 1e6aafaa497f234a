//! Twilio's wire protocol as frontdesk speaks it, with no HTTP server in it: the
//! `X-Twilio-Signature` scheme ([`signature`]), the form parameters Twilio posts to our
//! webhooks ([`webhook`]), the TwiML we answer with ([`twiml`]), the JSON messages of a
//! ConversationRelay WebSocket ([`relay`]) and the two REST calls we make ([`rest`]).
//! The HTTP routes live in the main crate; they hand this crate raw bytes, URLs and headers
//! and get typed values and exact wire text back.

pub mod relay;
pub mod rest;
pub mod signature;
pub mod twiml;
pub mod webhook;

/// The header Twilio puts its request signature in.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";
