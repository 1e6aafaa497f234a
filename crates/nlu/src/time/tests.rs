use super::*;

fn at(text: &str, now: DateTime) -> Option<TimeExpr> {
    let n = Normalized::new(text);
    find(&n, &Context { now, asked: None }, None)
}

const TUE: DateTime = DateTime::constant(2026, 11, 24, 19, 30, 0, 0);

#[test]
fn tomorrow_at_8_is_8_am_tomorrow() {
    let t = at("tomorrow at 8", TUE).expect("a time");
    assert_eq!(t.start, DateTime::constant(2026, 11, 25, 8, 0, 0, 0));
    assert_eq!(t.grain, Grain::Hour);
}

#[test]
fn thursday_from_a_tuesday_is_this_weeks_thursday() {
    let t = at("Thursday 2 PM", TUE).expect("a time");
    assert_eq!(t.start, DateTime::constant(2026, 11, 26, 14, 0, 0, 0));
}

#[test]
fn after_5_is_an_open_bound() {
    let morning = DateTime::constant(2026, 11, 24, 9, 0, 0, 0);
    let t = at("anytime after 5", morning).expect("a time");
    assert_eq!(t.bound, Bound::After);
    assert_eq!(t.start.hour(), 17);
}

#[test]
fn between_2_and_4_is_an_interval_with_an_exclusive_end() {
    let t = at("between 2 and 4 on Friday", TUE).expect("a time");
    assert_eq!(t.start, DateTime::constant(2026, 11, 27, 14, 0, 0, 0));
    assert_eq!(t.end, Some(DateTime::constant(2026, 11, 27, 17, 0, 0, 0)));
}

#[test]
fn asap_starts_now() {
    let t = at("I need it ASAP", TUE).expect("a time");
    assert!(t.asap);
    assert_eq!(t.start, TUE);
}

#[test]
fn any_day_but_friday_excludes_friday() {
    let t = at("next week, any day but Friday", TUE).expect("a time");
    assert_eq!(t.except_weekdays, vec![Weekday::Friday]);
    assert_eq!(t.grain, Grain::Week);
}

#[test]
fn any_day_but_friday_alone_is_an_open_range_without_friday() {
    let t = at("any day but Friday", TUE).expect("a time");
    assert_eq!(t.except_weekdays, vec![Weekday::Friday]);
    assert_eq!(t.bound, Bound::After);
    assert_eq!(t.start.date(), TUE.date());
}

#[test]
fn the_week_after_next_starts_two_mondays_ahead() {
    let t = at("the week after next", TUE).expect("a time");
    assert_eq!(
        (t.start.date(), t.grain),
        (Date::constant(2026, 12, 7), Grain::Week)
    );
}

#[test]
fn the_last_week_of_a_month_is_its_last_whole_week() {
    let t = at("last week of september 2014", TUE).expect("a time");
    assert_eq!(
        (t.start.date(), t.grain),
        (Date::constant(2014, 9, 22), Grain::Week)
    );
    let t = at("the third last week of 2018", TUE).expect("a time");
    assert_eq!(t.start.date(), Date::constant(2018, 12, 10));
}

#[test]
fn thanksgiving_is_the_fourth_thursday_of_november() {
    let t = at("can you fix it before Thanksgiving", TUE).expect("a time");
    assert_eq!(t.start.date(), Date::constant(2026, 11, 26));
    assert_eq!(t.bound, Bound::Before);
}

#[test]
fn no_make_it_friday_is_a_correction() {
    let t = at("no, make it Friday", TUE).expect("a time");
    assert!(t.correction);
    assert_eq!(t.start.date(), Date::constant(2026, 11, 27));
}

#[test]
fn a_bare_eight_is_a_time_only_after_the_time_question() {
    let n = Normalized::new("eight");
    let asked = Context {
        now: TUE,
        asked: Some(Asked::Time),
    };
    let t = find(&n, &asked, None).expect("a time");
    assert_eq!((t.start.hour(), t.latent), (20, false));
    assert_eq!(at("eight", TUE), None);
    assert_eq!(at("8", TUE), None);
}

