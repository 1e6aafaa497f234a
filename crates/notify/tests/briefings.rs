//! What the owner reads after a call, checked on the four outcomes that matter most (booked,
//! callback, urgent emergency, cancelled) across SMS, email and webhook, plus the limits: SMS
//! length, escaping of caller text, and nothing shown that the briefing was not given.

use frontdesk_notify::{AppointmentLine, Briefing, Digest, TaskLine};

fn booked() -> Briefing {
    Briefing {
        business: "Joe's Auto".into(),
        caller_name: Some("Jane Doe".into()),
        caller_phone: Some("+15125550142".into()),
        about: "check engine light".into(),
        outcome: "booked".into(),
        appointment: Some(AppointmentLine {
            service: "Diagnostic".into(),
            when: "Thu Nov 26, 2:00 PM".into(),
            vehicle: Some("2014 Honda Civic".into()),
        }),
        task: None,
        summary: "Light came on yesterday, car drives fine. Booked the diagnostic.".into(),
        urgent: false,
        link: Some("https://fd.example/c/8f3a".into()),
    }
}

fn callback() -> Briefing {
    Briefing {
        business: "Joe's Auto".into(),
        caller_name: Some("Sam Lee".into()),
        caller_phone: Some("+15125550199".into()),
        about: "price of a timing belt".into(),
        outcome: "callback requested".into(),
        appointment: None,
        task: Some(TaskLine {
            kind: "callback".into(),
            urgency: "normal".into(),
        }),
        summary: "Wants a quote for a timing belt on a 2009 Subaru Outback; call after 5.".into(),
        urgent: false,
        link: Some("https://fd.example/c/77aa".into()),
    }
}

fn emergency() -> Briefing {
    Briefing {
        business: "Joe's Auto".into(),
        caller_name: Some("Maria Gomez".into()),
        caller_phone: Some("+15125550123".into()),
        about: "brakes failing on the highway".into(),
        outcome: "emergency — transfer failed".into(),
        appointment: None,
        task: Some(TaskLine {
            kind: "callback".into(),
            urgency: "urgent".into(),
        }),
        summary: "Brake pedal went soft on I-35; she pulled over. Nobody picked up the transfer."
            .into(),
        urgent: true,
        link: Some("https://fd.example/c/e911".into()),
    }
}

fn cancelled() -> Briefing {
    Briefing {
        business: "Joe's Auto".into(),
        caller_name: Some("Jane Doe".into()),
        caller_phone: Some("+15125550142".into()),
        about: "cancel her oil change".into(),
        outcome: "cancelled".into(),
        appointment: Some(AppointmentLine {
            service: "Oil change".into(),
            when: "Fri Nov 27, 9:00 AM".into(),
            vehicle: None,
        }),
        task: None,
        summary: "Going out of town; will call to rebook.".into(),
        urgent: false,
        link: None,
    }
}

fn all() -> Vec<Briefing> {
    vec![booked(), callback(), emergency(), cancelled()]
}

