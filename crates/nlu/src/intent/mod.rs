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

mod own_words;

const GREET: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "howdy",
    "greetings",
    "good morning",
    "good afternoon",
    "good evening",
    "good day",
    "morning",
    "yo",
    "heya",
    "hallo",
];

const GOODBYE: &[&str] = &[
    "bye",
    "goodbye",
    "good bye",
    "bye bye",
    "byebye",
    "cheerio",
    "ciao",
    "adios",
    "laters",
    "see you",
    "see ya",
    "gotta go",
    "got to go",
    "have to go",
    "hit the road",
    "i am leaving now",
    "im leaving now",
    "stop now",
    "hang up",
    "thats all",
    "that is all",
    "that will be all",
    "thatll be all",
    "that would be all",
    "thats it for now",
    "call it a day",
    "im done",
    "were done",
    "we are done",
    "i am done",
    "have a good day",
    "have a nice day",
    "have a great day",
    "have a good one",
    "have a good night",
    "have a great night",
    "have a nice evening",
    "have a good evening",
    "have a great weekend",
    "have a good weekend",
    "take care",
    "good night",
    "talk to you later",
    "talk later",
    "farewell",
    "so long",
    "thats everything",
    "that is everything",
    "ttyl",
    "later alligator",
    "all i need",
    "all i needed",
    "all i wanted",
    "need nothing more",
    "need nothing further",
    "need nothing else",
    "nothing further",
    "there is nothing else",
    "theres nothing else",
    "im all set",
    "i am all set",
    "were all set",
    "good to go",
    "that should do it",
    "that will do it",
    "thatll do it",
    "that does it",
    "that takes care of everything",
    "that all",
    "that s all",
    "you can go",
    "call back later",
    "call you back",
    "ill call back",
    "i will call back",
];

const THANKS: &[&str] = &[
    "thank",
    "thanks",
    "thankyou",
    "thx",
    "ty",
    "tysm",
    "appreciate",
    "appreciated",
    "grateful",
    "thankful",
    "cheers",
    "much obliged",
    "thnx",
    "thanx",
    "tnx",
];

const AFFIRM_START: &[&str] = &[
    "yes",
    "yessir",
    "yes sir",
    "yes maam",
    "yas",
    "yeppers",
    "you bet",
    "for sure",
    "roger",
    "yeah",
    "yep",
    "yup",
    "yea",
    "ya",
    "yah",
    "yess",
    "yesss",
    "sure",
    "surely",
    "correct",
    "exactly",
    "absolutely",
    "definitely",
    "indeed",
    "true",
    "certainly",
    "of course",
    "perfect",
    "great",
    "amazing",
    "awesome",
    "excellent",
    "wonderful",
    "terrific",
    "fantastic",
    "right",
    "affirmative",
    "aye",
    "uh huh",
    "mhm",
    "most definitely",
    "precisely",
    "sounds good",
    "sounds great",
    "sounds perfect",
    "sounds right",
    "that works",
    "works for me",
    "i think so",
    "please do",
    "go ahead",
    "book it",
    "lovely",
    "cool",
    "fine",
    "thats fine",
];

