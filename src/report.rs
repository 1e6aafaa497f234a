//! The owner's figures for a period: calls and texts received and answered, appointments booked
//! and their estimated value, top questions, open callbacks, response times, and for a month
//! the booking rate, after-hours share and recovered revenue. `frontdesk report`, the daily
//! summary and the dashboard all use these numbers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use frontdesk_profile::Profile;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

use crate::store::{Channel, Range, Speaker, Store, TaskKind};

/// The figures of one period, business-local dates `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub from: String,
    pub to: String,
    pub calls: u64,
    pub texts: u64,
    pub web: u64,
    /// Conversations where the caller got an answer (not hung up unheard).
    pub answered: u64,
    pub missed: u64,
    /// Appointments the assistant booked in the period.
    pub booked: u64,
    /// `booked` at the profile's average ticket.
    pub booked_value_cents: i64,
    /// What callers asked about most: intents, FAQs and services, with counts.
    pub top_questions: Vec<(String, u64)>,
    /// Callback and manual-booking tasks still open now.
    pub open_callbacks: u64,
    /// The assistant's own processing time per reply, milliseconds.
    pub median_response_ms: f64,
    pub p95_response_ms: f64,
    /// Conversations started outside opening hours, as a share of all.
    pub after_hours_share: f64,
    pub after_hours: u64,
    /// Answered conversations that ended in a booking.
    pub booking_rate: f64,
    /// Bookings made outside opening hours (calls a shop would have missed) at the average ticket.
    pub recovered_revenue_cents: i64,
}

