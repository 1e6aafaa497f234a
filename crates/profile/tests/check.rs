//! What an owner or operator sees from `frontdesk check` and from a loaded profile: every mistake
//! with its line and a useful hint, folders of businesses, and opening hours in the shop's zone.

use frontdesk_profile::{
    Diagnostic, EXAMPLE_TOML, Price, Profile, Report, Severity, TemplateKey, example, load, parse,
};
use jiff::Timestamp;
use jiff::civil::{Time, date};

const TINY: &str = r#"[business]
id = "tiny"
name = "Tiny Garage"
phones = ["+15125550199"]
address = "1 Main St, Austin, TX"
timezone = "America/Chicago"

[hours]
monday = ["08:00-17:00"]

[[services]]
id = "oil_change"
name = "oil change"
price = { cents = 3999 }
duration_minutes = 30

[[people]]
name = "Sam"
role = "owner"
phone = "+15125550198"
on_call = true
"#;

/// The example with `from` replaced by `to` (which must occur).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "test setup: {from:?} not in the text");
    text.replacen(from, to, 1)
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("test setup: needle not in text");
    text[..at].matches('\n').count() + 1
}

fn report_of(text: &str) -> Report {
    match parse("shop.toml", text) {
        Ok(_) => panic!("expected errors, but the profile parsed"),
        Err(r) => r,
    }
}

/// The one diagnostic whose message contains `needle`; fails showing the whole report otherwise.
fn the<'a>(report: &'a Report, needle: &str) -> &'a Diagnostic {
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "wanted one {needle:?} in:\n{report}");
    found[0]
}

fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or("")
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

// ----- the example -------------------------------------------------------------------------------

#[test]
fn the_example_parses_and_its_summary_mentions_every_service() {
    let p = example();
    let summary = p.summary();
    for s in &p.services {
        assert!(summary.contains(&s.id), "{} missing from:\n{summary}", s.id);
        assert!(summary.contains(&s.name), "{} missing", s.name);
    }
    assert!(summary.contains("Mon–Fri 7:30 AM–12 PM and 1–6 PM, Sat 8 AM–1 PM, closed Sun"));
    assert_eq!(
        p.hours.in_words(),
        "Mon–Fri 7:30 AM–12 PM and 1–6 PM, Sat 8 AM–1 PM, closed Sun"
    );
    assert_eq!(
        frontdesk_profile::clock(Time::constant(18, 30, 0, 0)),
        "6:30 PM"
    );
    assert!(summary.contains("$49.99–$89.99, depends on the oil your car takes"));
    assert!(summary.contains("+15125550100"));
    assert!(summary.contains("America/Chicago"));
    assert!(summary.contains("Maria Lopez (service advisor): notified by email in a daily digest"));
}

#[test]
fn the_example_offers_exactly_the_agreed_services_each_with_realistic_aliases() {
    let p = example();
    let ids: Vec<&str> = p.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "oil_change",
            "diagnostic",
            "brake_pads",
            "brake_inspection",
            "tire_rotation",
            "tire_install",
            "wheel_alignment",
            "battery",
            "ac_service",
            "state_inspection",
            "transmission_service",
            "coolant_flush",
            "timing_belt",
            "suspension",
            "tune_up",
            "pre_purchase_inspection",
            "wiper_blades",
        ]
    );
    for s in &p.services {
        assert!(
            (4..=10).contains(&s.aliases.len()),
            "{}: {} aliases",
            s.id,
            s.aliases.len()
        );
    }
    let diag = p.service("diagnostic").unwrap();
    for a in [
        "check engine light",
        "engine light's on",
        "CEL",
        "code read",
        "service engine soon light",
    ] {
        assert!(
            diag.aliases.iter().any(|x| x == a),
            "diagnostic lacks {a:?}"
        );
    }
    assert!(!p.service("suspension").unwrap().bookable);
    assert_eq!(p.booking.bays, 2);
    assert!(p.faqs.len() >= 8);
    assert!(p.answers("+15125550100"));
    assert!(p.answers("+1 (512) 555-0100"));
    assert!(
        !p.answers("+15125550101"),
        "the shop landline is not a routed number"
    );
    assert_eq!(p.on_call()[0].name, "Joe Martinez");
    assert_eq!(p.callback_people()[0].name, "Maria Lopez");
}

