//! The shared inbox's rules: a staff member replying in a text thread as themselves (signed with
//! their first name, sent through the outbox), which pauses the assistant on that thread for the
//! profile's `takeover_hours` or until staff hand it back; while paused, the customer's texts are
//! recorded and reach staff at once instead of being answered (STOP and HELP still work, in
//! `runtime::texts`).

use frontdesk_profile::Profile;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use uuid::Uuid;

use crate::app::App;
use crate::outbox::{self, SmsJob};
use crate::store::{Contact, NewTurn, Speaker};

/// The longest staff reply, in characters (a few SMS segments).
const REPLY_MAX: usize = 600;

/// How a staff reply ended.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffReply {
    /// Queued; the assistant is paused on the thread until then.
    Sent {
        paused_until: Timestamp,
    },
    /// The same form was submitted twice: the first reply stands.
    Duplicate,
    /// The customer opted out of texts: nothing is sent.
    OptedOut,
    Invalid(String),
}

/// The first name staff sign with, from their sign-in email ("maria.lopez@shop" → "Maria").
pub fn first_name(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let first = local
        .split(['.', '_', '-', '+'])
        .find(|p| !p.is_empty())
        .unwrap_or("Staff");
    let mut c = first.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
        None => "Staff".to_string(),
    }
}

/// Whether staff took the contact's thread over and it has not been handed back or run out.
pub fn paused(contact: &Contact, now: Timestamp) -> bool {
    contact.paused_until.is_some_and(|until| until > now)
}

/// A staff member's reply in a contact's text thread: recorded under their name, sent signed,
/// and the assistant paused on the thread. `nonce` comes from the form, so a resubmitted form
/// sends nothing twice.
pub async fn staff_reply(
    app: &App,
    profile: &Profile,
    contact: &Contact,
    staff: &str,
    actor: &str,
    text: &str,
    nonce: &str,
) -> anyhow::Result<StaffReply> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > REPLY_MAX {
        return Ok(StaffReply::Invalid(format!(
            "a reply must be 1 to {REPLY_MAX} characters"
        )));
    }
    if contact.opted_out {
        return Ok(StaffReply::OptedOut);
    }
    let business = &profile.business.id;
    let now = app.clock.now();
    let conversation =
        crate::runtime::texts::sms_conversation(app, profile, &contact.phone).await?;
    let body = format!("{text} -{staff}");
    let from = profile.business.phones.first().cloned().unwrap_or_default();
    let key = format!("staff:{}:{nonce}", contact.id);
    // Recorded first, then queued, both under the form's key: a crash in between loses
    // nothing on the retry, and a resubmitted form records and sends nothing twice.
    let (_, fresh) = app
        .store
        .append_turn(&NewTurn {
            conversation_id: conversation,
            speaker: Speaker::Staff,
            text: body.clone(),
            understanding: Some(json!({"staff": staff})),
            flow: Some("staff".into()),
            effects: Vec::new(),
            processing_us: None,
            dedupe_key: Some(key.clone()),
            at: now,
        })
        .await?;
    let sms = SmsJob::new(&contact.phone, &from, &body, "staff").in_conversation(conversation);
    let queued = outbox::enqueue(app, business, &sms, &key, None).await?;
    if !fresh && !queued {
        return Ok(StaffReply::Duplicate);
    }
    let hours = i64::from(profile.inbox.takeover_hours);
    let until = now.checked_add(SignedDuration::from_hours(hours))?;
    app.store
        .set_paused(business, contact.id, Some(until), Some(staff))
        .await?;
    app.store.mark_read(business, conversation, now).await?;
    app.store
        .audit(
            Some(business),
            actor,
            "inbox.staff_reply",
            &json!({"contact": contact.id, "conversation": conversation, "until": until.to_string()}),
            now,
        )
        .await?;
    Ok(StaffReply::Sent {
        paused_until: until,
    })
}

/// Staff hand the thread back: the assistant answers the contact's next text again.
pub async fn hand_back(
    app: &App,
    profile: &Profile,
    contact_id: Uuid,
    actor: &str,
) -> anyhow::Result<()> {
    let business = &profile.business.id;
    let now = app.clock.now();
    app.store
        .set_paused(business, contact_id, None, None)
        .await?;
    app.store
        .audit(
            Some(business),
            actor,
            "inbox.handed_back",
            &json!({"contact": contact_id}),
            now,
        )
        .await?;
    Ok(())
}

/// Tells staff at once about something a customer said that waits on them.
pub async fn notify_staff(
    app: &App,
    profile: &Profile,
    contact: &Contact,
    outcome: &str,
    words: &str,
    key: &str,
) -> anyhow::Result<()> {
    let link = app.settings.public_url.as_ref().map(|u| {
        format!(
            "{}/b/{}/messages/{}",
            u.trim_end_matches('/'),
            profile.business.id,
            contact.id
        )
    });
    let briefing = frontdesk_notify::Briefing {
        business: profile.business.name.clone(),
        caller_name: contact.name.clone(),
        caller_phone: Some(contact.phone.clone()),
        about: words.chars().take(160).collect(),
        outcome: outcome.to_string(),
        appointment: None,
        task: None,
        summary: format!("\"{}\"", words.chars().take(300).collect::<String>()),
        urgent: false,
        link,
    };
    crate::briefings::fan_out_at_once(app, profile, &briefing, &format!("inbox:{key}")).await
}

/// A text from a contact whose thread staff took over: recorded in the thread and passed to
/// staff at once; the assistant says nothing.
pub async fn held_for_staff(
    app: &App,
    profile: &Profile,
    contact: &Contact,
    body: &str,
    sid: &str,
) -> anyhow::Result<()> {
    let conversation =
        crate::runtime::texts::sms_conversation(app, profile, &contact.phone).await?;
    crate::runtime::record_only(app, conversation, body, sid).await?;
    let staff = contact.paused_by.clone().unwrap_or_else(|| "staff".into());
    notify_staff(
        app,
        profile,
        contact,
        &format!("texted on the thread {staff} took over"),
        body,
        sid,
    )
    .await
}
