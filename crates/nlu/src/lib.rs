//! Built-in understanding: turns one caller utterance, with the business-local clock and what the
//! assistant just asked, into a typed [`Understanding`] (intents, services, a resolved time
//! expression, name, vehicle, mileage, phone, urgency). It does no I/O and never panics on any
//! input; the engine, the language-model layer and `frontdesk eval` all share these types.
//!
//! The profile-specific vocabulary (service names and aliases, FAQ titles) comes in as a
//! [`Lexicon`] built once per profile, so this crate knows nothing about auto repair.

use jiff::civil::{DateTime, Weekday};
use serde::{Deserialize, Serialize};

/// The fourteen intents the engine acts on. FAQ matches are reported separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Book,
    Reschedule,
    Cancel,
    Price,
    Hours,
    Location,
    Human,
    Emergency,
    Affirm,
    Deny,
    Greet,
    Goodbye,
    Thanks,
    Repeat,
}

/// What the assistant asked in its previous turn; it changes how a bare answer is read
/// ("Sam" after "what's your name?", "eight" after "what time?").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asked {
    Time,
    Date,
    Name,
    Confirm,
    Service,
    Vehicle,
    Phone,
}

/// Duckling-compatible grain of a resolved time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// How a time expression bounds the wanted time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// A point of one grain ("tomorrow at 8", "Thursday", "next week") or a closed interval
    /// ("this afternoon", "2 to 4") when `end` is set.
    Exact,
    /// Open after `start`: "after 5", "from Monday on".
    After,
    /// Open before `start`: "before noon", "by Friday".
    Before,
}

/// A time expression found in the utterance, resolved in business-local wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// The words it was read from, as written.
    pub text: String,
    /// Resolved start (business-local, no offset), Duckling-compatible.
    pub start: DateTime,
    pub grain: Grain,
    /// Exclusive end, for intervals only ("this afternoon" → 12:00..19:00).
    pub end: Option<DateTime>,
    pub bound: Bound,
    /// A calendar day was said (explicitly or relatively: "Thursday", "tomorrow", "the 14th").
    pub has_date: bool,
    /// A time of day was said ("2 PM", "after 5", "morning").
    pub has_clock: bool,
    /// "ASAP", "as soon as possible", "soonest", "right away": `start` is now.
    pub asap: bool,
    /// "any day but Friday": weekdays the caller excluded. Said alone, the expression starts
    /// today (grain day) with `bound = After`.
    #[serde(with = "weekday_names")]
    pub except_weekdays: Vec<Weekday>,
    /// "no, make it Friday", "actually Thursday instead": replaces an earlier time.
    pub correction: bool,
    /// Only a time in a time context ("morning" alone); set when read without `asked = time`.
    pub latent: bool,
}

impl TimeExpr {
    /// One exact minute with a date and a clock ("Thursday at 7:30 AM"), as the flow makes
    /// them itself (an appointment's own time, a shifted one); `text` is what it was made from.
    pub fn exact_at(start: DateTime, text: impl Into<String>) -> TimeExpr {
        TimeExpr {
            text: text.into(),
            start,
            grain: Grain::Minute,
            end: None,
            bound: Bound::Exact,
            has_date: true,
            has_clock: true,
            asap: false,
            except_weekdays: Vec::new(),
            correction: false,
            latent: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Canonical make ("Chevrolet" for "chevy").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    /// Canonical model ("F-150", "Civic").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    #[default]
    Normal,
    /// Upset or angry caller: be careful, offer a person.
    Upset,
    /// Danger or stranded: smoke, fire, accident, brakes gone, stuck on the highway.
    Emergency,
}

/// Everything understood from one utterance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    /// Intents in the order they appear, without duplicates.
    pub intents: Vec<Intent>,
    /// Ids of the profile's FAQs the utterance asks about, best first.
    pub faqs: Vec<String>,
    /// Ids of the profile's services mentioned, in order of mention.
    pub services: Vec<String>,
    pub time: Option<TimeExpr>,
    /// The caller's own name (or the name a booking is under).
    pub name: Option<String>,
    pub vehicle: Option<Vehicle>,
    pub mileage: Option<u32>,
    /// A phone number said or typed, E.164 (US/Canada numbers assumed for 10 digits).
    pub phone: Option<String>,
    pub urgency: Urgency,
}

/// One service as callers may name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTerm {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
}