#[test]
fn prices_are_spoken_the_way_a_service_advisor_says_them() {
    let p = example();
    assert_eq!(p.service("tire_rotation").unwrap().price.spoken(), "$29.99");
    assert_eq!(
        p.service("oil_change").unwrap().price.spoken(),
        "between $49.99 and $89.99, depending on the oil your car takes"
    );
    assert_eq!(
        p.service("brake_inspection").unwrap().price.spoken(),
        "free"
    );
    assert_eq!(
        p.service("suspension").unwrap().price.spoken(),
        "we quote after a technician looks, since it depends on which parts are worn"
    );
    assert_eq!(
        p.service("timing_belt").unwrap().price,
        Price::Range {
            min_cents: 49900,
            max_cents: 109900,
            depends_on: "your engine and whether the water pump is done at the same time".into()
        }
    );
}

#[test]
fn a_profile_serializes_to_json_for_the_dashboard() {
    let json = serde_json::to_value(example()).unwrap();
    assert_eq!(json["business"]["timezone_name"], "America/Chicago");
    assert_eq!(json["services"][0]["price"]["kind"], "range");
    assert_eq!(json["hours"]["week"][0][0][0], "07:30:00");
}

// ----- defaults ----------------------------------------------------------------------------------

#[test]
fn sections_left_out_take_sensible_defaults() {
    let p = parse("tiny.toml", TINY).unwrap();
    assert!(!p.forwarding.enabled);
    assert_eq!(p.booking.bays, 1);
    assert_eq!(p.booking.offer_choices, 3);
    assert_eq!(p.followups.reminder_hours_before, 24);
    assert_eq!(p.followups.quiet_start, Time::constant(21, 0, 0, 0));
    assert!(p.followups.is_quiet(Time::constant(23, 0, 0, 0)));
    assert!(!p.followups.is_quiet(Time::constant(12, 0, 0, 0)));
    assert_eq!(p.business.currency, "USD");
    assert!(p.calendar.is_none());
    assert_eq!(
        p.template(TemplateKey::Greeting),
        TemplateKey::Greeting.default_text()
    );
    assert!(
        p.open_intervals(date(2026, 11, 24)).is_empty(),
        "tuesday not listed means closed"
    );
    assert!(p.warnings.is_empty());
}

#[test]
fn an_owner_template_replaces_the_built_in_one() {
    let text = format!("{TINY}\n[templates]\nconfirmation = \"See you {{when}}, {{name}}!\"\n");
    let p = parse("tiny.toml", &text).unwrap();
    assert_eq!(
        p.template(TemplateKey::Confirmation),
        "See you {when}, {name}!"
    );
    assert_eq!(
        p.template(TemplateKey::Reminder),
        TemplateKey::Reminder.default_text()
    );
}

// ----- each class of error -----------------------------------------------------------------------

#[test]
fn an_unknown_key_is_reported_at_its_line_with_the_nearest_known_key() {
    let text = edit(
        EXAMPLE_TOML,
        "min_notice_minutes = 120",
        "min_notice_minute = 120",
    );
    let r = report_of(&text);
    let d = the(&r, "unknown key `min_notice_minute` in [booking]");
    assert_eq!(
        (d.line, d.column),
        (line_of(&text, "min_notice_minute ="), 1)
    );
    assert_eq!(hint(d), "did you mean `min_notice_minutes`?");
    assert_eq!(d.file, "shop.toml");
}

#[test]
fn an_unknown_section_suggests_the_real_one() {
    let text = edit(TINY, "[[services]]", "[[service]]");
    let r = report_of(&text);
    let d = the(&r, "unknown section `service`");
    assert_eq!(d.line, line_of(&text, "[[service]]"));
    assert_eq!(hint(d), "did you mean `services`?");
}

#[test]
fn a_time_written_with_am_or_past_24_hours_is_rejected_with_a_24_hour_hint() {
    let text = edit(
        EXAMPLE_TOML,
        "saturday = [\"08:00-13:00\"]",
        "saturday = [\"8:00am-1:00pm\"]",
    );
    let text = edit(
        &text,
        "tuesday = [\"07:30-12:00\", \"13:00-18:00\"]",
        "tuesday = [\"07:30-12:00\", \"13:00-25:00\"]",
    );
    let r = report_of(&text);
    let am = the(&r, "invalid time `8:00am`");
    assert_eq!(am.line, line_of(&text, "saturday ="));
    assert_eq!(hint(am), "write 24-hour HH:MM-HH:MM like \"07:30-12:00\"");
    let late = the(&r, "invalid time `25:00`");
    assert_eq!(late.line, line_of(&text, "tuesday ="));
    assert_eq!(
        late.column,
        "tuesday = [\"07:30-12:00\", ".chars().count() + 1
    );
}

