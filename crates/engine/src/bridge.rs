//! Adapters from the business profile to the inputs of the understanding layer (a
//! [`Lexicon`]) and of the scheduler ([`Rules`]).

use frontdesk_nlu::{FaqTerm, Lexicon, ServiceTerm};
use frontdesk_profile::Profile;
use frontdesk_schedule::Rules;

/// The vocabulary callers use for this business: service names and aliases, FAQ titles.
pub fn lexicon(profile: &Profile) -> Lexicon {
    let services = profile
        .services
        .iter()
        .map(|s| ServiceTerm {
            id: s.id.clone(),
            name: s.name.clone(),
            aliases: s.aliases.clone(),
        })
        .collect();
    let faqs = profile
        .faqs
        .iter()
        .map(|f| FaqTerm {
            id: f.id.clone(),
            question: f.question.clone(),
            keywords: f.keywords.clone(),
        })
        .collect();
    Lexicon::new(services, faqs)
}

/// The booking rules of the business, in the scheduler's terms.
pub fn rules(profile: &Profile) -> Rules {
    Rules {
        zone: profile.business.timezone.clone(),
        weekly: profile.hours.week.clone(),
        closed_dates: profile.hours.closed_dates.clone(),
        bays: profile.booking.bays,
        slot_minutes: profile.booking.slot_minutes,
        buffer_minutes: profile.booking.buffer_minutes,
        min_notice_minutes: profile.booking.min_notice_minutes,
        max_days_ahead: profile.booking.max_days_ahead,
    }
}
