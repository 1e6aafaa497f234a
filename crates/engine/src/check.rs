//! The engine checks its own replies before it hands them over: every amount, clock time, date
//! and phone number in a reply or a text it composed must be one the flow supplied — a price on
//! the menu, the shop's hours, a slot the scheduler offered, an appointment the caller has, the
//! time the caller asked about, the shop's or the caller's own number, or what the owner wrote
//! (FAQ answers, templates). A sentence that states anything else is dropped (a reply with
//! nothing left says [`FALLBACK`]; a text with nothing left is not sent), and the step says what
//! was caught ([`Step::screened`](crate::Step::screened)) so the runtime can log it, count it and,
//! when a model's reading shaped the turn, answer from the built-in reading instead. The claims
//! are read by `frontdesk_nlu::claims`.

use frontdesk_nlu::Understanding;
use frontdesk_nlu::claims::{Allowed, check_reply};
use frontdesk_profile::{Price, Profile};
use jiff::civil::Weekday;
use jiff::{Timestamp, ToSpan as _};

use crate::{Caller, Effect, State, Step, TurnContext};

/// Said instead of a reply none of whose sentences passed the check.
pub const FALLBACK: &str = "Sorry, I didn't get that right. Could you say that again?";

/// What any reply of this profile may state: its prices, what its owner wrote (service names
/// and descriptions, FAQs, templates, the after-hours message, the name and address), its
/// hours, closed dates and phone numbers. Reading the owner's text is the costly part of a
/// check, so the engine makes this once and [`allowed`] adds each turn's own.
pub fn profile_allowed(profile: &Profile) -> Allowed {
    let mut a = Allowed::default();
    for s in &profile.services {
        match &s.price {
            Price::Fixed { cents } => a.amounts_cents.push(*cents),
            Price::Range {
                min_cents,
                max_cents,
                depends_on,
            } => {
                a.amounts_cents.extend([*min_cents, *max_cents]);
                a.trust(depends_on);
            }
            Price::Free => a.amounts_cents.push(0),
            Price::Quote { depends_on } => a.trust(depends_on),
        }
        a.trust(&s.name);
        if let Some(d) = &s.description {
            a.trust(d);
        }
    }
    for f in &profile.faqs {
        a.trust(&f.question);
        a.trust(&f.answer);
    }
    for key in frontdesk_profile::TemplateKey::ALL {
        a.trust(profile.template(key));
    }
    if let Some(m) = &profile.after_hours.message {
        a.trust(m);
    }
    for text in [&profile.business.name, &profile.business.address] {
        a.trust(text);
    }
    for shifts in &profile.hours.week {
        for (open, close) in shifts {
            a.times.extend([*open, *close]);
        }
    }
    a.dates.extend(profile.hours.closed_dates.iter().copied());
    a.weekdays.extend([
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]);
    a.phones.extend(profile.business.phones.iter().cloned());
    a.phones.extend(profile.business.shop_phone.iter().cloned());
    a
}

