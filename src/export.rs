//! `frontdesk export`: contacts, appointments or conversations as CSV for spreadsheets, times in
//! the business's zone.

use anyhow::bail;
use frontdesk_profile::Profile;
use jiff::Timestamp;

use crate::store::{Range, Store};

fn local(profile: &Profile, t: Timestamp) -> String {
    t.to_zoned(profile.business.timezone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The CSV text of one kind of record.
pub async fn csv(store: &dyn Store, profile: &Profile, what: &str) -> anyhow::Result<String> {
    let business = &profile.business.id;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let everything = Range {
        from: Timestamp::MIN,
        to: Timestamp::MAX,
    };
    match what {
        "contacts" => {
            w.write_record([
                "phone",
                "name",
                "vehicles",
                "opted_out",
                "notes",
                "first_seen",
            ])?;
            for c in store.contacts(business, 1_000_000).await? {
                let vehicles: Vec<String> = c
                    .vehicles
                    .iter()
                    .map(|v| {
                        [
                            v.get("year").map(|y| y.to_string()),
                            v.get("make").and_then(|m| m.as_str()).map(str::to_string),
                            v.get("model").and_then(|m| m.as_str()).map(str::to_string),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ")
                    })
                    .collect();
                w.write_record([
                    c.phone,
                    c.name.unwrap_or_default(),
                    vehicles.join("; "),
                    c.opted_out.to_string(),
                    c.notes,
                    local(profile, c.created_at),
                ])?;
            }
        }
        "appointments" => {
            w.write_record([
                "id", "service", "start", "end", "status", "source", "phone", "name", "vehicle",
            ])?;
            let mut all = store.appointments_created(business, everything).await?;
            all.sort_by_key(|a| a.start);
            for a in all {
                let contact = match a.contact_id {
                    Some(id) => store.contact(business, id).await?,
                    None => None,
                };
                w.write_record([
                    a.id.to_string(),
                    a.service_id,
                    local(profile, a.start),
                    local(profile, a.end),
                    serde_json::to_value(a.status)?
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    a.source,
                    contact
                        .as_ref()
                        .map(|c| c.phone.clone())
                        .unwrap_or_default(),
                    contact.and_then(|c| c.name).unwrap_or_default(),
                    a.vehicle.map(|v| v.to_string()).unwrap_or_default(),
                ])?;
            }
        }
        "conversations" => {
            w.write_record([
                "id", "channel", "started", "ended", "outcome", "phone", "turns",
            ])?;
            for c in store.conversations(business, everything, 1_000_000).await? {
                let phone = match c.contact_id {
                    Some(id) => store
                        .contact(business, id)
                        .await?
                        .map(|c| c.phone)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let turns = store.turns(c.id).await?.len();
                w.write_record([
                    c.id.to_string(),
                    serde_json::to_value(c.channel)?
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    local(profile, c.started_at),
                    c.ended_at.map(|t| local(profile, t)).unwrap_or_default(),
                    c.outcome.unwrap_or_default(),
                    phone,
                    turns.to_string(),
                ])?;
            }
        }
        other => bail!("cannot export {other:?}: choose contacts, appointments or conversations"),
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
