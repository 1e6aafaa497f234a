//! Small rules that join two pieces into one before the combination step, Duckling-style:
//! "<weekday> next week" / "next week, <weekday>" is that weekday in that week.

use super::{Found, Piece, Scan, day_in_week};

/// Joins the pieces that compose.
pub(super) fn join(s: &Scan, found: &mut Vec<Found>) {
    weekday_in_week(s, found);
    day_after_that(s, found);
}

/// "tomorrow, no, the day after": the day after (or before) the day just said.
fn day_after_that(s: &Scan, found: &mut [Found]) {
    let Some(k) = found.iter().rposition(|f| matches!(f.piece, Piece::Day(_))) else {
        return;
    };
    let Piece::Day(d) = found[k].piece else {
        return;
    };
    let from = found[k].to;
    let covered = |i: usize| found.iter().any(|f| f.from <= i && i < f.to);
    for i in from..(from + 6).min(s.len()) {
        if covered(i) || s.w(i) != "the" {
            continue;
        }
        let shift = match (s.w(i + 1), s.w(i + 2)) {
            ("day", "after") | ("next", "day") | ("following", "day") => 1,
            ("day", "before") => -1,
            _ => continue,
        };
        if covered(i + 2) || covered(i + 3) || s.w(i + 3) == "tomorrow" {
            return;
        }
        // Only as a correction ("tomorrow, no, the day after"), not "Friday or the day after".
        let corrects = (from..i).any(|j| {
            matches!(
                s.w(j),
                "no" | "actually" | "wait" | "sorry" | "make" | "rather" | "mean"
            )
        });
        if !corrects {
            return;
        }
        if let Some(day) = super::add_days(d, shift) {
            found[k].piece = Piece::Day(day);
            found[k].wd = None;
            found[k].to = i + 3;
        }
        return;
    }
}

/// "next week, Tuesday at 8", "Tuesday next week": the weekday of that week.
fn weekday_in_week(_s: &Scan, found: &mut Vec<Found>) {
    let Some(w) = found.iter().position(|f| matches!(f.piece, Piece::Week(_))) else {
        return;
    };
    let Piece::Week(monday) = found[w].piece else {
        return;
    };
    let Some(d) = found
        .iter()
        .position(|f| matches!(f.piece, Piece::Day(_)) && f.wd.is_some())
    else {
        return;
    };
    let Some(wd) = found[d].wd else { return };
    let day = day_in_week(monday, wd);
    found[d].piece = Piece::Day(day);
    found[d].from = found[d].from.min(found[w].from);
    found[d].to = found[d].to.max(found[w].to);
    found.remove(w);
}
