//! The dashboard's pages, one module each: `home` (where a user lands), `today`,
//! `conversations` (the list and a transcript), `appointments` (the week, and done, no-show,
//! cancel, reschedule through the appointments service), `tasks`, `contacts` (with the CSV
//! export), `messages` (the shared inbox and a thread staff can take over), `work` (a car's
//! status and estimate, from Today), `reports` (the numbers of `frontdesk report`) and `settings` (the profile, checked
//! and saved by `profile_edit`). Handlers gather and format (with `view` and `turns`);
//! templates only show. Pages do not import each other: what two of them share lives in this
//! module, `view`, `turns`, `page` or `session`.

pub mod appointments;
pub mod contacts;
pub mod conversations;
pub mod home;
pub mod messages;
pub mod reports;
pub mod settings;
pub mod tasks;
pub mod today;
pub mod work;

use serde::Deserialize;

/// The `?q=` of the lists that can be searched (conversations, contacts).
#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    pub q: String,
}
