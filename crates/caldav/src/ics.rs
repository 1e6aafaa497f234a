//! iCalendar text in and out: the VEVENT we write for a booking, the whole-calendar feed an owner
//! subscribes to, and the reading of whatever a shop's calendar holds.
//!
//! We always write UTC times (`DTSTART:20261124T150000Z`), so what we write never depends on a
//! time zone database. Reading has to take what other clients wrote: UTC, `TZID=` local times
//! (IANA names, Outlook's Windows names, and vendor-prefixed names such as
//! `/mozilla.org/.../America/Chicago`), floating local times and all-day `VALUE=DATE` events.
//! Floating and all-day times are read in the shop's time zone, which the caller passes; an
//! all-day event keeps the whole local day busy. Reading never panics: a VCALENDAR that does
//! not parse yields no events, a VEVENT without a usable `DTSTART` is left out.

use icalendar::{Component as _, EventLike as _};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, Zoned};

use crate::recur;

/// An appointment as we write it into the shop's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable id; the resource is `{collection}/{uid}.ics`.
    pub uid: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
}

/// One occurrence of an event as read back from a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteEvent {
    pub uid: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: String,
    /// The resource's ETag when read from a server.
    pub etag: Option<String>,
    /// `TRANSP:TRANSPARENT`: shown in the calendar but not busy.
    pub transparent: bool,
    /// `STATUS:CANCELLED`: not busy.
    pub cancelled: bool,
}

impl RemoteEvent {
    /// Whether this occurrence keeps the shop busy (neither transparent nor cancelled).
    pub fn is_busy(&self) -> bool {
        !self.transparent && !self.cancelled
    }

    /// Whether this occurrence overlaps `[from, to)`. A zero-length event overlaps when it
    /// starts inside the window.
    pub fn overlaps(&self, from: Timestamp, to: Timestamp) -> bool {
        if self.end <= self.start {
            self.start >= from && self.start < to
        } else {
            self.start < to && self.end > from
        }
    }
}

const PRODID: &str = "-//frontdesk//EN";

/// A VCALENDAR holding one VEVENT for `event`, times in UTC.
pub fn event_ics(event: &Event) -> String {
    let mut calendar = calendar_shell();
    calendar.push(vevent(event, Timestamp::now()));
    calendar.done().to_string()
}

