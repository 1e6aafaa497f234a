//! The `[business]` section: the slug id, name, the numbers callers dial and the front-desk
//! number, address, web addresses, IANA time zone, languages, currency and average ticket. Also
//! the phone and web-address readers other sections share, with the E.164 check and the guess at
//! a misspelt or colloquial time zone ("CST", "Chicgo").

use super::hints::{is_slug, slugify};
use super::{Ck, Span, Tab};
use crate::model::Business;

impl Ck<'_> {
    pub(super) fn business(&mut self, root: &Tab) -> Business {
        let mut b = empty_business();
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
        self.business_id(&t, &mut b);
        if let Some((name, _)) = self.string(&t, "name", Some("\"Joe's Auto Repair\"")) {
            b.name = name;
        }
        self.business_phones(&t, &mut b);
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
        self.business_locale(&t, &mut b);
        if let Some(v) = t.get("average_ticket_cents")
            && let Some(c) = self.cents_value(v)
        {
            b.average_ticket_cents = c;
        }
        b
    }

    /// The slug `id`, remembered for the cross-file check that no two files share it.
    fn business_id(&mut self, t: &Tab, b: &mut Business) {
        if let Some((id, span)) = self.string(t, "id", Some("\"joes-auto\"")) {
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
    }

    /// The numbers callers dial (each valid, listed once, and remembered for the cross-file
    /// check) and the front desk's own number, which must differ from them.
    fn business_phones(&mut self, t: &Tab, b: &mut Business) {
        match t.get("phones") {
            None => self.missing(
                t,
                "phones",
                Some("add the number callers dial, like `phones = [\"+15125550100\"]`".into()),
            ),
            Some(v) => {
                let list = self.string_list(t, "phones");
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
        if let Some((p, span)) = self.string(t, "shop_phone", None) {
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
    }

    /// The time zone, languages and currency.
    fn business_locale(&mut self, t: &Tab, b: &mut Business) {
        if let Some((name, span)) = self.string(t, "timezone", Some("\"America/Chicago\"")) {
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
            let langs = self.string_list(t, "languages");
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
        if let Some((c, span)) = self.string(t, "currency", None) {
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
    }

    pub(super) fn phone(&mut self, value: &str, span: Span) -> Option<String> {
        match check_phone(value) {
            Ok(e164) => Some(e164),
            Err((msg, hint)) => {
                self.err(span, msg, Some(hint));
                None
            }
        }
    }

    pub(super) fn url(&mut self, key: &str, value: &str, span: Span) {
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
}

/// The business before its section is read: what a missing `[business]` leaves, and the defaults
/// for the optional keys (English, US dollars).
fn empty_business() -> Business {
    Business {
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
    }
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
}
