//! The checker: walks a spanned TOML document and builds a [`Profile`], reporting every problem.
//!
//! It never stops at the first error. Each reader below records a diagnostic with the byte span
//! of the offending key or value and carries on with a default, so one run of `frontdesk check`
//! lists everything an owner has to fix. A `Profile` is only built when no error was found.

use std::collections::HashMap;
use std::ops::Range;

use jiff::civil::{Date, Time};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Severity, Source};
use crate::model::*;
use crate::templates::{PLACEHOLDERS, TemplateKey, Templates, placeholder_problems};

mod repair;

type Span = Range<usize>;
type Val<'i> = Spanned<DeValue<'i>>;

const TIME_HINT: &str = "write 24-hour HH:MM-HH:MM like \"07:30-12:00\"";
const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

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

    // ----- generic readers -------------------------------------------------------------------

    /// Reports keys of `tab` that are not in `known`, suggesting the nearest known key.
    fn known(&mut self, tab: &Tab, known: &[&str]) {
        for (k, _) in tab.t.iter() {
            let key = k.get_ref().as_ref();
            if known.contains(&key) {
                continue;
            }
            let hint = match nearest(key, known.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("known keys here: {}", backticked(known)),
            };
            let msg = if tab.name.is_empty() {
                format!("unknown section `{key}`")
            } else {
                format!("unknown key `{key}` in {}", tab.display())
            };
            self.err(k.span(), msg, Some(hint));
        }
    }

    fn missing(&mut self, tab: &Tab, key: &str, hint: Option<String>) {
        self.err(
            tab.span.clone(),
            format!("missing `{key}` in {}", tab.display()),
            hint,
        );
    }

    fn wrong_type(&mut self, tab: &Tab, key: &str, v: &Val, expected: &str, example: &str) {
        self.err(
            v.span(),
            format!(
                "`{key}` in {} must be {expected}, found {} `{}`",
                tab.display(),
                v.get_ref().type_str(),
                self.snippet(v.span())
            ),
            Some(format!("write it like `{key} = {example}`")),
        );
    }

    fn snippet(&self, span: Span) -> String {
        let s = self.src.text.get(span).unwrap_or("").trim();
        let first = s.lines().next().unwrap_or("");
        if first.chars().count() > 40 {
            format!("{}…", first.chars().take(40).collect::<String>())
        } else {
            first.to_string()
        }
    }

    fn string(&mut self, tab: &Tab, key: &str, required: Option<&str>) -> Option<(String, Span)> {
        let Some(v) = tab.get(key) else {
            if let Some(example) = required {
                self.missing(tab, key, Some(format!("add `{key} = {example}`")));
            }
            return None;
        };
        match v.get_ref().as_str() {
            Some(s) if s.trim().is_empty() && required.is_some() => {
                let example = required.unwrap_or("\"...\"");
                self.err(
                    v.span(),
                    format!("`{key}` in {} is empty", tab.display()),
                    Some(format!("write it like `{key} = {example}`")),
                );
                None
            }
            Some(s) => Some((s.to_string(), v.span())),
            None => {
                self.wrong_type(tab, key, v, "a string", "\"...\"");
                None
            }
        }
    }

    fn opt_string(&mut self, tab: &Tab, key: &str) -> Option<String> {
        self.string(tab, key, None).map(|(s, _)| s)
    }

    fn boolean(&mut self, tab: &Tab, key: &str, default: bool) -> bool {
        let Some(v) = tab.get(key) else {
            return default;
        };
        match v.get_ref().as_bool() {
            Some(b) => b,
            None => {
                self.wrong_type(tab, key, v, "true or false", "true");
                default
            }
        }
    }

    /// A whole number in `min..=max`, or `default` (after reporting) when absent or wrong.
    fn number(&mut self, tab: &Tab, key: &str, default: u32, min: u32, max: u32) -> u32 {
        let Some(v) = tab.get(key) else {
            return default;
        };
        let n = match v.get_ref() {
            DeValue::Integer(i) => int_value(i.as_str(), i.radix()),
            DeValue::Float(f) => {
                self.err(
                    v.span(),
                    format!("`{key}` must be a whole number, found `{}`", f.as_str()),
                    Some(format!(
                        "write `{key} = {}`",
                        f.as_str()
                            .replace('_', "")
                            .parse::<f64>()
                            .ok()
                            .filter(|x| x.is_finite() && *x >= 0.0 && *x < 1e9)
                            .map_or(default.into(), |x| x.round() as i64)
                    )),
                );
                return default;
            }
            _ => {
                self.wrong_type(tab, key, v, "a whole number", "30");
                return default;
            }
        };
        match n {
            Some(n) if n >= i64::from(min) && n <= i64::from(max) => {
                u32::try_from(n).unwrap_or(default)
            }
            _ => {
                let shown = self.snippet(v.span());
                let range = if max == u32::MAX {
                    format!("at least {min}")
                } else {
                    format!("between {min} and {max}")
                };
                self.err(
                    v.span(),
                    format!("`{key}` is `{shown}`, but it must be {range}"),
                    Some(number_hint(key, min, max)),
                );
                default
            }
        }
    }

    fn string_list(&mut self, tab: &Tab, key: &str) -> Vec<(String, Span)> {
        let Some(v) = tab.get(key) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            if let Some(s) = v.get_ref().as_str() {
                self.err(
                    v.span(),
                    format!("`{key}` in {} must be a list", tab.display()),
                    Some(format!("write `{key} = [\"{s}\"]`")),
                );
            } else {
                self.wrong_type(tab, key, v, "a list of strings", "[\"...\"]");
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push((s.to_string(), item.span())),
                None => self.err(
                    item.span(),
                    format!(
                        "`{key}` in {} must hold only strings, found {} `{}`",
                        tab.display(),
                        item.get_ref().type_str(),
                        self.snippet(item.span())
                    ),
                    None,
                ),
            }
        }
        out
    }

    /// A string that must be one of `choices`.
    fn choice<'c>(
        &mut self,
        tab: &Tab,
        key: &str,
        choices: &[&'c str],
        required: bool,
    ) -> Option<&'c str> {
        let example = format!("\"{}\"", choices[0]);
        let (s, span) = self.string(tab, key, required.then_some(example.as_str()))?;
        self.one_of(key, &s, span, choices)
    }

    fn one_of<'c>(
        &mut self,
        what: &str,
        s: &str,
        span: Span,
        choices: &[&'c str],
    ) -> Option<&'c str> {
        if let Some(c) = choices.iter().find(|c| **c == s) {
            return Some(c);
        }
        let hint = match nearest(s, choices.iter().copied()) {
            Some(n) => format!(
                "did you mean `{n}`? expected one of {}",
                backticked(choices)
            ),
            None => format!("expected one of {}", backticked(choices)),
        };
        self.err(span, format!("unknown {what} `{s}`"), Some(hint));
        None
    }

    fn table<'d, 'i>(&mut self, parent: &Tab<'d, 'i>, key: &str) -> Option<Tab<'d, 'i>> {
        let v = parent.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Tab {
                t,
                span: self.header_span(parent.key_span(key).unwrap_or(v.span())),
                name: format!("[{key}]"),
            }),
            _ => {
                self.err(
                    v.span(),
                    format!("`{key}` must be a table, found {}", v.get_ref().type_str()),
                    Some(format!("start a section with `[{key}]` on its own line")),
                );
                None
            }
        }
    }

    fn tables<'d, 'i>(&mut self, parent: &Tab<'d, 'i>, key: &str) -> Vec<Tab<'d, 'i>> {
        let Some(v) = parent.get(key) else {
            return Vec::new();
        };
        let hint = Some(format!("write each entry as its own `[[{key}]]` section"));
        let Some(items) = v.get_ref().as_array() else {
            self.err(
                self.header_span(parent.key_span(key).unwrap_or(v.span())),
                format!(
                    "`{key}` must be a list of tables, found {}",
                    v.get_ref().type_str()
                ),
                hint,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Tab {
                    t,
                    span: self.header_span(item.span()),
                    name: format!("[[{key}]] #{}", i + 1),
                }),
                _ => self.err(
                    item.span(),
                    format!(
                        "each of `{key}` must be a table, found {}",
                        item.get_ref().type_str()
                    ),
                    hint.clone(),
                ),
            }
        }
        out
    }

    /// Shrinks a span to its first line, so a missing-key error points at a table's header.
    fn header_span(&self, span: Span) -> Span {
        let text = self.src.text;
        let start = span.start.min(text.len());
        let line_start = text
            .get(..start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| start + i);
        let line = text.get(line_start..line_end).unwrap_or("");
        if line.trim_start().starts_with('[') {
            // A `[section]` or `[[section]]` header: underline the whole header.
            let indent = line.len() - line.trim_start().len();
            let header_len = line.find(']').map_or(line.len(), |i| {
                i + 1 + usize::from(line[i + 1..].starts_with(']'))
            });
            line_start + indent..line_start + header_len
        } else {
            let len = text.get(span.clone()).and_then(|t| t.find('\n'));
            span.start..len.map_or(span.end, |l| span.start + l)
        }
    }

    // ----- domain readers --------------------------------------------------------------------

    fn phone(&mut self, value: &str, span: Span) -> Option<String> {
        match check_phone(value) {
            Ok(e164) => Some(e164),
            Err((msg, hint)) => {
                self.err(span, msg, Some(hint));
                None
            }
        }
    }

    fn url(&mut self, key: &str, value: &str, span: Span) {
        let ok = (value.starts_with("https://") || value.starts_with("http://"))
            && value.len() > "https://".len()
            && !value.contains(char::is_whitespace);
        if !ok {
            self.err(
                span,
                format!("`{key}` `{value}` is not a web address"),
                Some(format!(
                    "write the full address, like \"https://{}\"",
                    value.trim_start_matches("www.")
                )),
            );
        }
    }

    /// A price: `{ cents = 2999 }`, `{ min_cents, max_cents, depends_on }`, `"free"`, or
    /// `{ quote = true, depends_on }`.
    fn price(&mut self, tab: &Tab) -> Option<Price> {
        let Some(v) = tab.get("price") else {
            self.missing(
                tab,
                "price",
                Some("add `price = { cents = 4999 }` (whole cents), a range, \"free\", or `{ quote = true, depends_on = \"...\" }`".into()),
            );
            return None;
        };
        let span = v.span();
        match v.get_ref() {
            DeValue::String(s) if s.trim().eq_ignore_ascii_case("free") => Some(Price::Free),
            DeValue::String(s) if s.trim().eq_ignore_ascii_case("quote") => {
                self.err(
                    span,
                    "price `\"quote\"` needs to say what the quote depends on",
                    Some("write `price = { quote = true, depends_on = \"what the technician finds\" }`".into()),
                );
                None
            }
            DeValue::Table(t) => {
                let pt = Tab {
                    t,
                    span: span.clone(),
                    name: format!("the price of {}", tab.display()),
                };
                self.known(
                    &pt,
                    &["cents", "min_cents", "max_cents", "depends_on", "quote"],
                );
                self.price_table(&pt, span)
            }
            _ => {
                self.cents_value(v);
                None
            }
        }
    }

    fn price_table(&mut self, pt: &Tab, span: Span) -> Option<Price> {
        let depends = |ck: &mut Ck, required: bool| -> Option<String> {
            let example = "\"the oil your car takes\"";
            let (s, sp) = ck.string(pt, "depends_on", required.then_some(example))?;
            if s.trim().is_empty() {
                ck.err(
                    sp,
                    "`depends_on` is empty",
                    Some(format!(
                        "say what moves the price, like depends_on = {example}"
                    )),
                );
                return None;
            }
            Some(s)
        };
        if let Some(q) = pt.get("quote") {
            if q.get_ref().as_bool() != Some(true) {
                self.err(
                    q.span(),
                    format!("`quote` must be `true`, found `{}`", self.snippet(q.span())),
                    Some("for a known price write `{ cents = 4999 }` instead of `quote`".into()),
                );
            }
            for k in ["cents", "min_cents", "max_cents"] {
                if let Some(ks) = pt.key_span(k) {
                    self.err(
                        ks,
                        format!("a quoted price cannot also have `{k}`"),
                        Some("remove `quote = true` or the amount".into()),
                    );
                }
            }
            return depends(self, true).map(|depends_on| Price::Quote { depends_on });
        }
        if let Some(c) = pt.get("cents") {
            for k in ["min_cents", "max_cents"] {
                if let Some(ks) = pt.key_span(k) {
                    self.err(
                        ks,
                        format!("a fixed price cannot also have `{k}`"),
                        Some("use either `cents` or `min_cents` and `max_cents`".into()),
                    );
                }
            }
            if let Some(ks) = pt.key_span("depends_on") {
                self.warn(
                    ks,
                    "`depends_on` is ignored for a fixed price",
                    Some("use `min_cents` and `max_cents` for a price that varies".into()),
                );
            }
            return self.cents_value(c).map(|cents| Price::Fixed { cents });
        }
        match (pt.get("min_cents"), pt.get("max_cents")) {
            (Some(lo), Some(hi)) => {
                let min = self.cents_value(lo);
                let max = self.cents_value(hi);
                let dep = depends(self, true);
                let (min, max) = (min?, max?);
                if min > max {
                    self.err(
                        hi.span(),
                        format!("price range is upside down: `min_cents` {min} is more than `max_cents` {max}"),
                        Some(format!("swap them: min_cents = {max}, max_cents = {min}")),
                    );
                    return None;
                }
                Some(Price::Range {
                    min_cents: min,
                    max_cents: max,
                    depends_on: dep?,
                })
            }
            (Some(_), None) | (None, Some(_)) => {
                let have = if pt.get("min_cents").is_some() {
                    "min_cents"
                } else {
                    "max_cents"
                };
                self.err(
                    span,
                    format!("price range has `{have}` but not both ends"),
                    Some("a range needs `min_cents`, `max_cents` and `depends_on`".into()),
                );
                None
            }
            (None, None) => {
                self.err(
                    span,
                    "price has no amount",
                    Some("write `{ cents = 4999 }` for $49.99, a range with `min_cents` and `max_cents`, or `{ quote = true, depends_on = \"...\" }`".into()),
                );
                None
            }
        }
    }

    /// An amount in whole cents, explaining floats, dollar strings and negatives.
    fn cents_value(&mut self, v: &Val) -> Option<i64> {
        let span = v.span();
        match v.get_ref() {
            DeValue::Integer(i) => match int_value(i.as_str(), i.radix()) {
                Some(n) if n >= 0 => Some(n),
                Some(n) => {
                    self.err(
                        span,
                        format!("price `{n}` is negative"),
                        Some(cents_hint(None)),
                    );
                    None
                }
                None => {
                    let shown = self.snippet(span.clone());
                    self.err(
                        span,
                        format!("price `{shown}` is too large"),
                        Some(cents_hint(None)),
                    );
                    None
                }
            },
            DeValue::Float(f) => {
                let raw = f.as_str().replace('_', "");
                self.err(
                    span,
                    format!("price `{raw}` is written as a decimal number"),
                    Some(cents_hint(raw.parse::<f64>().ok())),
                );
                None
            }
            DeValue::String(s) => {
                let dollars = s
                    .trim()
                    .trim_start_matches('$')
                    .replace(',', "")
                    .parse::<f64>()
                    .ok();
                self.err(
                    span,
                    format!("price `\"{s}\"` is text, not a number of cents"),
                    Some(cents_hint(dollars)),
                );
                None
            }
            other => {
                let shown = self.snippet(span.clone());
                self.err(
                    span,
                    format!(
                        "price must be a whole number of cents, found {} `{shown}`",
                        other.type_str()
                    ),
                    Some(cents_hint(None)),
                );
                None
            }
        }
    }

    /// `"07:30-12:00"` as a pair of times; `allow_overnight` for quiet hours.
    fn interval(&mut self, s: &str, span: Span, allow_overnight: bool) -> Option<(Time, Time)> {
        let Some((a, b)) = s.split_once('-') else {
            self.err(
                span,
                format!("invalid time range `{s}`"),
                Some(TIME_HINT.into()),
            );
            return None;
        };
        let (a, b) = (a.trim(), b.trim());
        let (start, end) = match (parse_hhmm(a), parse_hhmm(b)) {
            (Some(x), Some(y)) => (x, y),
            (x, _) => {
                let bad = if x.is_none() { a } else { b };
                self.err(
                    span,
                    format!("invalid time `{bad}` in `{s}`"),
                    Some(TIME_HINT.into()),
                );
                return None;
            }
        };
        if !allow_overnight && end <= start {
            let (msg, hint) = if end == start {
                (
                    format!("time range `{s}` is empty"),
                    "remove it, or give it a later end".to_string(),
                )
            } else {
                (
                    format!("time range `{s}` ends before it starts"),
                    "a shift cannot cross midnight; end it by 23:59 and start the next day at 00:00".to_string(),
                )
            };
            self.err(span, msg, Some(hint));
            return None;
        }
        Some((start, end))
    }

    fn time(&mut self, key: &str, s: &str, span: Span) -> Option<Time> {
        let t = parse_hhmm(s.trim());
        if t.is_none() {
            self.err(
                span,
                format!("invalid time `{s}` for `{key}`"),
                Some("write 24-hour HH:MM like \"18:30\"".into()),
            );
        }
        t
    }

    // ----- sections ----------------------------------------------------------------------------

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

    fn business(&mut self, root: &Tab) -> Business {
        let mut b = Business {
            id: String::new(),
            name: String::new(),
            phones: Vec::new(),
            shop_phone: None,
            address: String::new(),
            website: None,
            review_link: None,
            timezone: jiff::tz::TimeZone::UTC,
            timezone_name: String::new(),
            languages: vec!["en".into()],
            currency: "USD".into(),
            average_ticket_cents: 0,
        };
        let Some(t) = self.table(root, "business") else {
            self.err(
                0..0,
                "missing the [business] section",
                Some(
                    "start the file with [business] and its id, name, phones, address and timezone"
                        .into(),
                ),
            );
            return b;
        };
        self.known(
            &t,
            &[
                "id",
                "name",
                "phones",
                "shop_phone",
                "address",
                "website",
                "review_link",
                "timezone",
                "languages",
                "currency",
                "average_ticket_cents",
            ],
        );
        if let Some((id, span)) = self.string(&t, "id", Some("\"joes-auto\"")) {
            if !is_slug(&id) {
                self.err(
                    span.clone(),
                    format!("business id `{id}` is not a slug"),
                    Some(format!(
                        "use lowercase letters, digits and `-`, like \"{}\"",
                        slugify(&id, '-')
                    )),
                );
            }
            self.id_span = span;
            b.id = id;
        }
        if let Some((name, _)) = self.string(&t, "name", Some("\"Joe's Auto Repair\"")) {
            b.name = name;
        }
        match t.get("phones") {
            None => self.missing(
                &t,
                "phones",
                Some("add the number callers dial, like `phones = [\"+15125550100\"]`".into()),
            ),
            Some(v) => {
                let list = self.string_list(&t, "phones");
                if list.is_empty() && v.get_ref().as_array().is_some_and(|a| a.is_empty()) {
                    self.err(
                        v.span(),
                        "`phones` is empty",
                        Some(
                            "add the number callers dial, like `phones = [\"+15125550100\"]`"
                                .into(),
                        ),
                    );
                }
                for (p, span) in list {
                    if let Some(e) = self.phone(&p, span.clone()) {
                        if b.phones.contains(&e) {
                            self.err(
                                span,
                                format!("phone number `{e}` is listed twice"),
                                Some("remove one of them".into()),
                            );
                            continue;
                        }
                        self.phone_spans.push((e.clone(), span));
                        b.phones.push(e);
                    }
                }
            }
        }
        if let Some((p, span)) = self.string(&t, "shop_phone", None) {
            b.shop_phone = self.phone(&p, span.clone());
            if let Some(shop) = &b.shop_phone
                && b.phones.contains(shop)
            {
                self.err(
                    span,
                    format!("`shop_phone` `{shop}` is also one of `phones`"),
                    Some("`phones` ring the assistant and `shop_phone` is the front desk it hands calls to; they must differ".into()),
                );
            }
        }
        if let Some((a, _)) =
            self.string(&t, "address", Some("\"4120 Burnet Rd, Austin, TX 78756\""))
        {
            b.address = a;
        }
        for key in ["website", "review_link"] {
            if let Some((u, span)) = self.string(&t, key, None) {
                self.url(key, &u, span);
                if key == "website" {
                    b.website = Some(u);
                } else {
                    b.review_link = Some(u);
                }
            }
        }
        if let Some((name, span)) = self.string(&t, "timezone", Some("\"America/Chicago\"")) {
            match jiff::tz::db().get(&name) {
                Ok(tz) if !name.trim().is_empty() => {
                    b.timezone = tz;
                    b.timezone_name = name;
                }
                _ => {
                    let hint = match nearest_zone(&name) {
                        Some(z) => format!(
                            "did you mean \"{z}\"? zones are IANA names like \"America/Chicago\""
                        ),
                        None => "write an IANA zone name like \"America/Chicago\"".to_string(),
                    };
                    self.err(span, format!("unknown time zone `{name}`"), Some(hint));
                }
            }
        }
        if t.get("languages").is_some() {
            let langs = self.string_list(&t, "languages");
            let mut out = Vec::new();
            for (l, span) in langs {
                if l.len() == 2 && l.bytes().all(|c| c.is_ascii_lowercase()) {
                    out.push(l);
                } else {
                    self.err(
                        span,
                        format!("language `{l}` is not a two-letter code"),
                        Some("write ISO 639-1 codes like \"en\" or \"es\"".into()),
                    );
                }
            }
            if !out.is_empty() {
                b.languages = out;
            }
        }
        if let Some((c, span)) = self.string(&t, "currency", None) {
            if c.len() == 3 && c.bytes().all(|x| x.is_ascii_uppercase()) {
                b.currency = c;
            } else {
                self.err(
                    span,
                    format!("currency `{c}` is not an ISO 4217 code"),
                    Some("write a three-letter code like \"USD\"".into()),
                );
            }
        }
        if let Some(v) = t.get("average_ticket_cents")
            && let Some(c) = self.cents_value(v)
        {
            b.average_ticket_cents = c;
        }
        b
    }

    fn hours(&mut self, root: &Tab) -> Hours {
        let mut hours = Hours::default();
        let Some(t) = self.table(root, "hours") else {
            self.err(
                0..0,
                "missing the [hours] section",
                Some("add [hours] with a line per day, like `monday = [\"07:30-12:00\", \"13:00-18:00\"]`; `[]` is closed".into()),
            );
            return hours;
        };
        let mut known: Vec<&str> = DAYS.to_vec();
        known.push("closed_dates");
        self.known(&t, &known);
        for (i, day) in DAYS.iter().enumerate() {
            let Some(v) = t.get(day) else { continue };
            let mut shifts: Vec<((Time, Time), Span, String)> = Vec::new();
            let mut add = |ck: &mut Ck, s: &str, span: Span| {
                if let Some(iv) = ck.interval(s, span.clone(), false) {
                    shifts.push((iv, span, s.to_string()));
                }
            };
            match v.get_ref() {
                DeValue::String(s) if s.trim().eq_ignore_ascii_case("closed") => {}
                DeValue::String(s) => add(self, s, v.span()),
                DeValue::Array(items) => {
                    for item in items.iter() {
                        match item.get_ref().as_str() {
                            Some(s) => add(self, s, item.span()),
                            None => self.err(
                                item.span(),
                                format!(
                                    "shift on {day} must be a string, found {} `{}`",
                                    item.get_ref().type_str(),
                                    self.snippet(item.span())
                                ),
                                Some(TIME_HINT.into()),
                            ),
                        }
                    }
                }
                _ => self.wrong_type(
                    &t,
                    day,
                    v,
                    "a list of shifts",
                    "[\"07:30-12:00\", \"13:00-18:00\"]` (or `[]` when closed",
                ),
            }
            shifts.sort_by_key(|(iv, _, _)| *iv);
            for w in shifts.windows(2) {
                let ((_, prev_end), _, prev_text) = &w[0];
                let ((next_start, _), next_span, next_text) = &w[1];
                if next_start < prev_end {
                    self.err(
                        next_span.clone(),
                        format!("shift `{next_text}` overlaps `{prev_text}` on {day}"),
                        Some(
                            "merge them into one shift, or make one end before the other starts"
                                .into(),
                        ),
                    );
                }
            }
            hours.week[i] = shifts.into_iter().map(|(iv, _, _)| iv).collect();
        }
        if let Some(v) = t.get("closed_dates") {
            match v.get_ref().as_array() {
                Some(items) => {
                    for item in items.iter() {
                        if let Some(d) = self.date(item) {
                            hours.closed_dates.push(d);
                        }
                    }
                }
                None => self.wrong_type(
                    &t,
                    "closed_dates",
                    v,
                    "a list of dates",
                    "[\"2026-11-26\", \"2026-12-25\"]",
                ),
            }
            hours.closed_dates.sort();
            hours.closed_dates.dedup();
        }
        if hours.week.iter().all(|d| d.is_empty()) {
            self.warn(
                t.span.clone(),
                "the business is closed every day of the week",
                Some("give at least one day its hours, like `monday = [\"08:00-17:00\"]`".into()),
            );
        }
        hours
    }

    fn date(&mut self, v: &Val) -> Option<Date> {
        let hint = Some("write dates as \"YYYY-MM-DD\", like \"2026-12-25\"".to_string());
        let text = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    self.err(
                        v.span(),
                        format!("closed date `{dt}` has a time of day"),
                        hint,
                    );
                    return None;
                }
                dt.to_string()
            }
            other => {
                self.err(
                    v.span(),
                    format!(
                        "closed date must be a date, found {} `{}`",
                        other.type_str(),
                        self.snippet(v.span())
                    ),
                    hint,
                );
                return None;
            }
        };
        let ok = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
        match text.parse::<Date>() {
            Ok(d) if ok => Some(d),
            _ => {
                self.err(
                    v.span(),
                    format!("closed date `{text}` is not a date"),
                    hint,
                );
                None
            }
        }
    }

    fn after_hours(&mut self, root: &Tab) -> AfterHours {
        let Some(t) = self.table(root, "after_hours") else {
            return AfterHours::default();
        };
        self.known(&t, &["behaviour", "message"]);
        let behaviour = match self.choice(
            &t,
            "behaviour",
            &["book_and_callback", "callback_only"],
            false,
        ) {
            Some("callback_only") => AfterHoursBehaviour::CallbackOnly,
            _ => AfterHoursBehaviour::BookAndCallback,
        };
        AfterHours {
            behaviour,
            message: self.opt_string(&t, "message"),
        }
    }

    fn booking(&mut self, root: &Tab) -> BookingRules {
        let d = BookingRules::default();
        let Some(t) = self.table(root, "booking") else {
            return d;
        };
        self.known(
            &t,
            &[
                "slot_minutes",
                "bays",
                "buffer_minutes",
                "min_notice_minutes",
                "max_days_ahead",
                "offer_choices",
                "max_open_per_contact",
            ],
        );
        BookingRules {
            slot_minutes: self.number(&t, "slot_minutes", d.slot_minutes, 1, 24 * 60),
            bays: self.number(&t, "bays", d.bays, 1, 1000),
            buffer_minutes: self.number(&t, "buffer_minutes", d.buffer_minutes, 0, 24 * 60),
            min_notice_minutes: self.number(
                &t,
                "min_notice_minutes",
                d.min_notice_minutes,
                0,
                60 * 24 * 365,
            ),
            max_days_ahead: self.number(&t, "max_days_ahead", d.max_days_ahead, 0, 3650),
            offer_choices: self.number(&t, "offer_choices", d.offer_choices, 1, 6),
            max_open_per_contact: self.number(
                &t,
                "max_open_per_contact",
                d.max_open_per_contact,
                1,
                50,
            ),
        }
    }

    /// The services, and every name and alias (normalized) with its service id and spelling.
    #[allow(clippy::type_complexity)]
    fn services(&mut self, root: &Tab) -> (Vec<Service>, HashMap<String, (String, String)>) {
        let tabs = self.tables(root, "services");
        if root.get("services").is_none() {
            self.warn(
                0..0,
                "no [[services]]: the assistant cannot quote or book anything",
                Some("add a [[services]] section for each job you do".into()),
            );
        }
        let mut out = Vec::new();
        let mut ids: HashMap<String, Span> = HashMap::new();
        // normalized alias or name -> (service id, the text as written)
        let mut said: HashMap<String, (String, String)> = HashMap::new();
        for t in tabs {
            self.known(
                &t,
                &[
                    "id",
                    "name",
                    "aliases",
                    "price",
                    "duration_minutes",
                    "bookable",
                    "ask",
                    "description",
                ],
            );
            let id = self
                .string(&t, "id", Some("\"oil_change\""))
                .map(|(id, span)| {
                    if !is_snake(&id) {
                        self.err(
                            span.clone(),
                            format!("service id `{id}` is not snake_case"),
                            Some(format!("write it as \"{}\"", slugify(&id, '_'))),
                        );
                    }
                    if let Some(first) = ids.get(&id) {
                        let (line, _) = self.src.line_col(first.start);
                        self.err(
                            span.clone(),
                            format!("service id `{id}` is used twice"),
                            Some(format!(
                                "the first `{id}` is on line {line}; give each service its own id"
                            )),
                        );
                    } else {
                        ids.insert(id.clone(), span);
                    }
                    id
                });
            let name = self.string(&t, "name", Some("\"oil change\""));
            let aliases = self.string_list(&t, "aliases");
            let price = self.price(&t);
            let duration = match t.get("duration_minutes") {
                Some(_) => self.number(&t, "duration_minutes", 60, 1, 60 * 24 * 14),
                None => {
                    self.missing(
                        &t,
                        "duration_minutes",
                        Some("add how long the job takes, like `duration_minutes = 60`".into()),
                    );
                    60
                }
            };
            let bookable = self.boolean(&t, "bookable", true);
            let mut ask = Vec::new();
            let names: Vec<&str> = AskField::ALL.iter().map(|a| a.as_str()).collect();
            for (a, span) in self.string_list(&t, "ask") {
                if let Some(n) = self.one_of("`ask` field", &a, span, &names)
                    && let Some(f) = AskField::ALL.into_iter().find(|f| f.as_str() == n)
                    && !ask.contains(&f)
                {
                    ask.push(f);
                }
            }
            let description = self.opt_string(&t, "description");

            let sid = id.clone().unwrap_or_default();
            let mut mine: Vec<String> = Vec::new();
            let spoken = name.iter().cloned().chain(aliases.iter().cloned());
            for (text, span) in spoken {
                let norm = normalize(&text);
                if norm.is_empty() {
                    self.err(
                        span,
                        format!("an alias of service `{sid}` is empty"),
                        Some("remove it, or write how callers say this job".into()),
                    );
                    continue;
                }
                if mine.contains(&norm) {
                    continue;
                }
                match said.get(&norm) {
                    Some((other, first)) if *other != sid => {
                        self.err(
                            span,
                            format!("alias `{text}` is already used by service `{other}`"),
                            Some(format!("`{first}` belongs to `{other}`; a caller saying it must mean one service, so remove it from one of them")),
                        );
                    }
                    _ => {
                        said.insert(norm.clone(), (sid.clone(), text.clone()));
                    }
                }
                mine.push(norm);
            }
            if let (Some(id), Some((name, _)), Some(price)) = (id, name, price) {
                out.push(Service {
                    id,
                    name,
                    aliases: aliases.into_iter().map(|(a, _)| a).collect(),
                    price,
                    duration_minutes: duration,
                    bookable,
                    ask,
                    description,
                });
            }
        }
        (out, said)
    }

    fn faqs(&mut self, root: &Tab, said: &HashMap<String, (String, String)>) -> Vec<Faq> {
        // normalized keyword -> faq id
        let mut keyword_owner: HashMap<String, String> = HashMap::new();
        let mut out = Vec::new();
        let mut ids: HashMap<String, Span> = HashMap::new();
        for t in self.tables(root, "faqs") {
            self.known(&t, &["id", "question", "keywords", "answer"]);
            let id = self.string(&t, "id", Some("\"warranty\""));
            if let Some((id, span)) = &id {
                if let Some(first) = ids.get(id) {
                    let (line, _) = self.src.line_col(first.start);
                    self.err(
                        span.clone(),
                        format!("faq id `{id}` is used twice"),
                        Some(format!("the first is on line {line}")),
                    );
                } else {
                    ids.insert(id.clone(), span.clone());
                }
            }
            let question = self.string(&t, "question", Some("\"Do you offer a warranty?\""));
            let keywords = self.string_list(&t, "keywords");
            let fid = id.as_ref().map_or(String::new(), |(id, _)| id.clone());
            for (k, span) in &keywords {
                let norm = normalize(k);
                if let Some((service, spelled)) = said.get(&norm) {
                    self.warn(
                        span.clone(),
                        format!("faq keyword `{k}` is also how callers name service `{service}`"),
                        Some(format!("a caller saying \"{spelled}\" probably wants the service; remove the keyword or the alias")),
                    );
                } else if let Some(other) = keyword_owner.get(&norm).filter(|o| **o != fid) {
                    self.warn(
                        span.clone(),
                        format!("faq keyword `{k}` is also a keyword of faq `{other}`"),
                        Some("keep each keyword on the one question it best answers".into()),
                    );
                } else {
                    keyword_owner.insert(norm, fid.clone());
                }
            }
            let answer = match t.get("answer") {
                None => {
                    let which = id
                        .as_ref()
                        .map_or(String::new(), |(id, _)| format!(" `{id}`"));
                    self.err(
                        t.span.clone(),
                        format!("faq{which} has no answer"),
                        Some("add `answer = \"...\"`, the words the assistant should say".into()),
                    );
                    None
                }
                Some(_) => match self.string(&t, "answer", None) {
                    Some((a, span)) if a.trim().is_empty() => {
                        self.err(
                            span,
                            "faq answer is empty",
                            Some("write the words the assistant should say".into()),
                        );
                        None
                    }
                    other => other,
                },
            };
            if let (Some((id, _)), Some((question, _)), Some((answer, _))) = (id, question, answer)
            {
                out.push(Faq {
                    id,
                    question,
                    keywords: keywords.into_iter().map(|(k, _)| k).collect(),
                    answer,
                });
            }
        }
        out
    }

    fn people(&mut self, root: &Tab) -> Vec<Person> {
        let tabs = self.tables(root, "people");
        let first_span = tabs.first().map(|t| t.span.clone());
        let mut anyone_on_call = false;
        let mut out = Vec::new();
        for t in tabs {
            self.known(
                &t,
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
            let name = self.string(&t, "name", Some("\"Joe Martinez\""));
            let role = match self.choice(&t, "role", &["owner", "manager", "staff"], true) {
                Some("owner") => Some(Role::Owner),
                Some("manager") => Some(Role::Manager),
                Some(_) => Some(Role::Staff),
                None => None,
            };
            let title = self.opt_string(&t, "title");
            let phone = self
                .string(&t, "phone", None)
                .and_then(|(p, s)| self.phone(&p, s));
            let email = self.string(&t, "email", None).and_then(|(e, span)| {
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
            });
            let on_call = self.boolean(&t, "on_call", false);
            anyone_on_call |= on_call;
            let callbacks = self.boolean(&t, "callbacks", false);
            let who = name
                .as_ref()
                .map_or("this person".to_string(), |(n, _)| format!("`{n}`"));
            let mut notify = Vec::new();
            for (c, span) in self.string_list(&t, "notify") {
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
            if on_call && t.get("phone").is_none() {
                let span = t.key_span("on_call").unwrap_or(t.span.clone());
                self.err(
                    span,
                    format!("person {who} is on call but has no phone"),
                    Some(
                        "emergency transfers need a number: add `phone = \"+15125550142\"`".into(),
                    ),
                );
            }
            let batch = match self.choice(&t, "batch", &["immediate", "hourly", "daily"], false) {
                Some("hourly") => Batch::Hourly,
                Some("daily") => Batch::Daily,
                _ => Batch::Immediate,
            };
            if let (Some((name, _)), Some(role)) = (name, role) {
                out.push(Person {
                    name,
                    role,
                    title,
                    phone,
                    email,
                    on_call,
                    callbacks,
                    notify,
                    batch,
                });
            }
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

    fn forwarding(&mut self, root: &Tab, business: &Business) -> Forwarding {
        let d = Forwarding::default();
        let Some(t) = self.table(root, "forwarding") else {
            return d;
        };
        self.known(&t, &["enabled", "ring_seconds", "screen"]);
        let f = Forwarding {
            enabled: self.boolean(&t, "enabled", d.enabled),
            ring_seconds: self.number(&t, "ring_seconds", d.ring_seconds, 1, 120),
            screen: self.boolean(&t, "screen", d.screen),
        };
        if f.enabled
            && business.shop_phone.is_none()
            && !self.diags.iter().any(|d| d.message.contains("shop_phone"))
        {
            let span = t.key_span("enabled").unwrap_or(t.span.clone());
            self.err(
                span,
                "forwarding is enabled but there is no `shop_phone` to ring",
                Some("add `shop_phone = \"+15125550101\"` under [business], or set `enabled = false`".into()),
            );
        }
        f
    }

    fn followups(&mut self, root: &Tab) -> Followups {
        let d = Followups::default();
        let Some(t) = self.table(root, "followups") else {
            return d;
        };
        self.known(
            &t,
            &[
                "reminder_hours_before",
                "review_delay_hours",
                "review_min_days_between",
                "reengage_after_days",
                "quiet_hours",
            ],
        );
        let mut f = Followups {
            reminder_hours_before: self.number(
                &t,
                "reminder_hours_before",
                d.reminder_hours_before,
                0,
                24 * 14,
            ),
            review_delay_hours: self.number(
                &t,
                "review_delay_hours",
                d.review_delay_hours,
                0,
                24 * 30,
            ),
            review_min_days_between: self.number(
                &t,
                "review_min_days_between",
                d.review_min_days_between,
                0,
                3650,
            ),
            reengage_after_days: self.number(
                &t,
                "reengage_after_days",
                d.reengage_after_days,
                0,
                3650,
            ),
            ..d
        };
        if let Some((q, span)) = self.string(&t, "quiet_hours", None)
            && let Some((s, e)) = self.interval(&q, span, true)
        {
            f.quiet_start = s;
            f.quiet_end = e;
        }
        f
    }

    fn summary(&mut self, root: &Tab) -> SummaryPrefs {
        let Some(t) = self.table(root, "summary") else {
            return SummaryPrefs::default();
        };
        self.known(&t, &["daily_at"]);
        let daily_at = self
            .string(&t, "daily_at", None)
            .and_then(|(s, span)| self.time("daily_at", &s, span));
        SummaryPrefs { daily_at }
    }

    fn templates(&mut self, root: &Tab) -> Templates {
        let mut out = Templates::default();
        let Some(t) = self.table(root, "templates") else {
            return out;
        };
        let names: Vec<&str> = TemplateKey::ALL.iter().map(|k| k.as_str()).collect();
        self.known(&t, &names);
        for key in TemplateKey::ALL {
            let Some((text, span)) = self.string(&t, key.as_str(), None) else {
                continue;
            };
            let problems = placeholder_problems(&text);
            for p in &problems {
                let needle = &text[p.start..p.end];
                let raw = self.src.text.get(span.clone()).unwrap_or("");
                let at = raw.find(needle).map_or(span.clone(), |i| {
                    span.start + i..span.start + i + needle.len()
                });
                let allowed: Vec<String> =
                    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect();
                let name = needle.trim_matches(|c| c == '{' || c == '}');
                let hint = match nearest(name, PLACEHOLDERS.iter().copied()) {
                    Some(n) => format!("did you mean `{{{n}}}`? allowed: {}", allowed.join(", ")),
                    None => format!("allowed: {}", allowed.join(", ")),
                };
                self.err(
                    at,
                    format!("{} in template `{}`", p.message, key.as_str()),
                    Some(hint),
                );
            }
            if text.trim().is_empty() {
                self.err(
                    span,
                    format!("template `{}` is empty", key.as_str()),
                    Some("remove it to use the built-in text".into()),
                );
            } else if problems.is_empty() {
                out.set(key, text);
            }
        }
        out
    }

    fn calendar(&mut self, root: &Tab) -> Option<CalendarConfig> {
        let t = self.table(root, "calendar")?;
        self.known(
            &t,
            &["caldav_url", "username", "password_env", "deadline_ms"],
        );
        let url = self.string(&t, "caldav_url", Some("\"https://cal.example/joe/shop/\""));
        if let Some((u, span)) = &url {
            self.url("caldav_url", u, span.clone());
        }
        let username = self.opt_string(&t, "username");
        let password_env = self.string(&t, "password_env", None).map(|(p, span)| {
            self.env_name("password_env", &p, span);
            p
        });
        let deadline_ms = self.number(&t, "deadline_ms", 3000, 1, 60_000);
        url.map(|(caldav_url, _)| CalendarConfig {
            caldav_url,
            username,
            password_env,
            deadline_ms,
        })
    }

    /// Secrets a profile names must be the operator's for this business: environment
    /// variables named `FRONTDESK_SECRET_<ID>_...`, never any variable of the server.
    fn secret_names(&mut self, id: &str) {
        if id.is_empty() {
            return;
        }
        let prefix = crate::secret_prefix(id);
        for (key, name, span) in std::mem::take(&mut self.secret_refs) {
            if !crate::secret_allowed(id, &name) {
                self.err(
                    span,
                    format!("`{key}` `{name}` is not one of this business's secrets"),
                    Some(format!(
                        "a profile may only name variables the operator set for this business: `{prefix}` and then letters and digits, like \"{prefix}CALDAV\""
                    )),
                );
            }
        }
    }

    fn env_name(&mut self, key: &'static str, v: &str, span: Span) {
        self.secret_refs.push((key, v.to_string(), span.clone()));
        let ok = !v.is_empty()
            && v.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
            && !v.as_bytes()[0].is_ascii_digit();
        if !ok {
            self.err(
                span,
                format!("`{key}` `{v}` is not an environment variable name"),
                Some("name the variable that holds the secret, like \"FRONTDESK_SECRET_JOES_AUTO_CALDAV\"; never put the secret itself in the file".into()),
            );
        }
    }

    fn webhooks(&mut self, root: &Tab) -> Vec<WebhookConfig> {
        let mut out = Vec::new();
        for t in self.tables(root, "webhooks") {
            self.known(&t, &["url", "secret_env", "events"]);
            let url = self.string(&t, "url", Some("\"https://example.com/hooks/frontdesk\""));
            if let Some((u, span)) = &url {
                self.url("url", u, span.clone());
            }
            let secret_env = self.string(&t, "secret_env", None).map(|(s, span)| {
                self.env_name("secret_env", &s, span);
                s
            });
            let events = self
                .string_list(&t, "events")
                .into_iter()
                .map(|(e, _)| e)
                .collect();
            if let Some((url, _)) = url {
                out.push(WebhookConfig {
                    url,
                    secret_env,
                    events,
                });
            }
        }
        out
    }
}

// ----- helpers -------------------------------------------------------------------------------

fn int_value(digits: &str, radix: u32) -> Option<i64> {
    i64::from_str_radix(&digits.replace('_', ""), radix).ok()
}

fn cents_hint(amount: Option<f64>) -> String {
    match amount {
        Some(d) if (0.0..1e12).contains(&d) => {
            let cents = (d * 100.0).round() as i64;
            format!("prices are whole cents: {cents} for {}", dollars(cents))
        }
        _ => "prices are whole cents: 4999 for $49.99".to_string(),
    }
}

fn syntax_hint(msg: &str) -> String {
    let m = msg.to_lowercase();
    if m.contains("duplicate") {
        "each key may appear once per section; a second [section] with the same name is a duplicate too".into()
    } else if m.contains("string") {
        "text goes in double quotes on one line, like `name = \"Joe's Auto Repair\"`".into()
    } else if m.contains("table") || m.contains("`]`") {
        "section headers look like `[booking]`, and lists of sections like `[[services]]`".into()
    } else {
        "each line is `key = value`: text in double quotes, whole numbers bare, lists in [ ]".into()
    }
}

fn number_hint(key: &str, min: u32, max: u32) -> String {
    match key {
        "bays" => "a shop needs at least one bay to book into".into(),
        "slot_minutes" => {
            "offer start times every so many minutes, like `slot_minutes = 30`".into()
        }
        "offer_choices" => "callers can weigh up to 6 choices at once; 3 is usual".into(),
        "max_open_per_contact" => {
            "how many upcoming appointments one customer may hold, like `max_open_per_contact = 3`"
                .into()
        }
        _ if max == u32::MAX => format!("use a whole number of at least {min}"),
        _ => format!("use a whole number from {min} to {max}"),
    }
}

/// `"07:30"` or `"7:30"` → 07:30; anything else (`"7:30am"`, `"25:00"`, `"24:00"`) → `None`.
pub(crate) fn parse_hhmm(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    if !digits(h) || h.len() > 2 || !digits(m) || m.len() != 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Time::new(h, m, 0, 0).ok()
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_snake(s: &str) -> bool {
    s.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && !s.ends_with('_')
        && !s.contains("__")
}

/// `"Oil Change"` → `oil_change` (with `sep` = `_`): lowercase, runs of other characters joined.
fn slugify(s: &str, sep: char) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && sep == '_' {
                out.push(sep);
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !out.is_empty() && !out.ends_with(sep) {
                out.push(sep);
            }
        }
    }
    let out = out.trim_end_matches(sep).to_string();
    if out.is_empty() {
        "service".into()
    } else {
        out
    }
}

/// Lowercase alphanumerics only: how two aliases are compared.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("TOML") => f.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub(crate) fn nearest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let w = word.to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // An abbreviation that starts exactly one candidate ("mon" for "monday").
    if w.chars().count() >= 3 {
        let starts: Vec<&str> = candidates
            .iter()
            .copied()
            .filter(|c| c.to_lowercase().starts_with(&w))
            .collect();
        if let [only] = starts.as_slice() {
            return Some(only);
        }
    }
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(w.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn nearest_zone(name: &str) -> Option<String> {
    let key = name.trim().to_lowercase().replace(' ', "_");
    let common = match key.as_str() {
        "cst" | "cdt" | "ct" | "central" | "us_central" | "central_time" => Some("America/Chicago"),
        "est" | "edt" | "et" | "eastern" | "us_eastern" | "eastern_time" => {
            Some("America/New_York")
        }
        "mst" | "mdt" | "mt" | "mountain" | "mountain_time" => Some("America/Denver"),
        "pst" | "pdt" | "pt" | "pacific" | "pacific_time" => Some("America/Los_Angeles"),
        "austin" | "dallas" | "houston" | "san_antonio" | "texas" => Some("America/Chicago"),
        _ => None,
    };
    if let Some(z) = common {
        return Some(z.to_string());
    }
    let mut best: Option<(usize, String)> = None;
    for zone in jiff::tz::db().available() {
        let z = zone.as_str().to_string();
        let lower = z.to_lowercase();
        let city = lower.rsplit('/').next().unwrap_or(&lower).to_string();
        let d =
            strsim::damerau_levenshtein(&key, &lower).min(strsim::damerau_levenshtein(&key, &city));
        if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, z));
        }
    }
    best.filter(|(d, _)| *d <= (key.chars().count() / 3).max(2))
        .map(|(_, z)| z)
}

