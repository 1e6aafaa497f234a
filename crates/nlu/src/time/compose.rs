//! Small rules that join two pieces into one before the combination step, Duckling-style:
//! "<weekday> next week" / "next week, <weekday>" is that weekday in that week.

use super::{Found, Piece, Scan, day_in_week};

/// Joins the pieces that compose.
pub(super) fn join(s: &Scan, found: &mut Vec<Found>) {
    weekday_in_week(s, found);
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
