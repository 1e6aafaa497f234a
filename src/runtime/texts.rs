//! A text that comes in, before it becomes a turn: the carrier keywords (STOP and its synonyms,
//! START, HELP), the answers to a reminder (C confirms, R starts a reschedule), and a sender who
//! opted out (recorded, not answered: the conversation does not move on). Everything else is a
//! turn of the number's SMS conversation for the day, answered by text through the outbox.

use frontdesk_engine::{Engine, State};
use frontdesk_profile::Profile;
use serde_json::json;
use uuid::Uuid;

use super::{Line, text_in};
use crate::app::App;
use crate::outbox::{self, SmsJob};
use crate::store::{Appointment, Channel, Contact, NewConversation, NewTurn, Speaker};

/// Carrier opt-out keywords (Twilio's defaults and the CTIA list).
const STOP_WORDS: [&str; 8] = [
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
];
/// Opt back in. `YES` counts only from someone who opted out.
const START_WORDS: [&str; 3] = ["START", "UNSTOP", "YES"];

/// One text as it arrived.
#[derive(Debug, Clone, Copy)]
pub struct IncomingText<'a> {
    /// The sender's number (checked to be a number by the caller).
    pub from: &'a str,
    /// The business number it was sent to.
    pub to: &'a str,
    pub body: &'a str,
    /// Twilio's MessageSid: the delivery's key.
    pub sid: &'a str,
}

/// The keyword a text is, if it is one word: trimmed, without closing punctuation, upper case.
fn keyword(body: &str) -> String {
    body.trim().trim_end_matches(['.', '!']).to_uppercase()
}

/// Handles a text: a keyword, a reminder answer, or a turn.
pub async fn incoming(app: &App, engine: &Engine, text: IncomingText<'_>) -> anyhow::Result<()> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let word = keyword(text.body);
    let contact = app.store.contact_by_phone(business, text.from).await?;
    let opted_out = contact.as_ref().is_some_and(|c| c.opted_out);
    if STOP_WORDS.contains(&word.as_str()) {
        return opt_out(app, engine, text, &word).await;
    }
    if START_WORDS.contains(&word.as_str()) && (word != "YES" || opted_out) {
        let now = app.clock.now();
        app.store
            .set_opt_out(business, text.from, false, now)
            .await?;
        app.store
            .audit(
                Some(business),
                "caller",
                "contact.opted_in",
                &json!({"phone": text.from}),
                now,
            )
            .await?;
        return Ok(());
    }
    if word == "HELP" || word == "INFO" {
        let number = profile.business.phones.first().cloned().unwrap_or_default();
        let body = format!(
            "{}: call or text {number}. Reply STOP to opt out.",
            profile.business.name
        );
        let sms = SmsJob::new(text.from, text.to, &body, "help");
        outbox::enqueue(app, business, &sms, &format!("help:{}", text.sid), None).await?;
        return Ok(());
    }
    if let Some(c) = contact.as_ref().filter(|c| !c.opted_out) {
        if crate::inbox::paused(c, app.clock.now()) {
            tracing::info!(from = %text.from, "text on a thread staff took over: passed to staff");
            return crate::inbox::held_for_staff(app, profile, c, text.body, text.sid).await;
        }
        let reminder_word = matches!(
            word.as_str(),
            "C" | "CONFIRM" | "CONFIRMED" | "R" | "RESCHEDULE"
        );
        if !reminder_word && estimate_answered(app, engine, text, c).await? {
            return Ok(());
        }
    }
    let conversation = sms_conversation(app, profile, text.from).await?;
    if opted_out {
        tracing::info!(from = %text.from, "text from an opted-out contact: recorded, not answered");
        return super::record_only(app, conversation, text.body, text.sid).await;
    }
    let mut said = text.body.to_string();
    if let Some(appt) = next_appointment(app, engine, contact.as_ref().map(|c| c.id)).await? {
        if matches!(word.as_str(), "C" | "CONFIRM" | "CONFIRMED") {
            return confirm(app, engine, text, &appt).await;
        }
        if matches!(word.as_str(), "R" | "RESCHEDULE") {
            said = "I need to reschedule my appointment".to_string();
        }
    }
    let index = profile
        .business
        .phones
        .iter()
        .position(|p| p == text.to)
        .unwrap_or(0);
    let line = Line::new(Channel::Sms).texting_from(index);
    text_in(app, engine, line, conversation, &said, text.sid).await?;
    Ok(())
}

/// STOP and its synonyms: the sender is opted out and told so, with how to opt back in. A bare
/// CANCEL from someone with an appointment may have meant the appointment: the shop gets a task
/// to call them, and the text says how to cancel it.
async fn opt_out(
    app: &App,
    engine: &Engine,
    text: IncomingText<'_>,
    word: &str,
) -> anyhow::Result<()> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let now = app.clock.now();
    let contact = app.store.upsert_contact(business, text.from, now).await?;
    app.store
        .set_opt_out(business, text.from, true, now)
        .await?;
    app.store
        .audit(
            Some(business),
            "caller",
            "contact.opted_out",
            &json!({"phone": text.from, "keyword": word}),
            now,
        )
        .await?;
    crate::briefings::emit(
        app,
        profile,
        "contact.opted_out",
        json!({"phone": text.from}),
        text.sid,
    )
    .await?;
    let number = profile.business.phones.first().cloned().unwrap_or_default();
    let mut body = format!(
        "You're unsubscribed from {} texts and won't get any more. Reply START to get them again.",
        profile.business.name
    );
    let appointment = next_appointment(app, engine, Some(contact.id)).await?;
    if word == "CANCEL"
        && let Some(appt) = &appointment
    {
        body.push_str(&format!(
            " Your appointment is still booked: to cancel it, call us at {number}."
        ));
        let task = crate::store::NewTask {
            business_id: business.clone(),
            contact_id: Some(contact.id),
            conversation_id: None,
            kind: crate::store::TaskKind::Callback,
            urgency: "normal".into(),
            title: format!(
                "{} texted CANCEL: did they mean their appointment?",
                text.from
            ),
            context: json!({"appointment": appt.id, "text": text.body}),
            at: now,
            key: Some(format!("cancel:{}", text.sid)),
        };
        app.store.create_task(&task).await?;
    }
    let sms = SmsJob::new(text.from, text.to, &body, "opted_out");
    outbox::enqueue(app, business, &sms, &format!("optout:{}", text.sid), None).await?;
    Ok(())
}