/// A phone number in E.164, or a message and hint saying what to write instead.
pub(crate) fn check_phone(value: &str) -> Result<String, (String, String)> {
    let invalid = || {
        (
            format!("phone number `{value}` is not valid"),
            "write it in E.164 form: `+`, the country code, then the number, like \"+15125550100\""
                .to_string(),
        )
    };
    let plausible = value.len() <= 32
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && value.chars().filter(|c| c.is_ascii_digit()).count() >= 7;
    if !plausible {
        return Err(invalid());
    }
    let e164_shaped = value.starts_with('+') && value[1..].bytes().all(|c| c.is_ascii_digit());
    let parsed = if value.starts_with('+') {
        phonenumber::parse(None, value)
    } else {
        phonenumber::parse(Some(phonenumber::country::Id::US), value)
    };
    match parsed {
        Ok(n) if phonenumber::is_valid(&n) => {
            let e164 = n.format().mode(phonenumber::Mode::E164).to_string();
            if e164_shaped && e164 == value {
                Ok(e164)
            } else {
                Err((
                    format!("phone number `{value}` is not in E.164 form"),
                    format!("write it as \"{e164}\""),
                ))
            }
        }
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_must_be_24_hour_hh_mm() {
        assert_eq!(parse_hhmm("07:30"), Some(Time::constant(7, 30, 0, 0)));
        assert_eq!(parse_hhmm("7:30"), Some(Time::constant(7, 30, 0, 0)));
        for bad in [
            "25:00", "24:00", "7:30am", "7", "07:3", "07:60", "", ":", "-1:00", "１2:00",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_typo_finds_the_nearest_known_word_but_nonsense_does_not() {
        let keys = ["slot_minutes", "min_notice_minutes", "max_days_ahead"];
        assert_eq!(
            nearest("min_notice_minute", keys),
            Some("min_notice_minutes")
        );
        assert_eq!(nearest("colour", keys), None);
        assert_eq!(nearest("mon", DAYS), Some("monday"));
        assert_eq!(nearest("Thurs", DAYS), Some("thursday"));
    }

    #[test]
    fn a_misspelled_or_colloquial_zone_suggests_the_iana_name() {
        assert_eq!(
            nearest_zone("America/Chicgo").as_deref(),
            Some("America/Chicago")
        );
        assert_eq!(nearest_zone("Chicago").as_deref(), Some("America/Chicago"));
        assert_eq!(nearest_zone("CST").as_deref(), Some("America/Chicago"));
    }

    #[test]
    fn a_us_number_written_locally_suggests_its_e164_form() {
        assert_eq!(check_phone("+15125550100"), Ok("+15125550100".to_string()));
        let (msg, hint) = check_phone("(512) 555-0100").unwrap_err();
        assert!(msg.contains("not in E.164 form"), "{msg}");
        assert_eq!(hint, "write it as \"+15125550100\"");
        assert!(check_phone("+1512").is_err());
        assert!(check_phone("call joe").is_err());
        assert!(check_phone("+99999999999999999999999999").is_err());
    }

    #[test]
    fn service_names_become_snake_case_suggestions() {
        assert_eq!(slugify("Oil Change", '_'), "oil_change");
        assert_eq!(slugify("oilChange", '_'), "oil_change");
        assert_eq!(slugify("brake-pads", '_'), "brake_pads");
        assert_eq!(slugify("Joe's Auto", '-'), "joe-s-auto");
    }
}
