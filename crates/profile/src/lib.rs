//! The business profile: one TOML file per business (services, prices, hours, FAQs, people),
//! loaded and checked, with every mistake reported by file, line and column.
//!
//! A folder of `*.toml` files is one deployment serving many businesses, routed by the number a
//! caller dialled ([`Profile::answers`]). Prices are whole cents; times are business-local in the
//! business's IANA zone. Start with [`load`] (or [`parse`] for text you already have) and
//! [`example`] for a realistic auto shop to test against.

mod check;
mod diag;
mod model;
mod templates;
mod words;

use std::path::Path;

use jiff::civil::{Date, Time};

pub use diag::{Diagnostic, Report, Severity};
pub use model::*;
pub use templates::{PLACEHOLDERS, TemplateKey, Templates, render};
pub use words::{clock, weekly_hours};

/// The example auto shop (Joe's Auto Repair, Austin TX), as TOML.
pub const EXAMPLE_TOML: &str = include_str!("../../../examples/auto-shop.toml");

/// The example auto shop, parsed. It is checked by this crate's tests, so this never fails.
pub fn example() -> Profile {
    static EXAMPLE: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
    EXAMPLE
        .get_or_init(|| match parse("examples/auto-shop.toml", EXAMPLE_TOML) {
            Ok(p) => p,
            Err(report) => panic!("the built-in example profile is invalid:\n{report}"),
        })
        .clone()
}

/// The prefix of the environment variables a business's profile may name as secrets
/// (`password_env`, `secret_env`): `FRONTDESK_SECRET_` and the business id in upper case with
/// `-` as `_`, then `_` (`FRONTDESK_SECRET_JOES_AUTO_` for `joes-auto`). The operator sets them;
/// no other variable of the server is ever read for a profile.
pub fn secret_prefix(business_id: &str) -> String {
    let id: String = business_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("FRONTDESK_SECRET_{id}_")
}

/// Whether a profile of business `business_id` may name the variable `name` as a secret: the
/// business's prefix, then upper-case letters and digits only. (With no `_` after the prefix,
/// a name belongs to exactly one business: `joes` cannot name `FRONTDESK_SECRET_JOES_AUTO_X`.)
pub fn secret_allowed(business_id: &str, name: &str) -> bool {
    let prefix = secret_prefix(business_id);
    !business_id.is_empty()
        && name.strip_prefix(&prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// An error about `text` (from `file_label`) pointing at the first occurrence of `needle`
/// outside a comment (the start of the text when there is none), for checks made outside this
/// crate.
pub fn error_at(
    file_label: &str,
    text: &str,
    needle: &str,
    message: impl Into<String>,
    hint: Option<String>,
) -> Diagnostic {
    let commented = |at: usize| {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..at].contains('#')
    };
    let start = if needle.is_empty() {
        None
    } else {
        text.match_indices(needle)
            .map(|(at, _)| at)
            .find(|&at| !commented(at))
    };
    let span = start.map_or(0..0, |s| s..s + needle.len());
    diag::Source {
        label: file_label,
        text,
    }
    .diag(Severity::Error, span, message, hint)
}

/// Parses and checks one profile. `file_label` is used in diagnostics (usually the path).
///
/// Warnings do not fail the parse; they are kept in [`Profile::warnings`].
pub fn parse(file_label: &str, text: &str) -> Result<Profile, Report> {
    let checked = check::check(file_label, text);
    match checked.profile {
        Some(p) => Ok(p),
        None => Err(Report {
            diagnostics: checked.diagnostics,
        }),
    }
}

/// Every finding about one profile text, warnings included, whether or not it has errors.
pub fn check(file_label: &str, text: &str) -> Report {
    Report {
        diagnostics: check::check(file_label, text).diagnostics,
    }
}

/// Loads a profile file, or every `*.toml` in a folder (sorted by file name; hidden files such
/// as editor lock files are skipped).
///
/// Across files, a business id used twice, or a phone number claimed by two businesses, is an
/// error naming both files. All problems in all files are reported together.
pub fn load(path: &Path) -> Result<Vec<Profile>, Report> {
    let (profiles, report) = load_with_report(path);
    if report.has_errors() {
        Err(report)
    } else {
        Ok(profiles)
    }
}

/// Like [`load`], but always returns the report (with warnings) next to whatever loaded.
/// The profiles are complete only when the report has no errors.
pub fn load_with_report(path: &Path) -> (Vec<Profile>, Report) {
    load_inner(path, None)
}

/// Like [`load_with_report`], as if the file `file` held `text`: what `load` would say after
/// saving it, without writing it.
pub fn load_with_text(path: &Path, file: &Path, text: &str) -> (Vec<Profile>, Report) {
    load_inner(path, Some((file, text)))
}

fn load_inner(path: &Path, replaced: Option<(&Path, &str)>) -> (Vec<Profile>, Report) {
    let mut report = Report::default();
    let label = path.display().to_string();
    let io_error = |report: &mut Report, label: &str, msg: String| {
        report.diagnostics.push(Diagnostic {
            file: label.to_string(),
            line: 1,
            column: 1,
            message: msg,
            hint: None,
            severity: Severity::Error,
            source_line: String::new(),
            width: 0,
        });
    };
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut files: Vec<_> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        let hidden = p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                        !hidden && p.extension().is_some_and(|x| x == "toml") && p.is_file()
                    })
                    .collect();
                files.sort();
                if files.is_empty() {
                    io_error(
                        &mut report,
                        &label,
                        format!("no `*.toml` profiles in folder `{label}`"),
                    );
                }
                files
            }
            Err(e) => {
                io_error(
                    &mut report,
                    &label,
                    format!("cannot read folder `{label}`: {e}"),
                );
                Vec::new()
            }
        }
    } else {
        vec![path.to_path_buf()]
    };

    let mut profiles = Vec::new();
    // business id -> file; phone -> (business id, file)
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut phones: Vec<(String, String, String)> = Vec::new();
    for file in files {
        let label = file.display().to_string();
        let read = match replaced {
            Some((f, text)) if f == file => Ok(text.to_string()),
            _ => std::fs::read_to_string(&file),
        };
        let text = match read {
            Ok(t) => t,
            Err(e) => {
                io_error(&mut report, &label, format!("cannot read `{label}`: {e}"));
                continue;
            }
        };
        let checked = check::check(&label, &text);
        report.diagnostics.extend(checked.diagnostics);
        let Some(p) = checked.profile else { continue };
        let src = diag::Source {
            label: &label,
            text: &text,
        };
        let id = p.business.id.clone();
        if let Some((_, first)) = ids.iter().find(|(i, _)| *i == id) {
            report.diagnostics.push(src.diag(
                Severity::Error,
                checked.id_span.clone(),
                format!("business id `{id}` is also used by `{first}`"),
                Some("each business in a deployment needs its own id".into()),
            ));
        } else {
            ids.push((id.clone(), label.clone()));
        }
        for (phone, span) in &checked.phone_spans {
            if let Some((other, first, _)) = phones
                .iter()
                .find(|(n, _, _)| n == phone)
                .map(|(_, o, f)| (o, f, ()))
            {
                report.diagnostics.push(src.diag(
                    Severity::Error,
                    span.clone(),
                    format!("phone number `{phone}` is claimed by `{id}` in `{label}` and by `{other}` in `{first}`"),
                    Some("a dialled number must route to exactly one business; remove it from one file".into()),
                ));
            } else {
                phones.push((phone.clone(), id.clone(), label.clone()));
            }
        }
        profiles.push(p);
    }
    (profiles, report)
}