#[test]
fn a_shift_that_ends_before_it_starts_is_rejected() {
    let text = edit(
        TINY,
        "monday = [\"08:00-17:00\"]",
        "monday = [\"17:00-08:00\"]",
    );
    let r = report_of(&text);
    let d = the(&r, "time range `17:00-08:00` ends before it starts");
    assert_eq!(d.line, 9);
    assert!(hint(d).contains("cannot cross midnight"));
}

#[test]
fn overlapping_shifts_on_one_day_are_rejected() {
    let text = edit(
        TINY,
        "monday = [\"08:00-17:00\"]",
        "monday = [\"08:00-12:30\", \"12:00-17:00\"]",
    );
    let r = report_of(&text);
    let d = the(&r, "shift `12:00-17:00` overlaps `08:00-12:30` on monday");
    assert_eq!(d.line, 9);
    assert_eq!(d.column, 26);
}

#[test]
fn a_price_written_as_a_float_is_rejected_with_a_hint() {
    let text = edit(TINY, "price = { cents = 3999 }", "price = 49.99");
    let r = report_of(&text);
    let d = the(&r, "price `49.99` is written as a decimal number");
    assert_eq!((d.line, d.column), (14, 9));
    assert_eq!(hint(d), "prices are whole cents: 4999 for $49.99");
}

#[test]
fn a_price_written_as_dollars_text_is_rejected_with_the_cents_to_write() {
    let text = edit(TINY, "price = { cents = 3999 }", "price = \"$49\"");
    let r = report_of(&text);
    let d = the(&r, "price `\"$49\"` is text");
    assert_eq!(d.line, 14);
    assert_eq!(hint(d), "prices are whole cents: 4900 for $49");
}

#[test]
fn a_negative_price_or_an_upside_down_range_is_rejected() {
    let neg = report_of(&edit(TINY, "cents = 3999", "cents = -3999"));
    assert_eq!(the(&neg, "price `-3999` is negative").line, 14);
    let text = edit(
        TINY,
        "{ cents = 3999 }",
        "{ min_cents = 8999, max_cents = 4999, depends_on = \"the oil\" }",
    );
    let r = report_of(&text);
    let d = the(&r, "`min_cents` 8999 is more than `max_cents` 4999");
    assert_eq!((d.line, d.column), (14, 41));
    assert!(hint(d).contains("swap them"));
}

#[test]
fn a_range_without_what_moves_the_price_is_rejected() {
    let r = report_of(&edit(
        TINY,
        "{ cents = 3999 }",
        "{ min_cents = 3999, max_cents = 8999 }",
    ));
    let d = the(&r, "missing `depends_on`");
    assert_eq!(d.line, 14);
}

#[test]
fn a_service_id_that_is_not_snake_case_gets_a_snake_case_suggestion() {
    let r = report_of(&edit(TINY, "id = \"oil_change\"", "id = \"Oil Change\""));
    let d = the(&r, "service id `Oil Change` is not snake_case");
    assert_eq!(d.line, 12);
    assert_eq!(hint(d), "write it as \"oil_change\"");
}

#[test]
fn a_service_id_used_twice_is_reported_at_the_second() {
    let text = edit(EXAMPLE_TOML, "id = \"wiper_blades\"", "id = \"battery\"");
    let r = report_of(&text);
    let d = the(&r, "service id `battery` is used twice");
    assert_eq!(
        d.line,
        text.match_indices("id = \"battery\"")
            .nth(1)
            .map(|(i, _)| text[..i].matches('\n').count() + 1)
            .unwrap()
    );
    assert!(hint(d).contains(&format!("line {}", line_of(&text, "id = \"battery\""))));
}

#[test]
fn an_alias_shared_by_two_services_is_reported_at_the_second_naming_the_first() {
    let text = edit(EXAMPLE_TOML, "\"wipers\", ", "\"Oil  And Filter\", ");
    let r = report_of(&text);
    let d = the(
        &r,
        "alias `Oil  And Filter` is already used by service `oil_change`",
    );
    assert_eq!(d.line, line_of(&text, "\"Oil  And Filter\""));
    assert!(hint(d).contains("`oil and filter` belongs to `oil_change`"));
}

#[test]
fn a_phone_number_written_the_local_way_gets_its_e164_form_as_the_hint() {
    let text = edit(
        TINY,
        "phones = [\"+15125550199\"]",
        "phones = [\"(512) 555-0100\"]",
    );
    let r = report_of(&text);
    let d = the(&r, "phone number `(512) 555-0100` is not in E.164 form");
    assert_eq!((d.line, d.column), (4, 11));
    assert_eq!(hint(d), "write it as \"+15125550100\"");
    let bad = report_of(&edit(
        TINY,
        "phone = \"+15125550198\"",
        "phone = \"+1512555\"",
    ));
    let d = the(&bad, "phone number `+1512555` is not valid");
    assert_eq!(d.line, 20);
    assert!(hint(d).contains("E.164"));
}

