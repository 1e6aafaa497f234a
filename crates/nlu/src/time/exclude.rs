//! Excluded weekdays ("any day but Friday", "I can't do Mondays", "not Monday") and whether
//! the utterance corrects an earlier time ("no, make it Friday").

use super::*;

/// Words that exclude the weekdays after them.
pub(super) fn excludes(s: &Scan, i: usize) -> bool {
    matches!(s.w(i), "but" | "except" | "not" | "excluding" | "besides")
        || (matches!(s.w(i), "do" | "make") && matches!(s.w(i.wrapping_sub(1)), "cant" | "cannot"))
}

/// The weekday at token i follows an excluding word ("but Friday", "can't do Mondays or
/// Fridays").
pub(super) fn excluded_before(s: &Scan, i: usize) -> bool {
    let mut j = i;
    let mut comma = false;
    while j > 0 && i - j < 8 {
        j -= 1;
        if excludes(s, j) {
            // "not Wednesday, Thursday": after "not", a comma starts the wanted day.
            return !(comma && s.w(j) == "not");
        }
        comma |= s.w(j) == ",";
        if !(weekday(s.w(j)).is_some() || matches!(s.w(j), "and" | "or" | "," | "on" | "a" | "nor"))
        {
            return false;
        }
    }
    false
}

/// "any day but Friday", "not Monday", "except Tuesdays".
pub(super) fn except_weekdays(s: &Scan) -> Vec<Weekday> {
    let mut out = Vec::new();
    let n = s.len();
    for i in 0..n {
        if excludes(s, i) {
            let mut j = i + 1;
            while j < n && j < i + 8 {
                if s.w(i) == "not" && s.w(j) == "," {
                    break;
                }
                if let Some(wd) = weekday(s.w(j)) {
                    if !out.contains(&wd) {
                        out.push(wd);
                    }
                } else if !matches!(s.w(j), "and" | "or" | "," | "on" | "a" | "nor") {
                    break;
                }
                j += 1;
            }
        }
    }
    out
}

/// "no, make it Friday", "actually Thursday instead", "change it to 3".
pub(super) fn is_correction(s: &Scan) -> bool {
    let n = s.n;
    n.has_any(&[
        "actually",
        "instead",
        "make it",
        "change it to",
        "change that to",
        "switch it to",
        "rather",
        "i meant",
        "scratch that",
    ]) || matches!(s.w(0), "no" | "nope" | "nah")
}
