//! frontdesk: the library behind the `frontdesk` binary. See ARCHITECTURE.md for the map.

pub mod app;
pub mod booking;
pub mod briefings;
pub mod calendar;
pub mod calendar_sync;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod dashboard;
pub mod egress;
pub mod error;
pub mod export;
pub mod followups;
pub mod http;
pub mod inbox;
pub mod jobs;
pub mod model;
pub mod outbox;
pub mod phone;
pub mod repair;
pub mod report;
pub mod runtime;
pub mod scenario;
pub mod serve;
pub mod store;
pub mod telemetry;