const AFFIRM_ANY: &[&str] = &[
    "thats right",
    "that is right",
    "thats correct",
    "that is correct",
    "is correct",
    "all correct",
    "sounds good",
    "sounds great",
    "sounds perfect",
    "sounds fine",
    "sounds right",
    "sound good",
    "that works",
    "that will work",
    "that would work",
    "that should work",
    "that works for me",
    "works for me",
    "works great",
    "works fine",
    "that is fine",
    "thats fine",
    "fully fine",
    "is fine",
    "thats it",
    "thats exactly",
    "that is it",
    "its exactly",
    "it is exactly",
    "exactly it",
    "i confirm",
    "please confirm",
    "confirmed",
    "go ahead",
    "please do",
    "book it",
    "thats perfect",
    "that is perfect",
    "thats great",
    "that is great",
    "perfect with me",
    "good for me",
    "fine with me",
    "ok with me",
    "okay with me",
    "it is good",
    "its good",
    "all good",
    "all set",
    "thats the one",
    "that is the one",
    "thats the ticket",
    "surely is",
    "sounds about right",
    "yes please",
    "lets do it",
    "lets do that",
    "make it so",
    "that suits me",
    "suits me",
    "that is alright",
    "thats alright",
    "is alright",
    "thats good",
    "that is good",
    "would be fine",
    "will be fine",
    "would be great",
    "will be great",
    "would be perfect",
    "that will do",
    "that would do",
    "that is what i want",
    "thats what i want",
    "thats what i said",
    "you got it",
    "seems right",
    "seems good",
    "sounds really good",
    "sounds very good",
    "sounds nice",
    "looks good",
    "looks great",
    "i assent",
    "seems nice",
    "that is okay",
    "thats okay",
    "that is ok",
    "thats ok",
    "is okay",
    "i accept",
    "spot on",
    "go for it",
    "fine with that",
    "i want it",
    "i would like that",
    "id like that",
    "that sound great",
    "sound great",
    "sounds okay",
    "sounds ok",
    "exactly what i want",
    "what i said",
    "will be perfect",
    "just fine",
    "go on",
    "i agree",
    "that is great",
];

const DENY_START: &[&str] = &[
    "no",
    "nope",
    "nah",
    "nay",
    "negative",
    "not really",
    "not quite",
    "heck no",
    "hell no",
    "no way",
    "wrong",
    "incorrect",
    "not",
];

const NEGATION: &[&str] = &[
    "not",
    "dont",
    "didnt",
    "cant",
    "cannot",
    "wasnt",
    "isnt",
    "aint",
    "havent",
    "hasnt",
    "wont",
    "doesnt",
    "arent",
    "werent",
    "never",
    "incorrect",
    "wrong",
    "nope",
    "nah",
];

const NOT_DENY: &[&str] = &[
    "no problem",
    "no worries",
    "no rush",
    "no hurry",
    "not a problem",
    "no big deal",
    "not sure",
    "dont know",
    "do not know",
    "not that im aware",
    "no idea",
    "no matter",
    "why cant",
    "why can't",
    "no later than",
    "not later than",
    "no earlier than",
    "not working",
    "isnt working",
    "doesnt work",
    "wont start",
    "wont stop",
    "cant stop",
    "dont have a",
    "didnt know",
    "did not know",
    "didnt quite understand",
    "didnt understand",
    "didnt get that",
    "didnt catch",
    "didnt hear",
];

const HUMAN: &[&str] = &[
    "real person",
    "actual person",
    "live person",
    "a person",
    "a human",
    "human being",
    "to human",
    "to a human",
    "with a human",
    "talking to a human",
    "an agent",
    "your agent",
    "human agent",
    "live agent",
    "the manager",
    "your manager",
    "a manager",
    "the owner",
    "a representative",
    "representative",
    "an operator",
    "operator",
    "someone else",
    "somebody else",
    "talk to someone",
    "speak to someone",
    "speak with someone",
    "talk with someone",
    "talk to somebody",
    "speak to somebody",
    "someone else on the line",
    "transfer me",
    "put me through",
    "connect me",
    "pass me to",
    "get me someone",
    "give me someone",
    "bank worker",
    "the reception",
    "front desk",
    "with a machine",
    "to a machine",
    "with a robot",
    "to a robot",
    "to bots",
    "a bot",
    "virtual agents",
    "this is really frustrating",
    "this is frustrating",
    "so frustrating",
    "not leading anywhere",
    "conversation is not working",
    "this is not working",
    "speak directly",
    "speak to the",
    "talk to the",
    "speak to your",
    "talk to your",
    "someone at the",
    "someone working",
    "spa team",
    "call me back",
    "have someone call",
    "have somebody call",
    "speak with",
    "like to speak",
    "want to speak",
    "need to speak",
    "talk to him",
    "talk to her",
    "speak to him",
    "speak to her",
    "speak with him",
    "speak with her",
];

