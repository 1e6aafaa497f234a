//! Message templates: the texts and spoken lines an owner may reword, with built-in defaults.
//!
//! A template is plain text with `{placeholders}` filled in by the engine. The set of
//! placeholders is fixed ([`PLACEHOLDERS`]) so a typo in an owner's override is caught by
//! `frontdesk check` instead of being texted to a customer.

use serde::Serialize;

/// Every placeholder a template may use.
pub const PLACEHOLDERS: [&str; 9] = [
    "business",
    "name",
    "service",
    "when",
    "price",
    "review_link",
    "address",
    "phone",
    "slots",
];

/// Which message a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKey {
    /// First words on a call.
    Greeting,
    /// Text sent when an appointment is booked.
    Confirmation,
    /// Text sent before the appointment.
    Reminder,
    /// Text asking for a review after a visit.
    ReviewRequest,
    /// Text to a customer who has not been back in a while.
    Reengagement,
    /// Text to a caller whose call was missed or dropped.
    MissedCall,
    /// First text to a web-form lead.
    LeadFirstText,
    /// What the assistant promises when someone will call back.
    CallbackPromise,
}

impl TemplateKey {
    pub const ALL: [TemplateKey; 8] = [
        TemplateKey::Greeting,
        TemplateKey::Confirmation,
        TemplateKey::Reminder,
        TemplateKey::ReviewRequest,
        TemplateKey::Reengagement,
        TemplateKey::MissedCall,
        TemplateKey::LeadFirstText,
        TemplateKey::CallbackPromise,
    ];

    /// The key as written under `[templates]`.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKey::Greeting => "greeting",
            TemplateKey::Confirmation => "confirmation",
            TemplateKey::Reminder => "reminder",
            TemplateKey::ReviewRequest => "review_request",
            TemplateKey::Reengagement => "reengagement",
            TemplateKey::MissedCall => "missed_call",
            TemplateKey::LeadFirstText => "lead_first_text",
            TemplateKey::CallbackPromise => "callback_promise",
        }
    }

    pub fn from_name(name: &str) -> Option<TemplateKey> {
        TemplateKey::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The built-in text used when the owner has not written one.
    pub fn default_text(self) -> &'static str {
        match self {
            TemplateKey::Greeting => {
                "Thanks for calling {business}, this is the virtual assistant. How can I help you today?"
            }
            TemplateKey::Confirmation => {
                "Hi {name}, you're booked for {service} {when} at {business}, {address}. Reply C to confirm or R to reschedule."
            }
            TemplateKey::Reminder => {
                "Reminder from {business}: {service} {when}. Reply C to confirm or R to reschedule."
            }
            TemplateKey::ReviewRequest => {
                "Thanks for choosing {business}, {name}! If we earned it, a quick review helps a lot: {review_link}"
            }
            TemplateKey::Reengagement => {
                "Hi {name}, it's {business}. It's been a while: due for service? Reply with a day that works and we'll find you a time."
            }
            TemplateKey::MissedCall => {
                "Sorry we missed your call at {business}! Text us here what you need and we'll get you taken care of, or call {phone}."
            }
            TemplateKey::LeadFirstText => {
                "Hi {name}, it's {business}. Thanks for reaching out about {service}. We have openings {slots}. Which works for you?"
            }
            TemplateKey::CallbackPromise => {
                "I'll have someone from {business} call you back as soon as we can."
            }
        }
    }
}

/// The owner's overrides; `None` means the built-in default.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Templates {
    pub greeting: Option<String>,
    pub confirmation: Option<String>,
    pub reminder: Option<String>,
    pub review_request: Option<String>,
    pub reengagement: Option<String>,
    pub missed_call: Option<String>,
    pub lead_first_text: Option<String>,
    pub callback_promise: Option<String>,
}

impl Templates {
    pub fn get(&self, key: TemplateKey) -> Option<&str> {
        self.slot(key).as_deref()
    }

    fn slot(&self, key: TemplateKey) -> &Option<String> {
        match key {
            TemplateKey::Greeting => &self.greeting,
            TemplateKey::Confirmation => &self.confirmation,
            TemplateKey::Reminder => &self.reminder,
            TemplateKey::ReviewRequest => &self.review_request,
            TemplateKey::Reengagement => &self.reengagement,
            TemplateKey::MissedCall => &self.missed_call,
            TemplateKey::LeadFirstText => &self.lead_first_text,
            TemplateKey::CallbackPromise => &self.callback_promise,
        }
    }

    pub fn set(&mut self, key: TemplateKey, text: String) {
        let slot = match key {
            TemplateKey::Greeting => &mut self.greeting,
            TemplateKey::Confirmation => &mut self.confirmation,
            TemplateKey::Reminder => &mut self.reminder,
            TemplateKey::ReviewRequest => &mut self.review_request,
            TemplateKey::Reengagement => &mut self.reengagement,
            TemplateKey::MissedCall => &mut self.missed_call,
            TemplateKey::LeadFirstText => &mut self.lead_first_text,
            TemplateKey::CallbackPromise => &mut self.callback_promise,
        };
        *slot = Some(text);
    }

    /// The override if any, else the built-in default.
    pub fn text(&self, key: TemplateKey) -> &str {
        self.get(key).unwrap_or_else(|| key.default_text())
    }
}

/// A problem with a template's placeholders: byte range within the template and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlaceholderProblem {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Finds `{placeholders}` that are not in [`PLACEHOLDERS`] and braces that never close.
pub(crate) fn placeholder_problems(text: &str) -> Vec<PlaceholderProblem> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut base = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find(['}', '{']) {
            Some(close) if after.as_bytes()[close] == b'}' => {
                let name = &after[..close];
                if !PLACEHOLDERS.contains(&name) {
                    out.push(PlaceholderProblem {
                        start: base + open,
                        end: base + open + close + 2,
                        message: format!("unknown placeholder `{{{name}}}`"),
                    });
                }
                let consumed = open + close + 2;
                base += consumed;
                rest = &rest[consumed..];
            }
            _ => {
                out.push(PlaceholderProblem {
                    start: base + open,
                    end: base + open + 1,
                    message: "`{` is never closed".to_string(),
                });
                base += open + 1;
                rest = &rest[open + 1..];
            }
        }
    }
    out
}

/// Fills placeholders from `(name, value)` pairs; unknown ones are left as written.
pub fn render(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_uses_only_known_placeholders() {
        for key in TemplateKey::ALL {
            assert_eq!(placeholder_problems(key.default_text()), vec![], "{key:?}");
        }
    }

    #[test]
    fn a_misspelled_placeholder_is_found_with_its_position() {
        let p = placeholder_problems("Hi {nmae}, see you {when}");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message, "unknown placeholder `{nmae}`");
        assert_eq!((p[0].start, p[0].end), (3, 9));
    }

    #[test]
    fn an_unclosed_brace_is_reported() {
        let p = placeholder_problems("Hi {name, see you");
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("never closed"));
    }

    #[test]
    fn rendering_fills_known_placeholders() {
        assert_eq!(
            render(
                "{business}: {service} {when}",
                &[
                    ("business", "Joe's"),
                    ("service", "oil change"),
                    ("when", "Tue 9 AM")
                ]
            ),
            "Joe's: oil change Tue 9 AM"
        );
    }
}
