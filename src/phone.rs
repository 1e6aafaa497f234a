//! Phone numbers as frontdesk keeps them: E.164 (`+15125550143`). One place says what a number
//! is, so a webhook's `From=client:alice` or an empty `From` is never taken for one.

/// The E.164 form of a number a caller, texter or form gave (`(512) 555-0143` in a US shop →
/// `+15125550143`), or `None` when it is not a number. `region` is the ISO country the shop is
/// in, for numbers written without a country code.
pub fn normalize(raw: &str, region: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.contains(':') {
        return None;
    }
    let id = region.parse::<phonenumber::country::Id>().ok();
    let parsed = phonenumber::parse(id, raw).ok()?;
    phonenumber::is_valid(&parsed)
        .then(|| parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// Whether a stored number can be texted: E.164, `+` and 8 to 15 digits (not `client:alice`, a
/// SIP address or an empty field).
pub fn textable(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_twilio_client_identity_or_an_empty_field_is_not_a_number_to_text() {
        assert!(textable("+15125550143"));
        assert!(!textable("client:alice"));
        assert!(!textable(""));
        assert!(!textable("+1 512"));
        assert!(!textable("sip:joe@example.com"));
    }

    #[test]
    fn a_local_number_is_written_in_the_international_form() {
        assert_eq!(
            normalize("(512) 555-0143", "US").as_deref(),
            Some("+15125550143")
        );
        assert_eq!(normalize("client:alice", "US"), None);
        assert_eq!(normalize("", "US"), None);
    }
}