/// A whole VCALENDAR for the subscribe-able feed (`GET /calendar/{secret}.ics`).
pub fn feed_ics(calendar_name: &str, events: &[Event]) -> String {
    let mut calendar = calendar_shell();
    calendar.name(&clean_text(calendar_name));
    // How often subscribed clients (Apple Calendar, Outlook) should fetch the feed again.
    calendar.append_property(
        icalendar::Property::new("REFRESH-INTERVAL", "PT15M")
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    calendar.append_property(("X-PUBLISHED-TTL", "PT15M"));
    let now = Timestamp::now();
    for event in events {
        calendar.push(vevent(event, now));
    }
    calendar.done().to_string()
}

fn calendar_shell() -> icalendar::Calendar {
    let mut calendar = icalendar::Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"));
    calendar
}

fn vevent(event: &Event, stamp: Timestamp) -> icalendar::Event {
    let mut vevent = icalendar::Event::new();
    vevent
        .uid(&event.uid)
        .add_property("DTSTAMP", utc_text(stamp))
        .add_property("DTSTART", utc_text(event.start))
        .add_property("DTEND", utc_text(event.end))
        .summary(&clean_text(&event.summary))
        .description(&clean_text(&event.description));
    if let Some(location) = &event.location {
        vevent.location(&clean_text(location));
    }
    vevent.done()
}

/// `20261124T150000Z`.
pub(crate) fn utc_text(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Line breaks as `\n` only (the writer escapes `\n`; a bare CR would break the line).
fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Every VEVENT in `ics` as written (a recurring event's first occurrence only; overrides of
/// single occurrences as their own entries), floating and all-day times read in UTC.
/// Use [`parse_events_in`] to read them in the shop's time zone.
pub fn parse_events(ics: &str) -> Vec<RemoteEvent> {
    parse_events_in(ics, &TimeZone::UTC)
}

/// Every VEVENT in `ics` as written, floating and all-day times read in `tz`.
pub fn parse_events_in(ics: &str, tz: &TimeZone) -> Vec<RemoteEvent> {
    read_vevents(ics, tz)
        .into_iter()
        .map(|v| v.occurrence(v.start.timestamp(), v.end_from(&v.start)))
        .collect()
}

/// Every occurrence of every VEVENT in `ics` that overlaps `[from, to)`, recurring events
/// expanded (DAILY/WEEKLY with BYDAY, MONTHLY/YEARLY without BY parts; INTERVAL, COUNT, UNTIL,
/// EXDATE; others as their first occurrence), floating and all-day times read
/// in `tz`. Occurrences replaced by a `RECURRENCE-ID` override or removed by `EXDATE` are left
/// out; the override is reported at its own time.
pub fn expand_events(ics: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) -> Vec<RemoteEvent> {
    let vevents = read_vevents(ics, tz);
    let mut out = Vec::new();
    for master in vevents.iter().filter(|v| v.recurrence_id.is_none()) {
        let overridden: Vec<Timestamp> = vevents
            .iter()
            .filter(|v| v.uid == master.uid)
            .filter_map(|v| v.recurrence_id.as_ref().map(Zoned::timestamp))
            .collect();
        match master.rrule.as_deref().and_then(recur::Rule::parse) {
            Some(rule) => {
                for start in rule.starts(&master.start, &master.exdates, to) {
                    if overridden.contains(&start.timestamp()) {
                        continue;
                    }
                    let end = master.end_from(&start);
                    let occurrence = master.occurrence(start.timestamp(), end);
                    if occurrence.overlaps(from, to) {
                        out.push(occurrence);
                    }
                }
            }
            None => {
                let occurrence =
                    master.occurrence(master.start.timestamp(), master.end_from(&master.start));
                if occurrence.overlaps(from, to) {
                    out.push(occurrence);
                }
            }
        }
    }
    for child in vevents.iter().filter(|v| v.recurrence_id.is_some()) {
        let occurrence = child.occurrence(child.start.timestamp(), child.end_from(&child.start));
        if occurrence.overlaps(from, to) {
            out.push(occurrence);
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    out
}

/// Whether `ics` holds a recurring event we do not expand ourselves: an `RRULE` with parts
/// beyond those `recur` understands, or `RDATE`. [`crate::CalDav::events`] then asks
/// the server to expand that resource (`<C:expand>`); without it only the first occurrence
/// would be seen.
pub(crate) fn needs_server_expansion(ics: &str) -> bool {
    read_vevents(ics, &TimeZone::UTC).iter().any(|v| {
        v.recurrence_id.is_none()
            && (v.rdate
                || v.rrule
                    .as_deref()
                    .is_some_and(|r| recur::Rule::parse(r).is_none()))
    })
}

/// A VEVENT reduced to what availability needs.
pub(crate) struct Vevent {
    uid: String,
    /// In the zone its times are to be read in (UTC for `Z` times).
    start: Zoned,
    length: Length,
    summary: String,
    transparent: bool,
    cancelled: bool,
    rrule: Option<String>,
    /// `RDATE` present: extra occurrences we leave to the server to expand.
    rdate: bool,
    exdates: Vec<Zoned>,
    recurrence_id: Option<Zoned>,
}

/// How long each occurrence lasts.
enum Length {
    /// All-day: whole local days.
    Days(i64),
    /// Timed: an exact duration.
    Exact(SignedDuration),
}

impl Vevent {
    fn end_from(&self, start: &Zoned) -> Timestamp {
        match self.length {
            Length::Days(days) => start
                .checked_add(Span::new().days(days))
                .map(|z| z.timestamp())
                .unwrap_or(start.timestamp()),
            Length::Exact(duration) => start
                .timestamp()
                .checked_add(duration)
                .unwrap_or(start.timestamp()),
        }
    }

    fn occurrence(&self, start: Timestamp, end: Timestamp) -> RemoteEvent {
        RemoteEvent {
            uid: self.uid.clone(),
            start,
            end: end.max(start),
            summary: self.summary.clone(),
            etag: None,
            transparent: self.transparent,
            cancelled: self.cancelled,
        }
    }
}

fn read_vevents(ics: &str, tz: &TimeZone) -> Vec<Vevent> {
    // The parser is a dependency fed with other people's data: a panic in it must not take
    // the booking down with it.
    std::panic::catch_unwind(|| read_vevents_unguarded(ics, tz)).unwrap_or_default()
}

fn read_vevents_unguarded(ics: &str, tz: &TimeZone) -> Vec<Vevent> {
    // Servers hand calendar-data back through XML, which turns CRLF into LF: the parser wants
    // CRLF, and a last line ending.
    let mut text = ics.replace("\r\n", "\n").replace('\n', "\r\n");
    if !text.ends_with('\n') {
        text.push_str("\r\n");
    }
    let Ok(calendar) = text.parse::<icalendar::Calendar>() else {
        return Vec::new();
    };
    calendar
        .events()
        .filter_map(|event| read_vevent(event, tz))
        .collect()
}

fn read_vevent(event: &icalendar::Event, tz: &TimeZone) -> Option<Vevent> {
    let props = event.properties();
    let (start, all_day) = read_when(props.get("DTSTART")?, tz)?;
    let length = match props.get("DTEND").and_then(|p| read_when(p, tz)) {
        Some((end, _)) if all_day => Length::Days(whole_days(&start, &end)),
        Some((end, _)) => Length::Exact(end.timestamp().duration_since(start.timestamp())),
        None => match props
            .get("DURATION")
            .and_then(|p| p.value().trim().parse::<Span>().ok())
        {
            Some(span) if all_day => {
                let end = start.checked_add(span).ok()?;
                Length::Days(whole_days(&start, &end).max(1))
            }
            Some(span) => {
                let end = start.checked_add(span).ok()?;
                Length::Exact(end.timestamp().duration_since(start.timestamp()))
            }
            None if all_day => Length::Days(1),
            None => Length::Exact(SignedDuration::ZERO),
        },
    };
    let length = match length {
        Length::Days(days) => Length::Days(days.max(1)),
        Length::Exact(d) => Length::Exact(d.max(SignedDuration::ZERO)),
    };
    let exdates = event
        .multi_properties()
        .get("EXDATE")
        .into_iter()
        .flatten()
        .chain(props.get("EXDATE"))
        .flat_map(|p| {
            p.value()
                .split(',')
                .filter_map(|v| read_when_value(v, p, tz).map(|(z, _)| z))
                .collect::<Vec<_>>()
        })
        .collect();
    Some(Vevent {
        uid: event.get_uid().unwrap_or_default().to_string(),
        start,
        length,
        summary: event.get_summary().unwrap_or_default().to_string(),
        transparent: props
            .get("TRANSP")
            .is_some_and(|p| p.value().trim().eq_ignore_ascii_case("TRANSPARENT")),
        cancelled: props
            .get("STATUS")
            .is_some_and(|p| p.value().trim().eq_ignore_ascii_case("CANCELLED")),
        rrule: props.get("RRULE").map(|p| p.value().trim().to_string()),
        rdate: props.contains_key("RDATE") || event.multi_properties().contains_key("RDATE"),
        exdates,
        recurrence_id: props
            .get("RECURRENCE-ID")
            .and_then(|p| read_when(p, tz))
            .map(|(z, _)| z),
    })
}

fn whole_days(start: &Zoned, end: &Zoned) -> i64 {
    let days = start
        .date()
        .until(end.date())
        .map(|s| s.get_days())
        .unwrap_or(1);
    i64::from(days).max(1)
}

/// A `DTSTART`-like property as a zoned time, and whether it is a whole-day date.
fn read_when(prop: &icalendar::Property, tz: &TimeZone) -> Option<(Zoned, bool)> {
    read_when_value(prop.value(), prop, tz)
}

fn read_when_value(
    value: &str,
    prop: &icalendar::Property,
    tz: &TimeZone,
) -> Option<(Zoned, bool)> {
    let value = value.trim();
    let is_date = prop
        .params()
        .get("VALUE")
        .is_some_and(|p| p.value().eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && !value.contains('T'));
    if is_date {
        let date = Date::strptime("%Y%m%d", value).ok()?;
        return Some((date.to_zoned(tz.clone()).ok()?, true));
    }
    if let Some(utc) = value.strip_suffix('Z').or_else(|| value.strip_suffix('z')) {
        let local = DateTime::strptime("%Y%m%dT%H%M%S", utc).ok()?;
        return Some((local.to_zoned(TimeZone::UTC).ok()?, false));
    }
    let local = DateTime::strptime("%Y%m%dT%H%M%S", value).ok()?;
    let zone = prop
        .params()
        .get("TZID")
        .and_then(|p| zone_named(p.value()))
        .unwrap_or_else(|| tz.clone());
    Some((local.to_zoned(zone).ok()?, false))
}

/// The time zone a `TZID` names: an IANA name, the IANA name at the end of a vendor prefix,
/// or one of the Windows names Outlook and Exchange write.
pub(crate) fn zone_named(tzid: &str) -> Option<TimeZone> {
    let tzid = tzid.trim().trim_matches('"');
    if let Ok(zone) = TimeZone::get(tzid) {
        return Some(zone);
    }
    let mut rest = tzid;
    while let Some(i) = rest.find('/') {
        rest = &rest[i + 1..];
        if let Ok(zone) = TimeZone::get(rest) {
            return Some(zone);
        }
    }
    let iana = match tzid {
        "Eastern Standard Time" | "US Eastern Standard Time" => "America/New_York",
        "Central Standard Time" => "America/Chicago",
        "Mountain Standard Time" => "America/Denver",
        "US Mountain Standard Time" => "America/Phoenix",
        "Pacific Standard Time" => "America/Los_Angeles",
        "Alaskan Standard Time" => "America/Anchorage",
        "Hawaiian Standard Time" => "Pacific/Honolulu",
        "Atlantic Standard Time" => "America/Halifax",
        "Newfoundland Standard Time" => "America/St_Johns",
        "Canada Central Standard Time" => "America/Regina",
        "GMT Standard Time" => "Europe/London",
        "UTC" | "Coordinated Universal Time" => "UTC",
        _ => return None,
    };
    TimeZone::get(iana).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn booking() -> Event {
        Event {
            uid: "appt-42@frontdesk".into(),
            start: ts("2026-11-24T15:00:00Z"),
            end: ts("2026-11-24T16:30:00Z"),
            summary: "Brake pads, front; Jane Roe".into(),
            description: "2014 Honda Civic\r\nCalls back at 555-0100, after 5".into(),
            location: Some("Bay 2".into()),
        }
    }

    #[test]
    fn a_booking_is_written_in_utc_with_our_prodid() {
        let ics = event_ics(&booking());
        assert!(ics.contains("PRODID:-//frontdesk//EN\r\n"), "{ics}");
        assert!(ics.contains("DTSTART:20261124T150000Z\r\n"), "{ics}");
        assert!(ics.contains("DTEND:20261124T163000Z\r\n"), "{ics}");
        assert!(ics.contains("UID:appt-42@frontdesk\r\n"), "{ics}");
        assert!(ics.contains("DTSTAMP:"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }

    #[test]
    fn a_booking_reads_back_as_the_same_times_and_text() {
        let read = parse_events(&event_ics(&booking()));
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].uid, "appt-42@frontdesk");
        assert_eq!(read[0].start, ts("2026-11-24T15:00:00Z"));
        assert_eq!(read[0].end, ts("2026-11-24T16:30:00Z"));
        assert_eq!(read[0].summary, "Brake pads, front; Jane Roe");
        assert!(read[0].is_busy());
    }

    #[test]
    fn the_description_keeps_its_line_break_without_a_bare_carriage_return() {
        let ics = event_ics(&booking());
        assert!(
            ics.contains(r"2014 Honda Civic\nCalls back at 555-0100\, after 5"),
            "{ics}"
        );
        let calendar: icalendar::Calendar = ics.parse().unwrap();
        let event = calendar.events().next().unwrap();
        assert_eq!(
            event.get_description(),
            Some("2014 Honda Civic\nCalls back at 555-0100, after 5")
        );
    }

    #[test]
    fn long_text_in_any_script_survives_line_folding() {
        let mut event = booking();
        event.summary = "Bremsbeläge vorne für Jürgen Müller 🚗 — ".repeat(6);
        event.description = "車検の見積もり、".repeat(20);
        let ics = event_ics(&event);
        assert!(ics.split("\r\n").all(|l| l.len() <= 75), "{ics}");
        let calendar: icalendar::Calendar = ics.parse().unwrap();
        let read = calendar.events().next().unwrap();
        assert_eq!(read.get_summary(), Some(event.summary.as_str()));
        assert_eq!(read.get_description(), Some(event.description.as_str()));
    }

    #[test]
    fn junk_reads_as_no_events() {
        for junk in [
            "",
            "hello",
            "BEGIN:",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:yesterday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:99999999T999999Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "\u{0}\u{1}BEGIN:VCALENDAR;;;:::\r\n\r\n",
        ] {
            assert!(parse_events(junk).is_empty(), "{junk:?}");
        }
    }

    #[test]
    fn calendar_data_with_bare_line_feeds_and_folded_lines_is_read() {
        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:lf\nDTSTART:20261124T150000Z\nDTEND:20261124T160000Z\n\
                   SUMMARY:Brake job for a customer whose name is long enough that the line gets f\n olded\n\
                   END:VEVENT\nEND:VCALENDAR";
        let read = parse_events(ics);
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].start, ts("2026-11-24T15:00:00Z"));
        assert!(
            read[0].summary.ends_with("gets folded"),
            "{}",
            read[0].summary
        );
    }

    const WEEKLY_WITH_EXCEPTIONS: &str = "BEGIN:VCALENDAR\r\n\
        BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20261102T150000Z\r\nDTEND:20261102T160000Z\r\n\
        RRULE:FREQ=WEEKLY\r\nSUMMARY:Tire rotation\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:w\r\nRECURRENCE-ID:20261109T150000Z\r\n\
        DTSTART:20261110T180000Z\r\nDTEND:20261110T190000Z\r\nSUMMARY:Tire rotation (moved)\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:w\r\nRECURRENCE-ID:20261116T150000Z\r\n\
        DTSTART:20261116T150000Z\r\nDTEND:20261116T160000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";

    #[test]
    fn a_moved_occurrence_frees_its_old_slot_and_takes_its_new_one() {
        let read = expand_events(
            WEEKLY_WITH_EXCEPTIONS,
            &TimeZone::UTC,
            ts("2026-11-09T00:00:00Z"),
            ts("2026-11-16T00:00:00Z"),
        );
        let got: Vec<_> = read.iter().map(|e| (e.start, e.summary.as_str())).collect();
        assert_eq!(got, [(ts("2026-11-10T18:00:00Z"), "Tire rotation (moved)")]);
    }

    #[test]
    fn a_cancelled_occurrence_is_read_as_cancelled_and_the_others_stay_busy() {
        let read = expand_events(
            WEEKLY_WITH_EXCEPTIONS,
            &TimeZone::UTC,
            ts("2026-11-16T00:00:00Z"),
            ts("2026-11-30T00:00:00Z"),
        );
        let got: Vec<_> = read.iter().map(|e| (e.start, e.is_busy())).collect();
        assert_eq!(
            got,
            [
                (ts("2026-11-16T15:00:00Z"), false),
                (ts("2026-11-23T15:00:00Z"), true)
            ]
        );
        assert!(!needs_server_expansion(WEEKLY_WITH_EXCEPTIONS));
    }

    #[test]
    fn rules_we_do_not_expand_are_left_to_the_server() {
        let monthly = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART:20261005T130000Z\r\n\
                       RRULE:FREQ=MONTHLY;BYDAY=1MO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let rdate = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:r\r\nDTSTART:20261005T130000Z\r\n\
                     RDATE:20261012T130000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert!(needs_server_expansion(monthly));
        assert!(needs_server_expansion(rdate));
        assert!(!needs_server_expansion(&event_ics(&booking())));
    }

    #[test]
    fn an_outlook_time_zone_name_is_read_as_the_iana_zone() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:o\r\n\
                   DTSTART;TZID=Central Standard Time:20260701T090000\r\n\
                   DTEND;TZID=Central Standard Time:20260701T100000\r\n\
                   END:VEVENT\r\nEND:VCALENDAR\r\n";
        let read = parse_events(ics);
        assert_eq!(read[0].start, ts("2026-07-01T14:00:00Z"));
        assert_eq!(read[0].end, ts("2026-07-01T15:00:00Z"));
    }

    #[test]
    fn a_mozilla_prefixed_time_zone_is_read_as_the_iana_zone() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\n\
                   DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20260115T090000\r\n\
                   DURATION:PT45M\r\n\
                   END:VEVENT\r\nEND:VCALENDAR\r\n";
        let read = parse_events(ics);
        assert_eq!(read[0].start, ts("2026-01-15T14:00:00Z"));
        assert_eq!(read[0].end, ts("2026-01-15T14:45:00Z"));
    }

    #[test]
    fn an_all_day_event_without_an_end_is_busy_that_whole_local_day() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\n\
                   DTSTART;VALUE=DATE:20261126\r\n\
                   END:VEVENT\r\nEND:VCALENDAR\r\n";
        let chicago = TimeZone::get("America/Chicago").unwrap();
        let read = parse_events_in(ics, &chicago);
        assert_eq!(read[0].start, ts("2026-11-26T06:00:00Z"));
        assert_eq!(read[0].end, ts("2026-11-27T06:00:00Z"));
    }

    #[test]
    fn a_floating_time_is_read_in_the_shops_zone() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\n\
                   DTSTART:20261124T080000\r\nDTEND:20261124T090000\r\n\
                   END:VEVENT\r\nEND:VCALENDAR\r\n";
        let chicago = TimeZone::get("America/Chicago").unwrap();
        assert_eq!(
            parse_events_in(ics, &chicago)[0].start,
            ts("2026-11-24T14:00:00Z")
        );
    }

    #[test]
    fn cancelled_and_transparent_events_are_not_busy() {
        let ics = "BEGIN:VCALENDAR\r\n\
                   BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20261124T150000Z\r\nDTEND:20261124T160000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
                   BEGIN:VEVENT\r\nUID:t\r\nDTSTART:20261124T150000Z\r\nDTEND:20261124T160000Z\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n\
                   BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261124T150000Z\r\nDTEND:20261124T160000Z\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n\
                   END:VCALENDAR\r\n";
        let read = parse_events(ics);
        let get = |uid: &str| read.iter().find(|e| e.uid == uid).unwrap();
        assert!(get("c").cancelled && !get("c").is_busy());
        assert!(get("t").transparent && !get("t").is_busy());
        assert!(get("b").is_busy());
    }

    #[test]
    fn the_feed_holds_every_booking_and_its_name() {
        let mut second = booking();
        second.uid = "appt-43@frontdesk".into();
        second.location = None;
        let feed = feed_ics("Main St Auto", &[booking(), second]);
        assert!(feed.contains("\r\nNAME:Main St Auto\r\n"), "{feed}");
        assert!(feed.contains("\r\nX-WR-CALNAME:Main St Auto\r\n"), "{feed}");
        assert!(
            feed.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n"),
            "{feed}"
        );
        let read = parse_events(&feed);
        assert_eq!(
            read.iter().map(|e| e.uid.as_str()).collect::<Vec<_>>(),
            ["appt-42@frontdesk", "appt-43@frontdesk"]
        );
    }
}
