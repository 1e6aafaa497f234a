//! Every sentence the receptionist says that is not an owner-editable template, in one place so
//! it can be reviewed and reworded without reading the flows. Owner-editable wording (greeting,
//! confirmation text, callback promise) comes from the profile's templates instead.

/// First-turn sentence when the shop is closed right now.
pub const AFTER_HOURS: &str =
    "We're closed right now, but I can still book you in or take a message.";
/// After hours, when the owner does not want bookings taken.
pub const AFTER_HOURS_CALLBACK_ONLY: &str =
    "We're closed right now, but I can take a message and have someone call you back.";
/// A prompt after silence.
pub const STILL_THERE: &str =
    "Are you still there? I can book a visit, give you a price, or tell you our hours.";
/// Said once, when something was not understood.
pub const NOT_UNDERSTOOD: &str = "Sorry, I didn't catch that. I can book a visit, give you a price, tell you our hours, or have someone call you back.";
/// A conversation picked up after the times offered have passed.
pub const TIMES_PASSED: &str = "Those times have passed, so here are fresh ones.";
/// Said before re-asking the open question when an answer was not understood.
pub const SORRY_AGAIN: &str = "Sorry, I didn't catch that.";
/// Said to an upset caller before a person is offered.
pub const SORRY_UPSET: &str = "I'm sorry about that.";
/// When the caller said something understood but with nothing to act on.
pub const HOW_CAN_I_HELP: &str = "How can I help you today?";
/// After an answer.
pub const ANYTHING_ELSE: &str = "Anything else I can help with?";
/// Asked when booking and no service is known yet.
pub const WHICH_SERVICE: &str = "What does the car need, or what's it doing?";
/// Offer to book after a price or an answer.
pub const WANT_A_TIME: &str = "Want me to find you a time?";
/// When the caller wants to change something in a read-back but did not say what.
/// At a read-back, to a caller who said "hold on".
pub const TAKE_YOUR_TIME: &str =
    "No problem, take your time. Just say yes when you're ready, or tell me what to change.";
pub const WHAT_TO_CHANGE: &str =
    "No problem. What should I change: the day and time, the service, or the name?";
/// Asked when the caller declines a change to an appointment.
pub const LEFT_AS_IS: &str = "Okay, I'll leave it as it is.";
/// Asked when several offers were made and the caller said yes without choosing.
pub const WHICH_ONE: &str = "Which of those works best?";
/// Two readings of the caller's words named different days; the soonest times follow.
pub const WHICH_DAY: &str = "I didn't catch which day you meant.";
/// The number to call back.
pub const WHAT_NUMBER: &str = "What's the best number to reach you?";
/// Safety first: smoke, fire.
pub const SAFETY: &str =
    "First, please get away from the car, and call 911 if anyone is in danger.";
/// Emergency on a text, or when nobody can take a transfer.
pub const NO_APPOINTMENT: &str = "I don't see an upcoming appointment for this number.";

pub fn goodbye(business: &str, channel: crate::Channel) -> String {
    match channel {
        crate::Channel::Voice => format!("Thanks for calling {business}. Have a great day!"),
        crate::Channel::Sms => format!("Thanks for texting {business}. Have a great day!"),
    }
}

pub fn returning(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("Good to hear from you again, {n}."),
        None => "Good to hear from you again.".to_string(),
    }
}

/// The caller's bookings ahead, each "an oil change Thursday at 7:30 AM", joined.
pub fn upcoming(bookings: &str) -> String {
    format!("I see you're booked for {bookings}.")
}

pub fn price_is(service: &str, price: &str) -> String {
    if price.starts_with("we quote") {
        format!("For {service}, {price}.")
    } else {
        crate::speak::capitalise(&format!(
            "{} {service} is {price}.",
            crate::speak::article(service)
        ))
    }
}

pub fn unknown_price() -> String {
    "I don't have a set price for that, so someone will need to quote it.".to_string()
}

pub fn needs_a_look(service: &str) -> String {
    format!(
        "{} needs a technician to look first, so I'll book it as an inspection and they'll call you with a written quote before any work.",
        crate::speak::capitalise(service)
    )
}