#[test]
fn a_booked_call_texts_the_owner_who_what_and_when() {
    let sms = booked().sms_text();
    assert_eq!(
        sms,
        "Joe's Auto: booked - Jane Doe (+15125550142), check engine light. Diagnostic, \
         Thu Nov 26, 2:00 PM, 2014 Honda Civic. Light came on yesterday, car drives fine. \
         Booked the diagnostic. https://fd.example/c/8f3a"
    );
    assert_eq!(
        booked().email_subject(),
        "[Joe's Auto] Booked: Jane Doe (+15125550142) - check engine light - Thu Nov 26, 2:00 PM"
    );
    let text = booked().email_text();
    for line in [
        "Outcome: booked",
        "Caller: Jane Doe",
        "Phone: +15125550142",
        "About: check engine light",
        "Appointment: Diagnostic, Thu Nov 26, 2:00 PM",
        "Vehicle: 2014 Honda Civic",
        "Conversation: https://fd.example/c/8f3a",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(!text.contains("URGENT"), "{text}");
}

#[test]
fn a_callback_request_tells_the_owner_whom_to_call_and_why() {
    let sms = callback().sms_text();
    assert!(
        sms.starts_with("Joe's Auto: callback requested - Sam Lee (+15125550199)"),
        "{sms}"
    );
    assert!(sms.contains("Task: callback (normal)."), "{sms}");
    assert!(sms.contains("call after 5"), "{sms}");
    let html = callback().email_html();
    assert!(html.contains("<th align=\"left\" valign=\"top\">Task</th><td>callback (normal)</td>"));
    assert!(html.contains("<a href=\"https://fd.example/c/77aa\">Open the conversation</a>"));
}

#[test]
fn an_emergency_whose_transfer_failed_is_flagged_urgent_everywhere() {
    let b = emergency();
    assert!(
        b.sms_text().starts_with(
            "URGENT Joe's Auto: emergency — transfer failed - Maria Gomez (+15125550123)"
        ),
        "{}",
        b.sms_text()
    );
    assert!(
        b.email_subject()
            .starts_with("URGENT [Joe's Auto] Emergency — transfer failed: Maria Gomez"),
        "{}",
        b.email_subject()
    );
    assert!(
        b.email_text()
            .starts_with("URGENT: call this customer back now.")
    );
    assert!(
        b.email_html()
            .contains("URGENT: call this customer back now.")
    );
    let json = b.webhook_json("conversation.completed");
    assert_eq!(json["urgent"], true);
    assert!(
        json["text"]
            .as_str()
            .unwrap()
            .starts_with(":rotating_light: *URGENT* *Joe's Auto*")
    );
    for routine in [booked(), callback(), cancelled()] {
        assert!(!routine.sms_text().contains("URGENT"));
        assert!(!routine.email_subject().contains("URGENT"));
        assert!(!routine.email_html().contains("URGENT"));
        assert_eq!(routine.webhook_json("x")["urgent"], false);
    }
}

#[test]
fn a_cancelled_appointment_names_the_slot_that_freed_up() {
    let b = cancelled();
    assert_eq!(
        b.sms_text(),
        "Joe's Auto: cancelled - Jane Doe (+15125550142), cancel her oil change. Oil change, \
         Fri Nov 27, 9:00 AM. Going out of town; will call to rebook."
    );
    assert!(
        b.email_text()
            .contains("Appointment: Oil change, Fri Nov 27, 9:00 AM\n")
    );
    assert!(!b.email_text().contains("Vehicle:"), "no vehicle was given");
    assert!(!b.email_html().contains("<a "), "no link was given");
}

#[test]
fn every_webhook_payload_carries_a_slack_text_and_the_given_fields() {
    for b in all() {
        let json = b.webhook_json("conversation.completed");
        assert_eq!(json["event"], "conversation.completed");
        let text = json["text"].as_str().expect("a slack text field");
        assert!(text.contains("*Joe's Auto*"), "{text}");
        assert!(text.contains(&b.outcome), "{text}");
        assert_eq!(json["outcome"], b.outcome.as_str());
        assert_eq!(
            json["caller"]["phone"],
            b.caller_phone.clone().unwrap().as_str()
        );
    }
    let json = booked().webhook_json("appointment.booked");
    assert_eq!(json["appointment"]["when"], "Thu Nov 26, 2:00 PM");
    assert_eq!(json["appointment"]["vehicle"], "2014 Honda Civic");
    assert!(json["task"].is_null());
    assert!(
        json["text"]
            .as_str()
            .unwrap()
            .ends_with("\n<https://fd.example/c/8f3a|Open the conversation>")
    );
}

#[test]
fn a_long_rambling_call_still_fits_in_one_owner_sms_with_its_link_whole() {
    let mut b = emergency();
    b.about = "brakes ".repeat(60);
    b.summary = "She explained at length. ".repeat(80);
    let sms = b.sms_text();
    assert!(
        sms.chars().count() <= 320,
        "{} chars: {sms}",
        sms.chars().count()
    );
    assert!(sms.starts_with("URGENT "), "{sms}");
    assert!(sms.ends_with(" https://fd.example/c/e911"), "{sms}");
    assert!(sms.contains("..."), "shortening shows: {sms}");

    let mut short = booked();
    short.summary = "x".repeat(1000);
    let sms = short.sms_text();
    assert!(sms.chars().count() <= 320, "{sms}");
    assert!(
        sms.contains("Thu Nov 26, 2:00 PM"),
        "the facts outlive the summary: {sms}"
    );
}

#[test]
fn nothing_the_caller_did_not_give_shows_up_in_the_briefing() {
    let b = Briefing {
        business: "Joe's Auto".into(),
        caller_name: None,
        caller_phone: None,
        about: "hours on Saturday".into(),
        outcome: "answered".into(),
        appointment: None,
        task: None,
        summary: "Asked when we open on Saturday.".into(),
        urgent: false,
        link: None,
    };
    let sms = b.sms_text();
    assert_eq!(
        sms,
        "Joe's Auto: answered - unknown caller, hours on Saturday. Asked when we open on Saturday."
    );
    let text = b.email_text();
    let html = b.email_html();
    for out in [&sms, &b.email_subject(), &text] {
        assert!(
            !out.chars().any(|c| c.is_ascii_digit()),
            "a number appeared: {out}"
        );
    }
    for label in [
        "Caller:",
        "Phone:",
        "Appointment:",
        "Vehicle:",
        "Task:",
        "Conversation:",
        "http",
    ] {
        assert!(!text.contains(label), "{label:?} in:\n{text}");
    }
    for label in [
        ">Caller<",
        ">Phone<",
        ">Appointment<",
        ">Vehicle<",
        ">Task<",
        "href",
    ] {
        assert!(!html.contains(label), "{label:?} in:\n{html}");
    }
    let json = b.webhook_json("conversation.completed");
    assert!(json["caller"]["name"].is_null() && json["caller"]["phone"].is_null());
    assert!(json["appointment"].is_null() && json["task"].is_null() && json["link"].is_null());
    assert!(
        !json["text"].as_str().unwrap().contains('<'),
        "no link markup without a link"
    );
}

#[test]
fn caller_text_cannot_inject_markup_into_the_html_email() {
    let mut b = booked();
    b.about = "<script>alert('x')</script>".into();
    b.caller_name = Some("\"><img src=x onerror=alert(1)>".into());
    b.summary = "Tom & Jerry <b>bold</b>".into();
    b.link = Some("javascript:alert(1)".into());
    let html = b.email_html();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;"),
        "{html}"
    );
    // The plain-text body shows the caller's words as they were said.
    assert!(
        b.email_text()
            .contains("About: <script>alert('x')</script>")
    );
}

