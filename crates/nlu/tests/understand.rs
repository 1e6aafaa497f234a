//! End-to-end behaviour of `understand` as the engine sees it: one utterance, the shop's clock
//! and what was just asked, against a small auto-shop lexicon; plus a property test that no
//! input (junk, huge numbers, other scripts, very long text) panics or takes long.

use std::time::{Duration, Instant};

use frontdesk_nlu::{
    Asked, Bound, Context, FaqTerm, Grain, Intent, Lexicon, ServiceTerm, Urgency, understand,
};
use jiff::civil::DateTime;
use proptest::prelude::*;

/// Tuesday evening at the shop.
const NOW: DateTime = DateTime::constant(2026, 11, 24, 19, 30, 0, 0);

fn lex() -> Lexicon {
    let s = |id: &str, name: &str, aliases: &[&str]| ServiceTerm {
        id: id.into(),
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    };
    Lexicon::new(
        vec![
            s(
                "oil_change",
                "oil change",
                &["oil and filter", "synthetic oil change"],
            ),
            s(
                "diagnostic",
                "check engine light diagnostic",
                &["check engine light", "code read"],
            ),
            s(
                "brake_pads",
                "brake pad replacement",
                &["brake job", "new brakes", "brake pads"],
            ),
            s(
                "brake_inspection",
                "brake inspection",
                &["brake check", "squeaky brakes"],
            ),
            s("tire_rotation", "tire rotation", &["rotate tires"]),
        ],
        vec![FaqTerm {
            id: "loaner".into(),
            question: "Do you have loaner cars?".into(),
            keywords: vec!["loaner".into(), "courtesy car".into()],
        }],
    )
}

fn ctx(asked: Option<Asked>) -> Context {
    Context { now: NOW, asked }
}

#[test]
fn a_price_and_hours_question_gives_both_intents_and_the_service() {
    let u = understand(
        "how much is an oil change and are you open Saturday?",
        &ctx(None),
        &lex(),
    );
    assert_eq!(u.intents, vec![Intent::Price, Intent::Hours]);
    assert_eq!(u.services, vec!["oil_change"]);
}

#[test]
fn a_booking_request_carries_service_time_vehicle_and_name() {
    let u = understand(
        "Hi, this is Dana Li, can I bring my 08 Civic in tomorrow at 8 for an oil change?",
        &ctx(None),
        &lex(),
    );
    assert!(u.intents.contains(&Intent::Book), "{:?}", u.intents);
    assert_eq!(u.services, vec!["oil_change"]);
    assert_eq!(u.name.as_deref(), Some("Dana Li"));
    let v = u.vehicle.expect("a vehicle");
    assert_eq!((v.year, v.model.as_deref()), (Some(2008), Some("Civic")));
    let t = u.time.expect("a time");
    assert_eq!(t.start, DateTime::constant(2026, 11, 25, 8, 0, 0, 0));
    assert_eq!(t.grain, Grain::Hour);
}

#[test]
fn a_paraphrased_engine_light_and_a_slipped_brake_word_find_their_services() {
    let u = understand(
        "the little engine symbol is lit and I need new break pads",
        &ctx(None),
        &lex(),
    );
    assert_eq!(u.services, vec!["diagnostic", "brake_pads"]);
}

#[test]
fn smoke_under_the_hood_is_an_emergency_intent_too() {
    let u = understand(
        "there's smoke coming from under the hood",
        &ctx(None),
        &lex(),
    );
    assert_eq!(u.urgency, Urgency::Emergency);
    assert!(u.intents.contains(&Intent::Emergency));
}

#[test]
fn a_bare_first_name_is_read_only_after_the_name_question() {
    let asked = understand("Sam", &ctx(Some(Asked::Name)), &lex());
    assert_eq!(asked.name.as_deref(), Some("Sam"));
    let cold = understand("Sam", &ctx(None), &lex());
    assert_eq!(cold.name, None);
    // a full capitalised name alone is a name even unasked
    let full = understand("Sam Jones", &ctx(None), &lex());
    assert_eq!(full.name.as_deref(), Some("Sam Jones"));
}

