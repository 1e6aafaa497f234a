//! Repair status and estimates: the one home of where a car in the shop stands (checked in →
//! in progress → waiting on parts or approval → ready → picked up) and of the estimates sent to
//! the customer for approval. Staff on the dashboard, the operator API and a customer's answer
//! by text all come through here; every change writes its audit entry (the appointment's
//! history) and its CRM event, and every text to the customer goes through the outbox and into
//! their text thread, so the inbox shows it.

use frontdesk_engine::WorkView;
use frontdesk_profile::{Profile, WorkStatus};
use jiff::Timestamp;
use serde_json::json;
use uuid::Uuid;

use crate::app::App;
use crate::outbox::{self, SmsJob};
use crate::store::{
    Appointment, AppointmentStatus, Contact, Estimate, EstimateAnswer, NewEstimate, NewTurn,
    Speaker, Work,
};

/// The longest staff note kept, in characters.
const NOTE_MAX: usize = 200;
/// The longest estimate description, in characters: one line of a text.
const DESCRIPTION_MAX: usize = 120;
/// The largest estimate, in cents ($100,000): anything above is a typo.
const ESTIMATE_MAX_CENTS: i64 = 10_000_000;
/// An estimate older than this no longer takes a YES by text.
const ESTIMATE_OPEN_DAYS: i64 = 14;

/// A change of work status as staff asked for it.
#[derive(Debug, Clone)]
pub struct StatusUpdate {
    pub status: WorkStatus,
    pub note: Option<String>,
    pub expected: Option<Timestamp>,
}

/// How a status change ended.
#[derive(Debug, Clone)]
pub enum StatusChange {
    Set(Box<Appointment>),
    NotFound,
    /// Cancelled or a no-show: there is no car in the shop to give a status to.
    NotInShop(AppointmentStatus),
}

/// How sending an estimate ended.
#[derive(Debug, Clone)]
pub enum EstimateSend {
    Sent(Estimate),
    NotFound,
    /// The amount or description cannot be sent (the reason, for staff).
    Invalid(String),
    /// The appointment has no customer number to text.
    NoNumber,
}

/// How long after its appointment a car still counts as at the shop, if nobody marked it
/// picked up.
pub const IN_SHOP_DAYS: i64 = 31;

/// The earliest appointment start that can still be a car at the shop.
pub fn in_shop_since(now: Timestamp) -> Timestamp {
    now.checked_sub(jiff::SignedDuration::from_hours(24 * IN_SHOP_DAYS))
        .unwrap_or(now)
}

/// Texts that approve an estimate: the whole message, trimmed, lower case, without closing
/// punctuation. Money moves only on one of these, never on a yes inside a longer message.
const YES: &[&str] = &[
    "yes",
    "y",
    "yes please",
    "yep",
    "yeah",
    "yup",
    "ok",
    "okay",
    "sure",
    "approve",
    "approved",
    "i approve",
    "go ahead",
    "yes go ahead",
    "yep go ahead",
    "yes, go ahead",
    "yep, go ahead",
    "ok go ahead",
    "ok, go ahead",
    "do it",
    "yes do it",
    "sounds good",
    "si",
    "sí",
    "👍",
];
/// Texts that decline it.
const NO: &[&str] = &[
    "no",
    "n",
    "nope",
    "nah",
    "no thanks",
    "no thank you",
    "decline",
    "declined",
    "don't",
    "do not",
    "not now",
    "👎",
];

/// How a text answers an estimate: a plain yes, a plain no, or anything else (a person calls).
pub fn read_answer(text: &str) -> EstimateAnswer {
    let t = text.trim().trim_end_matches(['.', '!', ' ']).to_lowercase();
    if YES.contains(&t.as_str()) {
        EstimateAnswer::Approved
    } else if NO.contains(&t.as_str()) {
        EstimateAnswer::Declined
    } else {
        EstimateAnswer::Question
    }
}

