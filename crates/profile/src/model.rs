//! The business profile as the rest of frontdesk sees it: plain typed data, already checked.
//!
//! Nothing here parses or validates; [`crate::parse`] and [`crate::load`] build these values from
//! TOML and guarantee the invariants noted on each field (sorted, non-overlapping shifts; E.164
//! numbers; whole-cent prices; a real IANA zone).

use jiff::civil::{Date, Time};
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::templates::Templates;

/// One business: who it is, when it is open, what it sells, who to tell.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub business: Business,
    pub hours: Hours,
    pub after_hours: AfterHours,
    pub booking: BookingRules,
    pub services: Vec<Service>,
    pub faqs: Vec<Faq>,
    pub people: Vec<Person>,
    pub forwarding: Forwarding,
    pub followups: Followups,
    pub summary: SummaryPrefs,
    pub templates: Templates,
    pub calendar: Option<CalendarConfig>,
    pub webhooks: Vec<WebhookConfig>,
    pub leads: LeadsConfig,
    pub repair: RepairConfig,
    pub inbox: InboxConfig,
    /// The label of the file this profile came from (a path, or whatever `parse` was given).
    pub source: String,
    /// Warning-level findings (for example, nobody on call). Errors never reach a `Profile`.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// Identity and contact details of the business.
#[derive(Debug, Clone, Serialize)]
pub struct Business {
    /// A slug: lowercase letters, digits and `-`. Unique across a deployment.
    pub id: String,
    pub name: String,
    /// The numbers callers dial (E.164). Each is claimed by exactly one business per deployment.
    pub phones: Vec<String>,
    /// The shop's own landline (E.164), where a warm transfer or "call us" points, if any.
    pub shop_phone: Option<String>,
    pub address: String,
    pub website: Option<String>,
    pub review_link: Option<String>,
    #[serde(skip)]
    pub timezone: jiff::tz::TimeZone,
    /// The IANA name of `timezone`, e.g. `America/Chicago`.
    pub timezone_name: String,
    /// Languages the assistant may answer in, as ISO 639-1 codes (`en`, `es`).
    pub languages: Vec<String>,
    /// ISO 4217 code; prices are whole cents of this currency.
    pub currency: String,
    /// The shop's average repair order, used to put a price on a missed call.
    pub average_ticket_cents: i64,
}

/// Weekly opening hours in business-local time, plus dates the business is closed.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Hours {
    /// Index 0 is Monday, 6 is Sunday. Each day's shifts are sorted, non-overlapping, and each
    /// ends after it starts (no shift crosses midnight). An empty day is closed.
    pub week: [Vec<(Time, Time)>; 7],
    /// Whole days the business is closed regardless of the weekly hours (holidays), sorted.
    pub closed_dates: Vec<Date>,
}

impl Hours {
    /// The shifts on a weekday, ignoring closed dates.
    pub fn on(&self, weekday: jiff::civil::Weekday) -> &[(Time, Time)] {
        &self.week[usize::from(weekday.to_monday_zero_offset().unsigned_abs())]
    }

    /// The weekly hours as a caller hears them:
    /// "Mon–Fri 7:30 AM–12 PM and 1–6 PM, Sat 8 AM–1 PM, closed Sun".
    pub fn in_words(&self) -> String {
        crate::words::weekly_hours(self)
    }
}

/// What happens when someone calls while the business is closed.
#[derive(Debug, Clone, Serialize, Default)]
pub struct AfterHours {
    pub behaviour: AfterHoursBehaviour,
    /// Extra sentence said after hours (e.g. where the key drop box is).
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AfterHoursBehaviour {
    /// Offer real slots and book, and promise a callback for anything else.
    #[default]
    BookAndCallback,
    /// Take a message and promise a callback; never book after hours.
    CallbackOnly,
}

/// Rules the scheduler applies when offering and booking slots.
#[derive(Debug, Clone, Serialize)]
pub struct BookingRules {
    /// Granularity of offered start times, minutes (> 0).
    pub slot_minutes: u32,
    /// How many vehicles can be worked on at once (> 0).
    pub bays: u32,
    /// Minutes kept free after each appointment.
    pub buffer_minutes: u32,
    /// The earliest bookable start is this many minutes from now.
    pub min_notice_minutes: u32,
    /// The latest bookable day is this many days from today.
    pub max_days_ahead: u32,
    /// How many slots to offer at once (1..=6).
    pub offer_choices: u32,
    /// How many upcoming appointments one contact may hold at once (1..=50); past that, a
    /// booking becomes a request for the shop to confirm.
    pub max_open_per_contact: u32,
}

impl Default for BookingRules {
    fn default() -> Self {
        BookingRules {
            slot_minutes: 30,
            bays: 1,
            buffer_minutes: 0,
            min_notice_minutes: 60,
            max_days_ahead: 30,
            offer_choices: 3,
            max_open_per_contact: 3,
        }
    }
}

/// One line of the service menu.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// snake_case, unique within the profile.
    pub id: String,
    /// How the assistant says it ("oil change").
    pub name: String,
    /// Other ways callers say it. Unique across services, compared ignoring case and spaces.
    pub aliases: Vec<String>,
    pub price: Price,
    pub duration_minutes: u32,
    /// `false` means a technician has to look first: the assistant books an inspection or takes
    /// a callback instead of quoting a firm job.
    pub bookable: bool,
    /// What to ask the caller before booking.
    pub ask: Vec<AskField>,
    pub description: Option<String>,
}