#[test]
fn after_5_tomorrow_is_an_open_bound_in_the_afternoon() {
    let u = understand("tomorrow after 5", &ctx(None), &lex());
    let t = u.time.expect("a time");
    assert_eq!(t.bound, Bound::After);
    assert_eq!(t.start, DateTime::constant(2026, 11, 25, 17, 0, 0, 0));
}

#[test]
fn spoken_phone_digits_and_mileage_are_read() {
    let u = understand(
        "it has about 85k miles, call me at five one two five five five oh one nine nine",
        &ctx(None),
        &lex(),
    );
    assert_eq!(u.mileage, Some(85_000));
    assert_eq!(u.phone.as_deref(), Some("+15125550199"));
}

#[test]
fn a_loaner_question_matches_the_faq() {
    let u = understand("do you guys have a loaner I could use?", &ctx(None), &lex());
    assert_eq!(u.faqs, vec!["loaner"]);
}

#[test]
fn a_faq_keyword_said_in_another_order_still_matches() {
    let lex = Lexicon::new(
        vec![],
        vec![FaqTerm {
            id: "key_drop".into(),
            question: "Can I drop my car off after hours?".into(),
            keywords: vec!["after hours drop off".into(), "night drop".into()],
        }],
    );
    let u = understand("can I drop my car off after hours", &ctx(None), &lex);
    assert_eq!(u.faqs, vec!["key_drop"]);
    let none = understand("can I make an appointment", &ctx(None), &lex);
    assert!(none.faqs.is_empty());
}

#[test]
fn a_huge_ordinal_is_no_time_and_no_panic() {
    let u = understand("the 99999999999th", &ctx(Some(Asked::Date)), &lex());
    assert_eq!(u.time, None);
}

#[test]
fn long_junk_is_read_quickly() {
    let junk = "\u{0}\u{ffff}ŝ 9/9/9/9 :: 99999999999999 at at at the the 1st of ".repeat(400);
    let lex = lex();
    // warm up: phrase lists are compiled on first use
    let _ = understand("hello, how much is an oil change?", &ctx(None), &lex);
    let started = Instant::now();
    let _ = understand(&junk, &ctx(Some(Asked::Time)), &lex);
    let took = started.elapsed();
    assert!(took < Duration::from_millis(250), "took {took:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_string_makes_it_panic(text in ".{0,300}", asked in 0usize..8) {
        let asked = [None, Some(Asked::Time), Some(Asked::Date), Some(Asked::Name),
            Some(Asked::Confirm), Some(Asked::Service), Some(Asked::Vehicle), Some(Asked::Phone)][asked];
        let _ = understand(&text, &ctx(asked), &lex());
    }

    #[test]
    fn no_time_like_word_soup_makes_it_panic(
        words in proptest::collection::vec(prop::sample::select(vec![
            "at", "the", "1st", "31st", "99999999999", "0", "24", "25:61", "12:00", "pm", "a.m.",
            "tomorrow", "next", "last", "week", "month", "year", "between", "and", "-", "/", "to",
            "from", "in", "days", "ago", "half", "past", "quarter", "twenty", "oh", "noon",
            "friday", "march", "of", "2/30", "2013-02-30", "9999", "after", "before", "by", ",",
            "upcoming", "third", "last", "day", "fridays", "hence", "fortnight", "gmt", "for", "mins",
            "hours", "4pm", "k", "miles", "999,999", "999999999", "thousand", "double", "oh",
            "five", "555", "ish", "9ish", "first", "thing", "but", "except", "week", "of", "2018",
        ]), 0..14),
        day in 1i8..28, hour in 0i8..24, year in prop::sample::select(vec![1i16, 1999, 2026, 9999]),
        month in 1i8..=12,
    ) {
        let text = words.join(" ");
        let now = DateTime::new(year, month, day, hour, 0, 0, 0).expect("valid");
        let _ = understand(&text, &Context { now, asked: Some(Asked::Time) }, &lex());
    }
}
