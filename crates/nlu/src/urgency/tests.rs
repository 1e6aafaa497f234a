use super::*;

fn u(text: &str) -> Urgency {
    detect(&Normalized::new(text))
}

#[test]
fn smoke_from_the_hood_is_an_emergency() {
    assert_eq!(
        u("there's smoke coming from under the hood"),
        Urgency::Emergency
    );
    assert_eq!(u("my brakes are gone and I'm on 35"), Urgency::Emergency);
}

#[test]
fn steam_on_the_interstate_is_an_emergency() {
    assert_eq!(
        u("steam is pouring out of the hood and the temp gauge is maxed, I'm on the interstate"),
        Urgency::Emergency
    );
    assert_eq!(
        u("my wheel literally came off on the freeway"),
        Urgency::Emergency
    );
}

#[test]
fn a_danger_word_is_enough_to_back_a_models_emergency_and_an_oil_change_is_not() {
    assert!(names_a_danger(
        "the car just died on me and I've got the kids in the back"
    ));
    assert!(names_a_danger(
        "there's a weird burning stink from the vents"
    ));
    assert!(!names_a_danger("can I get an oil change tomorrow morning"));
    assert!(!names_a_danger("brakes are squeaky but it's not urgent"));
}

#[test]
fn a_wheel_coming_off_is_an_emergency_and_one_a_bit_off_center_is_not() {
    assert_eq!(
        u("my tire is coming off on the highway"),
        Urgency::Emergency
    );
    assert_eq!(
        u("can you fix a steering wheel that's a bit off center"),
        Urgency::Normal
    );
    assert_eq!(u("front tire looks off, kind of low"), Urgency::Normal);
}

#[test]
fn an_accident_with_a_thing_is_a_spill_and_one_with_a_deer_is_a_crash() {
    assert_eq!(
        u("I had an accident with the coffee in the cup holder, can you clean the seat"),
        Urgency::Normal
    );
    assert_eq!(
        u("I had an accident with a deer and the hood is smashed"),
        Urgency::Emergency
    );
    assert_eq!(u("we had an accident with another car"), Urgency::Emergency);
}

#[test]
fn a_third_call_is_upset() {
    assert_eq!(
        u("this is the third time I've called, this is ridiculous"),
        Urgency::Upset
    );
}

#[test]
fn a_smoke_free_oil_change_is_normal() {
    assert_eq!(
        u("just need an oil change, not an emergency"),
        Urgency::Normal
    );
}

#[test]
fn the_pedal_to_the_floor_on_the_road_is_an_emergency_but_a_floor_near_a_road_is_not() {
    assert_eq!(
        u("my brake pedal just went to the floor and I'm on the road"),
        Urgency::Emergency
    );
    assert_eq!(
        u("can I get a room on a higher floor away from the road"),
        Urgency::Normal
    );
    assert_eq!(
        u("I was driving home and dropped my wallet on the floor of the car"),
        Urgency::Normal
    );
}

#[test]
fn danger_words_that_name_other_things_are_no_emergency() {
    for text in [
        "is smoking allowed on the balcony",
        "I paid the bill twice by accident",
        "who is my emergency contact on the account",
        "the app crashed while I was paying",
        "I got hit with an overdraft fee",
        "the fire alarm in our room keeps beeping",
        "we were stranded at the airport last night, can we still check in",
    ] {
        assert_eq!(u(text), Urgency::Normal, "{text}");
    }
    for text in [
        "I was in an accident and the car won't start",
        "it's an emergency, my brakes went out",
        "we crashed into a pole on Main Street",
        "I'm stranded at the grocery store with a dead battery",
        "there was an accident, I need a tow",
        "someone crashed into me at the light",
        "it's kind of an emergency I think",
        "I'm stranded, can I pay the tow truck by card",
        "it's smoking really bad",
        "just got hit by a deer on 71",
        "I'm stranded at work, can you check if someone can come",
        "it won't stop when I press the pedal",
        "fire coming out from under it",
        "my car is on fire",
    ] {
        assert_eq!(u(text), Urgency::Emergency, "{text}");
    }
}

#[test]
fn a_collision_now_a_car_stopped_where_it_is_dangerous_or_control_lost_is_an_emergency() {
    for said in [
        "someone ran a red light and smashed into my passenger side",
        "I'm on 290 and the car just shut off in the fast lane",
        "help I'm stuck on the railroad tracks and the car won't start",
        "the power steering went out and I can barely turn, I'm on the highway",
        "the car died in traffic and won't restart",
    ] {
        assert_eq!(u(said), Urgency::Emergency, "{said}");
    }
}

#[test]
fn a_stuck_card_a_late_driver_or_an_old_fender_bender_is_not_an_emergency() {
    for said in [
        "my debit card got stuck in the ATM on Bridge Street",
        "I got stuck in traffic and was late, can I move my appointment",
        "I want to get my bumper fixed from a fender bender last year",
        "my windshield wipers streak and I can't see well in the rain, can you replace them",
    ] {
        assert_ne!(u(said), Urgency::Emergency, "{said}");
    }
}
