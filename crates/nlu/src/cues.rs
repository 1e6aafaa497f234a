//! Cues the conversation acts on that are not among the fourteen intents: a question about
//! the car already in the shop, a complaint or billing dispute, "am I talking to a robot?",
//! a question about the caller's own appointment, a caller speaking Spanish, "same time",
//! "the earliest you've got". Each cue is one phrase list or one small rule; the engine reads
//! them next to the [`Understanding`](crate::Understanding), which they leave unchanged.

use crate::normalize::Normalized;

/// What [`read`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cues {
    /// "is my car ready?", "what's going on with my truck", "did you get to it yet".
    pub status: bool,
    /// "I was charged twice", "they're still squealing and I'm not happy": for a person.
    pub complaint: bool,
    /// "am I talking to a robot?", "is this a real person?".
    pub robot: bool,
    /// "what time is my appointment again?", "when am I booked for?".
    pub own_appointment: bool,
    /// The caller speaks Spanish.
    pub spanish: bool,
    /// "same time", "at the same time": the clock of the time being changed.
    pub same_time: bool,
    /// "I'll take the earliest you've got", "whatever's soonest".
    pub earliest: bool,
    /// "how long does an oil change take?".
    pub how_long: bool,
    /// "I need someone to call me", "can somebody call me back": a call back asked for.
    pub callback: bool,
    /// "you guys did my tires yesterday": work the shop did before.
    pub past_work: bool,
}

const STATUS: &[&str] = &[
    "is my car ready",
    "is my truck ready",
    "is my van ready",
    "is my vehicle ready",
    "is it ready",
    "car ready yet",
    "truck ready yet",
    "ready yet",
    "ready for pickup",
    "ready for pick up",
    "ready to pick up",
    "ready to be picked up",
    "can i pick it up",
    "can i come get it",
    "going on with my",
    "whats the status",
    "what is the status",
    "status of my",
    "status on my",
    "an update on my",
    "any update",
    "any updates",
    "any news on",
    "get to it yet",
    "get to my car",
    "get to my truck",
    "look at it yet",
    "how is my car",
    "hows my car",
    "how is my truck",
    "hows my truck",
    "is it done",
    "is it finished",
    "done with my",
    "finished with my",
    "still working on my",
    "when will my car be",
    "when will it be ready",
    "when will my truck be",
    "hows it looking",
    "how is it looking",
    "hows it coming",
    "how is it coming",
    "coming along",
    "almost done",
    "is it almost",
    "any progress",
    "done yet",
    "finished yet",
    "is my car done",
    "is my truck done",
    "is my van done",
    "is my car finished",
    "pick up my car",
    "pick my car up",
    "pick up my truck",
    "pick my truck up",
    "come get my car",
    "come get my truck",
    // whether the work is done, asked in other words
    "if its done",
    "if it is done",
    "if its ready",
    "if it is ready",
    "if its finished",
    "did you finish",
    "did you guys finish",
    "did yall finish",
    "you guys finish the",
    "checking on my",
];

const COMPLAINT: &[&str] = &[
    "charged twice",
    "charged me twice",
    "double charged",
    "overcharged",
    "over charged",
    "charged me for",
    "wrong amount",
    "bill is wrong",
    "billing",
    "refund",
    "dispute",
    "not happy",
    "unhappy",
    "complaint",
    "complain",
    "ripped off",
    "rip off",
    "ripoff",
    "didnt fix",
    "did not fix",
    "never fixed",
    "still not fixed",
    "worse than before",
    "scratched my",
    "damaged my",
    "dented my",
    "you guys broke",
    "you broke",
    "unacceptable",
];

/// A problem that came back or stayed: a complaint when said about the shop's own work.
const STILL: &[&str] = &[
    "still broken",
    "still squealing",
    "still squeaking",
    "still leaking",
    "still making",
    "still doing it",
    "still shaking",
    "is leaking",
    "started leaking",
    "again",
];