#[test]
fn an_unknown_time_zone_suggests_the_nearest_zone() {
    let r = report_of(&edit(TINY, "America/Chicago", "America/Chigaco"));
    let d = the(&r, "unknown time zone `America/Chigaco`");
    assert_eq!((d.line, d.column), (6, 12));
    assert!(
        hint(d).starts_with("did you mean \"America/Chicago\"?"),
        "{}",
        hint(d)
    );
}

#[test]
fn a_closed_date_that_is_not_a_date_is_rejected() {
    let text = edit(EXAMPLE_TOML, "\"2026-12-25\"", "\"Dec 25\"");
    let text = edit(&text, "\"2027-01-01\"", "\"2027-02-30\"");
    let r = report_of(&text);
    let line = line_of(&text, "closed_dates =");
    assert_eq!(the(&r, "closed date `Dec 25` is not a date").line, line);
    let d = the(&r, "closed date `2027-02-30` is not a date");
    assert_eq!(d.line, line);
    assert!(hint(d).contains("YYYY-MM-DD"));
}

#[test]
fn a_closed_date_may_be_a_bare_toml_date() {
    let text = TINY.replace(
        "monday = [\"08:00-17:00\"]",
        "monday = [\"08:00-17:00\"]\nclosed_dates = [2026-11-30]",
    );
    let p = parse("tiny.toml", &text).unwrap();
    assert!(p.open_intervals(date(2026, 11, 30)).is_empty());
    assert!(!p.open_intervals(date(2026, 11, 23)).is_empty());
}

#[test]
fn zero_bays_zero_slot_length_and_too_many_choices_are_rejected() {
    let text = edit(EXAMPLE_TOML, "bays = 2", "bays = 0");
    let text = edit(&text, "slot_minutes = 30", "slot_minutes = 0");
    let text = edit(&text, "offer_choices = 3", "offer_choices = 7");
    let r = report_of(&text);
    assert_eq!(the(&r, "`bays` is `0`").line, line_of(&text, "bays = 0"));
    assert_eq!(
        the(&r, "`slot_minutes` is `0`").line,
        line_of(&text, "slot_minutes = 0")
    );
    let d = the(&r, "`offer_choices` is `7`, but it must be between 1 and 6");
    assert_eq!(d.line, line_of(&text, "offer_choices = 7"));
    let zero = report_of(&edit(
        EXAMPLE_TOML,
        "offer_choices = 3",
        "offer_choices = 0",
    ));
    the(&zero, "`offer_choices` is `0`");
}

#[test]
fn a_template_with_an_unknown_placeholder_lists_the_allowed_ones() {
    let text = format!("{TINY}\n[templates]\nreminder = \"See you {{when}} for {{servce}}\"\n");
    let r = report_of(&text);
    let d = the(&r, "unknown placeholder `{servce}` in template `reminder`");
    assert_eq!(d.line, line_of(&text, "reminder ="));
    assert_eq!(d.column, "reminder = \"See you {when} for ".len() + 1);
    assert!(hint(d).starts_with("did you mean `{service}`?"));
    for p in frontdesk_profile::PLACEHOLDERS {
        assert!(hint(d).contains(&format!("{{{p}}}")), "hint lacks {p}");
    }
}

#[test]
fn a_person_notified_by_a_channel_they_cannot_be_reached_on_is_rejected() {
    let text = format!(
        "{TINY}\n[[people]]\nname = \"Ana\"\nrole = \"staff\"\nnotify = [\"sms\", \"email\"]\n"
    );
    let r = report_of(&text);
    let line = line_of(&text, "notify = [\"sms\"");
    let sms = the(&r, "person `Ana` is notified by sms but has no phone");
    assert_eq!((sms.line, sms.column), (line, 11));
    let email = the(&r, "person `Ana` is notified by email but has no email");
    assert_eq!((email.line, email.column), (line, 18));
}

#[test]
fn nobody_on_call_is_a_warning_that_does_not_stop_loading() {
    let text = edit(TINY, "on_call = true", "on_call = false");
    let p = parse("tiny.toml", &text).unwrap();
    assert_eq!(p.warnings.len(), 1);
    let w = &p.warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.message, "nobody is on call");
    assert_eq!(w.line, line_of(&text, "[[people]]"));
    assert!(w.to_string().starts_with("warning: nobody is on call"));
    let report = frontdesk_profile::check("tiny.toml", &text);
    assert!(!report.has_errors());
    assert_eq!(report.warning_count(), 1);
}