impl Profile {
    /// One screen about this business: numbers, zone, services with prices, hours, people.
    pub fn summary(&self) -> String {
        words::summary(self)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn faq(&self, id: &str) -> Option<&Faq> {
        self.faqs.iter().find(|f| f.id == id)
    }

    /// Is this one of the numbers callers dial for this business? Spaces, dashes and brackets in
    /// `e164` are ignored.
    pub fn answers(&self, e164: &str) -> bool {
        let wanted: String = e164
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        !wanted.is_empty() && self.business.phones.contains(&wanted)
    }

    /// The business-local shifts on a date, in order; empty when closed that day.
    pub fn open_intervals(&self, date: Date) -> Vec<(Time, Time)> {
        if self.hours.closed_dates.contains(&date) {
            return Vec::new();
        }
        self.hours.on(date.weekday()).to_vec()
    }

    /// Is the business open at this instant, in its own time zone? Shift ends are exclusive.
    pub fn is_open(&self, at: jiff::Timestamp) -> bool {
        let local = at.to_zoned(self.business.timezone.clone());
        let t = local.time();
        self.open_intervals(local.date())
            .iter()
            .any(|(start, end)| *start <= t && t < *end)
    }

    /// The owner's wording for a message, or the built-in default.
    pub fn template(&self, key: TemplateKey) -> &str {
        self.templates.text(key)
    }

    /// People who get callback tasks (falls back to on-call people, then everyone).
    pub fn callback_people(&self) -> Vec<&Person> {
        let pick = |f: fn(&Person) -> bool| self.people.iter().filter(|p| f(p)).collect::<Vec<_>>();
        let c = pick(|p| p.callbacks);
        if !c.is_empty() {
            return c;
        }
        let o = pick(|p| p.on_call);
        if !o.is_empty() {
            o
        } else {
            self.people.iter().collect()
        }
    }

    /// People who get emergency transfers and urgent texts.
    pub fn on_call(&self) -> Vec<&Person> {
        self.people.iter().filter(|p| p.on_call).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_profile_is_valid() {
        if let Err(report) = parse("examples/auto-shop.toml", EXAMPLE_TOML) {
            panic!("{report}");
        }
        assert!(example().warnings.is_empty(), "{:?}", example().warnings);
    }
}