/// The engine's view of a car at the shop, with the estimate still waiting for an answer.
pub fn work_view(a: &Appointment, estimate: Option<&Estimate>) -> Option<WorkView> {
    let work = a.work.as_ref()?;
    let vehicle = vehicle_of(a);
    Some(WorkView {
        appointment_id: a.id.to_string(),
        service_id: a.service_id.clone(),
        vehicle,
        status: work.status,
        note: work.note.clone(),
        expected: work.expected,
        estimate: estimate
            .filter(|e| e.answer.is_none())
            .map(|e| (e.amount_cents, e.description.clone())),
    })
}

/// The appointment's car in words ("2017 Toyota Camry"), when the booking named it.
pub fn vehicle_of(a: &Appointment) -> Option<String> {
    a.vehicle
        .as_ref()
        .and_then(|v| serde_json::from_value::<frontdesk_nlu::Vehicle>(v.clone()).ok())
        .and_then(|v| frontdesk_engine::vehicle_words(&v))
}

/// Sets where the car stands; texts the customer when the profile says this status does
/// ("ready" always does). Picked up closes the visit (the review request follows).
pub async fn set_status(
    app: &App,
    profile: &Profile,
    id: Uuid,
    update: StatusUpdate,
    actor: &str,
) -> anyhow::Result<StatusChange> {
    let business = &profile.business.id;
    let Some(current) = app.store.appointment(business, id).await? else {
        return Ok(StatusChange::NotFound);
    };
    if matches!(
        current.status,
        AppointmentStatus::Cancelled | AppointmentStatus::NoShow
    ) {
        return Ok(StatusChange::NotInShop(current.status));
    }
    let now = app.clock.now();
    let note = update
        .note
        .map(|n| n.trim().chars().take(NOTE_MAX).collect::<String>())
        .filter(|n| !n.is_empty());
    let work = Work {
        status: update.status,
        note,
        expected: update.expected,
        updated_at: now,
    };
    let Some(a) = app.store.set_work(business, id, &work).await? else {
        return Ok(StatusChange::NotFound);
    };
    let detail = json!({"id": id, "status": work.status, "note": work.note,
        "expected": work.expected.map(|t| t.to_string())});
    app.store
        .audit(
            Some(business),
            actor,
            "appointment.work_status",
            &detail,
            now,
        )
        .await?;
    let key = format!("{id}:{}:{}", work.status.word(), now.as_microsecond());
    crate::briefings::emit(app, profile, "appointment.status", detail, &key).await?;
    if work.status == WorkStatus::PickedUp && a.status != AppointmentStatus::Done {
        crate::booking::close_visit(app, profile, id, AppointmentStatus::Done, actor).await?;
    }
    let changed = current.work.as_ref().map(|w| w.status) != Some(work.status);
    if changed && profile.repair.text_statuses.contains(&work.status) {
        let estimate = open_estimate(app, profile, &a).await?;
        if let (Some(view), Some(contact)) = (
            work_view(&a, estimate.as_ref()),
            customer(app, profile, &a).await?,
        ) {
            let body =
                frontdesk_engine::repair::status_text(profile, &view, contact.name.as_deref(), now);
            text_customer(
                app,
                profile,
                &contact,
                &body,
                "status",
                &format!("status:{key}"),
            )
            .await?;
        }
    }
    Ok(StatusChange::Set(Box::new(a)))
}

/// The appointment's customer, when they have a number.
async fn customer(
    app: &App,
    profile: &Profile,
    a: &Appointment,
) -> anyhow::Result<Option<Contact>> {
    let Some(id) = a.contact_id else {
        return Ok(None);
    };
    app.store
        .contact(&profile.business.id, id)
        .await
        .map_err(Into::into)
}

