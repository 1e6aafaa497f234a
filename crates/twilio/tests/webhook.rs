//! Reading Twilio's webhook form bodies: every pair kept for signing, then typed.

use frontdesk_twilio::signature;
use frontdesk_twilio::webhook::{
    CallStatus, CallStatusCallback, DialCallStatus, DialResult, Direction, Error, GatherResult,
    IncomingMessage, MessageStatus, MessageStatusCallback, RelayResult, SessionStatus,
    VoiceRequest, from_params, parse_form,
};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_form_body_keeps_every_pair_in_order_with_repeats() {
    let form = parse_form(b"b=2&a=1&b=3&Body=Hi+there%21&Empty=&Bare").expect("a form");
    assert_eq!(
        form,
        pairs(&[
            ("b", "2"),
            ("a", "1"),
            ("b", "3"),
            ("Body", "Hi there!"),
            ("Empty", ""),
            ("Bare", "")
        ])
    );
}

#[test]
fn empty_segments_are_skipped_and_bad_escapes_kept_literally() {
    let form = parse_form(b"&a=100%&&b=%zz%4&c=%e2%82%ac&").expect("a form");
    assert_eq!(form, pairs(&[("a", "100%"), ("b", "%zz%4"), ("c", "€")]));
}

#[test]
fn a_value_that_is_not_utf8_is_refused_with_its_name() {
    let err = parse_form(b"Body=%ff%fe").expect_err("not utf-8");
    assert_eq!(err, Error::InvalidUtf8("Body".into()));
    assert_eq!(
        err.to_string(),
        "form field \"Body\" is not valid UTF-8 once percent-decoded"
    );
}

