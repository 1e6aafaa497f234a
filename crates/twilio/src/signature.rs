//! Twilio's request signature (`X-Twilio-Signature`), computed and checked the way Twilio's
//! official helper libraries do it (twilio-python `twilio/request_validator.py`, twilio-node
//! `lib/webhooks/webhooks.ts`):
//!
//! - the signed string is the full URL Twilio requested, followed, for a form POST, by every
//!   parameter's name and value with the names sorted; where a name repeats, its values are
//!   sorted too and an exact repeat of a name and value counts once (both libraries put the
//!   values in a set before sorting). Sorting is by Unicode code point, as Python sorts.
//! - the signature is base64(HMAC-SHA1(auth token, signed string)); accounts that sign with a
//!   SharedKey may ask for HMAC-SHA256 through the `X-Twilio-Webhooks-Signature-Settings`
//!   header ([`algorithm_from_settings_header`]).
//! - a signature is accepted for the URL without its port and for the URL with the scheme's
//!   default port added (`:443` for https/wss, `:80` for http/ws), because Twilio's back end
//!   signs either form. As in the helper libraries, "without its port" drops any explicit
//!   port, not only a default one. As twilio-node does, a `'` in the query is also tried as
//!   `%27` and the other way round.
//! - a JSON body is not signed as parameters: Twilio adds `bodySHA256=<hex SHA-256 of the
//!   body>` to the URL's query and signs the URL alone ([`validate_json_body`]).
//! - the WebSocket upgrade of ConversationRelay carries `X-Twilio-Signature` over the full
//!   `wss://` URL with no parameters ([`validate_websocket`]).
//!
//! Comparisons of signatures are constant-time.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Digest as _;
use subtle::ConstantTimeEq;

/// The header with which Twilio names the key and algorithm of a SharedKey signature.
pub const SIGNATURE_SETTINGS_HEADER: &str = "X-Twilio-Webhooks-Signature-Settings";

/// The HMAC a signature is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// The classic auth-token signature.
    #[default]
    HmacSha1,
    /// The SharedKey signature that names `algorithm=HMAC_SHA256` in its settings header.
    HmacSha256,
}

/// The algorithm named by an `X-Twilio-Webhooks-Signature-Settings` header value such as
/// `key=webhooks_sharedkey_xyz,algorithm=HMAC_SHA256`. A missing or empty header, or one
/// without `algorithm=`, means HMAC-SHA1; an algorithm we do not know gives `None`, and such a
/// request must be refused.
pub fn algorithm_from_settings_header(header: Option<&str>) -> Option<Algorithm> {
    let named = header.unwrap_or("").split(',').find_map(|part| {
        let (name, value) = part.split_once('=')?;
        (name.trim() == "algorithm" && !value.trim().is_empty()).then(|| value.trim())
    });
    match named {
        None => Some(Algorithm::HmacSha1),
        Some(name) if name.eq_ignore_ascii_case("HMAC_SHA1") => Some(Algorithm::HmacSha1),
        Some(name) if name.eq_ignore_ascii_case("HMAC_SHA256") => Some(Algorithm::HmacSha256),
        Some(_) => None,
    }
}

/// The string Twilio signs: the URL, then each parameter name and value, sorted by name and
/// then by value, exact repeats counted once.
pub fn signed_string(url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut s = String::with_capacity(
        url.len() + params.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>(),
    );
    s.push_str(url);
    for (name, value) in sorted {
        s.push_str(name);
        s.push_str(value);
    }
    s
}

/// The base64 HMAC-SHA1 signature Twilio would send for a request to `url` with these POST
/// parameters.
pub fn compute(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    compute_with(Algorithm::HmacSha1, auth_token, url, params)
}