/// One FAQ as callers may ask it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqTerm {
    pub id: String,
    pub question: String,
    pub keywords: Vec<String>,
}

/// The inputs that vary per utterance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Business-local wall-clock time now.
    pub now: DateTime,
    pub asked: Option<Asked>,
}

pub mod claims;
pub mod cues;
pub mod eval;
mod intent;
mod name;
mod normalize;
mod phone;
mod service;
mod time;
mod urgency;
pub use urgency::names_a_danger;
mod vehicle;

pub use cues::Cues;
pub use service::{Lexicon, ServiceMatch};

/// A weekday or month word ("Jan", "Friday"), which writers capitalise even in casual text.
pub(crate) fn is_time_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "may"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "oct"
            | "nov"
            | "dec"
            | "january"
            | "february"
            | "march"
            | "april"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// Reads one utterance. Never panics and never loops, whatever `text` holds; text longer than
/// a few kilobytes is read only in its first part (a caller turn is never that long).
pub fn understand(text: &str, ctx: &Context, lex: &Lexicon) -> Understanding {
    understand_with_offset(text, ctx, lex, None)
}

/// [`understand`], knowing the business's current UTC offset in seconds, so that a time said in
/// another zone ("Thursday 8:00 GMT", "9 am PST") is converted to business-local time. Without
/// an offset such zone names are ignored and the time is read as local.
pub fn understand_with_offset(
    text: &str,
    ctx: &Context,
    lex: &Lexicon,
    utc_offset_seconds: Option<i32>,
) -> Understanding {
    understand_with_cues(text, ctx, lex, utc_offset_seconds).0
}

/// [`understand_with_offset`] and the conversation [`Cues`] of the same words, read from one
/// normalisation.
pub fn understand_with_cues(
    text: &str,
    ctx: &Context,
    lex: &Lexicon,
    utc_offset_seconds: Option<i32>,
) -> (Understanding, Cues) {
    let norm = normalize::Normalized::new(text);
    let cues = cues::read_normalized(&norm);
    let time = time::find(&norm, ctx, utc_offset_seconds);
    let services = lex.services_in(&norm);
    let faqs = lex.faqs_in(&norm);
    let urgency = urgency::detect(&norm);
    let mut intents = intent::detect(&norm, ctx, time.as_ref(), !services.is_empty());
    if urgency == Urgency::Emergency && !intents.contains(&Intent::Emergency) {
        intents.push(Intent::Emergency);
    }
    let u = Understanding {
        intents,
        faqs,
        services,
        time,
        name: name::find(&norm, ctx),
        vehicle: vehicle::find(&norm).or_else(|| {
            // "it's a 2015" after "what car is it?": a year is a model year.
            (ctx.asked == Some(Asked::Vehicle))
                .then(|| vehicle::year_alone(&norm, ctx.now.year()))
                .flatten()
        }),
        mileage: vehicle::mileage(&norm),
        phone: phone::find(&norm),
        urgency,
    };
    (u, cues)
}

/// Serialises weekdays as lowercase English names ("friday"); jiff's `Weekday` has no serde impl.
mod weekday_names {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::SerializeSeq};

    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];

    pub fn serialize<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(days.len()))?;
        for day in days {
            let name = NAMES.iter().find(|(_, d)| d == day).map(|(n, _)| *n);
            seq.serialize_element(&name.unwrap_or("monday"))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        names
            .iter()
            .map(|n| {
                NAMES
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(n))
                    .map(|(_, d)| *d)
                    .ok_or_else(|| D::Error::custom(format!("unknown weekday {n:?}")))
            })
            .collect()
    }
}