/// Work the shop did before, said by the caller: with an upset tone or a problem that stayed,
/// a complaint.
const PAST_WORK: &[&str] = &[
    "you guys did",
    "you did",
    "you just did",
    "you did my",
    "you worked on",
    "you guys worked on",
    "you fixed",
    "you guys fixed",
    "you replaced",
    "you guys replaced",
    "you put on",
    "you guys put",
    "you installed",
    "you guys installed",
];

const ROBOT: &[&str] = &[
    "robot",
    "a bot",
    "are you a bot",
    "are you a machine",
    "is this a machine",
    "to a machine",
    "or a machine",
    "are you a computer",
    "is this a computer",
    "to a computer",
    "or a computer",
    "are you real",
    "are you a real person",
    "is this a real person",
    "are you human",
    "are you a human",
    "are you a person",
    "are you ai",
    "is this ai",
    "artificial intelligence",
    "is this automated",
    "are you automated",
    "is this a recording",
    "are you a recording",
];

const OWN_APPOINTMENT: &[&str] = &[
    "what time is my",
    "when is my",
    "whens my",
    "what day is my",
    "what time was my",
    "what time was it",
    "what day was it",
    "when was it again",
    "what time am i",
    "when am i booked",
    "what time am i booked",
    "when am i scheduled",
    "am i booked",
    "am i scheduled",
    "do i have an appointment",
    "do i have an appt",
    "remind me when",
    "remind me what time",
    "confirm my appointment",
    "my appointment is",
    "my appt is",
    "is my appointment",
    "is my appt",
    "time is my appt",
    "check my appointment",
    "check on my appointment",
    "what are my appointments",
    "my appointments",
    // what the caller booked, asked in other words
    "do i have anything booked",
    "do i have anything scheduled",
    "do i have something booked",
    "what do i have booked",
    "what appointments do i have",
    "what did i book",
    "what time did i pick",
    "what time did i book",
    "what time did i choose",
    "what time did i say",
    "what day did i pick",
    "what day did i book",
    "what time should i drop",
    "what time should i bring",
    "what time should i come",
    "what time do i drop",
    "what time do i bring",
    "when should i drop",
    "when should i bring",
    "when do i drop",
    "when do i bring",
];

/// Words only Spanish speakers use; two of them (or one of the strong phrases) make a Spanish
/// utterance. "si" alone is a yes in any call, so it does not count.
const SPANISH_WORDS: &[&str] = &[
    "hola", "necesito", "quiero", "quisiera", "favor", "gracias", "carro", "coche", "cita",
    "aceite", "cambio", "llantas", "frenos", "cuanto", "cuesta", "habla", "hablan", "espanol",
    "buenos", "buenas", "tengo", "puedo", "puede", "ayuda", "manana", "senor", "senora", "para",
    "mi", "el", "la", "una", "que", "de", "es", "tiene", "hacer", "dias", "tardes",
];

const SPANISH_STRONG: &[&str] = &[
    "speak spanish",
    "speaks spanish",
    "in spanish",
    "habla espanol",
    "hablan espanol",
    "en espanol",
    "no hablo ingles",
    "no hablo mucho ingles",
    "por favor",
    "buenos dias",
    "buenas tardes",
    "buenas noches",
];

const HOW_LONG: &[&str] = &[
    "how long does",
    "how long will",
    "how long would",
    "how long is",
    "how long do",
    "how long it takes",
    "how long it will take",
    "how much time does",
    "how much time will",
];

const CALLBACK: &[&str] = &[
    "call me back",
    "someone to call me",
    "somebody to call me",
    "someone call me",
    "somebody call me",
    "have someone call",
    "have somebody call",
    "give me a call",
    "give me a call back",
    "request a callback",
    "request a call back",
    "want a callback",
    "like a callback",
    "get a call back",
];

const SAME_TIME: &[&str] = &["same time", "same hour", "at the same time", "same slot"];

const EARLIEST: &[&str] = &[
    "earliest",
    "soonest",
    "first available",
    "first opening",
    "next available",
    "next opening",
    "first thing you have",
    "first thing you got",
];

