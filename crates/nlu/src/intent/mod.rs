//! Intent rules: phrase patterns for the fourteen intents, read with what the assistant just
//! asked. Each rule reports where in the utterance it matched, so intents come out in the order
//! they were said. Precision guards keep polite fillers from turning into intents ("no problem"
//! is not a no, "open an account" is not a question about opening hours).

use crate::normalize::Normalized;
use crate::{Asked, Context, Intent, TimeExpr};

/// Position (in the flat text) of the first phrase found, if any.
fn first(n: &Normalized, phrases: &[&str]) -> Option<usize> {
    n.first_of(phrases)
}

fn starts(n: &Normalized, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        let rest = &n.flat[1..];
        rest.starts_with(p) && rest[p.len()..].starts_with(' ')
    })
}

mod asks;
mod booking;
mod booking_senses;
#[cfg(test)]
mod frame_tests;
pub(crate) mod frames;
mod own_words;
mod requests;
mod rules;
mod social;
mod yes_no;

use requests::*;
use social::*;

/// The utterance as every rule reads it.
pub(super) struct Said<'a> {
    pub n: &'a Normalized,
    pub ctx: &'a Context,
    pub time: Option<&'a TimeExpr>,
    pub service_said: bool,
    pub words: Vec<&'a str>,
    pub nwords: usize,
}

/// Intents found, each with the byte position in the flat text where it was found.
pub(super) type Found = Vec<(usize, Intent)>;

