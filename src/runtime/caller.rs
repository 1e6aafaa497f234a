//! What a turn knows besides the words: the caller as the store knows them (name, vehicles,
//! upcoming appointments, their cars at the shop, whether they are returning) and the
//! calendar's busy times.

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
    about_a_car: bool,
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
        let theirs = app
            .store
            .appointments_of_contact(business, contact.id)
            .await?;
        caller.in_shop = in_shop(app, engine, &theirs, now).await?;
        caller.upcoming = theirs
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
    if about_a_car && caller.in_shop.is_empty() {
        caller.shop_cars = shop_cars(app, engine, now).await?;
    }
    let (busy, reachable) = booking::calendar_view(app, profile, now).await?;
    Ok((caller, CalendarView { busy, reachable }))
}

/// Whether this turn may ask about a car at the shop (the words say so, or the conversation
/// is finding one by name and car): only then does the turn read every car at the shop.
pub(super) fn about_a_car(state: &frontdesk_engine::State, said: &str) -> bool {
    use frontdesk_engine::state::Awaiting;
    matches!(
        state.awaiting,
        Awaiting::StatusWho | Awaiting::StatusConfirm
    ) || frontdesk_nlu::cues::read(said).status
}

/// Every car at the shop with its owner's name, for a caller calling from another number.
async fn shop_cars(
    app: &App,
    engine: &Engine,
    now: Timestamp,
) -> anyhow::Result<Vec<frontdesk_engine::repair::ShopCar>> {
    let business = &engine.profile().business.id;
    let since = crate::repair::in_shop_since(now);
    let mut out = Vec::new();
    for a in app.store.appointments_in_shop(business, since).await? {
        let Some(contact) = (match a.contact_id {
            Some(id) => app.store.contact(business, id).await?,
            None => None,
        }) else {
            continue;
        };
        let Some(owner) = contact.name.clone() else {
            continue;
        };
        let digits: String = contact.phone.chars().filter(char::is_ascii_digit).collect();
        let phone_last4 = digits[digits.len().saturating_sub(4)..].to_string();
        if let Some(work) = crate::repair::work_view(&a, None) {
            out.push(frontdesk_engine::repair::ShopCar {
                owner,
                phone_last4,
                work,
            });
        }
    }
    Ok(out)
}

/// The caller's cars at the shop (a work status, not yet picked up, booked in the last month),
/// most recently updated first, each with the estimate still waiting for an answer.
async fn in_shop(
    app: &App,
    engine: &Engine,
    theirs: &[crate::store::Appointment],
    now: Timestamp,
) -> anyhow::Result<Vec<frontdesk_engine::WorkView>> {
    let since = crate::repair::in_shop_since(now);
    let mut cars: Vec<&crate::store::Appointment> = theirs
        .iter()
        .filter(|a| a.start >= since)
        .filter(|a| {
            a.work
                .as_ref()
                .is_some_and(|w| w.status != frontdesk_profile::WorkStatus::PickedUp)
        })
        .collect();
    cars.sort_by_key(|a| std::cmp::Reverse(a.work.as_ref().map(|w| w.updated_at)));
    let mut out = Vec::new();
    for a in cars {
        let estimate = crate::repair::open_estimate(app, engine.profile(), a).await?;
        out.extend(crate::repair::work_view(a, estimate.as_ref()));
    }
    Ok(out)
}