const BOOK: &[&str] = &[
    "book",
    "booking",
    "reserve",
    "reservation",
    "make an appointment",
    "make me an appointment",
    "set up an appointment",
    "set an appointment",
    "schedule",
    "get an appointment",
    "get me an appointment",
    "need an appointment",
    "want an appointment",
    "like an appointment",
    "an appointment for",
    "an appointment on",
    "an appointment at",
    "appointment with",
    "the appointment for",
    "make the appointment",
    "arrange a meeting",
    "schedule a meeting",
    "bring it in",
    "bring my car in",
    "bring the car in",
    "bring my truck in",
    "drop it off",
    "drop off my",
    "drop my car",
    "come in",
    "get it in",
    "get my car in",
    "fit me in",
    "squeeze me in",
    "get me in",
    "take a look at",
    "look at it",
    "have a look",
    "availability",
    "available",
    "any openings",
    "an opening",
    "anything open",
    "something open",
    "come by",
    "look at my",
    "have time",
    "have any time",
    "got time",
    "set something up",
    "set me up",
    "put me down",
    "pencil me in",
    "sign me up",
    "get in",
    "earliest",
    "opening",
    "openings",
    "first available",
    "soonest",
    "stop by",
    "swing by",
    "stop in",
    "drop by",
    "free tables",
    "free slot",
    "stay for",
    "stay in your",
    "get a",
    "need a room",
    "a session",
    "a table",
    "like to visit",
    "want to visit",
    "need to visit",
    "must visit",
    "ill visit",
    "will visit",
    "like to see a",
    "want to see a",
    "need to see a",
    "like to see the",
    "want to see the",
    "need to see the",
    "go to the dentist",
    "go to the doctor",
    "go to the shop",
    "go to the mechanic",
    "looked at",
    "checked out",
    "check it out",
    "get it checked",
    "get it fixed",
    "get it looked",
    "in for",
    "to see a",
    "wish to see",
    "want to see that",
    "want to see this",
    "visit a",
    "visit this",
    "visit that",
    "visit the",
    "consult a",
    "go see a",
    "can i get a",
    "want to get a",
    "possible to get",
    "possible to book",
    "possible to come",
    "possible to bring",
];

const CANCEL: &[&str] = &[
    "cancel",
    "cancellation",
    "call off",
    "cant make it to my",
    "cannot make it to my",
    "cant make my",
    "wont make it to my",
    "wont be able to make it",
    "not be able to make it",
    "dont want to meet anymore",
    "no longer need",
    "dont need the appointment",
    "wont need the appointment",
    "need the appointment anymore",
    "need my appointment anymore",
    "drop my appointment",
];

const RESCHEDULE: &[&str] = &[
    "reschedule",
    "re schedule",
    "rebook",
    "postpone",
    "push it back",
    "push back",
    "move my appointment",
    "push my appointment",
    "push the appointment",
    "push it to",
    "move it to",
    "bump my appointment",
    "move the appointment",
    "move my booking",
    "change my appointment",
    "change the appointment",
    "change my booking",
    "change the date of my",
    "change the time of my",
    "different day",
    "different time",
    "another day",
    "another time",
];

const PRICE: &[&str] = &[
    "how much",
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "quote",
    "estimate",
    "charge",
    "charges",
    "ride fare",
    "fare",
    "rate",
    "rates",
    "expensive",
    "cheap",
    "ballpark",
    "the damage",
    "the total",
    "total cost",
    "what do i owe",
    "how much do i owe",
    "how much i owe",
    "run me",
    "set me back",
    "what do you charge",
    "how pricey",
];

const HOURS: &[&str] = &[
    "are you open",
    "are you closed",
    "are yall closed",
    "closed on",
    "closed today",
    "closed tomorrow",
    "closed for",
    "are you guys open",
    "you open",
    "open on",
    "open today",
    "open tomorrow",
    "open until",
    "open till",
    "open til",
    "open late",
    "open early",
    "open this",
    "open now",
    "open right now",
    "yall open",
    "you guys open",
    "u open",
    "still open",
    "opening hours",
    "business hours",
    "your hours",
    "hours of operation",
    "what are the hours",
    "what are your hours",
    "what time do you",
    "when do you open",
    "when do you close",
    "when are you open",
    "when are you closing",
    "what time are you",
    "close today",
    "closing time",
    "open saturday",
    "open sunday",
    "open on saturday",
    "open on sunday",
    "open on the weekend",
    "open weekends",
    "open on weekends",
    "hours on",
    "shop hours",
    "store hours",
    "how late",
    "how early",
];