pub fn offers(list: &str) -> String {
    format!("I have {list}. Which works best?")
}

pub fn earliest(list: &str) -> String {
    format!("Those are the earliest I have: {list}. Which works best?")
}

pub fn no_offers(what: &str) -> String {
    format!("I don't have anything open {what}. Would another day or time work?")
}

pub fn also_noted(services: &str) -> String {
    format!("I'll note the {services} too, and the shop will confirm the time it needs.")
}

pub fn nothing_then(service: &str, soonest: &str) -> String {
    format!(
        "I don't have a {service} opening then. The soonest I have are {soonest}. Would one of those work?"
    )
}

pub fn nothing_in_horizon() -> String {
    "I don't have an opening I can book right now, so I'll have someone call you to set a time."
        .to_string()
}

pub fn exact_free(when: &str) -> String {
    format!("{} is open.", crate::speak::capitalise(when))
}

pub fn exact_refused(when: &str, why: &str, alternatives: &str) -> String {
    if alternatives.is_empty() {
        format!("{} doesn't work, {why}.", crate::speak::capitalise(when))
    } else {
        format!(
            "{} doesn't work, {why}. The closest I have are {alternatives}. Would one of those work?",
            crate::speak::capitalise(when)
        )
    }
}

pub fn ask_name_and_vehicle(mileage: bool) -> String {
    if mileage {
        "Can I get your name, the year, make and model of the car, and roughly the mileage?"
            .to_string()
    } else {
        "Can I get your name and the year, make and model of the car?".to_string()
    }
}

pub fn ask_name() -> String {
    "And what name should I put it under?".to_string()
}

pub fn ask_vehicle(mileage: bool) -> String {
    if mileage {
        "What's the year, make and model, and roughly the mileage?".to_string()
    } else {
        "What's the year, make and model of the car?".to_string()
    }
}

pub fn read_back(service: &str, when: &str, name: Option<&str>, vehicle: Option<&str>) -> String {
    let mut s = format!("{}, {when}", crate::speak::capitalise(service));
    if let Some(n) = name {
        s.push_str(&format!(", for {n}"));
    }
    if let Some(v) = vehicle {
        s.push_str(&format!(", {v}"));
    }
    s.push_str(". Shall I book it?");
    s
}

pub fn booked(service: &str, when: &str, texted: bool) -> String {
    let mut s = format!("You're all set: {service}, {when}.");
    if texted {
        s.push_str(" I've texted you the details.");
    }
    s
}

pub fn slot_taken(alternatives: &str) -> String {
    if alternatives.is_empty() {
        "Sorry, that time was just taken and I don't see another opening close to it. What other day would work?".to_string()
    } else {
        format!("Sorry, that time was just taken. How about {alternatives}?")
    }
}

pub fn request_taken(when: &str, open_now: bool) -> String {
    if open_now {
        format!("I've put in your request for {when}; the shop will text you to confirm shortly.")
    } else {
        format!(
            "I've put in your request for {when}; the shop will text you to confirm first thing."
        )
    }
}

pub fn confirm_number(number: &str) -> String {
    format!("Is {number} the best number to reach you?")
}

pub fn callback_booked(number: &str) -> String {
    format!("Got it, we'll call you at {number}.")
}

pub fn transfer(person: &str) -> String {
    format!("I'm connecting you to {person} right now. Please stay on the line.")
}

pub fn human_transfer() -> String {
    "Sure, let me connect you with someone at the shop.".to_string()
}

pub fn emergency_alerted(person: &str, number: Option<&str>) -> String {
    match number {
        Some(n) => format!("I've alerted {person}, who will call you right away at {n}."),
        None => format!("I've alerted {person}, who will call you right away."),
    }
}

pub fn transfer_failed() -> String {
    "I couldn't reach anyone just now.".to_string()
}

pub fn which_appointment(list: &str) -> String {
    format!("I see {list}. Which one?")
}

pub fn confirm_cancel(service: &str, when: &str) -> String {
    format!("Just to confirm, cancel your {service} on {when}?")
}

pub fn ask_new_time(service: &str, when: &str) -> String {
    format!("Your {service} is on {when}. What day and time would work better?")
}