/// Reads the intents of an utterance.
/// `service_said`: the utterance names one of the profile's services, so "can I get a tire
/// rotation" is a booking where "can I get a card" is not.
pub fn detect(
    n: &Normalized,
    ctx: &Context,
    time: Option<&TimeExpr>,
    service_said: bool,
) -> Vec<Intent> {
    let words: Vec<&str> = n.words().collect();
    let nwords = words.len();
    if nwords == 0 {
        return Vec::new();
    }
    let s = Said {
        n,
        ctx,
        time,
        service_said,
        words,
        nwords,
    };
    let mut found: Found = Vec::new();
    rules::greet(&s, &mut found);
    rules::goodbye_and_thanks(&s, &mut found);
    rules::repeat(&s, &mut found);
    rules::human(&s, &mut found);
    asks::hours_by_day(&s, &mut found);
    let (cancel, resched) = booking::change_and_book(&s, &mut found);
    asks::questions(&s, &mut found);
    let affirm = yes_no::affirm(&s, cancel);
    let deny = yes_no::deny(&s, cancel, resched);
    let confirm_ctx = matches!(ctx.asked, Some(Asked::Confirm));
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    if let Some(p) = deny {
        add(Some(p), Intent::Deny);
        // "yes" then "no"? keep both
    }
    if let Some(p) = affirm {
        let contradict = deny == Some(0);
        if !contradict {
            add(Some(p), Intent::Affirm);
        }
    }

    own_words::apply(&s, &mut found);

    // "yes please book it" to a read-back confirms; it asks for no new booking
    if confirm_ctx && found.iter().any(|(_, i)| *i == Intent::Affirm) && time.is_none() {
        found.retain(|(_, i)| *i != Intent::Book);
    }
    found.sort_by_key(|(p, _)| *p);
    let mut out: Vec<Intent> = Vec::new();
    for (_, i) in found {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::DateTime;

    fn read(text: &str, asked: Option<Asked>, service_said: bool) -> Vec<Intent> {
        let n = Normalized::new(text);
        let ctx = Context {
            now: DateTime::constant(2026, 11, 24, 19, 30, 0, 0),
            asked,
        };
        let time = crate::time::find(&n, &ctx, None);
        detect(&n, &ctx, time.as_ref(), service_said)
    }

    fn intents(text: &str, asked: Option<Asked>) -> Vec<Intent> {
        read(text, asked, false)
    }

    /// As said to a shop whose menu has the job the caller names ("my oil change").
    fn intents_naming_a_service(text: &str) -> Vec<Intent> {
        read(text, None, true)
    }

    #[test]
    fn a_price_question_and_an_hours_question_are_both_heard() {
        let got = intents("how much is an oil change and are you open Saturday?", None);
        assert_eq!(got, vec![Intent::Price, Intent::Hours]);
    }

    #[test]
    fn no_problem_is_not_a_no() {
        assert!(!intents("no problem, thanks", None).contains(&Intent::Deny));
    }

    #[test]
    fn that_works_after_a_read_back_is_a_yes() {
        assert_eq!(
            intents("yep sounds good", Some(Asked::Confirm)),
            vec![Intent::Affirm]
        );
        assert_eq!(
            intents("that works", Some(Asked::Confirm)),
            vec![Intent::Affirm]
        );
    }

    #[test]
    fn actually_make_it_1_30_is_a_no() {
        assert!(intents("actually make it 1:30", Some(Asked::Confirm)).contains(&Intent::Deny));
    }

    #[test]
    fn thank_you_thats_all_is_thanks_and_goodbye() {
        let got = intents("thank you, that's all", None);
        assert!(got.contains(&Intent::Thanks) && got.contains(&Intent::Goodbye));
        assert!(!got.contains(&Intent::Affirm));
    }

    #[test]
    fn opening_an_account_is_not_an_hours_question() {
        assert!(!intents("I want to open an account", None).contains(&Intent::Hours));
    }

    #[test]
    fn requests_in_the_callers_own_words() {
        let has = |t: &str, i: Intent| intents(t, None).contains(&i);
        assert!(has(
            "cant make it tmrw morning, could we do friday instead",
            Intent::Reschedule
        ));
        assert!(!has(
            "cant make it tmrw morning, could we do friday instead",
            Intent::Cancel
        ));
        assert!(has(
            "hi so I won't need it after all, I sold the car",
            Intent::Cancel
        ));
        assert!(
            intents_naming_a_service("I need to push my oil change back a couple days")
                .contains(&Intent::Reschedule)
        );
        assert!(has("wat time u close sat", Intent::Hours));
        assert!(!has(
            "I can't make it on time, I'll be 10 minutes late",
            Intent::Cancel
        ));
    }

    #[test]
    fn yes_in_every_common_form() {
        for yes in ["y", "👍", "sí", "yessir", "mm hmm", "sure why not", "k"] {
            assert!(
                intents(yes, Some(Asked::Confirm)).contains(&Intent::Affirm),
                "{yes}"
            );
        }
        for no in ["nah", "no thanks", "nope"] {
            assert!(
                intents(no, Some(Asked::Confirm)).contains(&Intent::Deny),
                "{no}"
            );
        }
    }

    #[test]
    fn moving_money_or_paying_instead_is_no_reschedule() {
        for text in [
            "can I move my savings to the joint account on Friday",
            "please move it to my savings account tomorrow",
            "can you shift my payment to the 15th",
            "can you bump it up to 5000",
            "I have my card with me but I'd rather pay cash instead",
            "I have the money now, I'll transfer it later",
            "my appointment is later today, where are you located?",
        ] {
            assert!(!intents(text, None).contains(&Intent::Reschedule), "{text}");
        }
    }

    #[test]
    fn the_booking_said_as_the_job_on_the_menu_is_moved_with_instead() {
        let got = intents_naming_a_service(
            "I have the brake job on Friday, can I come in Wednesday instead",
        );
        assert!(got.contains(&Intent::Reschedule));
        assert!(
            intents("I have an appointment Thursday, could I come earlier", None)
                .contains(&Intent::Reschedule)
        );
    }

    #[test]
    fn missing_something_other_than_the_visit_is_no_cancellation() {
        for text in [
            "something came up on my statement that I don't recognise",
            "I can't make it work on my phone",
            "I won't be able to make the repayment this month",
            "I'm gonna have to miss this month's payment",
            "I won't make it to the branch before it closes",
            "we won't make it for check in, can someone hold the room",
            "something came up and I have to leave a day early",
            "my purchases totaled 250 dollars",
            "I sold my car and want to pay off the loan",
        ] {
            assert!(!intents(text, None).contains(&Intent::Cancel), "{text}");
        }
        for text in [
            "yeah I need to cancel, something came up",
            "hey I'm not gonna make it today",
            "sorry, I'm not going to be able to make it",
            "sold the truck so wont need the brake appt, sorry",
        ] {
            assert!(intents(text, None).contains(&Intent::Cancel), "{text}");
        }
    }

    #[test]
    fn a_wrong_number_is_a_goodbye_only_when_said_of_the_call() {
        assert!(intents("oh sorry, wrong number", None).contains(&Intent::Goodbye));
        assert!(intents("I think I dialed the wrong number", None).contains(&Intent::Goodbye));
        for text in [
            "I typed a wrong number",
            "I sent money to the wrong number",
            "I think I have the wrong number for the account",
        ] {
            assert!(!intents(text, None).contains(&Intent::Goodbye), "{text}");
        }
    }

    #[test]
    fn why_not_is_a_yes_only_as_a_short_answer() {
        assert!(intents("why not", Some(Asked::Confirm)).contains(&Intent::Affirm));
        assert!(intents("sure, why not", Some(Asked::Confirm)).contains(&Intent::Affirm));
        assert!(!intents("why not? I paid the bill on time", None).contains(&Intent::Affirm));
        assert!(!intents("why not just let me pay online", None).contains(&Intent::Affirm));
    }

    #[test]
    fn a_name_is_a_yes_only_where_it_is_no_name() {
        assert!(!intents("Roger, can you check my account", None).contains(&Intent::Affirm));
        assert!(!intents("Dale here, I need help with my card", None).contains(&Intent::Affirm));
        assert!(intents("roger that", Some(Asked::Confirm)).contains(&Intent::Affirm));
    }

    #[test]
    fn asking_whether_a_thing_is_available_is_no_request_for_a_person() {
        for text in [
            "is parking available at the hotel",
            "hi, is breakfast available",
        ] {
            assert!(!intents(text, None).contains(&Intent::Human), "{text}");
        }
        assert!(intents("hey is Joe in today", None).contains(&Intent::Human));
        assert!(intents("is Maria there?", None).contains(&Intent::Human));
    }

    #[test]
    fn what_were_they_is_a_repeat_only_as_the_whole_question() {
        assert!(intents("what were the options?", None).contains(&Intent::Repeat));
        assert!(intents("what were those times again", None).contains(&Intent::Repeat));
        assert!(
            !intents("what were my options for paying off the loan early", None)
                .contains(&Intent::Repeat)
        );
    }

    #[test]
    fn closing_a_thing_is_no_hours_question() {
        assert!(
            !intents("when are you going to close this account", None).contains(&Intent::Hours)
        );
        assert!(intents("what time you close sat", None).contains(&Intent::Hours));
    }

    #[test]
    fn the_issues_yes_and_no_forms_answer_a_read_back_on_either_channel() {
        let yes = [
            "y",
            "yep",
            "sure thing",
            "sounds good",
            "correct",
            "👍",
            "sí",
            "Y",
            "yep!",
        ];
        let no = ["no thanks", "nah", "nope", "n", "👎", "nah im good"];
        for text in yes {
            let got = intents(text, Some(Asked::Confirm));
            assert!(
                got.contains(&Intent::Affirm) && !got.contains(&Intent::Deny),
                "{text}: {got:?}"
            );
        }
        for text in no {
            let got = intents(text, Some(Asked::Confirm));
            assert!(
                got.contains(&Intent::Deny) && !got.contains(&Intent::Affirm),
                "{text}: {got:?}"
            );
        }
    }
}