#[test]
fn a_faq_without_an_answer_is_rejected() {
    let text = edit(
        EXAMPLE_TOML,
        "answer = \"Yes, our shuttle runs within five miles of the shop on weekdays, 8 AM to 5 PM. Just ask when you drop off.\"\n",
        "",
    );
    let r = report_of(&text);
    let d = the(&r, "faq `shuttle` has no answer");
    // Points at the [[faqs]] header just above `id = "shuttle"`.
    assert_eq!(d.line, line_of(&text, "id = \"shuttle\"") - 1);
    assert!(hint(d).contains("answer ="));
}

#[test]
fn a_toml_syntax_error_is_reported_with_its_position() {
    let text = edit(TINY, "name = \"Tiny Garage\"", "name = \"Tiny Garage");
    let r = report_of(&text);
    assert!(!r.diagnostics.is_empty());
    let d = &r.diagnostics[0];
    assert!(d.message.starts_with("invalid TOML"), "{}", d.message);
    assert_eq!(d.line, 3);
}

#[test]
fn several_errors_in_one_file_are_all_reported_in_file_order() {
    let text = include_str!("../../../examples/broken-shop.toml");
    let r = report_of(text);
    assert!(
        r.error_count() >= 20,
        "only {} errors:\n{r}",
        r.error_count()
    );
    let lines: Vec<usize> = r.diagnostics.iter().map(|d| d.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    let shown = r.to_string();
    assert_eq!(shown.matches("error: ").count(), r.error_count());
    assert!(shown.contains("warning: nobody is on call"));
    for d in &r.diagnostics {
        assert!(d.hint.is_some(), "no hint for {}", d.message);
        assert!(
            d.message.starts_with(|c: char| !c.is_uppercase()),
            "message not lowercase: {}",
            d.message
        );
    }
}

#[test]
fn no_damaged_profile_makes_the_checker_panic() {
    let text = EXAMPLE_TOML;
    // Every cut of the file, on character boundaries, a few bytes apart.
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let _ = parse("cut.toml", &text[..cut]);
        }
        cut += 37;
    }
    // Pseudo-random single-character damage.
    let bytes: Vec<char> = text.chars().collect();
    let junk = [
        '"', '[', ']', '=', '\n', '{', '}', '-', '9', '.', ',', 'é', '\0',
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let i = (seed % bytes.len() as u64) as usize;
        let mut damaged = bytes.clone();
        damaged[i] = junk[(seed >> 32) as usize % junk.len()];
        let damaged: String = damaged.into_iter().collect();
        let _ = parse("damaged.toml", &damaged);
    }
}

// ----- folders -----------------------------------------------------------------------------------

fn second_shop() -> String {
    edit(
        &edit(TINY, "id = \"tiny\"", "id = \"second\""),
        "+15125550199",
        "+17375550123",
    )
}

#[test]
fn a_folder_with_two_businesses_loads_both_in_file_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b-tiny.toml"), TINY).unwrap();
    std::fs::write(dir.path().join("a-joes.toml"), EXAMPLE_TOML).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a profile").unwrap();
    let profiles = load(dir.path()).unwrap();
    let ids: Vec<&str> = profiles.iter().map(|p| p.business.id.as_str()).collect();
    assert_eq!(ids, ["joes-auto", "tiny"]);
    assert!(profiles[0].source.ends_with("a-joes.toml"));
    let routed: Vec<&Profile> = profiles
        .iter()
        .filter(|p| p.answers("+15125550199"))
        .collect();
    assert_eq!(routed.len(), 1);
    assert_eq!(routed[0].business.id, "tiny");
}

#[test]
fn two_files_claiming_the_same_number_is_an_error_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), TINY).unwrap();
    let clash = edit(TINY, "id = \"tiny\"", "id = \"other\"");
    std::fs::write(dir.path().join("b.toml"), &clash).unwrap();
    let r = load(dir.path()).unwrap_err();
    let d = the(&r, "phone number `+15125550199` is claimed by");
    assert!(
        d.message.contains("a.toml") && d.message.contains("b.toml"),
        "{}",
        d.message
    );
    assert!(d.file.ends_with("b.toml"));
    assert_eq!(d.line, 4);
}

#[test]
fn two_files_with_the_same_business_id_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), TINY).unwrap();
    let same_id = edit(&second_shop(), "id = \"second\"", "id = \"tiny\"");
    std::fs::write(dir.path().join("b.toml"), same_id).unwrap();
    let r = load(dir.path()).unwrap_err();
    let d = the(&r, "business id `tiny` is also used by");
    assert!(d.message.contains("a.toml"));
    assert_eq!((d.line, d.file.ends_with("b.toml")), (2, true));
}

