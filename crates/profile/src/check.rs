//! The checker: walks a spanned TOML document and builds a [`Profile`], reporting every problem.
//!
//! It never stops at the first error. Each reader records a diagnostic with the byte span of the
//! offending key or value and carries on with a default, so one run of `frontdesk check` lists
//! everything an owner has to fix. A `Profile` is only built when no error was found.
//!
//! This file holds the entry point, the `Ck` state every reader shares and the walk over the
//! top-level sections. The generic readers are in `read` and the sections' readers in the other
//! child modules (`business`, `hours`, `services`, `faqs`, `people`, `booking` for the small
//! settings sections, `templates`, `integrations`, `repair`), all `impl Ck` blocks on the one
//! struct; `hints` holds the helpers that word messages and hints.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Severity, Source};
use crate::model::{LeadsConfig, Profile};
use hints::{lower_first, syntax_hint};

mod booking;
mod business;
mod faqs;
mod hints;
mod hours;
mod integrations;
mod people;
mod read;
mod repair;
mod services;
mod templates;

type Span = Range<usize>;
type Val<'i> = Spanned<DeValue<'i>>;

/// The outcome of checking one file: the profile if it had no errors, every diagnostic, and the
/// spans the cross-file checks in [`crate::load`] point at.
pub(crate) struct Checked {
    pub profile: Option<Profile>,
    pub diagnostics: Vec<Diagnostic>,
    pub id_span: Span,
    pub phone_spans: Vec<(String, Span)>,
}

pub(crate) fn check(label: &str, text: &str) -> Checked {
    let src = Source { label, text };
    let (doc, errors) = DeTable::parse_recoverable(text);
    let mut ck = Ck {
        src,
        diags: Vec::new(),
        id_span: 0..0,
        phone_spans: Vec::new(),
        secret_refs: Vec::new(),
    };
    if !errors.is_empty() {
        const SHOWN: usize = 10;
        let total = errors.len();
        for e in errors.into_iter().take(SHOWN) {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().trim_end_matches('.').to_string();
            let hint = syntax_hint(&msg);
            ck.err(
                span,
                format!("invalid TOML: {}", lower_first(&msg)),
                Some(hint),
            );
        }
        if total > SHOWN {
            let last = ck.diags.last().map(|d| d.line).unwrap_or(1);
            let at = text.lines().take(last).map(|l| l.len() + 1).sum::<usize>();
            ck.err(
                at..at,
                format!(
                    "invalid TOML: {} more syntax errors not shown",
                    total - SHOWN
                ),
                Some("fix the first ones; the rest often follow from them".into()),
            );
        }
        return ck.finish(None);
    }
    let root = Tab {
        t: doc.get_ref(),
        span: 0..0,
        name: String::new(),
    };
    let profile = ck.profile(&root);
    ck.finish(Some(profile))
}

struct Ck<'a> {
    src: Source<'a>,
    diags: Vec<Diagnostic>,
    id_span: Span,
    phone_spans: Vec<(String, Span)>,
    /// Every `password_env` / `secret_env`: key, variable name, where.
    secret_refs: Vec<(&'static str, String, Span)>,
}

/// A table in the document and how to name it in messages (`[booking]`, `[[services]] #3`).
struct Tab<'a, 'i> {
    t: &'a DeTable<'i>,
    span: Span,
    name: String,
}

impl<'a, 'i> Tab<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Val<'i>> {
        self.t
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn key_span(&self, key: &str) -> Option<Span> {
        self.t
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, _)| k.span())
    }

    fn display(&self) -> String {
        if self.name.is_empty() {
            "the top level".to_string()
        } else {
            self.name.clone()
        }
    }
}

impl<'a> Ck<'a> {
    fn finish(self, profile: Option<Profile>) -> Checked {
        let mut diagnostics = self.diags;
        diagnostics.sort_by_key(|d| (d.line, d.column));
        let has_errors = diagnostics.iter().any(|d| d.is_error());
        let profile = profile.filter(|_| !has_errors).map(|mut p| {
            p.warnings = diagnostics.clone();
            p
        });
        Checked {
            profile,
            diagnostics,
            id_span: self.id_span,
            phone_spans: self.phone_spans,
        }
    }

    fn err(&mut self, span: Span, msg: impl Into<String>, hint: Option<String>) {
        let d = self.src.diag(Severity::Error, span, msg, hint);
        self.diags.push(d);
    }

    fn warn(&mut self, span: Span, msg: impl Into<String>, hint: Option<String>) {
        let d = self.src.diag(Severity::Warning, span, msg, hint);
        self.diags.push(d);
    }

    /// Reads every top-level section in turn. Later readers take what earlier ones found:
    /// `[[faqs]]` the names callers use for services, `[forwarding]` the business.
    fn profile(&mut self, root: &Tab) -> Profile {
        self.known(
            root,
            &[
                "business",
                "hours",
                "after_hours",
                "booking",
                "services",
                "faqs",
                "people",
                "forwarding",
                "followups",
                "summary",
                "templates",
                "calendar",
                "webhooks",
                "leads",
                "repair",
                "inbox",
            ],
        );
        let business = self.business(root);
        let hours = self.hours(root);
        let after_hours = self.after_hours(root);
        let booking = self.booking(root);
        let (services, said) = self.services(root);
        let faqs = self.faqs(root, &said);
        let people = self.people(root);
        let forwarding = self.forwarding(root, &business);
        let followups = self.followups(root);
        let summary = self.summary(root);
        let templates = self.templates(root);
        let calendar = self.calendar(root);
        let webhooks = self.webhooks(root);
        self.secret_names(&business.id);
        let leads = match self.table(root, "leads") {
            Some(t) => {
                self.known(&t, &["key"]);
                LeadsConfig {
                    key: self.opt_string(&t, "key"),
                }
            }
            None => LeadsConfig::default(),
        };
        let repair = self.repair(root);
        let inbox = self.inbox(root);
        Profile {
            business,
            hours,
            after_hours,
            booking,
            services,
            faqs,
            people,
            forwarding,
            followups,
            summary,
            templates,
            calendar,
            webhooks,
            leads,
            repair,
            inbox,
            source: self.src.label.to_string(),
            warnings: Vec::new(),
        }
    }
}
