//! frontdesk: the library behind the `frontdesk` binary. See ARCHITECTURE.md for the map.

pub mod app;
pub mod cli;
pub mod clock;
pub mod http;
pub mod jobs;
pub mod serve;
pub mod store;
pub mod telemetry;
pub mod runtime;
pub mod chat;
pub mod scenario;
pub mod booking;
pub mod outbox;