/// The estimate of an appointment still waiting for the customer's answer.
pub async fn open_estimate(
    app: &App,
    profile: &Profile,
    a: &Appointment,
) -> anyhow::Result<Option<Estimate>> {
    let since = app
        .clock
        .now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * ESTIMATE_OPEN_DAYS))?;

    Ok(app
        .store
        .estimates(&profile.business.id, a.id)
        .await?
        .into_iter()
        .next()
        .filter(|e| e.answer.is_none() && e.created_at >= since))
}

/// Texts the customer through the outbox and writes the text into their thread, so the inbox
/// shows what the shop sent.
pub(crate) async fn text_customer(
    app: &App,
    profile: &Profile,
    contact: &Contact,
    body: &str,
    purpose: &str,
    key: &str,
) -> anyhow::Result<()> {
    let from = profile.business.phones.first().cloned().unwrap_or_default();
    let conversation =
        crate::runtime::texts::sms_conversation(app, profile, &contact.phone).await?;
    // Recorded in the thread first, then queued, both under one key: a retry after a crash
    // in between sends it, and nothing is recorded or sent twice.
    app.store
        .append_turn(&NewTurn {
            conversation_id: conversation,
            speaker: Speaker::Assistant,
            text: body.to_string(),
            understanding: None,
            flow: Some(purpose.to_string()),
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(key.to_string()),
            at: app.clock.now(),
        })
        .await?;
    let sms = SmsJob::new(&contact.phone, &from, body, purpose).in_conversation(conversation);
    outbox::enqueue(app, &profile.business.id, &sms, key, None).await?;
    Ok(())
}

/// Sends an estimate staff typed: the amount in cents and a one-line description. The car moves
/// to "waiting on approval" and the customer gets the amount and how to approve.
pub async fn send_estimate(
    app: &App,
    profile: &Profile,
    id: Uuid,
    amount_cents: i64,
    description: &str,
    actor: &str,
) -> anyhow::Result<EstimateSend> {
    let description = description.trim();
    if !(1..=ESTIMATE_MAX_CENTS).contains(&amount_cents) {
        return Ok(EstimateSend::Invalid(format!(
            "the amount must be between $0.01 and {}, not {}",
            frontdesk_profile::dollars(ESTIMATE_MAX_CENTS),
            frontdesk_profile::dollars(amount_cents)
        )));
    }
    if description.is_empty()
        || description.chars().count() > DESCRIPTION_MAX
        || description.contains('\n')
    {
        return Ok(EstimateSend::Invalid(format!(
            "the description must be one line of 1 to {DESCRIPTION_MAX} characters"
        )));
    }
    let business = &profile.business.id;
    let Some(a) = app.store.appointment(business, id).await? else {
        return Ok(EstimateSend::NotFound);
    };
    if matches!(
        a.status,
        AppointmentStatus::Cancelled | AppointmentStatus::NoShow
    ) {
        return Ok(EstimateSend::Invalid(format!(
            "the appointment is {:?}: there is no car in the shop to estimate",
            a.status.word()
        )));
    }
    let Some(contact) = customer(app, profile, &a).await? else {
        return Ok(EstimateSend::NoNumber);
    };
    let now = app.clock.now();
    // The same estimate sent again within minutes (a resubmitted form, a retried request) is
    // the first one: nothing new is made or texted.
    let recent = now.checked_sub(jiff::SignedDuration::from_mins(10))?;
    if let Some(same) = app
        .store
        .estimates(business, id)
        .await?
        .into_iter()
        .find(|e| {
            e.answer.is_none()
                && e.amount_cents == amount_cents
                && e.description == description
                && e.created_at >= recent
        })
    {
        return Ok(EstimateSend::Sent(same));
    }
    let estimate = app
        .store
        .create_estimate(&NewEstimate {
            business_id: business.clone(),
            appointment_id: id,
            amount_cents,
            description: description.to_string(),
            created_by: actor.to_string(),
            at: now,
        })
        .await?;
    let work = Work {
        status: WorkStatus::WaitingOnApproval,
        note: a.work.as_ref().and_then(|w| w.note.clone()),
        expected: None,
        updated_at: now,
    };
    app.store.set_work(business, id, &work).await?;
    let detail = json!({"id": id, "estimate": estimate.id, "amount_cents": amount_cents,
        "description": description});
    app.store
        .audit(Some(business), actor, "estimate.sent", &detail, now)
        .await?;
    crate::briefings::emit(
        app,
        profile,
        "estimate.sent",
        detail,
        &estimate.id.to_string(),
    )
    .await?;
    let vehicle = vehicle_of(&a);
    let body = frontdesk_engine::repair::estimate_text(
        profile,
        vehicle.as_deref(),
        amount_cents,
        description,
    );
    text_customer(
        app,
        profile,
        &contact,
        &body,
        "estimate",
        &format!("estimate:{}", estimate.id),
    )
    .await?;
    Ok(EstimateSend::Sent(estimate))
}