#[test]
fn a_parsed_body_validates_against_the_public_vector() {
    let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    let params = parse_form(body).expect("a form");
    assert!(signature::validate(
        "12345",
        "https://mycompany.com/myapp.php?foo=1&bar=2",
        &params,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
}

fn voice_params() -> Vec<(String, String)> {
    pairs(&[
        ("AccountSid", "AC0123"),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", "CA0456"),
        ("CallStatus", "ringing"),
        ("Called", "+15550002222"),
        ("CallerName", ""),
        ("Direction", "inbound"),
        ("ForwardedFrom", "+15550009999"),
        ("From", "+15550001111"),
        ("FromCity", "SPRINGFIELD"),
        ("To", "+15550002222"),
    ])
}

#[test]
fn a_voice_webhook_reads_into_its_struct() {
    let v: VoiceRequest = from_params(&voice_params()).expect("a voice request");
    assert_eq!(v.call_sid, "CA0456");
    assert_eq!(v.account_sid, "AC0123");
    assert_eq!(v.from, "+15550001111");
    assert_eq!(v.to, "+15550002222");
    assert_eq!(v.call_status, CallStatus::Ringing);
    assert_eq!(v.direction, Direction::Inbound);
    assert_eq!(v.caller_name, None, "an empty CallerName is None");
    assert_eq!(v.forwarded_from.as_deref(), Some("+15550009999"));
    assert_eq!(v.api_version.as_deref(), Some("2010-04-01"));
}

#[test]
fn a_missing_field_is_named_in_the_error() {
    let params: Vec<_> = voice_params()
        .into_iter()
        .filter(|(n, _)| n != "CallSid")
        .collect();
    let err = from_params::<VoiceRequest>(&params).expect_err("no CallSid");
    assert_eq!(err, Error::MissingField("CallSid".into()));
    assert_eq!(err.to_string(), "webhook parameter \"CallSid\" is missing");
}

#[test]
fn an_unknown_call_status_or_direction_is_other_not_an_error() {
    let mut params = voice_params();
    for (n, v) in params.iter_mut() {
        if n == "CallStatus" {
            *v = "teleporting".into();
        }
        if n == "Direction" {
            *v = "outbound-api".into();
        }
    }
    let v: VoiceRequest = from_params(&params).expect("still a voice request");
    assert_eq!(v.call_status, CallStatus::Other);
    assert_eq!(v.direction, Direction::OutboundApi);
}

#[test]
fn a_gather_result_carries_speech_and_confidence() {
    let g: GatherResult = from_params(&pairs(&[
        ("CallSid", "CA1"),
        ("SpeechResult", "I need an oil change tomorrow morning."),
        ("Confidence", "0.9381"),
    ]))
    .expect("a gather result");
    assert_eq!(
        g.speech_result.as_deref(),
        Some("I need an oil change tomorrow morning.")
    );
    assert_eq!(g.confidence, Some(0.9381));
    assert_eq!(g.digits, None);
}

#[test]
fn a_gather_result_with_digits_only_has_no_speech() {
    let g: GatherResult = from_params(&pairs(&[
        ("CallSid", "CA1"),
        ("Digits", "1"),
        ("FinishedOnKey", ""),
    ]))
    .expect("a gather result");
    assert_eq!(g.digits.as_deref(), Some("1"));
    assert_eq!(g.speech_result, None);
}

#[test]
fn a_malformed_number_names_the_field_and_value() {
    let err = from_params::<GatherResult>(&pairs(&[("CallSid", "CA1"), ("Confidence", "high")]))
        .expect_err("not a number");
    match &err {
        Error::InvalidValue { name, value, .. } => {
            assert_eq!(name, "Confidence");
            assert_eq!(value, "high");
        }
        other => panic!("expected InvalidValue, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("webhook parameter \"Confidence\" has the invalid value \"high\"")
    );
}

#[test]
fn a_dial_result_reads_status_sid_and_duration() {
    let d: DialResult = from_params(&pairs(&[
        ("CallSid", "CA1"),
        ("DialCallStatus", "no-answer"),
        ("DialCallSid", "CA2"),
        ("DialCallDuration", "0"),
    ]))
    .expect("a dial result");
    assert_eq!(d.dial_call_status, DialCallStatus::NoAnswer);
    assert_eq!(d.dial_call_sid.as_deref(), Some("CA2"));
    assert_eq!(d.dial_call_duration, Some(0));
}

#[test]
fn a_relay_action_carries_the_handoff_data_string() {
    let r: RelayResult = from_params(&pairs(&[
        ("AccountSid", "AC1"),
        ("CallSid", "CA1"),
        ("CallStatus", "in-progress"),
        ("SessionId", "VX1"),
        ("SessionStatus", "ended"),
        ("SessionDuration", "42"),
        ("HandoffData", r#"{"reason":"transfer","to":"owner"}"#),
    ]))
    .expect("a relay result");
    assert_eq!(r.session_status, SessionStatus::Ended);
    assert_eq!(r.call_status, Some(CallStatus::InProgress));
    assert_eq!(r.session_duration, Some(42));
    let handoff: serde_json::Value =
        serde_json::from_str(r.handoff_data.as_deref().unwrap()).unwrap();
    assert_eq!(handoff["reason"], "transfer");
}

#[test]
fn an_incoming_mms_lists_its_media() {
    let params = pairs(&[
        ("MessageSid", "MM1"),
        ("SmsSid", "MM1"),
        ("AccountSid", "AC1"),
        ("From", "+15550001111"),
        ("To", "+15550002222"),
        ("Body", ""),
        ("NumMedia", "2"),
        ("MediaUrl0", "https://api.twilio.com/m/0"),
        ("MediaContentType0", "image/jpeg"),
        ("MediaUrl1", "https://api.twilio.com/m/1"),
        ("MediaContentType1", "image/png"),
    ]);
    let m: IncomingMessage = from_params(&params).expect("a message");
    assert_eq!(m.body, "");
    assert_eq!(m.num_media, 2);
    assert_eq!(
        m.media(&params),
        vec![
            (
                "https://api.twilio.com/m/0".to_string(),
                Some("image/jpeg".to_string())
            ),
            (
                "https://api.twilio.com/m/1".to_string(),
                Some("image/png".to_string())
            ),
        ]
    );
}

#[test]
fn a_repeated_name_reads_its_first_value() {
    let m: IncomingMessage = from_params(&pairs(&[
        ("MessageSid", "SM1"),
        ("AccountSid", "AC1"),
        ("From", "+1"),
        ("To", "+2"),
        ("Body", "first"),
        ("Body", "second"),
    ]))
    .expect("a message");
    assert_eq!(m.body, "first");
    assert_eq!(m.num_media, 0);
}

#[test]
fn a_call_status_callback_reads_its_duration() {
    let c: CallStatusCallback = from_params(&pairs(&[
        ("CallSid", "CA1"),
        ("CallStatus", "completed"),
        ("CallDuration", "73"),
    ]))
    .expect("a callback");
    assert_eq!(c.call_status, CallStatus::Completed);
    assert_eq!(c.call_duration, Some(73));
}

#[test]
fn a_message_status_callback_reads_its_error_code() {
    let c: MessageStatusCallback = from_params(&pairs(&[
        ("MessageSid", "SM1"),
        ("MessageStatus", "undelivered"),
        ("ErrorCode", "30003"),
    ]))
    .expect("a callback");
    assert_eq!(c.message_status, MessageStatus::Undelivered);
    assert_eq!(c.error_code, Some(30003));
    let ok: MessageStatusCallback = from_params(&pairs(&[
        ("MessageSid", "SM1"),
        ("MessageStatus", "delivery_unknown"),
        ("ErrorCode", ""),
    ]))
    .expect("a callback");
    assert_eq!(ok.message_status, MessageStatus::DeliveryUnknown);
    assert_eq!(ok.error_code, None);
}
