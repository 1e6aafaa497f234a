//! The `[[people]]` sections: who works at the shop, their role, how to reach them, whether they
//! are on call for emergencies or take callbacks, and how they are notified. Being notified by
//! sms or email needs a phone or email, and being on call needs a phone; a shop where nobody is
//! on call gets a warning.

use super::{Ck, Tab};
use crate::model::{Batch, NotifyChannel, Person, Role};

impl Ck<'_> {
    pub(super) fn people(&mut self, root: &Tab) -> Vec<Person> {
        let tabs = self.tables(root, "people");
        let first_span = tabs.first().map(|t| t.span.clone());
        let mut anyone_on_call = false;
        let mut out = Vec::new();
        for t in tabs {
            let (on_call, person) = self.person(&t);
            anyone_on_call |= on_call;
            out.extend(person);
        }
        if !anyone_on_call {
            match first_span {
                Some(span) => self.warn(
                    span,
                    "nobody is on call",
                    Some("set `on_call = true` on someone with a phone, so emergencies reach a person".into()),
                ),
                None => self.warn(
                    0..0,
                    "nobody is on call: there are no [[people]]",
                    Some("add a [[people]] section for the owner with `phone` and `on_call = true`".into()),
                ),
            }
        }
        out
    }

    /// One `[[people]]` entry, and whether it is on call (counted even when the entry has errors).
    fn person(&mut self, t: &Tab) -> (bool, Option<Person>) {
        self.known(
            t,
            &[
                "name",
                "role",
                "title",
                "phone",
                "email",
                "on_call",
                "callbacks",
                "notify",
                "batch",
            ],
        );
        let name = self.string(t, "name", Some("\"Joe Martinez\""));
        let role = match self.choice(t, "role", &["owner", "manager", "staff"], true) {
            Some("owner") => Some(Role::Owner),
            Some("manager") => Some(Role::Manager),
            Some(_) => Some(Role::Staff),
            None => None,
        };
        let title = self.opt_string(t, "title");
        let phone = self
            .string(t, "phone", None)
            .and_then(|(p, s)| self.phone(&p, s));
        let email = self.email(t);
        let on_call = self.boolean(t, "on_call", false);
        let callbacks = self.boolean(t, "callbacks", false);
        let who = name
            .as_ref()
            .map_or("this person".to_string(), |(n, _)| format!("`{n}`"));
        let notify = self.notify(t, &who);
        if on_call && t.get("phone").is_none() {
            let span = t.key_span("on_call").unwrap_or(t.span.clone());
            self.err(
                span,
                format!("person {who} is on call but has no phone"),
                Some("emergency transfers need a number: add `phone = \"+15125550142\"`".into()),
            );
        }
        let batch = match self.choice(t, "batch", &["immediate", "hourly", "daily"], false) {
            Some("hourly") => Batch::Hourly,
            Some("daily") => Batch::Daily,
            _ => Batch::Immediate,
        };
        let person = match (name, role) {
            (Some((name, _)), Some(role)) => Some(Person {
                name,
                role,
                title,
                phone,
                email,
                on_call,
                callbacks,
                notify,
                batch,
            }),
            _ => None,
        };
        (on_call, person)
    }

    /// The optional `email`: one `@`, a dotted domain, no spaces.
    fn email(&mut self, t: &Tab) -> Option<String> {
        self.string(t, "email", None).and_then(|(e, span)| {
            let ok = e.split_once('@').is_some_and(|(u, d)| {
                !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
            }) && !e.contains(char::is_whitespace);
            if !ok {
                self.err(
                    span,
                    format!("email address `{e}` is not valid"),
                    Some("write it like \"joe@joesauto.example\"".into()),
                );
            }
            ok.then_some(e)
        })
    }

    /// The channels the person is notified on; sms needs a `phone` and email an `email`.
    fn notify(&mut self, t: &Tab, who: &str) -> Vec<NotifyChannel> {
        let mut notify = Vec::new();
        for (c, span) in self.string_list(t, "notify") {
            let Some(c) = self.one_of(
                "notify channel",
                &c,
                span.clone(),
                &["sms", "email", "webhook"],
            ) else {
                continue;
            };
            let ch = match c {
                "sms" => NotifyChannel::Sms,
                "email" => NotifyChannel::Email,
                _ => NotifyChannel::Webhook,
            };
            if ch == NotifyChannel::Sms && t.get("phone").is_none() {
                self.err(
                    span.clone(),
                    format!("person {who} is notified by sms but has no phone"),
                    Some("add `phone = \"+15125550142\"` or remove \"sms\"".into()),
                );
            }
            if ch == NotifyChannel::Email && t.get("email").is_none() {
                self.err(
                    span.clone(),
                    format!("person {who} is notified by email but has no email"),
                    Some("add `email = \"name@example.com\"` or remove \"email\"".into()),
                );
            }
            if !notify.contains(&ch) {
                notify.push(ch);
            }
        }
        notify
    }
}