/// Words for the customer's car in "is my car ready".
const CAR_WORDS: &[&str] = &[
    "car", "truck", "van", "vehicle", "suv", "jeep", "ride", "camry", "civic", "it",
];

/// "calling to see if my car is ready", "wondering whether the truck was done": a car word
/// owned by the caller ("my", "the") a few words before "ready", or before "is/was done" or
/// "is/was finished". "I want my car done by Friday" is not one: done needs its "is".
fn car_is_ready_question(n: &Normalized) -> bool {
    let w: Vec<&str> = n.words().collect();
    (0..w.len()).any(|i| {
        let ready = w[i] == "ready";
        let done =
            matches!(w[i], "done" | "finished") && i > 0 && matches!(w[i - 1], "is" | "was" | "be");
        if !(ready || done) {
            return false;
        }
        let from = i.saturating_sub(4);
        (from..i).any(|j| {
            CAR_WORDS.contains(&w[j])
                && if w[j] == "it" {
                    // "can you have it ready by Friday" asks for a time, not a status.
                    j == 0 || !matches!(w[j - 1], "have" | "get" | "got" | "make")
                } else {
                    j > 0 && matches!(w[j - 1], "my" | "the" | "our")
                }
        })
    })
}

/// Reads the cues of one utterance.
pub fn read(text: &str) -> Cues {
    let n = Normalized::new(text);
    read_normalized(&n)
}

pub(crate) fn read_normalized(n: &Normalized) -> Cues {
    Cues {
        status: n.has_any(STATUS) || car_is_ready_question(n),
        complaint: n.has_any(COMPLAINT) || (n.has_any(STILL) && n.has_any(PAST_WORK)),
        robot: n.has_any(ROBOT),
        own_appointment: n.has_any(OWN_APPOINTMENT),
        spanish: spanish(n),
        same_time: n.has_any(SAME_TIME),
        earliest: n.has_any(EARLIEST),
        how_long: n.has_any(HOW_LONG),
        callback: n.has_any(CALLBACK),
        past_work: n.has_any(PAST_WORK),
    }
}

/// Two Spanish words among the first few, or a strong phrase ("habla español", "por favor").
fn spanish(n: &Normalized) -> bool {
    if n.has_any(SPANISH_STRONG) {
        return true;
    }
    let words: Vec<&str> = n.words().take(12).collect();
    let hits = words.iter().filter(|w| SPANISH_WORDS.contains(w)).count();
    let english = words
        .iter()
        .filter(|w| {
            matches!(
                **w,
                "the" | "my" | "i" | "is" | "a" | "to" | "and" | "you" | "it"
            )
        })
        .count();
    hits >= 2 && hits > english
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cue_is_read_in_callers_words() {
        assert!(read("hey is my car ready yet?").status);
        assert!(read("hi um I'm just calling to see if my car is ready").status);
        assert!(read("wondering whether the truck was finished").status);
        assert!(!read("I want my car done by Friday").status);
        assert!(!read("I'm ready to book an oil change").status);
        assert!(!read("can you have it ready by friday").status);
        assert!(read("whats going on with my truck? did u guys get to it yet").status);
        assert!(read("i was charged twice for my brake job").complaint);
        assert!(read("the oil change you did is leaking everywhere").complaint);
        assert!(!read("it's still making that clicking noise, can I bring it in").complaint);
        assert!(read("wait am I talking to a robot?").robot);
        assert!(read("sorry, who am I talking to, is this a machine?").robot);
        assert!(!read("it sounds like a machine gun under the hood").robot);
        assert!(read("what time is my appointment again?").own_appointment);
        assert!(read("do I have anything booked").own_appointment);
        assert!(read("what time should I drop it off").own_appointment);
        assert!(read("I dropped off my Tahoe this morning, just checking if it's done").status);
        assert!(read("did you guys finish the brakes on my civic").status);
        assert!(read("hola, necesito un cambio de aceite para mi carro").spanish);
        assert!(!read("I need an oil change for my car").spanish);
        assert!(!read("si").spanish);
        assert!(read("could we do friday same time instead").same_time);
        assert!(read("I'll just take the earliest you've got").earliest);
    }
}