/// A price in whole cents of the business currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Price {
    Fixed {
        cents: i64,
    },
    Range {
        min_cents: i64,
        max_cents: i64,
        /// What moves the price, phrased to follow "depending on" ("the oil your car takes").
        depends_on: String,
    },
    Free,
    /// Priced after a technician looks.
    Quote {
        depends_on: String,
    },
}

impl Price {
    /// The price as the assistant says it to a caller.
    ///
    /// `"$49.99"`, `"between $49.99 and $89.99, depending on the oil your car takes"`, `"free"`,
    /// `"we quote after a technician looks, since it depends on what's worn"`.
    pub fn spoken(&self) -> String {
        match self {
            Price::Fixed { cents } => dollars(*cents),
            Price::Range {
                min_cents,
                max_cents,
                depends_on,
            } => format!(
                "between {} and {}, depending on {depends_on}",
                dollars(*min_cents),
                dollars(*max_cents)
            ),
            Price::Free => "free".to_string(),
            Price::Quote { depends_on } => {
                format!("we quote after a technician looks, since it depends on {depends_on}")
            }
        }
    }

    /// The price as written on a menu: `"$49.99–$89.99, depends on the oil your car takes"`.
    pub fn written(&self) -> String {
        match self {
            Price::Fixed { cents } => dollars(*cents),
            Price::Range {
                min_cents,
                max_cents,
                depends_on,
            } => format!(
                "{}–{}, depends on {depends_on}",
                dollars(*min_cents),
                dollars(*max_cents)
            ),
            Price::Free => "free".to_string(),
            Price::Quote { depends_on } => {
                format!("quoted after inspection, depends on {depends_on}")
            }
        }
    }

    /// The lowest amount the caller could pay, if the price is known up front.
    pub fn min_cents(&self) -> Option<i64> {
        match self {
            Price::Fixed { cents } => Some(*cents),
            Price::Range { min_cents, .. } => Some(*min_cents),
            Price::Free => Some(0),
            Price::Quote { .. } => None,
        }
    }
}

/// Formats whole cents as dollars: `4999` → `"$49.99"`, `3000` → `"$30"`, `123456` → `"$1,234.56"`.
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if frac == 0 {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{frac:02}")
    }
}

/// Something the assistant asks before booking a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AskField {
    /// Year, make and model.
    Vehicle,
    /// Odometer reading.
    Mileage,
    /// What the car is doing (noise, light, smell).
    Symptoms,
}

impl AskField {
    pub const ALL: [AskField; 3] = [AskField::Vehicle, AskField::Mileage, AskField::Symptoms];

    pub fn as_str(self) -> &'static str {
        match self {
            AskField::Vehicle => "vehicle",
            AskField::Mileage => "mileage",
            AskField::Symptoms => "symptoms",
        }
    }
}

/// A frequently asked question and the owner's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Faq {
    pub id: String,
    pub question: String,
    /// Words that suggest a caller is asking this.
    pub keywords: Vec<String>,
    pub answer: String,
}

/// Someone at the business the assistant may notify, transfer to, or assign callbacks to.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Role,
    /// Free-form job title for summaries ("service advisor").
    pub title: Option<String>,
    /// E.164; present whenever `notify` contains `Sms` or `on_call` is set.
    pub phone: Option<String>,
    /// Present whenever `notify` contains `Email`.
    pub email: Option<String>,
    /// Gets emergency transfers and urgent texts.
    pub on_call: bool,
    /// Gets callback tasks.
    pub callbacks: bool,
    pub notify: Vec<NotifyChannel>,
    pub batch: Batch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Staff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyChannel {
    Sms,
    Email,
    Webhook,
}

/// How often a person's non-urgent notifications are delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Batch {
    #[default]
    Immediate,
    Hourly,
    Daily,
}

/// Live call forwarding to the shop before the assistant picks up.
#[derive(Debug, Clone, Serialize)]
pub struct Forwarding {
    pub enabled: bool,
    /// How long the shop phone rings before the assistant answers.
    pub ring_seconds: u32,
    /// Announce the caller to the person who picks up, who can decline.
    pub screen: bool,
}

impl Default for Forwarding {
    fn default() -> Self {
        Forwarding {
            enabled: false,
            ring_seconds: 15,
            screen: true,
        }
    }
}

