//! A car's work status and estimate, set by staff from the Today page in one tap
//! (`POST /b/{b}/appointments/{id}/work`: a status, with an optional note and expected time) or
//! typed (`POST /b/{b}/appointments/{id}/estimate`: an amount in dollars and one line), both
//! through [`crate::repair`], the code the operator API uses. `cars` gathers what the Today page
//! shows of them.

use axum::extract::{Path, State};
use frontdesk_profile::{Profile, WorkStatus};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::App;
use crate::dashboard::page::{Res, see_other};
use crate::dashboard::session::Post;
use crate::dashboard::view::{clock, contact_label, service_name, when};
use crate::error::AppError;
use crate::repair::{self, EstimateSend, StatusChange, StatusUpdate};
use crate::store::{Appointment, Contact};

/// One appointment or car in the shop as the Today page shows it, with its one-tap statuses.
pub struct CarView {
    pub id: Uuid,
    pub time: String,
    pub service: String,
    pub customer: String,
    pub vehicle: String,
    pub status: String,
    pub note: String,
    pub estimate: String,
    /// (status word, label) for each button.
    pub taps: Vec<(&'static str, &'static str)>,
}

/// The Today page's cars: today's appointments and every car still at the shop.
pub async fn cars(
    app: &App,
    p: &Profile,
    appointments: Vec<Appointment>,
    contacts: &std::collections::HashMap<Uuid, Contact>,
) -> Res<Vec<CarView>> {
    let mut out = Vec::new();
    for a in appointments {
        let estimates = app.store.estimates(&p.business.id, a.id).await?;
        let estimate = estimates.first().map(|e| {
            let answer = match (e.answer, e.answered_at) {
                (Some(ans), Some(at)) => {
                    format!(" · {} {}", format!("{ans:?}").to_lowercase(), when(p, at))
                }
                _ => " · waiting for the customer".to_string(),
            };
            format!(
                "{} for {}{answer}",
                frontdesk_profile::dollars(e.amount_cents),
                e.description
            )
        });
        let current = a.work.as_ref().map(|w| w.status);
        out.push(CarView {
            id: a.id,
            time: if a.start
                > app
                    .clock
                    .now()
                    .checked_sub(jiff::SignedDuration::from_hours(12))
                    .unwrap_or(a.start)
            {
                clock(p, a.start)
            } else {
                when(p, a.start)
            },
            service: service_name(p, &a.service_id),
            customer: contact_label(a.contact_id.and_then(|id| contacts.get(&id))),
            vehicle: repair::vehicle_of(&a).unwrap_or_default(),
            status: current
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| "Not checked in".into()),
            note: a
                .work
                .as_ref()
                .and_then(|w| w.note.clone())
                .unwrap_or_default(),
            estimate: estimate.unwrap_or_default(),
            taps: WorkStatus::ALL
                .into_iter()
                .filter(|s| Some(*s) != current)
                .map(|s| (s.word(), s.label()))
                .collect(),
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct WorkForm {
    status: String,
    #[serde(default)]
    note: String,
    /// Business-local, from a datetime-local input; empty for none.
    #[serde(default)]
    expected: String,
}

fn appointment_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

/// `POST /b/{b}/appointments/{id}/work`: one tap sets the status (and texts the customer when
/// the profile says so); back to Today.
pub async fn set_work(
    State(app): State<App>,
    Path((b, id)): Path<(String, String)>,
    post: Post<WorkForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let p = engine.profile();
    let status = WorkStatus::parse(&post.form.status)
        .ok_or_else(|| AppError::BadRequest(format!("unknown status {:?}", post.form.status)))?;
    let expected = match post.form.expected.trim() {
        "" => None,
        t => Some(
            crate::chat::local_instant(t, &p.business.timezone)
                .map_err(|e| AppError::BadRequest(e.to_string()))?,
        ),
    };
    let note = Some(post.form.note.clone()).filter(|n| !n.trim().is_empty());
    let update = StatusUpdate {
        status,
        note,
        expected,
    };
    match repair::set_status(&app, p, appointment_id(&id)?, update, &post.who.actor()).await? {
        StatusChange::Set(_) => Ok(see_other(&format!("/b/{b}#appt-{id}"))),
        StatusChange::NotFound => Err(AppError::NotFound),
        StatusChange::NotInShop(s) => Err(AppError::Conflict(format!(
            "this appointment is {:?}: there is no car in the shop to give a status to",
            s.word()
        ))),
    }
}

#[derive(Deserialize)]
pub struct EstimateForm {
    amount: String,
    description: String,
}

/// Reads a dollar amount as staff type it ("412.50", "$1,200", "89") into exact cents.
/// Hand-written: a money crate would be a dependency for six lines, and floats are not allowed.
pub fn parse_dollars(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(cents)
}

/// `POST /b/{b}/appointments/{id}/estimate`: texts the customer the estimate; back to Today.
pub async fn send_estimate(
    State(app): State<App>,
    Path((b, id)): Path<(String, String)>,
    post: Post<EstimateForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let cents = parse_dollars(&post.form.amount).ok_or_else(|| {
        AppError::BadRequest(format!(
            "cannot read {:?} as an amount like 412.50",
            post.form.amount
        ))
    })?;
    let actor = post.who.actor();
    match repair::send_estimate(
        &app,
        engine.profile(),
        appointment_id(&id)?,
        cents,
        &post.form.description,
        &actor,
    )
    .await?
    {
        EstimateSend::Sent(_) => Ok(see_other(&format!("/b/{b}#appt-{id}"))),
        EstimateSend::NotFound => Err(AppError::NotFound),
        EstimateSend::Invalid(why) => Err(AppError::BadRequest(why)),
        EstimateSend::NoNumber => Err(AppError::BadRequest(
            "this appointment has no customer number to text the estimate to".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_dollars;

    #[test]
    fn dollar_amounts_as_staff_type_them_become_exact_cents() {
        assert_eq!(parse_dollars("412.50"), Some(41250));
        assert_eq!(parse_dollars("$1,200"), Some(120000));
        assert_eq!(parse_dollars("89.9"), Some(8990));
        assert_eq!(parse_dollars(".99"), Some(99));
        assert_eq!(parse_dollars("12.345"), None);
        assert_eq!(parse_dollars("abc"), None);
        assert_eq!(parse_dollars("-5"), None);
        assert_eq!(parse_dollars(""), None);
    }
}