/// The customer's answer to an estimate, recorded once with its time and exact words: a yes
/// moves the car to "in progress"; a no or a question makes a task. Staff hear of it at once.
/// Returns the reply to text back, or `None` when the estimate was already answered.
pub async fn answer_estimate(
    app: &App,
    profile: &Profile,
    a: &Appointment,
    estimate: &Estimate,
    contact: &Contact,
    answer: EstimateAnswer,
    words: &str,
) -> anyhow::Result<Option<String>> {
    let business = &profile.business.id;
    let now = app.clock.now();
    if !app
        .store
        .answer_estimate(business, estimate.id, answer, words, now)
        .await?
    {
        return Ok(None);
    }
    let amount = frontdesk_profile::dollars(estimate.amount_cents);
    let what = &estimate.description;
    let action = match answer {
        EstimateAnswer::Approved => "estimate.approved",
        EstimateAnswer::Declined => "estimate.declined",
        EstimateAnswer::Question => "estimate.question",
    };
    let detail = json!({"id": a.id, "estimate": estimate.id, "amount_cents": estimate.amount_cents,
        "description": what, "text": words, "at": now.to_string()});
    app.store
        .audit(Some(business), "caller", action, &detail, now)
        .await?;
    crate::briefings::emit(app, profile, action, detail, &estimate.id.to_string()).await?;
    let who = contact
        .name
        .clone()
        .unwrap_or_else(|| contact.phone.clone());
    let (outcome, reply) = match answer {
        EstimateAnswer::Approved => {
            let work = Work {
                status: WorkStatus::InProgress,
                note: Some(format!("estimate approved by text: {amount} for {what}")),
                expected: None,
                updated_at: now,
            };
            app.store.set_work(business, a.id, &work).await?;
            (
                format!("approved the estimate by text: {amount} for {what}"),
                format!("Thanks! You approved {amount} for {what}. We'll get going and text you when it's ready."),
            )
        }
        EstimateAnswer::Declined => (
            format!("declined the estimate ({amount} for {what})"),
            "Understood, we won't do that work. Someone from the shop will call you to talk it over.".to_string(),
        ),
        EstimateAnswer::Question => (
            format!("has a question about the estimate ({amount} for {what})"),
            "Thanks, someone from the shop will call you about the estimate shortly.".to_string(),
        ),
    };
    if answer != EstimateAnswer::Approved {
        app.store
            .create_task(&crate::store::NewTask {
                business_id: business.clone(),
                contact_id: Some(contact.id),
                conversation_id: None,
                kind: crate::store::TaskKind::Callback,
                urgency: "normal".into(),
                title: format!("{who} {outcome}"),
                context: json!({"appointment": a.id, "estimate": estimate.id, "text": words}),
                at: now,
                key: Some(format!("estimate:{}", estimate.id)),
            })
            .await?;
    }
    crate::inbox::notify_staff(
        app,
        profile,
        contact,
        &outcome,
        words,
        &format!("estimate:{}", estimate.id),
    )
    .await?;
    Ok(Some(reply))
}
