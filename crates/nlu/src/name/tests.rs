use super::*;
use jiff::civil::DateTime;

fn name(text: &str, asked: Option<Asked>) -> Option<String> {
    let n = Normalized::new(text);
    let ctx = Context {
        now: DateTime::constant(2026, 11, 24, 19, 30, 0, 0),
        asked,
    };
    find(&n, &ctx)
}

#[test]
fn this_is_sam_names_sam() {
    assert_eq!(name("Hi, this is Sam", None).as_deref(), Some("Sam"));
}

#[test]
fn my_names_dana_li_names_dana_li() {
    assert_eq!(
        name("my name's Dana Li and I need brakes", None).as_deref(),
        Some("Dana Li")
    );
}

#[test]
fn under_pat_garcia_names_pat_garcia() {
    assert_eq!(
        name("it's under Pat Garcia", None).as_deref(),
        Some("Pat Garcia")
    );
}

#[test]
fn a_bare_name_counts_only_after_the_name_question() {
    assert_eq!(
        name("Sam Jones", Some(Asked::Name)).as_deref(),
        Some("Sam Jones")
    );
    assert_eq!(name("oil change", None), None);
}

#[test]
fn im_looking_is_not_a_name() {
    assert_eq!(name("I'm looking for a brake job", None), None);
}

#[test]
fn a_yes_to_the_name_question_is_not_a_name() {
    for text in ["sure thing", "sure", "yep", "sounds good", "ok sure thing"] {
        assert_eq!(name(text, Some(Asked::Name)), None, "{text}");
    }
    assert_eq!(
        name("sure, it's Sam Lee", Some(Asked::Name)).as_deref(),
        Some("Sam Lee")
    );
}

#[test]
fn a_relative_named_later_in_the_sentence_gives_the_name() {
    assert_eq!(
        name(
            "my son needs a tire rotation thursday at 9, his name is Leo Park",
            None
        )
        .as_deref(),
        Some("Leo Park")
    );
    assert_eq!(
        name(
            "it's my wife's car, she needs brakes, her name is Ana Ruiz",
            None
        )
        .as_deref(),
        Some("Ana Ruiz")
    );
}

#[test]
fn her_name_is_answers_the_name_question_for_someone_named_before() {
    let asked = Context {
        now: jiff::civil::date(2026, 12, 1).at(10, 0, 0, 0),
        asked: Some(Asked::Name),
    };
    for (said, name) in [
        ("her name is Sofia, its a 2017 civic", "Sofia"),
        ("his name is Leo Park", "Leo Park"),
        ("their names Sam Ortiz", "Sam Ortiz"),
    ] {
        assert_eq!(
            find(&Normalized::new(said), &asked).as_deref(),
            Some(name),
            "{said}"
        );
    }
    // Not asked: the dentist's or a friend's name is nobody's booking.
    let not_asked = Context {
        asked: None,
        ..asked
    };
    assert_eq!(
        find(&Normalized::new("her name is Sofia"), &not_asked),
        None
    );
}

#[test]
fn a_filler_after_my_name_is_is_skipped() {
    assert_eq!(
        name("the name's actually John Parks", Some(Asked::Confirm)).as_deref(),
        Some("John Parks")
    );
    assert_eq!(
        name("my name is really Dana Li", None).as_deref(),
        Some("Dana Li")
    );
}
