//! The briefing the owner reads after each call, and the digest that batches routine ones: the
//! same facts phrased for an SMS (short, plain, at most 320 characters), an email (subject, plain
//! text and escaped HTML) and a webhook payload with a Slack-compatible `text`. Only the facts
//! given are shown: nothing is looked up or made up here, and absent fields leave no placeholder.

use std::fmt::Write as _;

/// The longest SMS briefing, in characters (two concatenated GSM-7 segments are 306; carriers
/// join longer ones, and the owner should read it without opening a link).
pub const SMS_MAX_CHARS: usize = 320;

/// What the owner needs to know about one finished call or text conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Briefing {
    /// The business's display name, e.g. "Joe's Auto".
    pub business: String,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    /// What they called about ("check engine light").
    pub about: String,
    /// "booked", "callback requested", "emergency — transfer failed", "cancelled"...
    pub outcome: String,
    pub appointment: Option<AppointmentLine>,
    pub task: Option<TaskLine>,
    /// A short summary of the conversation.
    pub summary: String,
    pub urgent: bool,
    /// The dashboard link to the conversation.
    pub link: Option<String>,
}

/// The appointment a call booked, moved or cancelled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppointmentLine {
    pub service: String,
    /// Business-local and already phrased: "Thu Nov 26, 2:00 PM".
    pub when: String,
    pub vehicle: Option<String>,
}

/// The task a call left for the shop, e.g. a callback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaskLine {
    pub kind: String,
    pub urgency: String,
}

impl Briefing {
    /// The SMS: at most [`SMS_MAX_CHARS`] characters; urgent ones start with "URGENT". The
    /// summary is shortened first, then the facts; the link is kept whole when it is short.
    /// Our own words and separators are ASCII so the SMS stays GSM-7 unless the given text
    /// (a name, an outcome with an em dash) is not.
    pub fn sms_text(&self) -> String {
        let mut head = String::new();
        if self.urgent {
            head.push_str("URGENT ");
        }
        let _ = write!(
            head,
            "{}: {} - {}",
            line(&self.business),
            line(&self.outcome),
            self.caller()
        );
        if !self.about.trim().is_empty() {
            let _ = write!(head, ", {}", line(&self.about));
        }
        head.push('.');
        if let Some(a) = &self.appointment {
            let _ = write!(head, " {}.", a.phrase());
        }
        if let Some(t) = &self.task {
            let _ = write!(head, " {}.", t.phrase());
        }
        fit_sms(&head, &line(&self.summary), self.link.as_deref())
    }

    /// The email subject: one line, urgent ones start with "URGENT".
    pub fn email_subject(&self) -> String {
        let mut subject = String::new();
        if self.urgent {
            subject.push_str("URGENT ");
        }
        let _ = write!(
            subject,
            "[{}] {}: {}",
            line(&self.business),
            capitalized(&line(&self.outcome)),
            self.caller()
        );
        if !self.about.trim().is_empty() {
            let _ = write!(subject, " - {}", line(&self.about));
        }
        if let Some(a) = &self.appointment {
            let _ = write!(subject, " - {}", line(&a.when));
        }
        truncate(&subject, 160)
    }

    /// The plain-text email body.
    pub fn email_text(&self) -> String {
        let mut out = self.text_block();
        let _ = write!(out, "\n--\nfrontdesk, for {}\n", line(&self.business));
        out
    }

    /// The HTML email body: a small self-contained document; every given string is escaped.
    pub fn email_html(&self) -> String {
        html_document(&self.email_subject(), &self.html_block())
    }

    /// The webhook payload's `data`: every field as given, the `event` name, and a
    /// Slack-compatible `text` (so the URL of a Slack incoming webhook works as is).
    pub fn webhook_json(&self, event: &str) -> serde_json::Value {
        serde_json::json!({
            "event": event,
            "business": self.business,
            "urgent": self.urgent,
            "outcome": self.outcome,
            "about": self.about,
            "caller": { "name": self.caller_name, "phone": self.caller_phone },
            "appointment": self.appointment,
            "task": self.task,
            "summary": self.summary,
            "link": self.link,
            "text": self.slack_text(),
        })
    }

    /// "Jane Doe (+15125550142)", "Jane Doe", "+15125550142" or "unknown caller".
    fn caller(&self) -> String {
        let name = self
            .caller_name
            .as_deref()
            .map(line)
            .filter(|s| !s.is_empty());
        let phone = self
            .caller_phone
            .as_deref()
            .map(line)
            .filter(|s| !s.is_empty());
        match (name, phone) {
            (Some(n), Some(p)) => format!("{n} ({p})"),
            (Some(n), None) => n,
            (None, Some(p)) => p,
            (None, None) => "unknown caller".to_owned(),
        }
    }

