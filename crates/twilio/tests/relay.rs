//! ConversationRelay WebSocket messages: what Twilio sends parses, unknown types do not kill
//! the socket, and what we send is the exact JSON Twilio expects.

use frontdesk_twilio::relay::{Inbound, Outbound, ParseError, parse_inbound};
use serde_json::{Value, json};

#[test]
fn the_documented_setup_message_parses() {
    let text = r#"{"type":"setup","sessionId":"VX00000000000000000000000000000000",
        "accountSid":"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX","parentCallSid":"",
        "callSid":"CA00000000000000000000000000000000","from":"+18005550100","to":"+18005550101",
        "forwardedFrom":"+18005550102","callType":"PSTN","callerName":"","direction":"inbound",
        "callStatus":"RINGING","customParameters":{"callReference":"bar","n":3}}"#;
    let Inbound::Setup(s) = parse_inbound(text).expect("parses") else {
        panic!("not a setup")
    };
    assert_eq!(s.session_id, "VX00000000000000000000000000000000");
    assert_eq!(s.call_sid, "CA00000000000000000000000000000000");
    assert_eq!(s.from, "+18005550100");
    assert_eq!(s.to, "+18005550101");
    assert_eq!(s.parent_call_sid, None);
    assert_eq!(s.caller_name, None);
    assert_eq!(s.forwarded_from.as_deref(), Some("+18005550102"));
    assert_eq!(s.direction.as_deref(), Some("inbound"));
    assert_eq!(
        s.custom_parameters.get("callReference").map(String::as_str),
        Some("bar")
    );
    assert_eq!(s.custom_parameters.get("n").map(String::as_str), Some("3"));
}