#[test]
fn errors_in_several_files_of_a_folder_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        TINY.replace("America/Chicago", "Mars/Olympus"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        edit(&second_shop(), "cents = 3999", "cents = 39.99"),
    )
    .unwrap();
    let r = load(dir.path()).unwrap_err();
    assert!(
        the(&r, "unknown time zone `Mars/Olympus`")
            .file
            .ends_with("a.toml")
    );
    assert!(the(&r, "price `39.99`").file.ends_with("b.toml"));
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let r = load(std::path::Path::new("/nonexistent/shop.toml")).unwrap_err();
    assert!(
        r.diagnostics[0]
            .message
            .starts_with("cannot read `/nonexistent/shop.toml`")
    );
}

// ----- opening hours -----------------------------------------------------------------------------

#[test]
fn is_open_follows_the_split_shift_in_the_shop_zone() {
    let p = example();
    // Monday 2026-11-23, CST = UTC-6.
    let cases = [
        ("2026-11-23T13:29:59Z", false), // 7:29:59 AM
        ("2026-11-23T13:30:00Z", true),  // 7:30 AM
        ("2026-11-23T17:59:00Z", true),  // 11:59 AM
        ("2026-11-23T18:00:00Z", false), // noon: lunch
        ("2026-11-23T18:59:00Z", false), // 12:59 PM
        ("2026-11-23T19:00:00Z", true),  // 1 PM
        ("2026-11-23T23:59:00Z", true),  // 5:59 PM
        ("2026-11-24T00:00:00Z", false), // 6 PM
        ("2026-11-29T16:00:00Z", false), // Sunday 10 AM
        ("2026-11-28T14:00:00Z", true),  // Saturday 8 AM
        ("2026-11-28T19:00:00Z", false), // Saturday 1 PM
    ];
    for (when, open) in cases {
        assert_eq!(p.is_open(at(when)), open, "{when}");
    }
    assert_eq!(
        p.open_intervals(date(2026, 11, 23)),
        vec![
            (Time::constant(7, 30, 0, 0), Time::constant(12, 0, 0, 0)),
            (Time::constant(13, 0, 0, 0), Time::constant(18, 0, 0, 0)),
        ]
    );
}

#[test]
fn the_shop_is_closed_all_day_on_a_closed_date() {
    let p = example();
    assert!(p.open_intervals(date(2026, 12, 25)).is_empty(), "Christmas");
    assert!(!p.is_open(at("2026-12-25T16:00:00Z")), "Christmas 10 AM");
    assert!(
        p.is_open(at("2026-12-24T16:00:00Z")),
        "the day before, 10 AM"
    );
    assert!(
        p.is_open(at("2026-12-26T16:00:00Z")),
        "the day after, 10 AM"
    );
    assert!(!p.is_open(at("2027-01-01T16:00:00Z")), "New Year's Day");
}

#[test]
fn opening_follows_local_time_across_the_spring_dst_change() {
    let p = example();
    // Friday before: 7:30 AM CST is 13:30 UTC.
    assert!(!p.is_open(at("2026-03-06T13:29:00Z")));
    assert!(p.is_open(at("2026-03-06T13:30:00Z")));
    // Monday after 2026-03-08: 7:30 AM CDT is 12:30 UTC.
    assert!(!p.is_open(at("2026-03-09T12:29:00Z")));
    assert!(p.is_open(at("2026-03-09T12:30:00Z")));
    assert!(!p.is_open(at("2026-03-09T23:00:00Z")), "6 PM CDT");
}

#[test]
fn opening_follows_local_time_across_the_fall_dst_change() {
    let p = example();
    // Friday before 2026-11-01: 7:30 AM CDT is 12:30 UTC.
    assert!(p.is_open(at("2026-10-30T12:30:00Z")));
    // Monday after: 12:30 UTC is 6:30 AM CST (closed); 7:30 AM CST is 13:30 UTC.
    assert!(!p.is_open(at("2026-11-02T12:30:00Z")));
    assert!(p.is_open(at("2026-11-02T13:30:00Z")));
}