pub fn confirm_move(service: &str, from: &str, to: &str) -> String {
    format!("Move your {service} from {from} to {to}?")
}

pub fn cancelled(service: &str, when: &str) -> String {
    format!("Your {service} on {when} is cancelled. Would you like to book another time?")
}

pub fn moved(service: &str, when: &str, texted: bool) -> String {
    let mut s = format!("Done: your {service} is now {when}.");
    if texted {
        s.push_str(" I've texted you the new time.");
    }
    s
}

pub fn open_on(day: &str, shifts: &str) -> String {
    match day {
        "today" | "tomorrow" => format!("{day} we're open {shifts}."),
        _ => format!("On {day} we're open {shifts}."),
    }
}

/// "are you open right now?" when the shop is open.
pub fn open_now_until(end: &str) -> String {
    format!("We're open right now, until {end}.")
}

/// "are you open right now?" when the shop is closed; the next opening follows.
pub const CLOSED_NOW: &str = "We're closed right now.";

pub fn closed_on(day: &str) -> String {
    match day {
        "today" | "tomorrow" => format!("We're closed {day}."),
        _ => format!("We're closed on {day}."),
    }
}

pub fn our_number(number: &str) -> String {
    format!("Our number is {number}.")
}

pub fn hours(words: &str) -> String {
    format!("We're open {words}.")
}

pub fn location(address: &str) -> String {
    format!("We're at {address}.")
}

/// The honest answer to "am I talking to a robot?".
pub fn robot(business: &str) -> String {
    format!(
        "I'm {business}'s automated assistant. I can book a visit, give you prices and hours, or have a person call you back."
    )
}

/// The one sentence a Spanish-speaking caller hears until Spanish is served in full.
pub const SPANISH_CALLBACK: &str =
    "Gracias por llamar. Una persona del taller le llamará pronto para ayudarle.";

/// The same, when no number is known: what number to call.
pub const SPANISH_NUMBER: &str =
    "Gracias por llamar. ¿A qué número le puede llamar una persona del taller?";

/// A status question or a complaint goes to a person.
pub const FOR_A_PERSON: &str = "That's one for someone at the shop.";
/// A caller whose number has no car at the shop asked about one.
pub const STATUS_WHO: &str =
    "I can check on that. What's the name on the repair order, and what car is it?";
/// Nothing at the shop fits the name and car the caller gave.
pub const STATUS_NOT_FOUND: &str = "I couldn't find a car at the shop under that name.";

/// One car fits the name and car a caller from another number gave: they prove the number.
pub const STATUS_PROVE: &str = "I found a car under that name. To make sure it's yours, what are the last four digits of the phone number on the order?";

/// The caller's own appointment, asked about.
pub fn your_appointment(service: &str, when: &str) -> String {
    format!("Your {service} is {when}.")
}

/// A job that is not on the menu.
pub fn needs_a_quote() -> String {
    "That's not something I can price, so someone will need to quote it.".to_string()
}

/// Asked before quoting a service the caller only partly named.
/// The end of "did you mean ...?" asked a second time.
pub const YES_OR_NO: &str = "A yes or no is fine.";

pub fn did_you_mean(service: &str) -> String {
    format!(
        "Just to check, do you mean {} {service}?",
        crate::speak::article(service)
    )
}

/// The caller called off the booking in progress.
pub const WONT_BOOK: &str = "No problem, I won't book it.";

/// How long a service takes, in words (no digits: every number said comes from the flow).
pub fn takes_about(service: &str, minutes: u32) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let span = match minutes {
        0..=20 => "about fifteen minutes".to_string(),
        21..=40 => "about half an hour".to_string(),
        41..=50 => "about forty-five minutes".to_string(),
        51..=70 => "about an hour".to_string(),
        71..=105 => "about an hour and a half".to_string(),
        m => {
            let hours = ((m + 30) / 60).min(12) as usize;
            format!("about {} hours", WORDS[hours])
        }
    };
    crate::speak::capitalise(&format!(
        "{} {service} takes {span}.",
        crate::speak::article(service)
    ))
}
