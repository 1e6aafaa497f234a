//! Profiles in plain words: times like "7:30 AM", hours like "Mon–Fri 7:30 AM–12 PM and 1–6 PM",
//! and the one-screen summary shown by `frontdesk check`.

use jiff::civil::Time;

use crate::model::*;

const DAY_ABBR: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `07:30` → "7:30 AM", `12:00` → "12 PM", `00:00` → "12 AM".
pub fn clock(t: Time) -> String {
    let (h, m) = (t.hour(), t.minute());
    let suffix = if h < 12 { "AM" } else { "PM" };
    format!("{} {suffix}", clock_bare(h, m))
}

fn clock_bare(h: i8, m: i8) -> String {
    let h12 = match h % 12 {
        0 => 12,
        x => x,
    };
    if m == 0 {
        format!("{h12}")
    } else {
        format!("{h12}:{m:02}")
    }
}

/// `13:00-18:00` → "1–6 PM"; `07:30-12:00` → "7:30 AM–12 PM".
pub fn shift(start: Time, end: Time) -> String {
    let same_half = (start.hour() < 12) == (end.hour() < 12);
    if same_half {
        format!(
            "{}–{}",
            clock_bare(start.hour(), start.minute()),
            clock(end)
        )
    } else {
        format!("{}–{}", clock(start), clock(end))
    }
}

fn day_shifts(shifts: &[(Time, Time)]) -> String {
    shifts
        .iter()
        .map(|(s, e)| shift(*s, *e))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn day_range(from: usize, to: usize) -> String {
    match to - from {
        0 => DAY_ABBR[from].to_string(),
        1 => format!("{}, {}", DAY_ABBR[from], DAY_ABBR[to]),
        _ => format!("{}–{}", DAY_ABBR[from], DAY_ABBR[to]),
    }
}

/// The weekly hours in words: "Mon–Fri 7:30 AM–12 PM and 1–6 PM, Sat 8 AM–1 PM, closed Sun".
pub fn weekly_hours(hours: &Hours) -> String {
    let mut open = Vec::new();
    let mut closed = Vec::new();
    let mut i = 0;
    while i < 7 {
        let mut j = i;
        while j + 1 < 7 && hours.week[j + 1] == hours.week[i] {
            j += 1;
        }
        if hours.week[i].is_empty() {
            closed.push(day_range(i, j));
        } else {
            open.push(format!(
                "{} {}",
                day_range(i, j),
                day_shifts(&hours.week[i])
            ));
        }
        i = j + 1;
    }
    if open.is_empty() {
        return "closed every day".to_string();
    }
    if !closed.is_empty() {
        open.push(format!("closed {}", closed.join(", ")));
    }
    open.join(", ")
}

pub fn summary(p: &Profile) -> String {
    let b = &p.business;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("{} ({}), from {}", b.name, b.id, p.source));
    let mut numbers = format!("  answers: {}", b.phones.join(", "));
    if let Some(shop) = &b.shop_phone {
        numbers.push_str(&format!("; shop line {shop}"));
    }
    line(numbers);
    line(format!("  address: {}", b.address));
    line(format!(
        "  zone: {}; languages: {}; average ticket {}",
        b.timezone_name,
        b.languages.join(", "),
        dollars(b.average_ticket_cents)
    ));
    line(format!("  hours: {}", weekly_hours(&p.hours)));
    if !p.hours.closed_dates.is_empty() {
        let dates: Vec<String> = p
            .hours
            .closed_dates
            .iter()
            .map(|d| d.strftime("%a %b %-d %Y").to_string())
            .collect();
        line(format!("  closed on: {}", dates.join(", ")));
    }
    let after = match p.after_hours.behaviour {
        AfterHoursBehaviour::BookAndCallback => "books and promises a callback",
        AfterHoursBehaviour::CallbackOnly => "takes a message for a callback",
    };
    line(format!("  after hours: {after}"));
    let r = &p.booking;
    line(format!(
        "  booking: {} bay{}, {}-minute slots, {} min notice, up to {} days ahead, offers {} at a time",
        r.bays,
        if r.bays == 1 { "" } else { "s" },
        r.slot_minutes,
        r.min_notice_minutes,
        r.max_days_ahead,
        r.offer_choices
    ));
    line(format!("  services ({}):", p.services.len()));
    for s in &p.services {
        let look = if s.bookable {
            ""
        } else {
            " — needs a look first"
        };
        line(format!(
            "    {:<24} {}: {}, {} min{look}",
            s.id,
            s.name,
            s.price.written(),
            s.duration_minutes
        ));
    }
    if !p.faqs.is_empty() {
        let ids: Vec<&str> = p.faqs.iter().map(|f| f.id.as_str()).collect();
        line(format!("  faqs ({}): {}", p.faqs.len(), ids.join(", ")));
    }
    line("  people:".to_string());
    for person in &p.people {
        let role = match person.role {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Staff => "staff",
        };
        let title = person.title.as_deref().unwrap_or(role);
        let channels: Vec<&str> = person
            .notify
            .iter()
            .map(|c| match c {
                NotifyChannel::Sms => "sms",
                NotifyChannel::Email => "email",
                NotifyChannel::Webhook => "webhook",
            })
            .collect();
        let how = if channels.is_empty() {
            "not notified".to_string()
        } else {
            let batch = match person.batch {
                Batch::Immediate => "right away",
                Batch::Hourly => "hourly",
                Batch::Daily => "in a daily digest",
            };
            format!("notified by {} {batch}", channels.join(" and "))
        };
        let mut extra = Vec::new();
        if person.on_call {
            extra.push("on call");
        }
        if person.callbacks {
            extra.push("takes callbacks");
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("; {}", extra.join(", "))
        };
        line(format!("    {} ({title}): {how}{extra}", person.name));
    }
    let fwd = if p.forwarding.enabled {
        format!(
            "rings the shop {} s first{}",
            p.forwarding.ring_seconds,
            if p.forwarding.screen {
                ", screened"
            } else {
                ""
            }
        )
    } else {
        "off: the assistant answers at once".to_string()
    };
    line(format!("  forwarding: {fwd}"));
    if let Some(at) = p.summary.daily_at {
        line(format!("  daily summary at {}", clock(at)));
    }
    if let Some(c) = &p.calendar {
        line(format!("  calendar: {}", c.caldav_url));
    }
    for w in &p.webhooks {
        line(format!("  webhook: {}", w.url));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i8, m: i8) -> Time {
        Time::constant(h, m, 0, 0)
    }

    #[test]
    fn times_read_like_a_shop_sign() {
        assert_eq!(clock(t(7, 30)), "7:30 AM");
        assert_eq!(clock(t(12, 0)), "12 PM");
        assert_eq!(clock(t(0, 0)), "12 AM");
        assert_eq!(shift(t(7, 30), t(12, 0)), "7:30 AM–12 PM");
        assert_eq!(shift(t(13, 0), t(18, 0)), "1–6 PM");
    }

    #[test]
    fn weekly_hours_group_days_with_the_same_shifts() {
        let mut h = Hours::default();
        for d in 0..5 {
            h.week[d] = vec![(t(7, 30), t(12, 0)), (t(13, 0), t(18, 0))];
        }
        h.week[5] = vec![(t(8, 0), t(13, 0))];
        assert_eq!(
            weekly_hours(&h),
            "Mon–Fri 7:30 AM–12 PM and 1–6 PM, Sat 8 AM–1 PM, closed Sun"
        );
    }
}