#[test]
fn a_shift_through_the_dst_night_counts_wall_clock_time() {
    let text = edit(
        TINY,
        "monday = [\"08:00-17:00\"]",
        "sunday = [\"01:00-04:00\"]",
    );
    let p = parse("night.toml", &text).unwrap();
    // 2026-03-08: 2 AM CST jumps to 3 AM CDT.
    assert!(p.is_open(at("2026-03-08T07:30:00Z")), "1:30 AM CST");
    assert!(p.is_open(at("2026-03-08T08:30:00Z")), "3:30 AM CDT");
    assert!(!p.is_open(at("2026-03-08T09:00:00Z")), "4 AM CDT");
    // 2026-11-01: 2 AM CDT falls back to 1 AM CST; 1:30 AM happens twice and is open both times.
    assert!(p.is_open(at("2026-11-01T06:30:00Z")), "1:30 AM CDT");
    assert!(p.is_open(at("2026-11-01T07:30:00Z")), "1:30 AM CST");
    assert!(!p.is_open(at("2026-11-01T10:00:00Z")), "4 AM CST");
    assert!(p.is_open(at("2026-11-01T09:30:00Z")), "3:30 AM CST");
}

// ----- more checks -------------------------------------------------------------------------------

#[test]
fn a_value_of_the_wrong_type_says_what_to_write() {
    let text = edit(
        TINY,
        "duration_minutes = 30",
        "duration_minutes = \"30 min\"",
    );
    let r = report_of(&text);
    let d = the(
        &r,
        "`duration_minutes` in [[services]] #1 must be a whole number, found string",
    );
    assert_eq!(d.line, 15);
    assert_eq!(hint(d), "write it like `duration_minutes = 30`");
}

#[test]
fn a_missing_required_key_points_at_its_section_header() {
    let text = edit(TINY, "address = \"1 Main St, Austin, TX\"\n", "");
    let r = report_of(&text);
    let d = the(&r, "missing `address` in [business]");
    assert_eq!((d.line, d.column, d.width), (1, 1, "[business]".len()));
    assert!(hint(d).starts_with("add `address = "));
}

#[test]
fn the_shop_line_cannot_also_be_a_number_routed_to_the_assistant() {
    let text = edit(
        TINY,
        "address =",
        "shop_phone = \"+15125550199\"\naddress =",
    );
    let r = report_of(&text);
    let d = the(&r, "`shop_phone` `+15125550199` is also one of `phones`");
    assert_eq!(d.line, 5);
}

#[test]
fn forwarding_without_a_shop_line_to_ring_is_rejected() {
    let text = format!("{TINY}\n[forwarding]\nenabled = true\n");
    let r = report_of(&text);
    let d = the(&r, "forwarding is enabled but there is no `shop_phone`");
    assert_eq!(d.line, line_of(&text, "enabled = true"));
    let with_line = edit(
        &text,
        "address =",
        "shop_phone = \"+15125550101\"\naddress =",
    );
    assert!(parse("shop.toml", &with_line).unwrap().forwarding.enabled);
}

#[test]
fn a_profile_without_people_warns_that_nobody_is_on_call() {
    let text = &TINY[..TINY.find("[[people]]").unwrap()];
    let p = parse("tiny.toml", text).unwrap();
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].message.starts_with("nobody is on call"));
    assert!(p.people.is_empty());
}

#[test]
fn a_syntax_error_comes_with_a_hint() {
    let r = report_of(&edit(TINY, "[hours]", "[hours"));
    let d = &r.diagnostics[0];
    assert_eq!(d.line, 8);
    assert!(hint(d).contains("[booking]"), "{}", hint(d));
}

#[test]
fn a_required_value_left_empty_is_rejected() {
    let r = report_of(&edit(TINY, "name = \"oil change\"", "name = \"  \""));
    let d = the(&r, "`name` in [[services]] #1 is empty");
    assert_eq!(d.line, 13);
    let r = report_of(&edit(
        TINY,
        "id = \"oil_change\"",
        "id = \"oil_change\"\naliases = [\"\"]",
    ));
    assert_eq!(
        the(&r, "an alias of service `oil_change` is empty").line,
        13
    );
}

#[test]
fn a_file_full_of_syntax_errors_shows_the_first_ten_and_a_count() {
    let text = "a = [\n".repeat(40);
    let r = report_of(&text);
    assert_eq!(r.diagnostics.len(), 11, "{r}");
    assert!(
        r.diagnostics[10]
            .message
            .ends_with("more syntax errors not shown")
    );
}

#[test]
fn hidden_files_in_a_profile_folder_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.toml"), TINY).unwrap();
    std::fs::write(dir.path().join(".#shop.toml"), "editor lock").unwrap();
    assert_eq!(load(dir.path()).unwrap().len(), 1);
}