/// What this turn's reply may state: the profile's part (`base`, from [`profile_allowed`]) and
/// what the flow supplied. `states` and `callers` are the conversation's state and the caller
/// as the turn began and as it ended: a slot chosen earlier, or an appointment just cancelled,
/// may be named in the turn that lets go of it ("I've put in your request for Thursday at 2 PM").
pub fn allowed(
    base: &Allowed,
    profile: &Profile,
    states: &[&State],
    callers: &[&Caller],
    understanding: Option<&Understanding>,
    effects: &[Effect],
    now: Timestamp,
) -> Allowed {
    let mut a = base.clone();
    let zone = &profile.business.timezone;
    for caller in callers {
        a.phones.extend(caller.phone.iter().cloned());
    }
    // Instants the flow computed: offers, the chosen slot, the caller's appointments, what this
    // turn booked or moved.
    let mut instants: Vec<Timestamp> = vec![now];
    for state in states {
        a.phones.extend(state.phone.iter().cloned());
        if let Some(d) = &state.draft {
            instants.extend(d.offers.iter().flat_map(|s| [s.start, s.end]));
            instants.extend(d.chosen.iter().flat_map(|s| [s.start, s.end]));
        }
        if let Some(c) = &state.change {
            instants.extend(c.offers.iter().flat_map(|s| [s.start, s.end]));
            instants.extend(c.chosen.iter().flat_map(|s| [s.start, s.end]));
            instants.extend(c.appointment.iter().flat_map(|v| [v.start, v.end]));
        }
    }
    for caller in callers {
        instants.extend(caller.upcoming.iter().flat_map(|v| [v.start, v.end]));
        // A car at the shop: staff's note, the time they expect, the estimate they sent.
        for w in caller
            .in_shop
            .iter()
            .chain(caller.shop_cars.iter().map(|c| &c.work))
        {
            instants.extend(w.expected);
            if let Some(note) = &w.note {
                a.trust(note);
            }
            if let Some((cents, what)) = &w.estimate {
                a.amounts_cents.push(*cents);
                a.trust(what);
            }
        }
    }
    for e in effects {
        match e {
            Effect::Book { start, end, .. } | Effect::Reschedule { start, end, .. } => {
                instants.extend([*start, *end])
            }
            _ => {}
        }
    }
    for ts in instants {
        let local = zone.to_datetime(ts);
        a.dates.push(local.date());
        a.times.push(local.time());
    }
    if let Ok(tomorrow) = zone.to_datetime(now).date().checked_add(1.day()) {
        a.dates.push(tomorrow);
    }
    // What the caller asked about may be named back ("we're closed on Thursday, November 26").
    let asked = understanding
        .and_then(|u| u.time.as_ref())
        .into_iter()
        .chain(
            states
                .iter()
                .filter_map(|s| s.draft.as_ref().and_then(|d| d.want.as_ref())),
        );
    for t in asked {
        for dt in std::iter::once(t.start).chain(t.end) {
            a.dates.push(dt.date());
            a.times.push(dt.time());
        }
    }
    a
}

/// Screens a finished step: its texts and its reply, against what the flow supplied between
/// `before` and the step's own state. What was caught is listed in `step.screened`.
pub(crate) fn screen(
    profile: &Profile,
    base: &Allowed,
    before: &State,
    ctx: &TurnContext,
    step: &mut Step,
) {
    let allowed = allowed(
        base,
        profile,
        &[before, &step.state],
        &[ctx.caller],
        step.understanding.as_ref(),
        &step.effects,
        ctx.now,
    );
    let mut caught = Vec::new();
    step.effects.retain_mut(|e| match e {
        Effect::SendSms { body, purpose, .. } => match check_reply(body, &allowed) {
            Ok(()) => true,
            Err(v) => {
                caught.push(format!("text ({purpose}): {v}"));
                match redact(body, &allowed) {
                    Some(kept) => {
                        *body = kept;
                        true
                    }
                    None => false,
                }
            }
        },
        _ => true,
    });
    if !step.reply.is_empty()
        && let Err(v) = check_reply(&step.reply, &allowed)
    {
        caught.push(format!("reply: {v}"));
        let safe = redact(&step.reply, &allowed).unwrap_or_else(|| FALLBACK.to_string());
        if step.state.last_reply == step.reply {
            step.state.last_reply = safe.clone();
        }
        if let Some(line) = step.state.transcript.last_mut()
            && line.who == "assistant"
            && line.text == step.reply
        {
            line.text = safe.clone();
        }
        step.reply = safe;
    }
    step.screened = caught;
}

/// Whether the step's reply (not a text) was caught.
pub fn reply_caught(step: &Step) -> bool {
    step.screened.iter().any(|c| c.starts_with("reply:"))
}

/// The text without the sentences that state what was not allowed; `None` when none is left
/// (a reply then says [`FALLBACK`], a text is not sent).
pub fn redact(text: &str, allowed: &Allowed) -> Option<String> {
    let kept: Vec<&str> = sentences(text)
        .into_iter()
        .filter(|s| check_reply(s, allowed).is_ok())
        .collect();
    let kept = kept.join(" ");
    (!kept.trim().is_empty()).then_some(kept)
}

/// Splits after `.`, `?` or `!` followed by a space; the pieces keep their punctuation.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '?' | '!') && bytes.get(i + 1).is_some_and(|b| *b == b' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_nlu::claims::Allowed;

    #[test]
    fn a_reply_loses_only_the_sentence_that_states_an_invented_price() {
        let mut a = Allowed::default();
        a.amounts_cents.push(4999);
        assert_eq!(
            redact(
                "An oil change is $49.99. Brakes are free today, $0! Want me to book it?",
                &a
            )
            .as_deref(),
            Some("An oil change is $49.99. Want me to book it?")
        );
        assert_eq!(redact("Brakes are $0.", &a), None);
    }
}