/// "C" to a reminder: the appointment is confirmed and the customer told so.
async fn confirm(
    app: &App,
    engine: &Engine,
    text: IncomingText<'_>,
    appt: &Appointment,
) -> anyhow::Result<()> {
    let profile = engine.profile();
    let now = app.clock.now();
    if crate::booking::confirm(app, profile, appt.id, "caller")
        .await?
        .is_none()
    {
        return Ok(());
    }
    let service = profile
        .service(&appt.service_id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| appt.service_id.clone());
    let when = frontdesk_engine::speak::when_near(appt.start, now, &profile.business.timezone);
    let body = format!("Thanks, you're confirmed for {service} {when}. See you then!");
    let sms = SmsJob::new(text.from, text.to, &body, "confirmed");
    let key = format!("reply:{}", text.sid);
    outbox::enqueue(app, &profile.business.id, &sms, &key, None).await?;
    Ok(())
}

/// A text from a customer with an estimate waiting for their answer: recorded as that answer
/// (see [`crate::repair::answer_estimate`]) and replied to. False when no estimate waits.
async fn estimate_answered(
    app: &App,
    engine: &Engine,
    text: IncomingText<'_>,
    contact: &Contact,
) -> anyhow::Result<bool> {
    let profile = engine.profile();
    let business = &profile.business.id;
    let mut waiting = None;
    for a in app
        .store
        .appointments_of_contact(business, contact.id)
        .await?
    {
        if a.work.as_ref().map(|w| w.status)
            != Some(frontdesk_profile::WorkStatus::WaitingOnApproval)
        {
            continue;
        }
        if let Some(e) = crate::repair::open_estimate(app, profile, &a).await? {
            waiting = Some((a, e));
            break;
        }
    }
    let Some((appt, estimate)) = waiting else {
        return Ok(false);
    };
    let conversation = sms_conversation(app, profile, text.from).await?;
    // Mid-conversation (a read-back waiting for its yes, a question asked), the text is the
    // conversation's, not the estimate's.
    let talking = app
        .store
        .conversation(business, conversation)
        .await?
        .and_then(|c| serde_json::from_value::<State>(c.state).ok())
        .is_some_and(|s| s.awaiting != frontdesk_engine::state::Awaiting::Nothing);
    if talking {
        return Ok(false);
    }
    let now = app.clock.now();
    let answer = crate::repair::read_answer(text.body);
    let (_, fresh) = app
        .store
        .append_turn(&NewTurn {
            conversation_id: conversation,
            speaker: Speaker::Caller,
            text: text.body.to_string(),
            understanding: Some(json!({"estimate": estimate.id, "answer": answer})),
            flow: Some("estimate".into()),
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(text.sid.to_string()),
            at: now,
        })
        .await?;
    let reply = if fresh {
        crate::repair::answer_estimate(app, profile, &appt, &estimate, contact, answer, text.body)
            .await?
    } else {
        None
    };
    let Some(reply) = reply else {
        // A redelivery, or a second yes after the first was taken: answered with nothing, so
        // the next text does not make the assistant answer it.
        super::mark_answered(app, conversation, text.sid).await?;
        return Ok(true);
    };
    crate::repair::text_customer(
        app,
        profile,
        contact,
        &reply,
        "reply",
        // The runtime's own mark of an answered input: the text is not answered again.
        &format!("{}#reply", text.sid),
    )
    .await?;
    Ok(true)
}

/// The contact's next appointment that still holds its slot, if any.
async fn next_appointment(
    app: &App,
    engine: &Engine,
    contact: Option<Uuid>,
) -> anyhow::Result<Option<Appointment>> {
    let Some(contact) = contact else {
        return Ok(None);
    };
    let now = app.clock.now();
    Ok(app
        .store
        .appointments_of_contact(&engine.profile().business.id, contact)
        .await?
        .into_iter()
        .filter(|a| a.start > now && a.status.holds_slot())
        .min_by_key(|a| a.start))
}

/// The SMS conversation of a number for a business-local day: texts on one day continue it.
pub async fn sms_conversation(app: &App, profile: &Profile, phone: &str) -> anyhow::Result<Uuid> {
    let now = app.clock.now();
    let day = now.to_zoned(profile.business.timezone.clone()).date();
    let contact = app
        .store
        .upsert_contact(&profile.business.id, phone, now)
        .await?;
    Ok(app
        .store
        .open_conversation(&NewConversation {
            business_id: profile.business.id.clone(),
            contact_id: Some(contact.id),
            channel: Channel::Sms,
            external_id: Some(format!("sms:{phone}:{day}")),
            started_at: now,
        })
        .await?
        .id)
}
