//! What a turn knows besides the words: the caller as the store knows them (name, vehicles,
//! upcoming appointments, whether they are returning) and the calendar's busy times.

use frontdesk_engine::{AppointmentView, CalendarView, Caller, Engine};
use jiff::Timestamp;

use crate::app::App;
use crate::booking;
use crate::store::Conversation;

/// What the store knows of the caller, and the calendar from now to the end of the horizon.
pub(super) async fn view(
    app: &App,
    engine: &Engine,
    conv: &Conversation,
    now: Timestamp,
) -> anyhow::Result<(Caller, CalendarView)> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let mut caller = Caller::default();
    if let Some(contact) = match conv.contact_id {
        Some(id) => app.store.contact(business, id).await?,
        None => None,
    } {
        caller.phone = Some(contact.phone.clone());
        caller.name = contact.name.clone();
        caller.vehicles = contact
            .vehicles
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        caller.upcoming = app
            .store
            .appointments_of_contact(business, contact.id)
            .await?
            .into_iter()
            .filter(|a| a.status.holds_slot() && a.end > now)
            .map(|a| AppointmentView {
                id: a.id.to_string(),
                service_id: a.service_id,
                start: a.start,
                end: a.end,
            })
            .collect();
        caller.returning = contact.name.is_some()
            || app
                .store
                .has_other_conversation(business, contact.id, conv.id)
                .await?;
    }
    let (busy, reachable) = booking::calendar_view(app, profile, now).await?;
    Ok((caller, CalendarView { busy, reachable }))
}
