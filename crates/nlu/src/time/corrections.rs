//! Corrections inside one utterance: the last stated choice stands. "Wednesday, no wait,
//! Thursday", "not Wednesday, Thursday", "no, I said 3, not 2", "can't make it tomorrow
//! morning, could we do Friday": a time the caller took back is dropped when another of the
//! same kind (a day, a clock, a part of day) is said after it. Each rule is one function.

use super::{Found, Piece, Scan};
use crate::Grain;

/// What a piece says: two pieces of one kind compete, pieces of different kinds combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Day,
    Clock,
    Part,
    Other,
}

fn kind(p: &Piece) -> Kind {
    match p {
        Piece::Day(_)
        | Piece::DayRange(..)
        | Piece::Week(_)
        | Piece::Month(..)
        | Piece::Year(_) => Kind::Day,
        Piece::Clock(_) | Piece::ClockRange(..) => Kind::Clock,
        Piece::Part(_) => Kind::Part,
        _ => Kind::Other,
    }
}

/// Words that take back what came before: "no wait", "actually", "I mean", "or rather",
/// "scratch that", "make that", "sorry".
fn takes_back(s: &Scan, i: usize) -> bool {
    match s.w(i) {
        "wait" | "actually" | "scratch" | "meant" | "correction" => true,
        "rather" => s.w(i.wrapping_sub(1)) == "or",
        "mean" => s.w(i.wrapping_sub(1)) == "i",
        "make" | "change" => matches!(s.w(i + 1), "that" | "it"),
        // "Wednesday, no, Thursday"; not "no later than".
        "no" | "nope" | "nah" => i > 0 && matches!(s.w(i + 1), "," | "wait" | "sorry" | "i"),
        _ => false,
    }
}

/// "can't make it", "something came up", "won't make it": what follows is the old time.
fn gives_up(s: &Scan, i: usize) -> bool {
    let w = |k: usize| s.w(k);
    (matches!(w(i), "cant" | "cannot" | "wont")
        && matches!(w(i + 1), "make" | "do" | "come")
        && matches!(w(i + 2), "it" | "in" | "by" | "that"))
        || (w(i) == "came" && w(i + 1) == "up")
        || (w(i) == "not" && w(i + 1) == "going" && w(i + 3) == "make")
}

/// The end of the words that give up a time ("can't make it", "something came up").
fn give_up_end(s: &Scan, i: usize) -> usize {
    if s.w(i) == "came" { i + 2 } else { i + 3 }
}

/// Words that may sit between a give-up phrase and the time given up.
fn filler(w: &str) -> bool {
    matches!(
        w,
        "on" | "at" | "the" | "for" | "this" | "to" | "my" | "appointment" | "in"
    )
}