    fn rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![("Outcome", line(&self.outcome))];
        if let Some(name) = self.caller_name.as_deref().filter(|s| !s.trim().is_empty()) {
            rows.push(("Caller", line(name)));
        }
        if let Some(phone) = self
            .caller_phone
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            rows.push(("Phone", line(phone)));
        }
        if !self.about.trim().is_empty() {
            rows.push(("About", line(&self.about)));
        }
        if let Some(a) = &self.appointment {
            rows.push((
                "Appointment",
                format!("{}, {}", line(&a.service), line(&a.when)),
            ));
            if let Some(v) = a.vehicle.as_deref().filter(|s| !s.trim().is_empty()) {
                rows.push(("Vehicle", line(v)));
            }
        }
        if let Some(t) = &self.task {
            rows.push(("Task", format!("{} ({})", line(&t.kind), line(&t.urgency))));
        }
        rows
    }

    fn text_block(&self) -> String {
        let mut out = String::new();
        if self.urgent {
            out.push_str("URGENT: call this customer back now.\n\n");
        }
        for (label, value) in self.rows() {
            let _ = writeln!(out, "{label}: {value}");
        }
        if !self.summary.trim().is_empty() {
            let _ = write!(out, "\nSummary:\n{}\n", self.summary.trim());
        }
        if let Some(link) = self.link.as_deref().filter(|s| !s.trim().is_empty()) {
            let _ = write!(out, "\nConversation: {}\n", link.trim());
        }
        out
    }

    fn html_block(&self) -> String {
        let mut out = String::from("<div style=\"margin:0 0 24px 0\">\n");
        if self.urgent {
            out.push_str(
                "<p style=\"background:#b00020;color:#fff;padding:8px 12px;font-weight:bold\">\
                 URGENT: call this customer back now.</p>\n",
            );
        }
        let _ = writeln!(
            out,
            "<h2 style=\"font-size:18px;margin:0 0 8px 0\">{}: {}</h2>",
            escape_html(&capitalized(&line(&self.outcome))),
            escape_html(&self.caller())
        );
        out.push_str("<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
        for (label, value) in self.rows() {
            let _ = writeln!(
                out,
                "<tr><th align=\"left\" valign=\"top\">{label}</th><td>{}</td></tr>",
                escape_html(&value)
            );
        }
        out.push_str("</table>\n");
        if !self.summary.trim().is_empty() {
            let _ = writeln!(
                out,
                "<p style=\"white-space:pre-wrap\">{}</p>",
                escape_html(self.summary.trim())
            );
        }
        if let Some(link) = self
            .link
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if is_web_link(link) {
                let _ = writeln!(
                    out,
                    "<p><a href=\"{}\">Open the conversation</a></p>",
                    escape_html(link)
                );
            } else {
                let _ = writeln!(out, "<p>Conversation: {}</p>", escape_html(link));
            }
        }
        out.push_str("</div>\n");
        out
    }

    fn slack_text(&self) -> String {
        let mut out = String::new();
        if self.urgent {
            out.push_str(":rotating_light: *URGENT* ");
        }
        let _ = write!(
            out,
            "*{}*: {} - {}",
            escape_slack(&line(&self.business)),
            escape_slack(&line(&self.outcome)),
            escape_slack(&self.caller())
        );
        if !self.about.trim().is_empty() {
            let _ = write!(out, ", {}", escape_slack(&line(&self.about)));
        }
        if let Some(a) = &self.appointment {
            let _ = write!(out, "\n{}", escape_slack(&a.phrase()));
        }
        if let Some(t) = &self.task {
            let _ = write!(out, "\n{}", escape_slack(&t.phrase()));
        }
        if !self.summary.trim().is_empty() {
            let _ = write!(out, "\n{}", escape_slack(self.summary.trim()));
        }
        if let Some(link) = self
            .link
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if is_web_link(link) && !link.contains(['|', '<', '>']) {
                let _ = write!(out, "\n<{link}|Open the conversation>");
            } else {
                let _ = write!(out, "\n{}", escape_slack(link));
            }
        }
        out
    }
}

impl AppointmentLine {
    /// "Diagnostic, Thu Nov 26, 2:00 PM, 2014 Honda Civic".
    fn phrase(&self) -> String {
        let mut out = format!("{}, {}", line(&self.service), line(&self.when));
        if let Some(v) = self.vehicle.as_deref().filter(|s| !s.trim().is_empty()) {
            let _ = write!(out, ", {}", line(v));
        }
        out
    }
}

impl TaskLine {
    /// "Task: callback (high)".
    fn phrase(&self) -> String {
        format!("Task: {} ({})", line(&self.kind), line(&self.urgency))
    }
}

/// A batch of routine briefings for owners who chose hourly or daily delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    business: String,
    briefings: Vec<Briefing>,
}

impl Digest {
    pub fn new(business: impl Into<String>, briefings: Vec<Briefing>) -> Digest {
        Digest {
            business: business.into(),
            briefings,
        }
    }