#[test]
fn one_after_a_determiner_is_a_thing_not_one_oclock_even_after_the_time_question() {
    let asked = Context {
        now: TUE,
        asked: Some(Asked::Time),
    };
    for said in [
        "whichever one is after I get off work",
        "that one works",
        "the later one",
        "one of those is fine",
    ] {
        assert_eq!(find(&Normalized::new(said), &asked, None), None, "{said}");
    }
    for said in ["the one o'clock", "one thirty", "at one"] {
        let t = find(&Normalized::new(said), &asked, None).expect(said);
        assert_eq!(t.start.hour() % 12, 1, "{said}");
    }
}

#[test]
fn a_bare_14_after_the_date_question_is_the_14th() {
    let n = Normalized::new("14");
    let asked = Context {
        now: TUE,
        asked: Some(Asked::Date),
    };
    let t = find(&n, &asked, None).expect("a time");
    assert_eq!(
        (t.start.date(), t.grain),
        (Date::constant(2026, 12, 14), Grain::Day)
    );
}

#[test]
fn morning_alone_is_a_latent_time() {
    let t = at("morning", TUE).expect("a time");
    assert!(t.latent);
}

#[test]
fn a_phone_number_next_to_a_time_is_not_read_as_a_clock() {
    let t = at("tomorrow morning, my number is 512-555-0123", TUE).expect("a time");
    assert_eq!(t.start, DateTime::constant(2026, 11, 25, 0, 0, 0, 0));
    assert_eq!(t.end, Some(DateTime::constant(2026, 11, 25, 12, 0, 0, 0)));
}

#[test]
fn no_later_than_noon_is_a_deadline() {
    let t = at("no later than noon on Friday", TUE).expect("a time");
    assert_eq!(t.bound, Bound::Before);
    assert_eq!(t.start, DateTime::constant(2026, 11, 27, 12, 0, 0, 0));
}

#[test]
fn good_afternoon_is_a_greeting_not_a_time() {
    let t = at(
        "Good afternoon! Can I book a PPI on a 2016 Mazda CX-5 for Saturday",
        TUE,
    )
    .expect("a time");
    assert_eq!(
        (t.start.date(), t.grain),
        (Date::constant(2026, 11, 28), Grain::Day)
    );
    assert_eq!(at("good morning", TUE), None);
}

#[test]
fn no_comma_thursday_is_thursday() {
    let t = at("no, Thursday", TUE).expect("a time");
    assert_eq!(t.start.date(), Date::constant(2026, 11, 26));
    assert!(t.correction);
}

#[test]
fn a_phone_number_is_not_a_time() {
    assert_eq!(at("at 650-650-6500", TUE), None);
}

#[test]
fn we_d_is_a_contraction_not_wednesday() {
    assert_eq!(at("we'd like to visit the old town", TUE), None);
    assert!(at("can we do wed at 3", TUE).is_some());
}

/// Monday 2026-11-30, 10:00.
const MON: DateTime = DateTime::constant(2026, 11, 30, 10, 0, 0, 0);

fn start(text: &str) -> DateTime {
    at(text, MON).expect(text).start
}

#[test]
fn the_last_stated_choice_stands() {
    let t = at("Wednesday, no wait, Thursday morning", MON).expect("a time");
    assert_eq!(t.start, DateTime::constant(2026, 12, 3, 0, 0, 0, 0));
    assert_eq!(t.end, Some(DateTime::constant(2026, 12, 3, 12, 0, 0, 0)));
    assert_eq!(
        start("not Wednesday, Thursday").date(),
        MON.date().checked_add(3.days()).unwrap()
    );
    assert_eq!(start("no, I said 3, not 2").hour(), 15);
    assert_eq!(
        start("wiper blades tomorrow, no, the day after, at 10"),
        DateTime::constant(2026, 12, 2, 10, 0, 0, 0)
    );
}

#[test]
fn a_time_given_up_or_ruled_out_gives_way() {
    assert_eq!(
        start("cant make it tmrw morning, could we do friday instead").date(),
        DateTime::constant(2026, 12, 4, 0, 0, 0, 0).date()
    );
    assert_eq!(
        start("tomorrow's bad for me, what about wednesday").date(),
        DateTime::constant(2026, 12, 2, 0, 0, 0, 0).date()
    );
    assert_eq!(
        start("I have the brake job on friday, can I come in wednesday at 9 instead"),
        DateTime::constant(2026, 12, 2, 9, 0, 0, 0)
    );
}

