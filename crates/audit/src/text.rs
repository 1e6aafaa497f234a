//! The one-screen text report: what happened to the calls, who never got through, and what it
//! cost, in words a shop owner reads at a glance.

use std::io::{self, Write};

use crate::analyze::Report;
use crate::hours::DAY_NAMES;
use crate::money::{Cents, group_decimal, group_thousands};

/// `part` as a percentage of `whole`, one decimal.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0%".to_string();
    }
    let tenths = (u128::from(part) * 1000 + u128::from(whole) / 2) / u128::from(whole);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The hours of the week with the most unanswered calls, worst first.
pub fn worst_hours(r: &Report, n: usize) -> Vec<(usize, usize, u64)> {
    let mut cells: Vec<(usize, usize, u64)> = Vec::new();
    for (d, row) in r.hour_of_week.unanswered.iter().enumerate() {
        for (h, &v) in row.iter().enumerate() {
            if v > 0 {
                cells.push((d, h, v));
            }
        }
    }
    cells.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    cells.truncate(n);
    cells
}

pub fn hour_label(h: usize) -> String {
    match h {
        0 => "12am".to_string(),
        1..=11 => format!("{h}am"),
        12 => "12pm".to_string(),
        _ => format!("{}pm", h - 12),
    }
}

/// How many unreadable rows the text report names.
pub const BAD_ROWS_SHOWN: usize = 5;

pub fn write_text(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let c = &r.calls;
    let n = |v: u64| group_thousands(v);
    writeln!(out, "Missed-call audit: {} ({})", r.shop, r.zone)?;
    match &r.period {
        Some(p) => writeln!(
            out,
            "Call log {} to {} ({} days): {} calls from {} numbers",
            p.first_call,
            p.last_call,
            p.days,
            n(c.total),
            n(r.callers.total)
        )?,
        None => writeln!(out, "The call log has no inbound calls to count.")?,
    }
    if let Some(h) = &r.hours {
        writeln!(out, "Opening hours: {h}")?;
    }
    writeln!(out)?;
    let line = |out: &mut dyn Write, label: &str, v: u64| -> io::Result<()> {
        writeln!(out, "  {label:<34}{:>8}  {:>6}", n(v), percent(v, c.total))
    };
    line(out, "Answered by a person", c.answered)?;
    line(out, "Missed while open", c.missed)?;
    line(
        out,
        &format!("Voicemail or hang-up (< {} s)", r.voicemail_seconds),
        c.voicemail,
    )?;
    line(out, "After hours, not answered", c.after_hours_missed)?;
    writeln!(out, "  {}", "-".repeat(50))?;
    line(out, "Not answered", c.unanswered)?;
    writeln!(out)?;
    writeln!(
        out,
        "Callers who never got through (and were not called back): {}",
        n(r.callers.never_got_through)
    )?;
    let rp = &r.repeat_attempts;
    writeln!(
        out,
        "Repeat attempts within {} h of a miss: {} ({} got through, {} missed again)",
        rp.window_hours,
        n(rp.total),
        n(rp.got_through),
        n(rp.missed_again)
    )?;
    let worst: Vec<String> = worst_hours(r, 3)
        .iter()
        .map(|&(d, h, v)| format!("{} {} ({})", DAY_NAMES[d], hour_label(h), v))
        .collect();
    if !worst.is_empty() {
        writeln!(out, "Most misses: {}", worst.join(", "))?;
    }
    writeln!(out)?;
    let m = &r.money;
    let ad = m
        .ad_cost_per_lead_cents
        .map(|a| format!(", {a} ad cost per lead"))
        .unwrap_or_default();
    writeln!(
        out,
        "What it costs (average ticket {}, {} of callers book{ad})",
        m.avg_ticket_cents, m.booking_rate
    )?;
    let money = |out: &mut dyn Write, label: &str, v: String| -> io::Result<()> {
        writeln!(out, "  {label:<44}{v:>14}")
    };
    money(
        out,
        "Missed leads (repeat attempts counted once)",
        n(m.missed_leads),
    )?;
    money(
        out,
        &format!("Jobs lost ({} x {})", n(m.missed_leads), m.booking_rate),
        group_decimal(&m.lost_jobs),
    )?;
    money(out, "Lost revenue", m.lost_revenue_cents.to_string())?;
    if m.ad_cost_per_lead_cents.is_some() {
        money(
            out,
            "Ad money spent on those leads",
            m.wasted_ad_spend_cents.to_string(),
        )?;
        money(out, "Total", m.total_lost_cents.to_string())?;
    }
    if m.total_lost_cents > Cents(0) {
        writeln!(
            out,
            "Answering every call would recover about {} a month ({} a year).",
            m.recoverable_per_month_cents, m.recoverable_per_year_cents
        )?;
    }
    let i = &r.input;
    if i.bad_rows > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{} of {} rows could not be read and were skipped:",
            n(i.bad_rows),
            n(i.rows)
        )?;
        for b in i.bad_row_examples.iter().take(BAD_ROWS_SHOWN) {
            writeln!(out, "  {b}")?;
        }
        if i.bad_rows > BAD_ROWS_SHOWN as u64 {
            writeln!(
                out,
                "  and {} more (all of them are in --json)",
                n(i.bad_rows - BAD_ROWS_SHOWN as u64)
            )?;
        }
    }
    if i.unlinked_dial_legs > 0 && i.forwarded_legs == 0 {
        writeln!(
            out,
            "Caution: {} forwarded legs could not be matched to their calls (export the",
            n(i.unlinked_dial_legs)
        )?;
        writeln!(
            out,
            "Parent Call Sid column, or map it with --columns parent=...); answered may be too high"
        )?;
    }
    match i.unfinished_calls {
        0 => {}
        1 => writeln!(
            out,
            "1 call was still ringing when the log was exported and is not counted"
        )?,
        u => writeln!(
            out,
            "{} calls were still ringing when the log was exported and are not counted",
            n(u)
        )?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(0, 0), "0%");
        assert_eq!(hour_label(0), "12am");
        assert_eq!(hour_label(13), "1pm");
    }
}
