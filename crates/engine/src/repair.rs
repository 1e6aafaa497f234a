//! What a customer hears about their car in the shop: its status as staff set it (with their
//! note and expected time), the pickup hours, and the estimate text. Pure sentences, shared by
//! the conversation (a caller asking "is my car ready?") and the runtime's status texts, so a
//! call and a text say the same thing. Nothing here is invented: every fact comes from the
//! [`WorkView`] the store supplied or the profile.

use frontdesk_profile::{Profile, WorkStatus, clock, dollars};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::speak;

/// A car at the shop as the engine sees it (from the store; staff set it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkView {
    pub appointment_id: String,
    pub service_id: String,
    /// "2015 Honda Civic", when known.
    pub vehicle: Option<String>,
    pub status: WorkStatus,
    /// Staff's note, as they typed it.
    pub note: Option<String>,
    pub expected: Option<Timestamp>,
    /// An estimate sent and not yet answered: cents and staff's one line.
    pub estimate: Option<(i64, String)>,
}

/// A car at the shop with its owner's name and the last four digits of their number, for a
/// customer calling from another number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopCar {
    pub owner: String,
    pub phone_last4: String,
    pub work: WorkView,
}

impl ShopCar {
    /// What a caller who proved the number may hear: the status alone, without staff's note,
    /// expected time or estimate (those go to the number on file).
    pub fn public(&self) -> WorkView {
        WorkView {
            note: None,
            expected: None,
            estimate: None,
            ..self.work.clone()
        }
    }
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| w.len() >= 2)
        .collect()
}

/// The one car at the shop whose owner's surname and whose model the caller said; none when
/// no car, or more than one, fits both. A first name or a make alone is not enough.
pub fn find_car<'a>(cars: &'a [ShopCar], said: &str) -> Option<&'a ShopCar> {
    let words = words_of(said);
    let has = |w: &String| words.contains(w);
    let fits = |c: &&ShopCar| {
        let surname = c.owner.split_whitespace().last().map(str::to_lowercase);
        let name = surname.is_some_and(|s| words.contains(&s));
        // "2017 Toyota Camry": the words after the year and the make.
        let model: Vec<String> = c
            .work
            .vehicle
            .as_deref()
            .map(words_of)
            .unwrap_or_default()
            .into_iter()
            .filter(|w| !w.chars().all(|ch| ch.is_ascii_digit()) || w.len() != 4)
            .collect();
        let model = if model.len() >= 2 {
            &model[1..]
        } else {
            &model[..]
        };
        name && !model.is_empty() && model.iter().any(has)
    };
    let mut found = cars.iter().filter(fits);
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The digits a caller said or typed ("zero one seven seven", "0177", "it's 01 77").
pub fn digits_said(text: &str) -> String {
    let mut out = String::new();
    for w in text.split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '.') {
        let w = w.to_lowercase();
        let d = match w.as_str() {
            "zero" | "oh" | "o" => "0",
            "one" => "1",
            "two" => "2",
            "three" => "3",
            "four" => "4",
            "five" => "5",
            "six" => "6",
            "seven" => "7",
            "eight" => "8",
            "nine" => "9",
            _ => {
                out.extend(w.chars().filter(char::is_ascii_digit));
                continue;
            }
        };
        out.push_str(d);
    }
    out
}

/// "your 2015 Honda Civic" or "your car".
fn your_car(w: &WorkView) -> String {
    match &w.vehicle {
        Some(v) => format!("your {v}"),
        None => "your car".to_string(),
    }
}

/// When pickup is possible: "We're open until 6 PM today." or "You can pick it up Monday from
/// 8 AM."
pub fn pickup_hours(profile: &Profile, now: Timestamp) -> String {
    let zone = &profile.business.timezone;
    let local = speak::local(now, zone);
    let today = local.date();
    if let Some((_, close)) = profile
        .open_intervals(today)
        .into_iter()
        .rfind(|(_, close)| *close > local.time())
    {
        return format!("We're open until {} today.", clock(close));
    }
    let mut day = today;
    for _ in 0..14 {
        let Ok(next) = day.tomorrow() else { break };
        day = next;
        if let Some((open, _)) = profile.open_intervals(day).first() {
            return format!(
                "You can pick it up {} from {}.",
                speak::day_near(day, today),
                clock(*open)
            );
        }
    }
    String::new()
}

/// The status in one or two sentences, with staff's note and expected time.
pub fn status_sentence(profile: &Profile, w: &WorkView, now: Timestamp) -> String {
    let car = your_car(w);
    let zone = &profile.business.timezone;
    let mut s = match w.status {
        WorkStatus::CheckedIn => format!(
            "{} is checked in and in line to be looked at.",
            speak::capitalise(&car)
        ),
        WorkStatus::InProgress => format!("We're working on {car} now."),
        WorkStatus::WaitingOnParts => format!("{} is waiting on parts.", speak::capitalise(&car)),
        WorkStatus::WaitingOnApproval => match &w.estimate {
            Some((cents, what)) => format!(
                "{} is waiting on your approval of the estimate: {} for {what}.",
                speak::capitalise(&car),
                dollars(*cents)
            ),
            None => format!(
                "{} is waiting on your approval to go ahead.",
                speak::capitalise(&car)
            ),
        },
        WorkStatus::Ready => format!(
            "Good news: {car} is ready for pickup. {}",
            pickup_hours(profile, now)
        ),
        WorkStatus::PickedUp => format!("{} has been picked up.", speak::capitalise(&car)),
    };
    if let Some(note) = w.note.as_deref().filter(|n| !n.trim().is_empty()) {
        s.push_str(&format!(
            " The shop's note: {}.",
            note.trim().trim_end_matches('.')
        ));
    }
    if let Some(at) = w.expected.filter(|_| w.status != WorkStatus::Ready) {
        s.push_str(&format!(
            " We expect the next step {}.",
            speak::when_near(at, now, zone)
        ));
    }
    s.trim().to_string()
}

