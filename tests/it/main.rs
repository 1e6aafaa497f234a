//! frontdesk's integration tests: one binary (link time matters on two cores), one module per
//! capability. Tests that need PostgreSQL run whenever a server is reachable (see `support`).

mod support;

mod api;
mod calendar;
mod cli;
mod dashboard;
mod followups;
mod jobs;
mod llama;
mod llm;
mod llm_readers;
mod owner;
mod reliability;
mod repair;
mod reply_check;
mod scale_out;
mod security;
mod server;
mod seven_step;
mod store_story;
mod twilio;