#[test]
fn caller_text_cannot_ping_a_slack_channel_or_forge_a_link() {
    let mut b = callback();
    b.about = "<!channel> <https://evil.example|your bank>".into();
    let text = b.webhook_json("conversation.completed")["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!text.contains("<!channel>"), "{text}");
    assert!(!text.contains("<https://evil"), "{text}");
    assert!(text.contains("&lt;!channel&gt;"), "{text}");
}

#[test]
fn a_newline_in_caller_text_cannot_add_a_line_to_the_subject_or_sms() {
    let mut b = callback();
    b.caller_name = Some("Sam\r\nBcc: everyone@example.com".into());
    assert!(
        !b.email_subject().contains(['\r', '\n']),
        "{}",
        b.email_subject()
    );
    assert!(!b.sms_text().contains(['\r', '\n']), "{}", b.sms_text());
}

#[test]
fn a_digest_counts_the_calls_by_outcome() {
    let d = Digest::new(
        "Joe's Auto",
        vec![booked(), callback(), booked(), cancelled()],
    );
    assert_eq!(
        d.email_subject(),
        "[Joe's Auto] 4 calls: 2 booked, 1 callback requested, 1 cancelled"
    );
    let text = d.email_text();
    assert!(
        text.starts_with("Joe's Auto: 4 calls: 2 booked, 1 callback requested, 1 cancelled.\n")
    );
    assert_eq!(text.matches("Outcome: ").count(), 4, "{text}");
    let html = d.email_html();
    assert_eq!(html.matches("<table").count(), 4);
    assert!(html.contains("Joe&#39;s Auto"), "{html}");
    let sms = d.sms_text();
    assert_eq!(
        sms,
        "Joe's Auto: 4 calls: 2 booked, 1 callback requested, 1 cancelled. Jane Doe \
         (+15125550142) - booked, check engine light; Sam Lee (+15125550199) - callback \
         requested, price of a timing belt; Jane Doe (+15125550142) - booked, check engine \
         light; Jane Doe (+15125550142) - cancelled, cancel her oil change;"
    );
}

#[test]
fn a_busy_days_digest_sms_says_how_many_more_are_in_the_email() {
    let d = Digest::new("Joe's Auto", (0..20).map(|_| callback()).collect());
    let sms = d.sms_text();
    assert!(sms.chars().count() <= 320, "{sms}");
    assert!(
        sms.starts_with("Joe's Auto: 20 calls: 20 callback requested."),
        "{sms}"
    );
    let listed = sms.matches("Sam Lee").count();
    assert!(listed >= 1, "{sms}");
    assert!(
        sms.ends_with(&format!(" +{} more in email", 20 - listed)),
        "{sms}"
    );
}

#[test]
fn a_quiet_hours_digest_says_there_were_no_calls() {
    let d = Digest::new("Joe's Auto", vec![]);
    assert_eq!(d.email_subject(), "[Joe's Auto] no calls");
    assert_eq!(d.sms_text(), "Joe's Auto: no calls.");
    assert!(!d.email_html().contains("<table"));
}

#[test]
fn one_call_is_not_called_calls() {
    let d = Digest::new("Joe's Auto", vec![booked()]);
    assert_eq!(d.email_subject(), "[Joe's Auto] 1 call: 1 booked");
}
