//! The generic readers every section uses: a string, a whole number in range, a list, a choice
//! among fixed words, a sub-table or a list of them. Each reports a wrong type, an unknown key
//! (with the nearest known one) or a value out of range at its span, then hands back a default
//! so checking carries on.

use toml::de::DeValue;

use super::hints::{backticked, int_value, nearest, number_hint};
use super::{Ck, Span, Tab, Val};

impl Ck<'_> {
    /// Reports keys of `tab` that are not in `known`, suggesting the nearest known key.
    pub(super) fn known(&mut self, tab: &Tab, known: &[&str]) {
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

    pub(super) fn missing(&mut self, tab: &Tab, key: &str, hint: Option<String>) {
        self.err(
            tab.span.clone(),
            format!("missing `{key}` in {}", tab.display()),
            hint,
        );
    }

    pub(super) fn wrong_type(
        &mut self,
        tab: &Tab,
        key: &str,
        v: &Val,
        expected: &str,
        example: &str,
    ) {
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

    pub(super) fn snippet(&self, span: Span) -> String {
        let s = self.src.text.get(span).unwrap_or("").trim();
        let first = s.lines().next().unwrap_or("");
        if first.chars().count() > 40 {
            format!("{}…", first.chars().take(40).collect::<String>())
        } else {
            first.to_string()
        }
    }

    pub(super) fn string(
        &mut self,
        tab: &Tab,
        key: &str,
        required: Option<&str>,
    ) -> Option<(String, Span)> {
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

    pub(super) fn opt_string(&mut self, tab: &Tab, key: &str) -> Option<String> {
        self.string(tab, key, None).map(|(s, _)| s)
    }

    pub(super) fn boolean(&mut self, tab: &Tab, key: &str, default: bool) -> bool {
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
    pub(super) fn number(&mut self, tab: &Tab, key: &str, default: u32, min: u32, max: u32) -> u32 {
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

    pub(super) fn string_list(&mut self, tab: &Tab, key: &str) -> Vec<(String, Span)> {
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
    pub(super) fn choice<'c>(
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

    pub(super) fn one_of<'c>(
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

    pub(super) fn table<'d, 'i>(&mut self, parent: &Tab<'d, 'i>, key: &str) -> Option<Tab<'d, 'i>> {
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

    pub(super) fn tables<'d, 'i>(&mut self, parent: &Tab<'d, 'i>, key: &str) -> Vec<Tab<'d, 'i>> {
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
    pub(super) fn header_span(&self, span: Span) -> Span {
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
}
