use super::*;

fn lex() -> Lexicon {
    let s = |id: &str, name: &str, aliases: &[&str]| ServiceTerm {
        id: id.into(),
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    };
    Lexicon::new(
        vec![
            s("oil", "oil change", &["lube oil and filter"]),
            s("diag", "check engine light diagnostic", &["engine light"]),
            s(
                "pads",
                "brake pad replacement",
                &["brake job", "new brakes"],
            ),
            s("brake_check", "brake inspection", &["brake check"]),
            s("rotate", "tire rotation", &["rotate tires"]),
        ],
        vec![FaqTerm {
            id: "warranty".into(),
            question: "Do you offer a warranty?".into(),
            keywords: vec!["warranty".into(), "guarantee".into()],
        }],
    )
}

fn services(text: &str) -> Vec<String> {
    lex().services_in(&Normalized::new(text))
}

#[test]
fn a_paraphrased_engine_light_is_a_diagnostic() {
    assert_eq!(services("the little engine symbol is lit"), ["diag"]);
    assert_eq!(services("my engine light came on"), ["diag"]);
}

#[test]
fn speech_slips_still_find_the_service() {
    assert_eq!(services("check in gin light is on"), ["diag"]);
    assert_eq!(services("I need break pads"), ["pads"]);
}

#[test]
fn several_services_come_in_order_of_mention() {
    assert_eq!(
        services("rotate my tires and do an oil change"),
        ["rotate", "oil"]
    );
}

#[test]
fn squealing_brakes_are_a_brake_inspection() {
    assert_eq!(services("my brakes are squealing"), ["brake_check"]);
}

#[test]
fn a_faq_keyword_in_a_question_matches_the_faq() {
    let l = lex();
    assert_eq!(
        l.faqs_in(&Normalized::new("do you guys have a warranty on that?")),
        ["warranty"]
    );
    assert!(l.faqs_in(&Normalized::new("hello")).is_empty());
}
