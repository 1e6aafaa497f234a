//! The `[[services]]` sections: snake_case ids used once, the names and aliases callers say (one
//! alias may mean only one service), durations, what to ask the caller, and prices: a fixed
//! amount in whole cents, a range with what it depends on, `"free"`, or a quote. A price written
//! in dollars or as a decimal is refused with its value in cents.

use std::collections::HashMap;

use toml::de::DeValue;

use super::hints::{cents_hint, int_value, is_snake, normalize, slugify};
use super::{Ck, Span, Tab, Val};
use crate::model::{AskField, Price, Service};

/// Every name and alias of a service, normalized, with its service id and the text as written.
pub(super) type Said = HashMap<String, (String, String)>;

impl Ck<'_> {
    /// The services, and every name and alias (normalized) with its service id and spelling.
    pub(super) fn services(&mut self, root: &Tab) -> (Vec<Service>, Said) {
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
        let mut said = Said::new();
        for t in tabs {
            out.extend(self.service(&t, &mut ids, &mut said));
        }
        (out, said)
    }

    /// One `[[services]]` entry; `ids` and `said` hold what the entries before it used.
    fn service(
        &mut self,
        t: &Tab,
        ids: &mut HashMap<String, Span>,
        said: &mut Said,
    ) -> Option<Service> {
        self.known(
            t,
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
            .string(t, "id", Some("\"oil_change\""))
            .map(|(id, span)| self.service_id(id, span, ids));
        let name = self.string(t, "name", Some("\"oil change\""));
        let aliases = self.string_list(t, "aliases");
        let price = self.price(t);
        let duration = match t.get("duration_minutes") {
            Some(_) => self.number(t, "duration_minutes", 60, 1, 60 * 24 * 14),
            None => {
                self.missing(
                    t,
                    "duration_minutes",
                    Some("add how long the job takes, like `duration_minutes = 60`".into()),
                );
                60
            }
        };
        let bookable = self.boolean(t, "bookable", true);
        let ask = self.ask_fields(t);
        let description = self.opt_string(t, "description");

        let sid = id.clone().unwrap_or_default();
        let spoken = name.iter().cloned().chain(aliases.iter().cloned());
        self.claim_names(&sid, spoken, said);
        match (id, name, price) {
            (Some(id), Some((name, _)), Some(price)) => Some(Service {
                id,
                name,
                aliases: aliases.into_iter().map(|(a, _)| a).collect(),
                price,
                duration_minutes: duration,
                bookable,
                ask,
                description,
            }),
            _ => None,
        }
    }

    /// A service id must be snake_case and not used by an earlier service.
    fn service_id(&mut self, id: String, span: Span, ids: &mut HashMap<String, Span>) -> String {
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
    }

    /// The `ask` fields, each a known one and listed once.
    fn ask_fields(&mut self, t: &Tab) -> Vec<AskField> {
        let mut ask = Vec::new();
        let names: Vec<&str> = AskField::ALL.iter().map(|a| a.as_str()).collect();
        for (a, span) in self.string_list(t, "ask") {
            if let Some(n) = self.one_of("`ask` field", &a, span, &names)
                && let Some(f) = AskField::ALL.into_iter().find(|f| f.as_str() == n)
                && !ask.contains(&f)
            {
                ask.push(f);
            }
        }
        ask
    }

    /// Records the service's name and aliases in `said`; one another service already claimed, or
    /// an empty one, is an error.
    fn claim_names(
        &mut self,
        sid: &str,
        spoken: impl Iterator<Item = (String, Span)>,
        said: &mut Said,
    ) {
        let mut mine: Vec<String> = Vec::new();
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
                    said.insert(norm.clone(), (sid.to_string(), text.clone()));
                }
            }
            mine.push(norm);
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
        if let Some(q) = pt.get("quote") {
            return self.quote_price(pt, q);
        }
        if let Some(c) = pt.get("cents") {
            return self.fixed_price(pt, c);
        }
        self.range_price(pt, span)
    }

    /// `{ quote = true, depends_on }`: no amount allowed.
    fn quote_price(&mut self, pt: &Tab, q: &Val) -> Option<Price> {
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
        self.price_depends_on(pt)
            .map(|depends_on| Price::Quote { depends_on })
    }

    /// `{ cents }`: no range ends allowed, and `depends_on` is ignored.
    fn fixed_price(&mut self, pt: &Tab, c: &Val) -> Option<Price> {
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
        self.cents_value(c).map(|cents| Price::Fixed { cents })
    }

    /// `{ min_cents, max_cents, depends_on }`, the right way up; `span` is the whole price.
    fn range_price(&mut self, pt: &Tab, span: Span) -> Option<Price> {
        match (pt.get("min_cents"), pt.get("max_cents")) {
            (Some(lo), Some(hi)) => {
                let min = self.cents_value(lo);
                let max = self.cents_value(hi);
                let dep = self.price_depends_on(pt);
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

    /// What a quote or a price range depends on; required and not blank.
    fn price_depends_on(&mut self, pt: &Tab) -> Option<String> {
        let example = "\"the oil your car takes\"";
        let (s, sp) = self.string(pt, "depends_on", Some(example))?;
        if s.trim().is_empty() {
            self.err(
                sp,
                "`depends_on` is empty",
                Some(format!(
                    "say what moves the price, like depends_on = {example}"
                )),
            );
            return None;
        }
        Some(s)
    }

    /// An amount in whole cents, explaining floats, dollar strings and negatives.
    pub(super) fn cents_value(&mut self, v: &Val) -> Option<i64> {
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
}