fn day_start(profile: &Profile, date: Date) -> Timestamp {
    date.to_zoned(profile.business.timezone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn percentile(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

/// Computes the figures for business-local dates `[from, to)`.
pub async fn figures(
    store: &dyn Store,
    profile: &Profile,
    from: Date,
    to: Date,
) -> anyhow::Result<Figures> {
    let business = &profile.business.id;
    let range = Range {
        from: day_start(profile, from),
        to: day_start(profile, to),
    };
    let conversations = store.conversations(business, range, 100_000).await?;
    let mut f = Figures {
        from: from.to_string(),
        to: to.to_string(),
        ..Figures::default()
    };
    let mut asked: BTreeMap<String, u64> = BTreeMap::new();
    let mut response_us: Vec<i64> = Vec::new();
    let mut booked_conversations = 0u64;
    // Simulated calls (terminal chat, the dashboard's "try a call") are not the shop's traffic.
    let conversations: Vec<_> = conversations
        .into_iter()
        .filter(|c| c.channel != Channel::Chat)
        .collect();
    for c in &conversations {
        match c.channel {
            Channel::Voice => f.calls += 1,
            Channel::Sms => f.texts += 1,
            Channel::Web | Channel::Chat => f.web += 1,
        }
        if c.outcome.as_deref() == Some("missed") {
            f.missed += 1;
        } else {
            f.answered += 1;
        }
        if !profile.is_open(c.started_at) {
            f.after_hours += 1;
        }
        let turns = store.turns(c.id).await?;
        if turns
            .iter()
            .any(|t| t.effects.iter().any(|e| e["kind"] == "book"))
        {
            booked_conversations += 1;
        }
        for t in turns {
            match t.speaker {
                Speaker::Assistant => response_us.extend(t.processing_us),
                Speaker::Caller => {
                    let Some(u) = t.understanding else { continue };
                    let mut topics: Vec<String> = Vec::new();
                    for key in ["intents", "faqs", "services"] {
                        for v in u.get(key).and_then(|v| v.as_array()).into_iter().flatten() {
                            if let Some(s) = v.as_str()
                                && !matches!(
                                    s,
                                    "affirm"
                                        | "deny"
                                        | "greet"
                                        | "goodbye"
                                        | "thanks"
                                        | "repeat"
                                        | "book"
                                )
                            {
                                let label = profile
                                    .service(s)
                                    .map(|svc| svc.name.clone())
                                    .or_else(|| profile.faq(s).map(|q| q.question.clone()))
                                    .unwrap_or_else(|| s.to_string());
                                topics.push(label);
                            }
                        }
                    }
                    topics.dedup();
                    for topic in topics {
                        *asked.entry(topic).or_default() += 1;
                    }
                }
                Speaker::System | Speaker::Staff => {}
            }
        }
    }
    let total = conversations.len() as f64;
    f.after_hours_share = if total > 0.0 {
        f.after_hours as f64 / total
    } else {
        0.0
    };
    f.booking_rate = if f.answered > 0 {
        booked_conversations as f64 / f.answered as f64
    } else {
        0.0
    };
    let booked = store.appointments_created(business, range).await?;
    let assistant_booked: Vec<_> = booked
        .iter()
        .filter(|a| matches!(a.source.as_str(), "voice" | "sms" | "chat" | "web"))
        .collect();
    f.booked = assistant_booked.len() as u64;
    f.booked_value_cents = f.booked as i64 * profile.business.average_ticket_cents;
    let after_hours_bookings = assistant_booked
        .iter()
        .filter(|a| !profile.is_open(a.created_at))
        .count() as i64;
    f.recovered_revenue_cents = after_hours_bookings * profile.business.average_ticket_cents;
    f.open_callbacks = store
        .tasks(business, true)
        .await?
        .iter()
        .filter(|t| matches!(t.kind, TaskKind::Callback | TaskKind::ManualBooking))
        .count() as u64;
    response_us.sort_unstable();
    f.median_response_ms = percentile(&response_us, 0.5);
    f.p95_response_ms = percentile(&response_us, 0.95);
    let mut top: Vec<(String, u64)> = asked.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(5);
    f.top_questions = top;
    Ok(f)
}

/// Figures for one business-local day.
pub async fn day(store: &dyn Store, profile: &Profile, date: Date) -> anyhow::Result<Figures> {
    figures(store, profile, date, date.tomorrow()?).await
}

/// Figures for one business-local month.
pub async fn month(
    store: &dyn Store,
    profile: &Profile,
    year: i16,
    month: i8,
) -> anyhow::Result<Figures> {
    let first = jiff::civil::date(year, month, 1);
    figures(store, profile, first, first.checked_add(1.month())?).await
}

fn dollars(cents: i64) -> String {
    frontdesk_profile::dollars(cents)
}

/// The figures as the owner reads them (the daily summary's body, and `frontdesk report`).
pub fn render(profile: &Profile, f: &Figures, monthly: bool) -> String {
    let mut out = String::new();
    let title = if monthly {
        "Monthly report"
    } else {
        "Daily summary"
    };
    let _ = writeln!(
        out,
        "{title} for {}: {} to {}",
        profile.business.name, f.from, f.to
    );
    let _ = writeln!(
        out,
        "Calls {}, texts {}, web leads {}; answered {} ({} missed).",
        f.calls, f.texts, f.web, f.answered, f.missed
    );
    let _ = writeln!(
        out,
        "Appointments booked: {} (about {} at your average ticket).",
        f.booked,
        dollars(f.booked_value_cents)
    );
    if f.top_questions.is_empty() {
        let _ = writeln!(out, "Top questions: none.");
    } else {
        let list: Vec<String> = f
            .top_questions
            .iter()
            .map(|(q, n)| format!("{q} ({n})"))
            .collect();
        let _ = writeln!(out, "Top questions: {}.", list.join(", "));
    }
    let _ = writeln!(out, "Callbacks still open: {}.", f.open_callbacks);
    let _ = writeln!(
        out,
        "Response time: median {:.1} ms, p95 {:.1} ms.",
        f.median_response_ms, f.p95_response_ms
    );
    if monthly {
        let _ = writeln!(
            out,
            "Booking rate: {:.0}%. After-hours share: {:.0}%.",
            f.booking_rate * 100.0,
            f.after_hours_share * 100.0
        );
        let _ = writeln!(
            out,
            "Recovered revenue (bookings made while you were closed): {}.",
            dollars(f.recovered_revenue_cents)
        );
    }
    out
}
