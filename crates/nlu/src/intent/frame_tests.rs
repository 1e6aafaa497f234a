//! Tests of the frames the intent rules read their phrases with: each pairs sentences where
//! the words carry the intent with sentences where the same words mean something else.

use super::*;
use jiff::civil::DateTime;

fn intents(text: &str) -> Vec<Intent> {
    let n = Normalized::new(text);
    let ctx = Context {
        now: DateTime::constant(2026, 11, 24, 19, 30, 0, 0),
        asked: None,
    };
    let time = crate::time::find(&n, &ctx, None);
    detect(&n, &ctx, time.as_ref(), false)
}

fn check(intent: Intent, heard: &[&str], not_heard: &[&str]) {
    for text in heard {
        assert!(intents(text).contains(&intent), "{intent:?} in {text:?}");
    }
    for text in not_heard {
        assert!(
            !intents(text).contains(&intent),
            "no {intent:?} in {text:?}"
        );
    }
}

#[test]
fn a_person_word_is_a_handoff_only_when_the_caller_reaches_for_them() {
    check(
        Intent::Human,
        &[
            "can I speak to the manager",
            "get me someone else please",
            "operator",
            "connect me to the front desk",
            "is Maria there?",
        ],
        &[
            "someone else used my card at a gas station",
            "I'm the owner of the account, can I add my wife to it",
            "a person at the branch told me the fee was waived",
            "can you connect me to the hotel wifi",
            "is Netflix available in the rooms",
            "Is parking there?",
            "I need to speak with my wife first",
        ],
    );
}

#[test]
fn a_closing_phrase_is_a_goodbye_only_where_it_closes_the_clause() {
    check(
        Intent::Goodbye,
        &[
            "take care, bye now",
            "I have to go now",
            "that's all I needed, thanks",
            "that is all the help I need, thank you",
            "so long!",
        ],
        &[
            "who will take care of my car while I'm away",
            "I have to go to the bank tomorrow to sign the papers",
            "all I need is a copy of my statement",
            "is my card good to go for travel abroad",
            "why does the transfer take so long",
            "that's all the cash I have on me",
        ],
    );
}

#[test]
fn repeat_words_ask_again_only_as_a_request() {
    check(
        Intent::Repeat,
        &[
            "could you repeat that please",
            "pardon?",
            "say it one more time",
        ],
        &[
            "I'd like to set up a repeat payment to my landlord",
            "let me try one more time to log in",
            "pardon me for asking, is the pool heated",
            "I did what you said and it still shows pending",
        ],
    );
}

#[test]
fn visit_words_in_a_sentence_about_money_book_nothing() {
    check(
        Intent::Book,
        &[
            "I'd like to book a table for two at 7",
            "I have the money ready, can I come in Friday",
            "is there anything available at 4",
            "can you take a look at my car",
        ],
        &[
            "did my salary come in yet",
            "what's the earliest I can withdraw from my savings",
            "can you schedule a direct debit for the first of the month",
            "I'll have a look at the invoice tonight",
            "the guy who looked at my car said the rotors are fine",
            "is the gym available on weekends",
            "the soonest train back is at 6 so we'll need a late checkout",
            "I want to go hiking tomorrow, any tips",
        ],
    );
}

#[test]
fn cancelling_or_moving_money_is_no_change_to_the_visit() {
    check(
        Intent::Cancel,
        &["could you cancel my booking for tonight"],
        &[
            "I need to cancel my credit card, it was stolen",
            "how do I cancel a standing order online",
            "sold my car, need to close the loan",
        ],
    );
    check(
        Intent::Reschedule,
        &["can I move my appointment to another day"],
        &[
            "can I pay the rest another time",
            "can I postpone my loan payment until next month",
            "I want to push back on this late fee",
            "push it back into my savings",
            "can you move it up to the top of the list",
        ],
    );
}

#[test]
fn opening_and_closing_is_an_hours_question_only_of_the_business() {
    check(
        Intent::Hours,
        &[
            "what time do you close on Friday",
            "hey are you guys open right now?",
            "is the office open on Saturday",
        ],
        &[
            "can I open this account online",
            "are you open to suggestions about the website",
            "when you close on the house, does the loan start right away",
            "the account was closed on Monday",
            "is my complaint still open",
            "I was on hold for two hours today",
            "how late can a transfer arrive and still count for this month",
        ],
    );
}

#[test]
fn a_price_is_asked_not_reported() {
    check(
        Intent::Price,
        &[
            "how much is a room for two nights",
            "is there a charge for parking",
        ],
        &[
            "there are two charges on my statement from the hotel",
            "I'd like to rate my stay",
            "can I charge my phone at the front desk",
        ],
    );
}