#[test]
fn a_profile_may_name_only_its_own_businesss_secrets() {
    for name in [
        "TWILIO_AUTH_TOKEN",
        "FRONTDESK_API_TOKEN",
        "FRONTDESK_SECRET_OTHER_HOOK",
        "FRONTDESK_SECRET_TINY_",
        "FRONTDESK_SECRET_TINY_HOOK_X",
    ] {
        let text = format!(
            "{TINY}\n[[webhooks]]\nurl = \"https://joesauto.example/hooks\"\nsecret_env = \"{name}\"\n"
        );
        let r = report_of(&text);
        let d = the(
            &r,
            &format!("`secret_env` `{name}` is not one of this business's secrets"),
        );
        assert_eq!(d.line, line_of(&text, "secret_env"));
        assert!(hint(d).contains("FRONTDESK_SECRET_TINY_"), "{d}");
    }
    // `joes` cannot reach `joes-auto`'s secrets through the shared start of their names.
    assert!(frontdesk_profile::secret_allowed(
        "joes-auto",
        "FRONTDESK_SECRET_JOES_AUTO_HOOK"
    ));
    assert!(!frontdesk_profile::secret_allowed(
        "joes",
        "FRONTDESK_SECRET_JOES_AUTO_HOOK"
    ));
}

#[test]
fn a_calendar_and_webhooks_are_read_and_secrets_stay_out_of_the_file() {
    let ok = format!(
        "{TINY}\n[calendar]\ncaldav_url = \"https://cal.example/joe/shop/\"\nusername = \"joe\"\npassword_env = \"FRONTDESK_SECRET_TINY_CALDAV\"\n\n[[webhooks]]\nurl = \"https://joesauto.example/hooks\"\nsecret_env = \"FRONTDESK_SECRET_TINY_HOOK\"\nevents = [\"appointment.booked\"]\n"
    );
    let p = parse("shop.toml", &ok).unwrap();
    let cal = p.calendar.as_ref().unwrap();
    assert_eq!(
        cal.password_env.as_deref(),
        Some("FRONTDESK_SECRET_TINY_CALDAV")
    );
    assert_eq!(cal.deadline_ms, 3000);
    assert_eq!(p.webhooks[0].events, ["appointment.booked"]);

    let leaked = edit(
        &ok,
        "password_env = \"FRONTDESK_SECRET_TINY_CALDAV\"",
        "password_env = \"hunter2!\"",
    );
    let r = report_of(&leaked);
    let d = the(
        &r,
        "`password_env` `hunter2!` is not an environment variable name",
    );
    assert_eq!(d.line, line_of(&leaked, "password_env"));
    assert!(hint(d).contains("never put the secret itself"));

    let bad_url = edit(
        &ok,
        "url = \"https://joesauto.example/hooks\"",
        "url = \"joesauto.example/hooks\"",
    );
    the(
        &report_of(&bad_url),
        "`url` `joesauto.example/hooks` is not a web address",
    );
}

#[test]
fn an_unknown_after_hours_behaviour_lists_the_choices() {
    let text = format!("{TINY}\n[after_hours]\nbehaviour = \"callback\"\n");
    let r = report_of(&text);
    let d = the(&r, "unknown behaviour `callback`");
    assert!(
        hint(d).contains("`book_and_callback`, `callback_only`"),
        "{}",
        hint(d)
    );
    let only = format!("{TINY}\n[after_hours]\nbehaviour = \"callback_only\"\n");
    assert_eq!(
        parse("shop.toml", &only).unwrap().after_hours.behaviour,
        frontdesk_profile::AfterHoursBehaviour::CallbackOnly
    );
}

#[test]
fn an_abbreviated_day_suggests_the_full_name() {
    let r = report_of(&edit(TINY, "monday =", "mon ="));
    assert_eq!(
        hint(the(&r, "unknown key `mon` in [hours]")),
        "did you mean `monday`?"
    );
}

#[test]
fn a_faq_keyword_that_is_also_a_service_alias_is_a_warning() {
    let text = edit(EXAMPLE_TOML, "\"guarantee\", ", "\"brake check\", ");
    let p = parse("shop.toml", &text).unwrap();
    let w: Vec<&Diagnostic> = p.warnings.iter().collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        w[0].message,
        "faq keyword `brake check` is also how callers name service `brake_inspection`"
    );
    assert_eq!(w[0].line, line_of(&text, "\"brake check\", \"guaranteed\""));
}

#[test]
fn a_count_written_as_a_decimal_suggests_the_whole_number() {
    let text = format!("{TINY}\n[booking]\nslot_minutes = 29.6\n");
    let r = report_of(&text);
    let d = the(&r, "`slot_minutes` must be a whole number, found `29.6`");
    assert_eq!(hint(d), "write `slot_minutes = 30`");
}