/// Follow-up texts after a booking or a visit.
#[derive(Debug, Clone, Serialize)]
pub struct Followups {
    pub reminder_hours_before: u32,
    pub review_delay_hours: u32,
    pub review_min_days_between: u32,
    pub reengage_after_days: u32,
    /// No outbound text is sent from `quiet_start` until `quiet_end` (may cross midnight).
    pub quiet_start: Time,
    pub quiet_end: Time,
}

impl Default for Followups {
    fn default() -> Self {
        Followups {
            reminder_hours_before: 24,
            review_delay_hours: 2,
            review_min_days_between: 90,
            reengage_after_days: 30,
            quiet_start: Time::constant(21, 0, 0, 0),
            quiet_end: Time::constant(8, 0, 0, 0),
        }
    }
}

impl Followups {
    /// Is a business-local time inside the quiet hours?
    pub fn is_quiet(&self, t: Time) -> bool {
        let (s, e) = (self.quiet_start, self.quiet_end);
        if s == e {
            false
        } else if s < e {
            s <= t && t < e
        } else {
            t >= s || t < e
        }
    }
}

/// When the owner's daily summary goes out (business-local), if at all.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SummaryPrefs {
    pub daily_at: Option<Time>,
}

/// A CalDAV calendar the bookings are written to.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarConfig {
    pub caldav_url: String,
    pub username: Option<String>,
    /// Name of the environment variable holding the password (never the password itself).
    pub password_env: Option<String>,
    /// Give up on a calendar call after this long and fall back to a pending booking.
    pub deadline_ms: u32,
}

/// An outbound webhook for business events.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookConfig {
    pub url: String,
    /// Name of the environment variable holding the signing secret.
    pub secret_env: Option<String>,
    /// Event names to send (e.g. `appointment.booked`); empty means all.
    pub events: Vec<String>,
}

/// Web-form lead intake.
#[derive(Debug, Clone, Serialize, Default)]
pub struct LeadsConfig {
    /// Shared key a form must present to `POST /api/leads` for this business.
    pub key: Option<String>,
}

/// Where a car in the shop stands, as staff set it after check-in. The words are the ones the
/// API, the profile and the store use (`checked_in`, `waiting_on_parts`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    CheckedIn,
    InProgress,
    WaitingOnParts,
    WaitingOnApproval,
    Ready,
    PickedUp,
}

impl WorkStatus {
    /// Every status, in the order a visit goes through them.
    pub const ALL: [WorkStatus; 6] = [
        WorkStatus::CheckedIn,
        WorkStatus::InProgress,
        WorkStatus::WaitingOnParts,
        WorkStatus::WaitingOnApproval,
        WorkStatus::Ready,
        WorkStatus::PickedUp,
    ];

    /// The word the API, the profile and the store use.
    pub fn word(self) -> &'static str {
        match self {
            WorkStatus::CheckedIn => "checked_in",
            WorkStatus::InProgress => "in_progress",
            WorkStatus::WaitingOnParts => "waiting_on_parts",
            WorkStatus::WaitingOnApproval => "waiting_on_approval",
            WorkStatus::Ready => "ready",
            WorkStatus::PickedUp => "picked_up",
        }
    }

    /// Reads a status word; `ready_for_pickup` and `waiting_parts` are accepted spellings.
    pub fn parse(word: &str) -> Option<WorkStatus> {
        let w = word.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let w = match w.as_str() {
            "ready_for_pickup" => "ready",
            "waiting_parts" => "waiting_on_parts",
            "waiting_approval" => "waiting_on_approval",
            other => other,
        };
        WorkStatus::ALL.into_iter().find(|s| s.word() == w)
    }

    /// How staff read it on a page.
    pub fn label(self) -> &'static str {
        match self {
            WorkStatus::CheckedIn => "Checked in",
            WorkStatus::InProgress => "In progress",
            WorkStatus::WaitingOnParts => "Waiting on parts",
            WorkStatus::WaitingOnApproval => "Waiting on approval",
            WorkStatus::Ready => "Ready for pickup",
            WorkStatus::PickedUp => "Picked up",
        }
    }
}

/// Repair status (`[repair]`): which changes of a car's status text the customer.
#[derive(Debug, Clone, Serialize)]
pub struct RepairConfig {
    /// Statuses that text the customer when staff set them. "Ready" always does.
    pub text_statuses: Vec<WorkStatus>,
}

impl Default for RepairConfig {
    fn default() -> Self {
        RepairConfig {
            text_statuses: vec![WorkStatus::Ready],
        }
    }
}

/// The shared inbox (`[inbox]`).
#[derive(Debug, Clone, Serialize)]
pub struct InboxConfig {
    /// How long a staff reply in a text thread pauses the assistant there (1..=168 hours), unless
    /// staff hand the thread back sooner.
    pub takeover_hours: u32,
}

impl Default for InboxConfig {
    fn default() -> Self {
        InboxConfig { takeover_hours: 4 }
    }
}