#[test]
fn a_location_is_where_the_business_is() {
    check(
        Intent::Location,
        &["where are you located"],
        &[
            "what address do you have on file for me",
            "where is the money I sent yesterday",
            "I'm located in Canada, can I still book a room",
        ],
    );
}

#[test]
fn a_yes_phrase_inside_a_question_is_no_yes() {
    check(
        Intent::Affirm,
        &["yes that's correct", "that works for me"],
        &[
            "which of my addresses is correct for the card",
            "is my new card all set to use abroad",
            "does the blue one sound good to you",
            "can I go on a payment holiday",
        ],
    );
}

#[test]
fn thanks_is_heard_where_someone_is_thanked() {
    check(
        Intent::Thanks,
        &["I really appreciate it, thank you"],
        &[
            "thanks to the delay I missed my flight",
            "I'd appreciate a late checkout if possible",
        ],
    );
}

#[test]
fn how_about_you_and_paying_instead_correct_nothing() {
    check(
        Intent::Deny,
        &["how about Friday instead"],
        &[
            "I'm doing great, how about you?",
            "I have a booking for Friday, can I pay by card instead of cash",
        ],
    );
}

#[test]
fn instead_moves_the_visit_only_with_a_new_time_in_its_clause() {
    check(
        Intent::Reschedule,
        &[
            "I have a reservation tonight, can we come at 8 instead",
            "I have an appointment Thursday, could I come earlier",
        ],
        &[
            "I have a booking for two, can we make it four people instead",
            "my appointment is for one car, can I bring 2 instead",
            "my appointment is at 3, can my wife come instead",
            "my appointment is tomorrow, I'll get there earlier to fill in the forms",
        ],
    );
}

#[test]
fn seeing_or_visiting_books_someone_who_serves_not_a_sight() {
    check(
        Intent::Book,
        &[
            "I'd like to see a dentist next week",
            "I need to see the doctor tomorrow",
            "can I come in for a tire rotation",
        ],
        &[
            "I'd like to see the menu before we come",
            "we want to see the fireworks from the balcony",
            "we'd like to visit the old town while we're there",
            "can I check in for my friend who arrives later",
        ],
    );
}

#[test]
fn a_noun_of_the_same_spelling_carries_no_intent() {
    check(
        Intent::Book,
        &[
            "I'd like to book a room for Friday",
            "schedule me for Tuesday",
        ],
        &[
            "I left a book in the room",
            "what's the train schedule into the city",
        ],
    );
    check(
        Intent::Human,
        &["a human please"],
        &["my wife works in human resources"],
    );
    check(
        Intent::Goodbye,
        &["farewell, and thanks"],
        &["we'd like to book a table for a farewell dinner"],
    );
}

#[test]
fn short_answers_count_only_as_the_whole_clause() {
    check(
        Intent::Repeat,
        &["come again?", "what was that?", "sorry, I missed that"],
        &[
            "we'd love to come again next year",
            "what was that noise in the room last night",
            "I missed that payment by a day",
        ],
    );
    check(
        Intent::Affirm,
        &["yes, I want it", "that is confirmed"],
        &[
            "I want it delivered to the hotel",
            "my booking was confirmed last week but the app shows nothing",
        ],
    );
}

#[test]
fn what_time_do_you_asks_hours_only_of_the_business_day() {
    check(
        Intent::Hours,
        &[
            "what time do you open tomorrow",
            "what time are you guys there till",
        ],
        &[
            "what time do you need me there",
            "what time are you expecting the delivery",
        ],
    );
}

#[test]
fn no_longer_needing_money_and_retrying_alone_change_no_visit() {
    check(
        Intent::Cancel,
        &["I no longer need the appointment"],
        &[
            "I no longer need my credit card, can you close it",
            "we no longer need the joint account",
        ],
    );
    check(
        Intent::Book,
        &["let's try 12:45"],
        &[
            "I'll try again tomorrow, the site is down",
            "we'll try again on Monday",
        ],
    );
}

#[test]
fn the_frames_keep_the_everyday_ways_of_asking() {
    check(
        Intent::Book,
        &[
            "are there any stylists available on the 5th",
            "could you try something at 2 pm",
            "whats the earliest they have",
            "I'll just take the earliest you've got",
            "can you squeeze me in for a cleaning",
            "could you set up a schedule for the 3rd",
            "I want to visit the doctor's office",
            "I need to see a chiropractor",
            "I'd like to visit this one",
            "book me the first available dentist",
        ],
        &[],
    );
    check(
        Intent::Deny,
        &["how about you check 4 pm instead"],
        &["I'm doing great, how about you?"],
    );
    check(Intent::Affirm, &["I would like that very much"], &[]);
    check(Intent::Thanks, &["thanks, to confirm it's at 3"], &[]);
    check(
        Intent::Thanks,
        &["I'd appreciate it", "I would really appreciate that"],
        &["I'd appreciate it if you could call me back"],
    );
}
