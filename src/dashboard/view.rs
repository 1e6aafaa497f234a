//! How stored records read on a dashboard page: times in the business's zone, the labels of
//! contacts, services, channels and statuses, the local day as a range of instants, and
//! [`Row`], the link-row most tables use. Shared by every page; it renders nothing itself.

use std::collections::HashMap;

use frontdesk_profile::Profile;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde_json::Value;
use uuid::Uuid;

use super::page::Res;
use crate::app::App;
use crate::store::{AppointmentStatus, Channel, Contact, Range};

/// An appointment status as words (`no show`).
pub fn status_word(s: AppointmentStatus) -> String {
    match serde_json::to_value(s) {
        Ok(Value::String(w)) => w.replace('_', " "),
        _ => String::new(),
    }
}

/// `2:05 PM` in the business's zone.
pub fn clock(p: &Profile, t: Timestamp) -> String {
    t.to_zoned(p.business.timezone.clone())
        .strftime("%-I:%M %p")
        .to_string()
}

/// `Tue Nov 24, 2:05 PM` in the business's zone.
pub fn when(p: &Profile, t: Timestamp) -> String {
    t.to_zoned(p.business.timezone.clone())
        .strftime("%a %b %-d, %-I:%M %p")
        .to_string()
}

/// Today's date in the business's zone.
pub fn local_today(app: &App, p: &Profile) -> Date {
    app.clock.now().to_zoned(p.business.timezone.clone()).date()
}

/// `days` whole local days from `from`, as instants.
pub fn day_range(p: &Profile, from: Date, days: i64) -> Range {
    let start = |d: Date| {
        d.to_zoned(p.business.timezone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    };
    let to = from.checked_add(days.days()).unwrap_or(from);
    Range {
        from: start(from),
        to: start(to),
    }
}

/// A service's name, or its id when the profile no longer has it.
pub fn service_name(p: &Profile, id: &str) -> String {
    p.service(id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// `Name (+1512...)`, the number alone, or `unknown caller`.
pub fn contact_label(c: Option<&Contact>) -> String {
    match c {
        Some(c) => match &c.name {
            Some(n) => format!("{n} ({})", c.phone),
            None => c.phone.clone(),
        },
        None => "unknown caller".into(),
    }
}

/// The business's contacts by id, for labelling rows.
pub async fn contacts_by_id(app: &App, business: &str) -> Res<HashMap<Uuid, Contact>> {
    Ok(app
        .store
        .contacts(business, 5000)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// A row of a table of links: where it leads and its cells.
pub struct Row {
    pub href: String,
    pub cells: Vec<String>,
}

/// A channel as the owner says it: call, text, simulator, web form.
pub fn channel_word(c: Channel) -> String {
    match c {
        Channel::Voice => "call",
        Channel::Sms => "text",
        Channel::Chat => "simulator",
        Channel::Web => "web form",
    }
    .to_string()
}