#[test]
fn clocks_compose_with_parts_of_day_days_and_weeks() {
    assert_eq!(
        start("9 tonight"),
        DateTime::constant(2026, 11, 30, 21, 0, 0, 0)
    );
    assert_eq!(
        start("friday at half nine"),
        DateTime::constant(2026, 12, 4, 9, 30, 0, 0)
    );
    assert_eq!(
        start("next week, tuesday at 8"),
        DateTime::constant(2026, 12, 8, 8, 0, 0, 0)
    );
    assert_eq!(
        start("ten to five on wednesday"),
        DateTime::constant(2026, 12, 2, 16, 50, 0, 0)
    );
}

#[test]
fn bring_it_by_a_day_is_a_visit_not_a_deadline() {
    let t = at("can I bring it by Thursday", MON).expect("a time");
    assert_eq!(t.bound, Bound::Exact);
    assert_eq!(at("by Thursday", MON).expect("a time").bound, Bound::Before);
}

#[test]
fn a_number_that_counts_something_is_no_corrected_hour() {
    assert_eq!(at("make that 2 rooms please", TUE), None);
    assert_eq!(at("sorry, I meant 4 nights", TUE), None);
    assert_eq!(at("can you change the number of people to 8?", TUE), None);
    assert_eq!(start("hmm actually make it 3").hour(), 15);
}

/// Monday 10:00 plus a day and a clock.
fn on(d: i8, h: i8, m: i8) -> DateTime {
    DateTime::constant(2026, 11 + (d < 30) as i8, d, h, m, 0, 0)
}

#[test]
fn the_issues_unseen_phrasings_are_read_alone_and_inside_a_caller_sentence() {
    let cases: &[(&str, DateTime)] = &[
        ("in forty-five minutes", on(30, 10, 45)),
        ("can I bring it in in forty-five minutes", on(30, 10, 45)),
        ("9 tonight", on(30, 21, 0)),
        ("is 9 tonight too late to drop it off", on(30, 21, 0)),
        ("quarter past four", on(30, 16, 15)),
        ("could you do quarter past four today", on(30, 16, 15)),
        ("ten to five", on(30, 16, 50)),
        ("I can be there ten to five tomorrow", on(1, 16, 50)),
        ("two weeks from Monday", on(21, 0, 0)),
        ("can you fit me in two weeks from Monday", on(21, 0, 0)),
        ("a week from Friday", on(11, 0, 0)),
        ("how about a week from friday", on(11, 0, 0)),
        ("first thing Tuesday", on(1, 0, 0)),
        ("can you take it first thing tuesday", on(1, 0, 0)),
        ("the 24th", on(24, 0, 0)),
        ("do you have anything on the 24th", on(24, 0, 0)),
        (
            "the second Tuesday of January",
            DateTime::constant(2027, 1, 12, 0, 0, 0, 0),
        ),
        ("half past 3 tomorrow", on(1, 15, 30)),
        ("um half past 3 tomorrow works", on(1, 15, 30)),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(text, want)| {
            let got = at(text, MON).map(|t| t.start);
            (got != Some(*want)).then(|| format!("{text}: {got:?} (want {want})"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn first_thing_is_the_morning_of_that_day() {
    let t = at("first thing Tuesday", MON).expect("a time");
    assert_eq!(t.end, Some(on(1, 12, 0)));
}

#[test]
fn an_hour_that_opens_an_answer_to_the_time_question_is_read_whatever_follows() {
    let asked = |text: &str| {
        let n = Normalized::new(text);
        let ctx = Context {
            now: MON,
            asked: Some(Asked::Time),
        };
        find(&n, &ctx, None).map(|t| t.start.hour() % 12)
    };
    assert_eq!(asked("10 works. Dana Wu 2015 honda fit"), Some(10));
    assert_eq!(asked("yep, 3 works. Ivy Lane, 2013 Ford Focus"), Some(3));
    assert_eq!(asked("8 is great. Paul Green, 2016 Ford Escape"), Some(8));
    assert_eq!(at("10 works. Dana Wu 2015 honda fit", MON), None);
    assert_eq!(asked("3 is too early, anything later?"), None);
    assert_eq!(asked("10 would not work for me"), None);
}