/// The text a status change sends: the business's name first, then the status.
pub fn status_text(profile: &Profile, w: &WorkView, name: Option<&str>, now: Timestamp) -> String {
    let hello = match name.and_then(|n| n.split_whitespace().next()) {
        Some(first) => format!("Hi {first}, "),
        None => "Hi, ".to_string(),
    };
    let mut body = format!(
        "{}: {hello}{}",
        profile.business.name,
        lower_first(&status_sentence(profile, w, now))
    );
    if w.status == WorkStatus::Ready && !profile.business.address.is_empty() {
        body.push_str(&format!(" We're at {}.", profile.business.address));
    }
    body
}

/// The estimate text: the amount and staff's one line, and how to approve.
pub fn estimate_text(profile: &Profile, vehicle: Option<&str>, cents: i64, what: &str) -> String {
    let car = match vehicle {
        Some(v) => format!("your {v}"),
        None => "your car".to_string(),
    };
    let number = profile
        .business
        .shop_phone
        .as_deref()
        .or(profile.business.phones.first().map(String::as_str))
        .map(speak::phone)
        .unwrap_or_default();
    let call = if number.is_empty() {
        "call us".to_string()
    } else {
        format!("call us at {number}")
    };
    format!(
        "{}: the estimate for {car} is {} for {what}. Reply YES to approve or {call} with questions.",
        profile.business.name,
        dollars(cents)
    )
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // "Good news" and "We're" stay as they are mid-sentence only when they are names.
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn profile() -> Profile {
        frontdesk_profile::parse(
            "auto-shop.toml",
            include_str!("../../../examples/auto-shop.toml"),
        )
        .expect("the example loads")
    }

    fn at(p: &Profile, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned(p.business.timezone.clone())
            .unwrap()
            .timestamp()
    }

    fn car(status: WorkStatus) -> WorkView {
        WorkView {
            appointment_id: "a".into(),
            service_id: "brakes".into(),
            vehicle: Some("2015 Honda Civic".into()),
            status,
            note: None,
            expected: None,
            estimate: None,
        }
    }

    #[test]
    fn a_ready_car_is_announced_with_todays_closing_time_and_the_address() {
        let p = profile();
        let now = at(&p, 2026, 12, 2, 14, 0); // a Wednesday afternoon
        let text = status_text(&p, &car(WorkStatus::Ready), Some("Sam Lee"), now);
        assert!(
            text.starts_with(&format!(
                "{}: Hi Sam, good news: your 2015 Honda Civic is ready for pickup.",
                p.business.name
            )),
            "{text}"
        );
        assert!(text.contains("We're open until"), "{text}");
        assert!(text.contains(&p.business.address), "{text}");
    }

    #[test]
    fn after_closing_the_pickup_hours_name_the_next_open_day() {
        let p = profile();
        let now = at(&p, 2026, 12, 2, 22, 0);
        let hours = pickup_hours(&p, now);
        assert!(
            hours.starts_with("You can pick it up tomorrow from"),
            "{hours}"
        );
    }

    #[test]
    fn waiting_on_parts_gives_the_note_and_the_expected_time() {
        let p = profile();
        let now = at(&p, 2026, 12, 2, 10, 0);
        let mut w = car(WorkStatus::WaitingOnParts);
        w.note = Some("waiting on a sensor".into());
        w.expected = Some(at(&p, 2026, 12, 3, 12, 0));
        let s = status_sentence(&p, &w, now);
        assert!(s.starts_with("Your 2015 Honda Civic is waiting on parts. The shop's note: waiting on a sensor. We expect the next step tomorrow at"), "{s}");
    }

    #[test]
    fn a_car_is_found_only_by_its_owners_surname_and_its_model_together() {
        let cars = vec![
            ShopCar {
                owner: "Dana Ortiz".into(),
                phone_last4: "0177".into(),
                work: car(WorkStatus::Ready),
            },
            ShopCar {
                owner: "Sam Lee".into(),
                phone_last4: "0143".into(),
                work: WorkView {
                    vehicle: Some("2019 Ford F-150".into()),
                    ..car(WorkStatus::InProgress)
                },
            },
        ];
        let owner = |said: &str| find_car(&cars, said).map(|c| c.owner.clone());
        assert_eq!(
            owner("it's under Dana Ortiz, the civic").as_deref(),
            Some("Dana Ortiz")
        );
        assert_eq!(owner("Sam Lee, my f-150").as_deref(), Some("Sam Lee"));
        assert_eq!(
            owner("Dana, the honda"),
            None,
            "a first name and a make are not enough"
        );
        assert_eq!(
            owner("Ortiz, the ford"),
            None,
            "name and car must be the same car"
        );
        assert_eq!(owner("it's the civic"), None, "a car alone is not enough");
    }

    #[test]
    fn the_last_four_digits_are_read_said_or_typed() {
        assert_eq!(digits_said("zero one seven seven"), "0177");
        assert_eq!(digits_said("it's 01 77"), "0177");
        assert_eq!(digits_said("oh one, seven seven"), "0177");
    }

    #[test]
    fn the_estimate_text_gives_the_exact_amount_and_how_to_approve() {
        let p = profile();
        let text = estimate_text(&p, Some("2015 Honda Civic"), 41250, "front pads and rotors");
        assert!(
            text.contains("$412.50 for front pads and rotors. Reply YES to approve or call us at"),
            "{text}"
        );
    }
}