const LOCATION: &[&str] = &[
    "address",
    "whereabouts",
    "where it is",
    "where they are",
    "where you are",
    "the address",
    "your address",
    "their address",
    "its address",
    "address of",
    "whats the address",
    "street address",
    "location",
    "located",
    "directions",
    "how do i get there",
    "how do i get to",
    "where are you",
    "where are they",
    "where is it",
    "where is this",
    "where is that",
    "where is the",
    "where is your",
    "where are the",
    "where is their",
    "wheres the",
    "where are ya",
    "where you at",
    "where is he",
    "where is she",
    "what street",
    "which street",
    "cross street",
    "where exactly",
    "where is he located",
    "where is the office",
];

const REPEAT: &[&str] = &[
    "repeat",
    "one more time",
    "pardon",
    "didnt quite understand",
    "didnt understand",
    "did not understand",
    "didnt get that",
    "didnt catch",
    "did not catch",
    "didnt hear",
    "did not hear",
    "what was that",
    "say that again",
    "say it again",
    "come again",
    "what did you say",
    "say again",
    "missed that",
    "missed what",
    "what you said",
    "can you say that",
];

/// Reads the intents of an utterance.
/// `service_said`: the utterance names one of the profile's services, so "can I get a tire
/// rotation" is a booking where "can I get a card" is not.
pub fn detect(
    n: &Normalized,
    ctx: &Context,
    time: Option<&TimeExpr>,
    service_said: bool,
) -> Vec<Intent> {
    let mut found: Vec<(usize, Intent)> = Vec::new();
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    let words: Vec<&str> = n.words().collect();
    let nwords = words.len();
    if nwords == 0 {
        return Vec::new();
    }

    // greet: at the start only
    let mut lead = 0;
    while lead < nwords.min(3)
        && matches!(
            words[lead],
            "um" | "uh" | "umm" | "uhh" | "yeah" | "so" | "oh" | "ok" | "okay" | "well" | "er"
        )
    {
        lead += 1;
    }
    let greet_word = matches!(
        words.get(lead),
        Some(
            &"hi"
                | &"hello"
                | &"hey"
                | &"hiya"
                | &"howdy"
                | &"greetings"
                | &"heya"
                | &"hallo"
                | &"yo"
        )
    ) || (lead < nwords
        && words[lead] == "good"
        && matches!(
            words.get(lead + 1),
            Some(&"morning" | &"afternoon" | &"evening" | &"day")
        ));
    let time_answer = matches!(ctx.asked, Some(Asked::Time | Asked::Date)) && nwords <= 2;
    if ((starts(n, GREET) && !(words[0] == "morning" && nwords > 2)) || greet_word) && !time_answer
    {
        add(Some(0), Intent::Greet);
    }
    add(first(n, GOODBYE), Intent::Goodbye);
    if words[0] == "nothing"
        && (nwords == 1
            || n.tokens
                .get(1)
                .is_some_and(|t| t.kind == crate::normalize::Kind::Punct)
            || matches!(words.get(1), Some(&"else" | &"more" | &"for")))
    {
        add(Some(0), Intent::Goodbye);
    }
    if let Some(p) = first(n, THANKS)
        && !n.has("no thanks to")
    {
        add(Some(p), Intent::Thanks);
    }
    if n.has_any(&["no thanks", "no thank you", "nope thanks"]) {
        add(first(n, &["thanks", "thank"]), Intent::Thanks);
    }

    // repeat
    let short_sorry = nwords <= 2 && matches!(words[0], "sorry" | "what" | "huh" | "eh");
    if short_sorry {
        add(Some(0), Intent::Repeat);
    }
    add(first(n, REPEAT), Intent::Repeat);

    // human
    add(first(n, HUMAN), Intent::Human);
    if n.has_any(&["human", "humans"]) && !n.has_any(&["little humans", "two humans"]) {
        add(first(n, &["human", "humans"]), Intent::Human);
    }

    // "is Joe there?", "is Maria in?"
    if nwords >= 3
        && words[0] == "is"
        && matches!(words[2], "there" | "in" | "around" | "available")
    {
        add(Some(0), Intent::Human);
    }
    // "what are your saturday hours", "holiday hours"
    if n.has("hours")
        && n.has_any(&[
            "saturday",
            "sunday",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "weekend",
            "holiday",
            "today",
            "tomorrow",
        ])
    {
        add(first(n, &["hours"]), Intent::Hours);
    }
    // "do you do oil changes on Saturdays?", "are you guys open weekends"
    if starts(
        n,
        &[
            "do you",
            "do yall",
            "do you guys",
            "are you",
            "are yall",
            "are you guys",
        ],
    ) && n.has_any(&[
        "saturdays",
        "sundays",
        "weekends",
        "on the weekend",
        "on weekends",
        "evenings",
        "nights",
        "on saturday",
        "on sunday",
    ]) {
        add(Some(0), Intent::Hours);
    }
    // cancel / reschedule / book
    let cancel = first(n, CANCEL);
    add(cancel, Intent::Cancel);
    let resched = first(n, RESCHEDULE);
    add(resched, Intent::Reschedule);
    let book_ok = cancel.is_none() && resched.is_none();
    if book_ok {
        // "bring my 08 Civic in", "drop the truck off"
        let words_pos: Vec<&str> = n.words().collect();
        let carry_in = words_pos.iter().enumerate().find_map(|(k, w)| {
            matches!(*w, "bring" | "drop")
                .then(|| {
                    words_pos[k + 1..words_pos.len().min(k + 7)]
                        .iter()
                        .any(|x| matches!(*x, "in" | "off" | "by"))
                })
                .filter(|b| *b)
        });
        if carry_in.is_some()
            && !n.has_any(&["drop me off", "in cash", "drop off the key", "in case"])
        {
            add(first(n, &["bring", "drop"]), Intent::Book);
        }
        // "I need a salon appointment", "make me a doctor's appointment"
        if let Some(k) = words
            .iter()
            .position(|w| matches!(*w, "appointment" | "appt"))
        {
            let lead = &words[k.saturating_sub(6)..k];
            if lead.iter().any(|w| {
                matches!(
                    *w,
                    "make"
                        | "need"
                        | "set"
                        | "want"
                        | "book"
                        | "schedule"
                        | "like"
                        | "get"
                        | "fix"
                        | "wish"
                        | "new"
                )
            }) && !lead.contains(&"my")
            {
                add(first(n, &["appointment", "appt"]), Intent::Book);
            }
        }
        // "let's try 12:45", "try again for the 9th", "I'd like to go in at 3"
        if time.is_some()
            && n.has_any(&[
                "try",
                "lets try",
                "try again",
                "like to go",
                "want to go",
                "go in at",
                "come in at",
            ])
        {
            add(
                first(n, &["try", "like", "want", "go", "come"]),
                Intent::Book,
            );
        }
        let p = first(n, BOOK).filter(|_| {
            !n.has_any(&[
                "schedule transferring",
                "schedule the payment",
                "schedule a payment",
                "schedule a transfer",
                "schedule the transfer",
            ])
        });
        let guard = n.has_any(&[
            "booked",
            "booking under",
            "the booking",
            "my booking",
            "my reservation",
            "the reservation",
            "existing booking",
            "current booking",
            "my appointment",
        ]) && !n.has_any(&[
            "make an appointment",
            "book a",
            "book an",
            "to book",
            "like to book",
            "want to book",
            "book my",
            "book the",
            "make my appointment",
            "schedule my appointment",
            "set my appointment",
        ]);
        let weak = n.has_any(&["available", "availability", "get a"])
            && !n.has_any(&[
                "book",
                "booking",
                "reserve",
                "reservation",
                "appointment",
                "schedule",
            ]);
        let weak_ok = !weak
            || service_said
            || n.has_any(&[
                "any availability",
                "have availability",
                "anything available",
                "is available",
                "availability for",
                "availability between",
                "you available",
                "have any availability",
                "available at",
                "available on",
                "available for",
            ]);
        if p.is_some() && !guard && weak_ok {
            let getting = !n.has("get a")
                || n.has_any(&[
                    "get a room",
                    "get a table",
                    "get an appointment",
                    "get a honeymoon",
                    "get a suite",
                    "get a slot",
                    "get a time",
                ]);
            // "can I get a price on ..." asks for a price, not a slot
            let asks_price_only =
                n.has_any(&[
                    "get a price",
                    "get a quote",
                    "get an estimate",
                    "get a ballpark",
                    "get pricing",
                ]) && !n.has_any(&["book", "schedule", "appointment", "come in", "bring"]);
            let booking = getting
                || service_said
                || n.has_any(&["book", "reserve", "appointment", "schedule"]);
            if booking && !asks_price_only {
                add(p, Intent::Book);
            }
        }
    }

    // price, hours, location
    if !n.has_any(&["how much time", "how much longer", "how much more time"]) {
        add(first(n, PRICE), Intent::Price);
    }
    if !n.has_any(&[
        "anything open",
        "something open",
        "any openings",
        "anything opened",
        "slots open",
        "spots open",
    ]) {
        add(first(n, HOURS), Intent::Hours);
    }
    if let Some(p) = first(n, LOCATION)
        && !n.has_any(&[
            "my address",
            "my location",
            "home address",
            "billing address",
            "usual address",
            "email address",
            "mailing address",
            "new address",
            "address change",
            "change address",
            "update address",
        ])
    {
        add(Some(p), Intent::Location);
    }
    if n.has("where") && n.has_any(&["located", "find you", "find them"]) {
        add(first(n, &["where"]), Intent::Location);
    }

    // affirm
    let confirm_ctx = matches!(ctx.asked, Some(Asked::Confirm));
    let mut affirm = None;
    if starts(n, AFFIRM_START) {
        affirm = Some(0);
    }
    if let Some(p) = first(n, AFFIRM_ANY) {
        affirm = Some(affirm.map_or(p, |a: usize| a.min(p)));
    }
    // "…, yes." at the end, "oh yes" / "well yeah" at the start
    let yes_word = |w: &str| matches!(w, "yes" | "yeah" | "yep" | "yup");
    if affirm.is_none()
        && (words.last().is_some_and(|w| yes_word(w)) && nwords > 1
            || nwords > 1 && matches!(words[0], "oh" | "well" | "um" | "uh") && yes_word(words[1]))
    {
        affirm = first(n, &["yes", "yeah", "yep", "yup"]);
    }
    let okish = starts(
        n,
        &[
            "ok",
            "okay",
            "okey",
            "alright",
            "all right",
            "k",
            "kk",
            "okie",
        ],
    );
    let ok_then_thanks = matches!(words.get(1), Some(&"thanks" | &"thank" | &"bye" | &"then"));
    if okish && (confirm_ctx || !ok_then_thanks) {
        affirm = Some(0);
    }
    if nwords <= 2
        && matches!(
            words[0],
            "good" | "nice" | "fine" | "brilliant" | "super" | "excellent"
        )
        && !matches!(
            words.get(1),
            Some(&"bye" | &"evening" | &"morning" | &"afternoon" | &"night" | &"day")
        )
    {
        affirm = Some(0);
    }
    if confirm_ctx && n.has_any(&["good", "great", "perfect", "fine", "works", "ok", "okay"]) {
        affirm = Some(affirm.unwrap_or(0));
    }
    // "right?" as a question, "sure" in "not sure"
    let right_alone = words[0] == "right"
        && n.tokens
            .get(1)
            .is_some_and(|t| t.kind == crate::normalize::Kind::Punct);
    if affirm.is_none()
        && (right_alone
            || words[0] == "good"
                && n.tokens
                    .get(1)
                    .is_some_and(|t| t.text == "." || t.text == "!"))
    {
        affirm = Some(0);
    }
    if affirm == Some(0)
        && starts(
            n,
            &["right now", "right away", "right after", "right before"],
        )
    {
        affirm = None;
    }
    if affirm == Some(0) && (n.has("not sure") || words[0] == "right" && nwords > 2 && !right_alone)
    {
        affirm = None;
    }
    if words[0] == "great" && n.has_any(&["thank", "thanks"]) && !confirm_ctx {
        affirm = None;
    }
    if n.has_any(&[
        "not what i said",
        "not what i want",
        "not exactly",
        "not fine",
        "not okay",
        "definitely not",
        "absolutely not",
        "certainly not",
        "of course not",
        "please do not",
        "sure not",
    ]) || (cancel.is_some() && affirm.is_some() && !starts(n, AFFIRM_START))
        || starts(
            n,
            &[
                "good bye",
                "good evening",
                "good morning",
                "good night",
                "good afternoon",
            ],
        ) && affirm == Some(0)
            && !n.has_any(AFFIRM_ANY)
    {
        affirm = None;
    }

    // deny
    let mut deny = None;
    let guarded = n.has_any(NOT_DENY);
    let hedge = nwords > 1
        && matches!(words[0], "hmm" | "um" | "uh" | "umm" | "well" | "oh" | "ah")
        && matches!(words[1], "no" | "nope" | "nah");
    if (starts(n, DENY_START) || hedge)
        && !n.has_any(&[
            "no problem",
            "no worries",
            "not sure",
            "no rush",
            "no later than",
            "no earlier than",
            "not later than",
            "no more than",
            "no need to",
        ])
    {
        deny = Some(0);
    } else if !guarded && let Some(p) = first(n, NEGATION) {
        deny = Some(p);
    }
    // Corrections of a read-back count as "no" (SGD's convention).
    if deny.is_none()
        && resched.is_none()
        && (starts(n, &["actually", "on second thought", "instead"])
            || n.has_any(&[
                "change the time",
                "change the date",
                "change it to",
                "make it for",
                "rather have",
                "i meant",
                "instead",
                "its not okay",
                "not okay",
                "how about",
                "what about",
                "could we do",
                "would be better",
                "is better",
                "be better",
                "change that to",
                "lets make it",
                "make it at",
                "doesnt work",
                "does not work",
                "wont work",
                "will not work",
                "not work for me",
            ]))
    {
        deny = first(
            n,
            &[
                "actually", "change", "make", "rather", "meant", "instead", "not",
            ],
        )
        .or(Some(0));
    }
    if deny.is_some() {
        // A negation inside a request for a human, a cancellation, or "don't need anything
        // else" is no "no".
        let absorbed = n.has_any(&[
            "dont feel comfortable",
            "dont want to meet",
            "wont be able to make",
            "cant make it to my",
            "cannot make it to my",
            "is not working",
            "not leading anywhere",
            "not working at all",
            "no longer need",
        ]) && !starts(n, DENY_START);
        if absorbed {
            deny = None;
        }
    }
    // Declining an offer: "maybe later", "some other time", "nothing for now".
    if deny.is_none() {
        let declines = first(
            n,
            &[
                "maybe later",
                "perhaps later",
                "possibly later",
                "later on",
                "another time",
                "some other time",
                "a later time",
                "a later date",
                "not now",
                "not right now",
                "not at the moment",
                "maybe in a bit",
                "let me think about it",
                "i will later",
                "no thank you",
                "no thanks",
            ],
        );
        let nothing = words[0] == "nothing"
            && (nwords == 1
                || n.tokens
                    .get(1)
                    .is_some_and(|t| t.kind == crate::normalize::Kind::Punct)
                || matches!(words.get(1), Some(&"else" | &"more" | &"for")));
        deny = declines.or(nothing.then_some(0));
    }
    // "make that four in the evening", "change to the 5th", "can you make it March 2nd?"
    if deny.is_none()
        && resched.is_none()
        && time.is_some()
        && n.has_any(&[
            "make that",
            "change to",
            "can you make it",
            "change it",
            "make it",
        ])
        && !n.has_any(&[
            "make it to",
            "make it on time",
            "make it in time",
            "make that payment",
        ])
    {
        deny = first(n, &["make", "change"]);
    }
    // "I won't need the appointment anymore": the negation is the cancellation
    if cancel.is_some() && deny.is_some_and(|p| p > 0) {
        deny = None;
    }
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

    own_words::apply(n, &words, time, &mut found);

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

    fn intents(text: &str, asked: Option<Asked>) -> Vec<Intent> {
        let n = Normalized::new(text);
        let ctx = Context {
            now: DateTime::constant(2026, 11, 24, 19, 30, 0, 0),
            asked,
        };
        detect(&n, &ctx, None, false)
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
}