#[test]
fn a_prompt_carries_the_words_language_and_last() {
    let m = parse_inbound(
        r#"{"type":"prompt","voicePrompt":"Do you do brakes?","lang":"en-US","last":true}"#,
    )
    .expect("parses");
    let Inbound::Prompt(p) = m else {
        panic!("not a prompt")
    };
    assert_eq!(p.voice_prompt, "Do you do brakes?");
    assert_eq!(p.lang.as_deref(), Some("en-US"));
    assert!(p.last);
    let Inbound::Prompt(partial) =
        parse_inbound(r#"{"type":"prompt","voicePrompt":"Do you","lang":"en-US","last":false}"#)
            .unwrap()
    else {
        panic!("not a prompt")
    };
    assert!(!partial.last);
}

fn interrupt_ms(text: &str) -> Option<u64> {
    match parse_inbound(text).expect("parses") {
        Inbound::Interrupt(i) => i.duration_until_interrupt_ms,
        other => panic!("not an interrupt: {other:?}"),
    }
}

#[test]
fn an_interrupt_duration_is_read_as_a_number_or_a_string() {
    assert_eq!(
        interrupt_ms(
            r#"{"type":"interrupt","utteranceUntilInterrupt":"We open at","durationUntilInterruptMs":1820}"#
        ),
        Some(1820)
    );
    assert_eq!(
        interrupt_ms(
            r#"{"type":"interrupt","utteranceUntilInterrupt":"We open at","durationUntilInterruptMs":"1820"}"#
        ),
        Some(1820)
    );
    assert_eq!(
        interrupt_ms(
            r#"{"type":"interrupt","utteranceUntilInterrupt":"","durationUntilInterruptMs":"1820.6"}"#
        ),
        Some(1821)
    );
    assert_eq!(
        interrupt_ms(r#"{"type":"interrupt","utteranceUntilInterrupt":""}"#),
        None
    );
}

#[test]
fn an_interrupt_keeps_what_the_caller_heard() {
    let Inbound::Interrupt(i) = parse_inbound(
        r#"{"type":"interrupt","utteranceUntilInterrupt":"We open at eight","durationUntilInterruptMs":"900"}"#,
    )
    .unwrap() else {
        panic!("not an interrupt")
    };
    assert_eq!(i.utterance_until_interrupt, "We open at eight");
}

#[test]
fn an_interrupt_duration_that_is_not_a_number_is_malformed() {
    let err = parse_inbound(
        r#"{"type":"interrupt","utteranceUntilInterrupt":"x","durationUntilInterruptMs":"soon"}"#,
    )
    .expect_err("not a number");
    assert!(
        matches!(err, ParseError::Malformed { ref kind, .. } if kind == "interrupt"),
        "{err}"
    );
}

#[test]
fn dtmf_and_error_messages_parse() {
    assert!(
        matches!(parse_inbound(r##"{"type":"dtmf","digit":"#"}"##).unwrap(), Inbound::Dtmf(d) if d.digit == "#")
    );
    assert!(matches!(
        parse_inbound(r#"{"type":"error","description":"Invalid message received: {}"}"#).unwrap(),
        Inbound::Error(e) if e.description == "Invalid message received: {}"
    ));
}

#[test]
fn an_unknown_type_is_kept_not_refused() {
    let m =
        parse_inbound(r#"{"type":"info","name":"agentSpeaking","value":"on"}"#).expect("parses");
    let Inbound::Unknown { kind, raw } = m else {
        panic!("not unknown")
    };
    assert_eq!(kind, "info");
    assert_eq!(raw["name"], "agentSpeaking");
}

#[test]
fn a_frame_without_a_type_or_not_json_is_an_error() {
    assert!(matches!(
        parse_inbound("not json"),
        Err(ParseError::NotAMessage(_))
    ));
    assert!(matches!(
        parse_inbound(r#"{"voicePrompt":"hi"}"#),
        Err(ParseError::NotAMessage(_))
    ));
    assert!(matches!(
        parse_inbound(r#"{"type":7}"#),
        Err(ParseError::NotAMessage(_))
    ));
}

#[test]
fn a_prompt_without_its_words_is_malformed() {
    let err = parse_inbound(r#"{"type":"prompt","lang":"en-US"}"#).expect_err("no voicePrompt");
    assert!(err.to_string().contains("\"prompt\""), "{err}");
}

fn json_of(m: &Outbound) -> Value {
    serde_json::from_str(&m.to_json()).expect("valid JSON")
}

#[test]
fn outbound_text_is_written_with_only_the_fields_set() {
    assert_eq!(
        Outbound::text("We open at 8.").to_json(),
        r#"{"type":"text","token":"We open at 8.","last":true}"#
    );
    let streamed = Outbound::Text {
        token: "We ".into(),
        last: false,
        lang: Some("en-US".into()),
        interruptible: Some(false),
        preemptible: Some(true),
    };
    assert_eq!(
        json_of(&streamed),
        json!({"type":"text","token":"We ","last":false,"lang":"en-US","interruptible":false,"preemptible":true})
    );
}

#[test]
fn end_writes_handoff_data_as_a_string_of_json() {
    let m = Outbound::end_with(&json!({"reason":"transfer","appointmentId":17}));
    let v = json_of(&m);
    assert_eq!(v["type"], "end");
    let inner = v["handoffData"].as_str().expect("handoffData is a string");
    assert_eq!(
        serde_json::from_str::<Value>(inner).unwrap(),
        json!({"reason":"transfer","appointmentId":17})
    );
    assert_eq!(
        Outbound::End { handoff_data: None }.to_json(),
        r#"{"type":"end"}"#
    );
}

#[test]
fn play_send_digits_and_language_use_twilios_names() {
    let play = Outbound::Play {
        source: "https://x/hold.mp3".into(),
        loop_count: Some(2),
        preemptible: None,
        interruptible: Some(true),
    };
    assert_eq!(
        json_of(&play),
        json!({"type":"play","source":"https://x/hold.mp3","loop":2,"interruptible":true})
    );
    assert_eq!(
        json_of(&Outbound::SendDigits {
            digits: "ww1234#".into()
        }),
        json!({"type":"sendDigits","digits":"ww1234#"})
    );
    assert_eq!(
        json_of(&Outbound::Language {
            tts_language: Some("es-MX".into()),
            transcription_language: Some("es-MX".into())
        }),
        json!({"type":"language","ttsLanguage":"es-MX","transcriptionLanguage":"es-MX"})
    );
}
