//! frontdesk: the library behind the `frontdesk` binary. See ARCHITECTURE.md for the map.

pub mod clock;
pub mod store;
pub mod jobs;
pub mod app;
pub mod cli;
pub mod http;
pub mod serve;
pub mod telemetry;