/// [`compute`] with the algorithm chosen.
pub fn compute_with(
    algorithm: Algorithm,
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
) -> String {
    let data = signed_string(url, params);
    let key = auth_token.as_bytes();
    let bytes = match algorithm {
        Algorithm::HmacSha1 => {
            let mut mac =
                Hmac::<sha1::Sha1>::new_from_slice(key).expect("hmac takes any key length");
            mac.update(data.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Algorithm::HmacSha256 => {
            let mut mac =
                Hmac::<sha2::Sha256>::new_from_slice(key).expect("hmac takes any key length");
            mac.update(data.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
    };
    BASE64.encode(bytes)
}

/// Whether `signature` is Twilio's signature of a form POST to `url` with `params`, for the URL
/// as given, without its port or with the scheme's default port.
pub fn validate(auth_token: &str, url: &str, params: &[(String, String)], signature: &str) -> bool {
    validate_with(Algorithm::HmacSha1, auth_token, url, params, signature)
}

/// [`validate`] with the algorithm chosen.
pub fn validate_with(
    algorithm: Algorithm,
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> bool {
    let mut ok = subtle::Choice::from(0);
    for candidate in url_variants(url) {
        let expected = compute_with(algorithm, auth_token, &candidate, params);
        ok |= expected.as_bytes().ct_eq(signature.trim().as_bytes());
    }
    ok.into()
}

/// Whether a request with a JSON (or any non-form) body is Twilio's: the URL must carry
/// `bodySHA256=<hex SHA-256 of body>` in its query, the hash must match the body, and the
/// signature must be over the URL (query included) with no parameters. A URL without
/// `bodySHA256` is refused, since nothing would then bind the body to the signature.
pub fn validate_json_body(auth_token: &str, url: &str, body: &[u8], signature: &str) -> bool {
    let Some(claimed) = body_sha256_param(url) else {
        return false;
    };
    let actual = body_sha256_hex(body);
    let hash_ok = claimed.eq_ignore_ascii_case(&actual);
    let signature_ok = validate(auth_token, url, &[], signature);
    hash_ok & signature_ok
}

/// The lowercase hex SHA-256 of a body, as Twilio puts it in `bodySHA256`.
pub fn body_sha256_hex(body: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(body))
}

/// Whether `signature` (the `X-Twilio-Signature` of a ConversationRelay WebSocket upgrade
/// request) is Twilio's signature of the full `wss://` URL, query included, with no
/// parameters.
pub fn validate_websocket(auth_token: &str, wss_url: &str, signature: &str) -> bool {
    validate(auth_token, wss_url, &[], signature)
}

/// Why a webhook was refused by [`verify_form`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the request has no \"X-Twilio-Signature\" header")]
    MissingSignature,
    #[error("the \"X-Twilio-Signature\" \"{0}\" does not match the request")]
    BadSignature(String),
    #[error(transparent)]
    BadForm(#[from] crate::webhook::Error),
}

/// Checks a form webhook (POST `application/x-www-form-urlencoded`, or a GET with an empty
/// body whose parameters are in `url`) and returns its pairs for
/// [`crate::webhook::from_params`]. `url` is the full public URL Twilio requested, query
/// included; `signature` is the `X-Twilio-Signature` header if present.
pub fn verify_form(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: Option<&str>,
) -> Result<Vec<(String, String)>, Rejection> {
    let signature = signature.ok_or(Rejection::MissingSignature)?;
    let params = crate::webhook::parse_form(body)?;
    if validate(auth_token, url, &params, signature) {
        Ok(params)
    } else {
        Err(Rejection::BadSignature(signature.to_string()))
    }
}

fn body_sha256_param(url: &str) -> Option<String> {
    let after_question = url.split_once('?')?.1;
    let query = after_question.split('#').next().unwrap_or("");
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "bodySHA256")
        .map(|(_, value)| value.into_owned())
}

/// The URL as given, without its port, and with the scheme's default port added, each also
/// with a single quote in the query escaped or unescaped: the forms under which Twilio may
/// have signed a request.
pub fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_string()];
    if let Some(parts) = split_authority(url) {
        let without = format!("{}{}{}", parts.before_host, parts.host, parts.rest);
        let with = match parts.port {
            Some(_) => url.to_string(),
            None => match default_port(parts.scheme) {
                Some(port) => format!("{}{}:{}{}", parts.before_host, parts.host, port, parts.rest),
                None => url.to_string(),
            },
        };
        for v in [without, with] {
            if !variants.contains(&v) {
                variants.push(v);
            }
        }
    }
    // twilio-node accepts a query's single quote escaped (`%27`) and unescaped, since the URL
    // a framework reports and the URL Twilio signed may differ in just that.
    for i in 0..variants.len() {
        for v in quote_forms(&variants[i]) {
            if !variants.contains(&v) {
                variants.push(v);
            }
        }
    }
    variants
}

fn quote_forms(url: &str) -> Vec<String> {
    let Some(q) = url.find('?') else {
        return Vec::new();
    };
    let (head, query) = url.split_at(q);
    let mut forms = Vec::new();
    if query.contains('\'') {
        forms.push(format!("{head}{}", query.replace('\'', "%27")));
    }
    if query.contains("%27") {
        forms.push(format!("{head}{}", query.replace("%27", "'")));
    }
    forms
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme.to_ascii_lowercase().as_str() {
        "https" | "wss" => Some(443),
        "http" | "ws" => Some(80),
        _ => None,
    }
}

struct AuthorityParts<'a> {
    scheme: &'a str,
    /// `scheme://` and any `userinfo@`.
    before_host: &'a str,
    host: &'a str,
    port: Option<&'a str>,
    /// Path, query and fragment.
    rest: &'a str,
}