    pub fn briefings(&self) -> &[Briefing] {
        &self.briefings
    }

    /// "3 calls: 2 booked, 1 callback requested" (outcomes in the order first seen).
    fn tally(&self) -> String {
        let n = self.briefings.len();
        if n == 0 {
            return "no calls".to_owned();
        }
        let mut counts: Vec<(String, usize)> = Vec::new();
        for b in &self.briefings {
            let outcome = line(&b.outcome);
            match counts.iter_mut().find(|(o, _)| *o == outcome) {
                Some((_, c)) => *c += 1,
                None => counts.push((outcome, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(o, c)| format!("{c} {o}")).collect();
        format!(
            "{n} {}: {}",
            if n == 1 { "call" } else { "calls" },
            parts.join(", ")
        )
    }

    /// At most [`SMS_MAX_CHARS`] characters: the tally, then one short line per call while they
    /// fit, then how many more are in the email.
    pub fn sms_text(&self) -> String {
        let mut out = format!("{}: {}.", line(&self.business), self.tally());
        for (i, b) in self.briefings.iter().enumerate() {
            let mut item = format!(" {}{} - {}", urgent_mark(b), b.caller(), line(&b.outcome));
            if !b.about.trim().is_empty() {
                let _ = write!(item, ", {}", line(&b.about));
            }
            item.push(';');
            // Leave room to say how many did not fit.
            let after = self.briefings.len() - i - 1;
            let reserve = if after > 0 {
                char_len(&format!(" +{after} more in email"))
            } else {
                0
            };
            if char_len(&out) + char_len(&item) + reserve > SMS_MAX_CHARS {
                let more = format!(" +{} more in email", after + 1);
                if char_len(&out) + char_len(&more) <= SMS_MAX_CHARS {
                    out.push_str(&more);
                }
                return truncate(&out, SMS_MAX_CHARS);
            }
            out.push_str(&item);
        }
        truncate(&out, SMS_MAX_CHARS)
    }

    pub fn email_subject(&self) -> String {
        truncate(&format!("[{}] {}", line(&self.business), self.tally()), 160)
    }

    pub fn email_text(&self) -> String {
        let mut out = format!("{}: {}.\n", line(&self.business), self.tally());
        for b in &self.briefings {
            out.push_str("\n----------------------------------------\n");
            out.push_str(&b.text_block());
        }
        let _ = write!(out, "\n--\nfrontdesk, for {}\n", line(&self.business));
        out
    }

    pub fn email_html(&self) -> String {
        let mut body = format!(
            "<h1 style=\"font-size:20px\">{}: {}</h1>\n",
            escape_html(&line(&self.business)),
            escape_html(&self.tally())
        );
        for b in &self.briefings {
            body.push_str("<hr>\n");
            body.push_str(&b.html_block());
        }
        html_document(&self.email_subject(), &body)
    }
}

fn urgent_mark(b: &Briefing) -> &'static str {
    if b.urgent { "URGENT " } else { "" }
}

fn html_document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;\
         font-size:15px;color:#222\">\n{body}</body></html>\n",
        escape_html(title)
    )
}

/// Fits `head`, `summary` and `link` into [`SMS_MAX_CHARS`]: the link is kept whole if it is at
/// most 100 characters, the summary is shortened first, then the head.
fn fit_sms(head: &str, summary: &str, link: Option<&str>) -> String {
    let link = link
        .map(str::trim)
        .filter(|l| !l.is_empty() && char_len(l) <= 100 && !l.contains(char::is_whitespace));
    let reserved = link.map_or(0, |l| char_len(l) + 1);
    let room = SMS_MAX_CHARS - reserved;
    let mut out = truncate(head, room);
    let left = room.saturating_sub(char_len(&out) + 1);
    if !summary.is_empty() && left >= 20 {
        out.push(' ');
        out.push_str(&truncate(summary, left));
    }
    if let Some(l) = link {
        out.push(' ');
        out.push_str(l);
    }
    out
}

/// The string on one line with runs of whitespace collapsed.
fn line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// At most `max` characters, ending in "..." when shortened (ASCII keeps SMS in GSM-7).
fn truncate(s: &str, max: usize) -> String {
    if char_len(s) <= max {
        return s.to_owned();
    }
    let keep = max.saturating_sub(3);
    let mut out: String = s.chars().take(keep).collect();
    out.truncate(out.trim_end().len());
    out.push_str("...");
    out
}

fn is_web_link(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Slack's mrkdwn: `&`, `<` and `>` are control characters there.
fn escape_slack(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_attribute_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>&"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;"
        );
    }

    #[test]
    fn shortened_text_ends_in_three_dots_within_the_limit() {
        let s = truncate(&"word ".repeat(100), 50);
        assert!(
            s.ends_with("...") && (45..=50).contains(&char_len(&s)),
            "{s:?}"
        );
        assert_eq!(truncate("short", 50), "short");
    }
}
