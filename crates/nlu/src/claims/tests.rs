//! The claim reader on the sentences the flows say, and on the ones a model could invent.

use super::*;
use jiff::civil::{date, time};

fn allowed() -> Allowed {
    Allowed {
        amounts_cents: vec![4999, 12900],
        times: vec![time(14, 0, 0, 0), time(8, 30, 0, 0)],
        // A Thursday.
        dates: vec![date(2026, 11, 26)],
        ..Allowed::default()
    }
}

fn rejected(reply: &str) -> Vec<String> {
    match check_reply(reply, &allowed()) {
        Ok(()) => vec![],
        Err(v) => v.claims.iter().map(|c| c.text().to_string()).collect(),
    }
}

#[test]
fn allowed_amounts_times_and_dates_pass_in_every_spelling() {
    for reply in [
        "A brake inspection is $49.99 and pads are $129.",
        "That's forty nine dollars and ninety nine cents.",
        "It comes to one hundred twenty nine dollars.",
        "I have 2 PM or 8:30 a.m. open.",
        "How about two o'clock, or eight thirty in the morning?",
        "We can see you at 14:00 on Nov 26.",
        "Thursday the 26th at 2 works.",
        "That's Thursday, November 26th, 2026 at two pm.",
        "See you on 11/26 at 8:30.",
        "Does the 26th work for you?",
        "See you Thursday.",
    ] {
        assert_eq!(rejected(reply), Vec::<String>::new(), "{reply}");
    }
}

#[test]
fn invented_amounts_are_caught_in_every_spelling() {
    assert_eq!(rejected("Brakes are $89 today."), ["$89"]);
    assert_eq!(rejected("That's 49 dollars."), ["49 dollars"]);
    assert_eq!(rejected("Only forty nine bucks."), ["forty nine bucks"]);
    assert_eq!(rejected("It's $1,200 for the job."), ["$1,200"]);
    assert_eq!(
        rejected("A free brake job is zero dollars."),
        ["zero dollars"]
    );
    assert_eq!(rejected("About a hundred dollars."), ["a hundred dollars"]);
}

#[test]
fn invented_times_are_caught_in_every_spelling() {
    assert_eq!(rejected("I can do 3 PM."), ["3 PM"]);
    assert_eq!(rejected("How about 15:30?"), ["15:30"]);
    assert_eq!(rejected("How about two thirty?"), ["two thirty"]);
    assert_eq!(rejected("Come in at 4."), ["4"]);
    assert_eq!(rejected("We open at nine."), ["nine"]);
    assert_eq!(rejected("Drop it off at 2 AM."), ["2 AM"]);
    assert_eq!(rejected("See you at midnight"), ["midnight"]);
}

#[test]
fn invented_dates_are_caught_in_every_spelling() {
    assert_eq!(rejected("How about Nov 27?"), ["Nov 27"]);
    assert_eq!(rejected("I have the 27th."), ["27th"]);
    assert_eq!(rejected("I have 11/27 open."), ["11/27"]);
    assert_eq!(rejected("Friday the 26th?"), ["Friday the 26th"]);
    assert_eq!(rejected("I can do Friday."), ["Friday"]);
    assert_eq!(rejected("How about December 3rd?"), ["December 3rd"]);
    assert_eq!(rejected("on the twenty seventh"), ["twenty seventh"]);
}

#[test]
fn ordinary_numbers_in_a_reply_are_not_claims() {
    for reply in [
        "Your 2014 Civic at 120,000 miles is due for a service.",
        "It takes about 2 hours, and we have 3 bays.",
        "That's one of our most popular services.",
        "We may be able to fit you in.",
        "The first thing we'll do is look at it.",
        "Press 1 to confirm.",
    ] {
        assert_eq!(rejected(reply), Vec::<String>::new(), "{reply}");
    }
}

#[test]
fn percentages_phone_numbers_bare_prices_and_ranges_are_caught() {
    assert_eq!(rejected("You get 20% off today."), ["20%"]);
    assert_eq!(rejected("That's ten percent off."), ["ten percent"]);
    assert_eq!(rejected("Call Mike at 555-867-5309."), ["555-867-5309"]);
    assert_eq!(
        rejected("Or (555) 867 5309 after hours"),
        ["(555) 867 5309"]
    );
    assert_eq!(rejected("It's 89.99 plus tax."), ["89.99"]);
    assert_eq!(
        rejected("It's forty nine ninety five."),
        ["forty nine ninety five"]
    );
    assert_eq!(
        rejected("Brakes are forty nine ninety nine."),
        Vec::<String>::new()
    );
    assert_eq!(rejected("Any time 3 to 5 pm."), ["3", "5 pm"]);
    assert_eq!(rejected("Between 2-4pm is fine."), ["4pm"]);
    assert_eq!(
        rejected("It's 49.99 and we can do two or three pm"),
        ["three pm"]
    );
}

#[test]
fn what_the_owner_wrote_the_shops_number_and_named_days_may_be_repeated() {
    let mut a = allowed();
    a.trust("Yes, we give 10% off for seniors. Diagnostics are $89, after 6 PM call ahead.");
    a.phones.push("+15125550199".into());
    a.weekdays.push(Weekday::Sunday);
    for reply in [
        "We give 10% off for seniors.",
        "Diagnostics are $89.",
        "Call us at (512) 555-0199 or 512-555-0199.",
        "We're closed Sunday.",
        "After 6 PM, call ahead.",
    ] {
        assert!(check_reply(reply, &a).is_ok(), "{reply}");
    }
    let err = check_reply("We give 15% off, $79, call 512-555-0100 on Monday", &a).unwrap_err();
    let texts: Vec<&str> = err.claims.iter().map(Claim::text).collect();
    assert_eq!(texts, ["15%", "$79", "512-555-0100", "Monday"]);
}

#[test]
fn several_violations_are_all_listed() {
    let err = check_reply("$10 off at 5 PM on Friday", &allowed()).unwrap_err();
    let texts: Vec<&str> = err.claims.iter().map(Claim::text).collect();
    assert_eq!(texts, ["$10", "5 PM", "Friday"]);
    assert!(err.to_string().contains("\"$10\""));
}