fn split_authority(url: &str) -> Option<AuthorityParts<'_>> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    let authority_start = scheme_end + 3;
    let authority_len = url[authority_start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - authority_start);
    let authority_end = authority_start + authority_len;
    let authority = &url[authority_start..authority_end];
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = &authority[host_start..];
    // The port is after the last ':' that is not inside an IPv6 literal's brackets.
    let (host, port) = match host_and_port.rfind(':') {
        Some(colon) if !host_and_port[colon..].contains(']') => {
            let port = &host_and_port[colon + 1..];
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                (host_and_port, None)
            } else {
                (&host_and_port[..colon], Some(port))
            }
        }
        _ => (host_and_port, None),
    };
    Some(AuthorityParts {
        scheme,
        before_host: &url[..authority_start + host_start],
        host,
        port,
        rest: &url[authority_end..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    fn call_params() -> Vec<(String, String)> {
        p(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    #[test]
    fn the_public_vector_is_computed_exactly() {
        assert_eq!(
            compute(TOKEN, URL, &call_params()),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
    }

    #[test]
    fn parameter_order_in_the_request_does_not_change_the_signature() {
        let mut reversed = call_params();
        reversed.reverse();
        assert_eq!(
            compute(TOKEN, URL, &reversed),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
    }

    #[test]
    fn the_public_vector_validates() {
        assert!(validate(
            TOKEN,
            URL,
            &call_params(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn a_signature_for_the_443_form_of_the_url_is_accepted() {
        assert!(validate(
            TOKEN,
            URL,
            &call_params(),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        ));
    }

    #[test]
    fn a_signature_without_the_port_is_accepted_for_a_url_with_a_port() {
        let with_port = URL.replace(".com", ".com:1234");
        assert!(validate(
            TOKEN,
            &with_port,
            &call_params(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn a_signature_for_the_http_url_with_its_port_is_accepted() {
        let http_with_port = URL.replace(".com", ".com:1234").replace("https", "http");
        assert!(validate(
            TOKEN,
            &http_with_port,
            &call_params(),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        ));
    }

    #[test]
    fn a_signature_for_the_80_form_of_an_http_url_is_accepted() {
        let http = URL.replace("https", "http");
        assert!(validate(
            TOKEN,
            &http,
            &call_params(),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        ));
    }

    #[test]
    fn the_80_form_is_not_accepted_for_an_https_url() {
        // 0ZXo... is the signature of the http URL with :80; it must not open the https URL.
        assert!(!validate(
            TOKEN,
            URL,
            &call_params(),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        ));
    }

    // Vectors from twilio-node's spec/validation.spec.js (token 12345, same URL and params).
    #[test]
    fn a_url_with_credentials_is_signed_with_them() {
        let creds = "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            compute(TOKEN, creds, &call_params()),
            "CukzLTc1tT5dXEDIHm/tKBanW10="
        );
        assert!(validate(
            TOKEN,
            creds,
            &call_params(),
            "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="
        ));
    }

    #[test]
    fn a_url_with_just_a_username_is_signed_with_it() {
        let user = "https://user@mycompany.com/myapp.php?foo=1&bar=2";
        assert!(validate(
            TOKEN,
            user,
            &call_params(),
            "2YRLlVAflCqxaNicjMpJcSTgzSs="
        ));
    }

    #[test]
    fn a_query_with_a_quote_and_a_plus_validates() {
        let special = format!("{URL}&Body=It's+amazing");
        assert!(validate(
            TOKEN,
            &special,
            &call_params(),
            "dsq4Ehbj6cs+KdTkpF5sSSplOWw="
        ));
    }

    #[test]
    fn an_escaped_and_an_unescaped_quote_in_the_query_sign_alike() {
        let plain = "https://example.com/path?test=param'WithQuote";
        let escaped = "https://example.com/path?test=param%27WithQuote";
        let sig = compute("s3cr3t", plain, &[]);
        assert!(validate("s3cr3t", escaped, &[], &sig));
        let sig = compute("s3cr3t", escaped, &[]);
        assert!(validate("s3cr3t", plain, &[], &sig));
        assert!(!validate(
            "s3cr3t",
            "https://example.com/path?test=param%28WithQuote",
            &[],
            &sig
        ));
    }

    #[test]
    fn a_url_whose_only_query_is_the_body_hash_validates() {
        let body = br#"{"property": "value", "boolean": true}"#;
        let url = "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        assert!(validate_json_body(
            TOKEN,
            url,
            body,
            "y77kIzt2vzLz71DgmJGsen2scGs="
        ));
    }

    #[test]
    fn duplicate_names_are_signed_sorted_by_value() {
        let params = p(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ]);
        assert_eq!(compute(TOKEN, URL, &params), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    }

    #[test]
    fn an_exact_repeat_of_a_pair_is_signed_once() {
        let once = p(&[("Digits", "1234"), ("To", "+1")]);
        let twice = p(&[("Digits", "1234"), ("To", "+1"), ("Digits", "1234")]);
        assert_eq!(compute(TOKEN, URL, &once), compute(TOKEN, URL, &twice));
    }

    #[test]
    fn a_changed_value_fails_validation() {
        let mut params = call_params();
        params[2].1 = "1235".into();
        assert!(!validate(
            TOKEN,
            URL,
            &params,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn a_signature_for_another_url_fails_validation() {
        let other = URL.replace("myapp", "yourapp");
        assert!(!validate(
            TOKEN,
            &other,
            &call_params(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn another_token_fails_validation() {
        assert!(!validate(
            "54321",
            URL,
            &call_params(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn an_empty_signature_fails_validation() {
        assert!(!validate(TOKEN, URL, &call_params(), ""));
    }

    #[test]
    fn the_body_hash_vector_matches() {
        let body = br#"{"property": "value", "boolean": true}"#;
        assert_eq!(
            body_sha256_hex(body),
            "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        );
    }

    fn url_with_body() -> String {
        format!("{URL}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620")
    }

    #[test]
    fn a_json_body_signed_through_its_hash_validates() {
        let body = br#"{"property": "value", "boolean": true}"#;
        assert!(validate_json_body(
            TOKEN,
            &url_with_body(),
            body,
            "a9nBmqA0ju/hNViExpshrM61xv4="
        ));
    }

    #[test]
    fn a_json_body_that_does_not_match_its_hash_fails() {
        let body = br#"{"property": "value", "boolean": false}"#;
        assert!(!validate_json_body(
            TOKEN,
            &url_with_body(),
            body,
            "a9nBmqA0ju/hNViExpshrM61xv4="
        ));
    }

    #[test]
    fn a_json_body_on_a_url_without_a_hash_fails() {
        let body = br#"{"property": "value", "boolean": true}"#;
        let sig = compute(TOKEN, URL, &[]);
        assert!(!validate_json_body(TOKEN, URL, body, &sig));
    }

    #[test]
    fn a_websocket_signature_is_over_the_full_wss_url() {
        let url = "wss://relay.example.com/relay?shop=joes";
        let sig = compute(TOKEN, url, &[]);
        assert!(validate_websocket(TOKEN, url, &sig));
        assert!(validate_websocket(
            TOKEN,
            "wss://relay.example.com:443/relay?shop=joes",
            &sig
        ));
        assert!(!validate_websocket(
            TOKEN,
            "wss://relay.example.com/relay?shop=bobs",
            &sig
        ));
    }

    #[test]
    fn a_verified_form_returns_its_pairs() {
        let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
        let params =
            verify_form(TOKEN, URL, body, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")).expect("verified");
        assert_eq!(params.len(), 5);
        assert_eq!(
            params[1],
            ("Caller".to_string(), "+14158675309".to_string())
        );
    }

    #[test]
    fn a_form_without_or_with_a_wrong_signature_is_rejected() {
        let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
        assert_eq!(
            verify_form(TOKEN, URL, body, None),
            Err(Rejection::MissingSignature)
        );
        let err = verify_form(
            TOKEN,
            URL,
            &body[..body.len() - 1],
            Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        )
        .expect_err("a changed body");
        assert_eq!(
            err.to_string(),
            "the \"X-Twilio-Signature\" \"RSOYDt4T1cUTdK1PDd93/VVr8B8=\" does not match the request"
        );
    }

    #[test]
    fn a_get_webhook_is_signed_over_its_url_alone() {
        let url = "https://shop.example/voice?CallSid=CA1&From=%2B15550001111";
        let sig = compute(TOKEN, url, &[]);
        assert_eq!(verify_form(TOKEN, url, b"", Some(&sig)), Ok(vec![]));
    }

    #[test]
    fn url_variants_cover_the_port_forms() {
        assert_eq!(
            url_variants("https://a.com/x?y=1"),
            vec![
                "https://a.com/x?y=1".to_string(),
                "https://a.com:443/x?y=1".to_string()
            ]
        );
        assert_eq!(
            url_variants("http://u:p@a.com:8080"),
            vec![
                "http://u:p@a.com:8080".to_string(),
                "http://u:p@a.com".to_string()
            ]
        );
        assert_eq!(
            url_variants("https://[::1]:8443/x"),
            vec![
                "https://[::1]:8443/x".to_string(),
                "https://[::1]/x".to_string()
            ]
        );
        assert_eq!(
            url_variants("wss://[::1]/x"),
            vec!["wss://[::1]/x".to_string(), "wss://[::1]:443/x".to_string()]
        );
    }

    #[test]
    fn the_settings_header_chooses_the_algorithm() {
        assert_eq!(
            algorithm_from_settings_header(None),
            Some(Algorithm::HmacSha1)
        );
        assert_eq!(
            algorithm_from_settings_header(Some("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256")),
            Some(Algorithm::HmacSha256)
        );
        assert_eq!(
            algorithm_from_settings_header(Some("key=k")),
            Some(Algorithm::HmacSha1)
        );
        assert_eq!(
            algorithm_from_settings_header(Some("algorithm=HMAC_MD5")),
            None
        );
    }

    #[test]
    fn a_sha256_signature_does_not_pass_as_sha1() {
        let sig = compute_with(Algorithm::HmacSha256, TOKEN, URL, &call_params());
        assert!(validate_with(
            Algorithm::HmacSha256,
            TOKEN,
            URL,
            &call_params(),
            &sig
        ));
        assert!(!validate(TOKEN, URL, &call_params(), &sig));
    }
}
