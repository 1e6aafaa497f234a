//! Small helpers for wording messages and hints: the nearest known word to a typo, cents shown
//! as dollars, a hint per TOML syntax error and per number setting, and the id helpers (is it a
//! slug or snake_case, what it would be as one, how two aliases compare).

use crate::model::dollars;

/// A TOML integer from its digits (with `_` separators) in `radix`; `None` past `i64`.
pub(super) fn int_value(digits: &str, radix: u32) -> Option<i64> {
    i64::from_str_radix(&digits.replace('_', ""), radix).ok()
}

/// The hint under a price that is not whole cents, with `amount` (in dollars) converted.
pub(super) fn cents_hint(amount: Option<f64>) -> String {
    match amount {
        Some(d) if (0.0..1e12).contains(&d) => {
            let cents = (d * 100.0).round() as i64;
            format!("prices are whole cents: {cents} for {}", dollars(cents))
        }
        _ => "prices are whole cents: 4999 for $49.99".to_string(),
    }
}

/// What to write instead, for a TOML syntax error's message.
pub(super) fn syntax_hint(msg: &str) -> String {
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

/// The hint under a number out of range: what the setting means for a few keys, else the range.
pub(super) fn number_hint(key: &str, min: u32, max: u32) -> String {
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

/// Lowercase letters, digits and inner `-`: a business id.
pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// snake_case starting with a letter: a service id.
pub(super) fn is_snake(s: &str) -> bool {
    s.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && !s.ends_with('_')
        && !s.contains("__")
}

/// `"Oil Change"` → `oil_change` (with `sep` = `_`): lowercase, runs of other characters joined.
pub(super) fn slugify(s: &str, sep: char) -> String {
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
pub(super) fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// `a`, `b`, `c` for a list of known keys or choices.
pub(super) fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The TOML parser's message with its first letter lowercased (unless it starts with "TOML").
pub(super) fn lower_first(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::super::hours::DAYS;
    use super::*;

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
    fn service_names_become_snake_case_suggestions() {
        assert_eq!(slugify("Oil Change", '_'), "oil_change");
        assert_eq!(slugify("oilChange", '_'), "oil_change");
        assert_eq!(slugify("brake-pads", '_'), "brake_pads");
        assert_eq!(slugify("Joe's Auto", '-'), "joe-s-auto");
    }
}