/// Drops the pieces the caller took back, when one of the same kind comes after.
pub(super) fn last_choice_stands(s: &Scan, found: &mut Vec<Found>) {
    if found.len() < 2 {
        return;
    }
    let mut drop = vec![false; found.len()];
    mark_taken_back(s, found, &mut drop);
    mark_negated(s, found, &mut drop);
    mark_given_up(s, found, &mut drop);
    mark_current_booking(s, found, &mut drop);
    mark_refused(s, found, &mut drop);
    let mut k = 0;
    found.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// A piece of the same kind said later exists, not itself dropped.
fn replaced(found: &[Found], drop: &[bool], k: usize) -> bool {
    let kd = kind(&found[k].piece);
    found
        .iter()
        .enumerate()
        .any(|(j, g)| j != k && !drop[j] && g.from >= found[k].to && kind(&g.piece) == kd)
}

/// "Wednesday, no wait, Thursday": a take-back word between two pieces of one kind.
fn mark_taken_back(s: &Scan, found: &[Found], drop: &mut [bool]) {
    for k in 0..found.len() {
        let f = found[k];
        let kd = kind(&f.piece);
        if kd == Kind::Other {
            continue;
        }
        let later = found
            .iter()
            .find(|g| g.from >= f.to && kind(&g.piece) == kd);
        if let Some(g) = later
            && (f.to..g.from).any(|i| takes_back(s, i))
        {
            drop[k] = true;
        }
    }
}

/// "no, I said 3, not 2", "not Wednesday, Thursday": a piece right after "not" gives way
/// to another of its kind.
fn mark_negated(s: &Scan, found: &[Found], drop: &mut [bool]) {
    for k in 0..found.len() {
        let f = found[k];
        let mut i = f.from;
        while i > 0 && matches!(s.w(i - 1), "at" | "on" | "the") {
            i -= 1;
        }
        if i > 0 && s.w(i - 1) == "not" && replaced(found, drop, k) {
            drop[k] = true;
        }
    }
}

/// "can't make it tomorrow morning, could we do Friday": the time given up is not wanted.
fn mark_given_up(s: &Scan, found: &[Found], drop: &mut [bool]) {
    for i in 0..s.len() {
        if !gives_up(s, i) {
            continue;
        }
        let mut at = give_up_end(s, i);
        for k in 0..found.len() {
            let f = found[k];
            if f.from < at {
                continue;
            }
            let gap_ok = (at..f.from).all(|j| filler(s.w(j)));
            if !gap_ok {
                break;
            }
            if replaced(found, drop, k) || later_day(found, k) {
                drop[k] = true;
            }
            at = f.to;
        }
    }
}

/// "I have the brake job on Friday, can I come in Wednesday instead", "Wednesday instead of
/// Friday": the time of the booking the caller has now gives way to the new one.
fn mark_current_booking(s: &Scan, found: &[Found], drop: &mut [bool]) {
    for i in 0..s.len() {
        let w = |k: usize| s.w(k);
        let marker = (w(i) == "i" && w(i + 1) == "have")
            || (matches!(w(i), "booked" | "scheduled") && w(i + 1) == "for")
            || (w(i) == "instead" && w(i + 1) == "of")
            || (w(i) == "appointment" && w(i + 1) == "is");
        if !marker {
            continue;
        }
        let Some(k) = found.iter().position(|f| f.from > i && f.from <= i + 7) else {
            continue;
        };
        if replaced(found, drop, k) {
            drop[k] = true;
        }
    }
}

/// "tomorrow's bad for me, what about Wednesday", "Friday doesn't work, Monday?": a time
/// the caller rules out gives way to the one they ask for.
fn mark_refused(s: &Scan, found: &[Found], drop: &mut [bool]) {
    for k in 0..found.len() {
        let e = found[k].to;
        let mut j = e;
        while matches!(
            s.w(j),
            "is" | "s" | "just" | "really" | "totally" | "," | "'"
        ) {
            j += 1;
        }
        let refused = matches!(s.w(j), "bad" | "out")
            || (s.w(j) == "no" && s.w(j + 1) == "good")
            || (s.w(j) == "not" && matches!(s.w(j + 1), "good" | "great" | "possible"))
            || (matches!(s.w(j), "doesnt" | "wont" | "dont") && s.w(j + 1) == "work");
        if refused && replaced(found, drop, k) {
            drop[k] = true;
        }
    }
}

/// A day said after piece k (a given-up part of day goes with the day given up).
fn later_day(found: &[Found], k: usize) -> bool {
    kind(&found[k].piece) != Kind::Day
        && found
            .iter()
            .any(|g| g.from >= found[k].to && kind(&g.piece) == Kind::Day)
}

/// "I said 3", "I meant 4", "make it 2": a bare hour after a word that corrects a time.
pub(super) fn said_clock(s: &Scan, i: usize) -> Option<(Piece, usize, bool)> {
    let t = s.n.tok(i)?;
    let v = t.num?;
    if t.text.len() > 2 || !(1..=12).contains(&v) || matches!(s.w(i + 1), ":" | ".") {
        return None;
    }
    let before = s.w(i.wrapping_sub(1));
    let before2 = s.w(i.wrapping_sub(2));
    let cue = matches!(before, "said" | "meant" | "say")
        || (matches!(before, "it" | "that") && matches!(before2, "make" | "to"));
    if !cue || super::clock::counts_something(s.w(i + 1)) {
        return None;
    }
    let c = super::Clock {
        h: v,
        m: 0,
        s: 0,
        pm: None,
        h24: false,
        grain: Grain::Hour,
        latent: false,
    };
    Some((Piece::Clock(c), i + 1, false))
}
