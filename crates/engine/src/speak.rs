//! How times, days, phone numbers and hours are put into words, and how a reply is made safe for
//! a speech synthesiser: voice replies never carry links, `&`, `#`, emoji or typographic dashes,
//! while text messages keep them. Everything is business-local and computed from the `now` the
//! runtime passed in.

use frontdesk_profile::{Hours, clock};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;

use crate::Channel;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Thursday".
pub fn weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// "Thursday, November 26".
pub fn day_full(d: Date) -> String {
    let month = MONTHS[usize::from(d.month().unsigned_abs()).saturating_sub(1) % 12];
    format!("{}, {month} {}", weekday(d.weekday()), d.day())
}

/// A day relative to today: "today", "tomorrow", "Thursday" (within six days) or
/// "Thursday, December 3".
pub fn day_near(d: Date, today: Date) -> String {
    let days = (d - today).get_days();
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        2..=6 => weekday(d.weekday()).to_string(),
        _ => day_full(d),
    }
}

/// The local wall-clock time of an instant.
pub fn local(ts: Timestamp, zone: &TimeZone) -> DateTime {
    zone.to_datetime(ts)
}

/// "Thursday at 2 PM", "tomorrow at 7:30 AM", "Thursday, December 3 at 2 PM".
pub fn when_near(ts: Timestamp, now: Timestamp, zone: &TimeZone) -> String {
    let at = local(ts, zone);
    let today = local(now, zone).date();
    format!("{} at {}", day_near(at.date(), today), clock(at.time()))
}

/// "Thursday, November 26 at 2 PM": the read-back form, never relative.
pub fn when_full(ts: Timestamp, zone: &TimeZone) -> String {
    let at = local(ts, zone);
    format!("{} at {}", day_full(at.date()), clock(at.time()))
}

/// Several starts grouped by day: "tomorrow at 7:30 AM or 1 PM, or Thursday at 8 AM".
pub fn slot_list(starts: &[Timestamp], now: Timestamp, zone: &TimeZone) -> String {
    let today = local(now, zone).date();
    let mut groups: Vec<(Date, Vec<String>)> = Vec::new();
    for ts in starts {
        let at = local(*ts, zone);
        match groups.last_mut() {
            Some((d, times)) if *d == at.date() => times.push(clock(at.time())),
            _ => groups.push((at.date(), vec![clock(at.time())])),
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(d, times)| format!("{} at {}", day_near(*d, today), or_list(times)))
        .collect();
    if parts.len() <= 1 {
        parts.join("")
    } else {
        let (last, head) = parts
            .split_last()
            .map(|(l, h)| (l.clone(), h.join(", ")))
            .unwrap_or_default();
        format!("{head}, or {last}")
    }
}

/// "a", "a or b", "a, b or c".
pub fn or_list(items: &[String]) -> String {
    join_with(items, "or")
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} {word} {last}", head.join(", ")),
    }
}

/// "+15125550199" → "512-555-0199"; other numbers are returned as given.
pub fn phone(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 => &digits[..],
        _ => return e164.to_string(),
    };
    format!("{}-{}-{}", &national[..3], &national[3..6], &national[6..])
}

/// The weekly hours for the channel: SMS keeps the compact "Mon–Fri 7:30 AM–12 PM"; voice says
/// "Monday to Friday 7:30 AM to 12 PM".
pub fn weekly_hours(hours: &Hours, channel: Channel) -> String {
    let words = hours.in_words();
    match channel {
        Channel::Sms => words,
        Channel::Voice => {
            let mut out = words.replace('–', " to ");
            for (abbr, full) in [
                ("Mon", "Monday"),
                ("Tue", "Tuesday"),
                ("Wed", "Wednesday"),
                ("Thu", "Thursday"),
                ("Fri", "Friday"),
                ("Sat", "Saturday"),
                ("Sun", "Sunday"),
            ] {
                out = replace_word(&out, abbr, full);
            }
            out
        }
    }
}

/// Replaces `word` where it stands alone (not inside a longer word).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before_ok = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = &rest[i + word.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..i]);
        out.push_str(if before_ok && after_ok { with } else { word });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Makes a reply speakable: drops links and emoji, spells out `&`, drops `#`, turns dashes into
/// pauses, and squeezes spaces. Text messages are returned unchanged apart from trimming.
pub fn for_channel(reply: &str, channel: Channel) -> String {
    if channel == Channel::Sms {
        return reply.trim().to_string();
    }
    let mut words = Vec::new();
    for word in reply.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if lower.contains("http://") || lower.contains("https://") || lower.starts_with("www.") {
            continue;
        }
        let mut w = String::with_capacity(word.len());
        for c in word.chars() {
            match c {
                '&' => w.push_str("and"),
                '#' | '*' | '_' | '|' | '<' | '>' | '{' | '}' | '[' | ']' | '~' | '^' | '`' => {}
                '–' => w.push_str(" to "),
                '—' => w.push(','),
                c if is_emoji(c) => {}
                c => w.push(c),
            }
        }
        let w = w.trim();
        if w == "," {
            if let Some(prev) = words.last_mut() {
                let prev: &mut String = prev;
                if !prev.ends_with(',') {
                    prev.push(',');
                }
            }
        } else if !w.is_empty() {
            words.push(w.to_string());
        }
    }
    words.join(" ")
}

fn is_emoji(c: char) -> bool {
    let u = u32::from(c);
    (0x1F000..=0x1FAFF).contains(&u) || (0x2600..=0x27BF).contains(&u) || u == 0xFE0F || u == 0x200D
}

/// Sentence case: the first letter upper-cased.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a" or "an" before a word, by its first letter.
pub fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_hears_offers_grouped_by_day() {
        let zone = TimeZone::get("America/Chicago").unwrap();
        let now: Timestamp = "2026-11-25T01:30:00Z".parse().unwrap(); // Tue 19:30
        let starts: Vec<Timestamp> = [
            "2026-11-25T13:30:00Z",
            "2026-11-25T19:00:00Z",
            "2026-11-27T13:30:00Z",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        assert_eq!(
            slot_list(&starts, now, &zone),
            "tomorrow at 7:30 AM or 1 PM, or Friday at 7:30 AM"
        );
    }

    #[test]
    fn a_voice_reply_never_carries_a_link_an_ampersand_or_an_emoji() {
        let said = for_channel(
            "Parts & labor 👍 — see https://x.example #1",
            Channel::Voice,
        );
        assert_eq!(said, "Parts and labor, see 1");
        assert!(for_channel("see https://x.example", Channel::Sms).contains("https://"));
    }

    #[test]
    fn hours_on_a_call_use_whole_day_names() {
        let p = frontdesk_profile::example();
        let said = weekly_hours(&p.hours, Channel::Voice);
        assert!(
            said.starts_with("Monday to Friday 7:30 AM to 12 PM"),
            "{said}"
        );
        assert!(said.contains("closed Sunday"), "{said}");
    }

    #[test]
    fn a_us_number_is_read_in_three_groups() {
        assert_eq!(phone("+15125550199"), "512-555-0199");
        assert_eq!(phone("+447700900123"), "+447700900123");
    }
}
