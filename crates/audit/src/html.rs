//! The HTML report: one self-contained page (inline CSS and SVG, no scripts, nothing fetched)
//! that a shop owner can open offline and read without help: the headline loss, where the calls
//! went, a heat map of misses by hour of the week, calls per day, lost revenue building up over
//! the period, and the callers to ring back.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::analyze::Report;
use crate::hours::DAY_NAMES;
use crate::money::{Cents, group_decimal, group_thousands};
use crate::text::{hour_label, percent, worst_hours};

const GREEN: &str = "#3f8f5f";
const RED: &str = "#d64545";
const AMBER: &str = "#f0a030";
const PURPLE: &str = "#7b61c9";

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn heat_color(v: u64, max: u64) -> String {
    if v == 0 || max == 0 {
        return "#ffffff".to_string();
    }
    let t = (v as f64 / max as f64).sqrt().clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        lerp(255.0, 179.0),
        lerp(236.0, 18.0),
        lerp(214.0, 18.0)
    )
}

/// A round axis maximum at or above `v`, and its tick step.
fn nice_axis(v: f64) -> (f64, f64) {
    if v <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = v / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((v / step).ceil() * step, step)
}

fn short_date(d: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m: usize = d.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = d.get(8..10).and_then(|x| x.parse().ok()).unwrap_or(0);
    match MONTHS.get(m.wrapping_sub(1)) {
        Some(name) => format!("{name} {day}"),
        None => d.to_string(),
    }
}

fn heat_map(r: &Report) -> String {
    let how = &r.hour_of_week;
    let max = how.unanswered.iter().flatten().copied().max().unwrap_or(0);
    let (left, top, cw, ch) = (48.0, 24.0, 37.0, 30.0);
    let w = left + 24.0 * cw + 4.0;
    let h = top + 7.0 * ch + 34.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg role="img" aria-label="Unanswered calls by hour of the week" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">"#
    );
    for hr in (0..24).step_by(2) {
        let x = left + hr as f64 * cw + cw / 2.0;
        let _ = write!(
            s,
            r##"<text x="{x}" y="{}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
            top - 8.0,
            hour_label(hr)
        );
    }
    for (d, name) in DAY_NAMES.iter().enumerate() {
        let y = top + d as f64 * ch;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="13" text-anchor="end" fill="#333">{name}</text>"##,
            left - 8.0,
            y + ch / 2.0 + 4.0
        );
        for hr in 0..24 {
            let v = how.unanswered[d][hr];
            let calls = how.calls[d][hr];
            let x = left + hr as f64 * cw;
            let open = how.open[d][hr];
            let fill = if v == 0 && !open {
                "#f1f1f1".to_string()
            } else {
                heat_color(v, max)
            };
            let stroke = if open {
                r##"stroke="#2b4a6f" stroke-width="1.2""##
            } else {
                r##"stroke="#dddddd" stroke-width="0.6""##
            };
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" {stroke}><title>{} {}: {v} of {calls} calls not answered</title></rect>"#,
                x + 1.0,
                y + 1.0,
                cw - 2.0,
                ch - 2.0,
                name,
                hour_label(hr)
            );
            if v > 0 {
                let color = if max > 0 && (v as f64 / max as f64) > 0.45 {
                    "#ffffff"
                } else {
                    "#3a1a1a"
                };
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{color}">{v}</text>"#,
                    x + cw / 2.0,
                    y + ch / 2.0 + 4.0
                );
            }
        }
    }
    let ly = top + 7.0 * ch + 20.0;
    let _ = write!(
        s,
        r##"<rect x="{left}" y="{}" width="16" height="14" fill="#fff" stroke="#2b4a6f" stroke-width="1.2"/><text x="{}" y="{ly}" font-size="12" fill="#444">open hours</text>"##,
        ly - 11.0,
        left + 22.0
    );
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="16" height="14" fill="#f1f1f1" stroke="#ddd"/><text x="{}" y="{ly}" font-size="12" fill="#444">closed</text>"##,
        left + 110.0,
        ly - 11.0,
        left + 132.0
    );
    let _ = write!(
        s,
        r##"<text x="{}" y="{ly}" font-size="12" fill="#444">darker = more calls not answered (most: {max})</text>"##,
        left + 210.0
    );
    s.push_str("</svg>");
    s
}

fn day_chart(r: &Report) -> String {
    let days = &r.days[r.days.len().saturating_sub(366)..];
    let n = days.len().max(1) as f64;
    let (left, top, pw, ph) = (44.0, 12.0, 900.0, 220.0);
    let w = left + pw + 10.0;
    let h = top + ph + 60.0;
    let max = days.iter().map(|d| d.calls).max().unwrap_or(0) as f64;
    let (axis, step) = nice_axis(max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg role="img" aria-label="Calls per day" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">"#
    );
    let mut t = 0.0;
    while t <= axis + 1e-9 {
        let y = top + ph - t / axis * ph;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" stroke="#e4e4e4"/><text x="{}" y="{}" font-size="11" text-anchor="end" fill="#666">{}</text>"##,
            left + pw,
            left - 6.0,
            y + 4.0,
            t as u64
        );
        t += step;
    }
    let slot = pw / n;
    let bw = (slot * 0.8).max(1.0);
    let every = (n / 12.0).ceil().max(1.0) as usize;
    for (i, d) in days.iter().enumerate() {
        let x = left + i as f64 * slot + (slot - bw) / 2.0;
        let mut y = top + ph;
        for (v, color, label) in [
            (d.answered, GREEN, "answered"),
            (d.missed, RED, "missed while open"),
            (d.voicemail, AMBER, "voicemail"),
            (d.after_hours_missed, PURPLE, "after hours, not answered"),
        ] {
            if v == 0 {
                continue;
            }
            let hh = v as f64 / axis * ph;
            y -= hh;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{hh:.1}" fill="{color}"><title>{} {}: {v} {label}</title></rect>"#,
                d.weekday,
                esc(&d.date)
            );
        }
        if i % every == 0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
                x + bw / 2.0,
                top + ph + 16.0,
                short_date(&d.date)
            );
        }
    }
    let ly = top + ph + 42.0;
    let mut lx = left;
    for (color, label) in [
        (GREEN, "answered"),
        (RED, "missed while open"),
        (AMBER, "voicemail"),
        (PURPLE, "after hours, not answered"),
    ] {
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="{}" width="14" height="14" fill="{color}"/><text x="{}" y="{ly}" font-size="12" fill="#444">{label}</text>"##,
            ly - 11.0,
            lx + 19.0
        );
        lx += 30.0 + label.len() as f64 * 7.0;
    }
    s.push_str("</svg>");
    s
}

fn money_axis_label(c: f64) -> String {
    if c >= 100_000.0 * 100.0 {
        format!("${}k", group_thousands((c / 100_000.0).round() as u64))
    } else {
        Cents(c.round() as i64).to_string()
    }
}

fn revenue_chart(r: &Report) -> String {
    let days = &r.days[r.days.len().saturating_sub(366)..];
    let (left, top, pw, ph) = (78.0, 14.0, 846.0, 200.0);
    let w = left + pw + 30.0;
    let h = top + ph + 30.0;
    let max = days.last().map_or(0, |d| d.cumulative_lost_cents.0.max(0)) as f64;
    let (axis, step) = nice_axis(max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg role="img" aria-label="Lost revenue adding up day by day" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">"#
    );
    let mut t = 0.0;
    while t <= axis + 1e-9 {
        let y = top + ph - t / axis * ph;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" stroke="#e4e4e4"/><text x="{}" y="{}" font-size="11" text-anchor="end" fill="#666">{}</text>"##,
            left + pw,
            left - 6.0,
            y + 4.0,
            money_axis_label(t)
        );
        t += step;
    }
    let n = days.len();
    let x_of = |i: usize| {
        left + if n <= 1 {
            pw
        } else {
            i as f64 / (n - 1) as f64 * pw
        }
    };
    let y_of = |c: i64| top + ph - (c.max(0) as f64) / axis * ph;
    let mut path = format!("M {left} {}", top + ph);
    for (i, d) in days.iter().enumerate() {
        let _ = write!(
            path,
            " L {:.1} {:.1}",
            x_of(i),
            y_of(d.cumulative_lost_cents.0)
        );
    }
    let _ = write!(path, " L {:.1} {} Z", x_of(n.saturating_sub(1)), top + ph);
    let _ = write!(
        s,
        r##"<path d="{path}" fill="#f6c9c9" stroke="{RED}" stroke-width="2"/>"##
    );
    let every = (n as f64 / 12.0).ceil().max(1.0) as usize;
    for (i, d) in days.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
                x_of(i),
                top + ph + 16.0,
                short_date(&d.date)
            );
        }
    }
    if let Some(last) = days.last() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="14" font-weight="bold" text-anchor="end" fill="#8a1c1c">{}</text>"##,
            x_of(n - 1) - 4.0,
            (y_of(last.cumulative_lost_cents.0) - 8.0).max(top + 12.0),
            last.cumulative_lost_cents
        );
    }
    s.push_str("</svg>");
    s
}

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#f6f6f4;margin:0}
main{max-width:1000px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:28px;margin:0 0 4px} h2{font-size:20px;margin:36px 0 6px}
.sub{color:#555;margin:0 0 20px}
.headline{background:#fff;border-left:6px solid #d64545;padding:18px 22px;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.headline p{margin:6px 0;font-size:18px} .headline p.big{font-size:34px;font-weight:700;color:#8a1c1c}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-top:18px}
.tile{background:#fff;border-radius:6px;padding:14px 16px;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:5px solid #999}
.tile b{display:block;font-size:28px} .tile span{color:#555;font-size:14px}
.card{background:#fff;border-radius:6px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.08);overflow-x:auto}
.note{color:#555;font-size:14px;margin:4px 0 10px}
table{border-collapse:collapse;width:100%;font-size:14px} th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee}
th{color:#555;font-weight:600} td.n{text-align:right}
.money td{font-size:16px} .money td.n{font-variant-numeric:tabular-nums}
ul.how li{margin:6px 0;color:#333}
"#;

/// Writes the report as one HTML page.
pub fn write_html(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let c = &r.calls;
    let m = &r.money;
    let n = group_thousands;
    let mut h = String::with_capacity(64 * 1024);
    let title = format!("Missed-call audit: {}", r.shop);
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    );
    let _ = write!(h, "<h1>{}</h1>", esc(&title));
    let period = match &r.period {
        Some(p) => format!(
            "Calls from {} to {} ({} days), times in {}",
            p.first_call, p.last_call, p.days, r.zone
        ),
        None => "The call log has no inbound calls to count.".to_string(),
    };
    let hours = r
        .hours
        .as_ref()
        .map(|h| format!(" · Open {h}"))
        .unwrap_or_default();
    let _ = write!(h, "<p class=\"sub\">{}{}</p>", esc(&period), esc(&hours));

    let _ = write!(
        h,
        "<section class=\"headline\"><p><b>{} of your {} calls</b> ({}) were not answered by a person.</p>",
        n(c.unanswered),
        n(c.total),
        percent(c.unanswered, c.total)
    );
    let _ = write!(
        h,
        "<p>Counting each caller's retries once, that is <b>{} missed leads</b>. If {} of them had booked at your average ticket of {}, that is about:</p>",
        n(m.missed_leads),
        m.booking_rate,
        m.avg_ticket_cents
    );
    let _ = write!(h, "<p class=\"big\">{} lost</p>", m.total_lost_cents);
    if let Some(ad) = m.ad_cost_per_lead_cents {
        let _ = write!(
            h,
            "<p>That is {} in jobs that went elsewhere plus {} of advertising ({ad} a lead) spent on callers nobody answered.</p>",
            m.lost_revenue_cents, m.wasted_ad_spend_cents
        );
    }
    if m.total_lost_cents > Cents(0) {
        let _ = write!(
            h,
            "<p>Answering every call would recover about <b>{} a month</b> ({} a year).</p>",
            m.recoverable_per_month_cents, m.recoverable_per_year_cents
        );
    }
    let _ = write!(
        h,
        "<p>{} callers never got through and nobody called them back: their numbers are listed below.</p></section>",
        n(r.callers.never_got_through)
    );

    h.push_str("<div class=\"tiles\">");
    for (v, label, color) in [
        (c.answered, "answered by a person".to_string(), GREEN),
        (
            c.missed,
            "missed while open (no answer, busy, hung up)".to_string(),
            RED,
        ),
        (
            c.voicemail,
            format!(
                "voicemail or hang-up, under {} seconds",
                r.voicemail_seconds
            ),
            AMBER,
        ),
        (
            c.after_hours_missed,
            "after hours, not answered".to_string(),
            PURPLE,
        ),
    ] {
        let _ = write!(
            h,
            "<div class=\"tile\" style=\"border-top-color:{color}\"><b>{}</b><span>{} · {}</span></div>",
            n(v),
            esc(&label),
            percent(v, c.total)
        );
    }
    h.push_str("</div>");

    h.push_str("<h2>When calls go unanswered</h2>");
    let worst: Vec<String> = worst_hours(r, 3)
        .iter()
        .map(|&(d, hr, v)| format!("{} around {} ({v})", DAY_NAMES[d], hour_label(hr)))
        .collect();
    let worst = if worst.is_empty() {
        String::new()
    } else {
        format!(" The worst hours: {}.", worst.join(", "))
    };
    let _ = write!(
        h,
        "<p class=\"note\">Each square is one hour of the week; the number is how many calls in that hour nobody answered.{}</p><div class=\"card\">{}</div>",
        esc(&worst),
        heat_map(r)
    );

    h.push_str("<h2>Calls per day</h2><p class=\"note\">Green calls reached a person; every other color is a caller who did not.</p>");
    let _ = write!(h, "<div class=\"card\">{}</div>", day_chart(r));

    h.push_str("<h2>Lost revenue adding up</h2>");
    let _ = write!(
        h,
        "<p class=\"note\">Missed leads × {} booking rate × {} ticket{}, added up day by day.</p><div class=\"card\">{}",
        m.booking_rate,
        m.avg_ticket_cents,
        if m.ad_cost_per_lead_cents.is_some() {
            " + ad cost per lead"
        } else {
            ""
        },
        revenue_chart(r)
    );
    h.push_str("<table class=\"money\">");
    let row = |h: &mut String, label: &str, v: String| {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(label),
            esc(&v)
        );
    };
    row(
        &mut h,
        "Missed leads (repeat attempts counted once)",
        n(m.missed_leads),
    );
    row(
        &mut h,
        &format!("Jobs lost ({} × {})", n(m.missed_leads), m.booking_rate),
        group_decimal(&m.lost_jobs),
    );
    row(&mut h, "Lost revenue", m.lost_revenue_cents.to_string());
    if let Some(ad) = m.ad_cost_per_lead_cents {
        row(
            &mut h,
            &format!("Ad money spent on those leads ({ad} each)"),
            m.wasted_ad_spend_cents.to_string(),
        );
        row(&mut h, "Total", m.total_lost_cents.to_string());
    }
    h.push_str("</table></div>");

    h.push_str("<h2>Callers to ring back</h2>");
    let shown = r.lost_callers.len().min(50);
    let _ = write!(
        h,
        "<p class=\"note\">{} numbers called, never reached anyone and were not called back{}.</p>",
        n(r.callers.never_got_through),
        if (shown as u64) < r.callers.never_got_through {
            format!(" (the {shown} who tried most often are shown)")
        } else {
            String::new()
        }
    );
    if shown > 0 {
        h.push_str("<div class=\"card\"><table><tr><th>Number</th><th>Calls</th><th>First call</th><th>Last call</th><th></th></tr>");
        for l in &r.lost_callers[..shown] {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.number),
                l.calls,
                esc(&l.first_call),
                esc(&l.last_call),
                if l.after_hours_only {
                    "after hours"
                } else {
                    ""
                }
            );
        }
        h.push_str("</table></div>");
    }

    let rp = &r.repeat_attempts;
    h.push_str("<h2>How this was counted</h2><ul class=\"how\">");
    let _ = write!(
        h,
        "<li>Each incoming call counts once, even when it was forwarded to another phone.</li>"
    );
    let _ = write!(
        h,
        "<li><b>Answered</b> means a person talked for at least {} seconds. Shorter pick-ups count as voicemail.</li>",
        r.voicemail_seconds
    );
    let _ = write!(
        h,
        "<li><b>After hours</b> calls started outside opening hours; if no person answered, they are counted there, not as missed while open.</li>"
    );
    let _ = write!(
        h,
        "<li>A call from the same number within {} hours after a miss is a <b>repeat attempt</b> ({} of them, {} got through). A caller's retries count as one lead.</li>",
        rp.window_hours,
        n(rp.total),
        n(rp.got_through)
    );
    let _ = write!(
        h,
        "<li>{} callers missed at first got through on a later call; {} were reached by a call back from the shop.</li>",
        n(r.callers.got_through_later),
        n(r.callers.called_back_by_shop)
    );
    let i = &r.input;
    let _ = write!(
        h,
        "<li>The log had {} rows; {} could not be read and were skipped{}.</li>",
        n(i.rows),
        n(i.bad_rows),
        i.bad_row_examples
            .first()
            .map(|b| format!(" (first: {})", esc(&b.to_string())))
            .unwrap_or_default()
    );
    h.push_str("</ul></main></body></html>\n");
    w.write_all(h.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_names_with_markup_are_shown_as_text() {
        assert_eq!(
            esc("Bob's <Auto> & \"Tire\""),
            "Bob&#39;s &lt;Auto&gt; &amp; &quot;Tire&quot;"
        );
    }

    #[test]
    fn chart_axes_end_on_round_numbers() {
        assert_eq!(nice_axis(47.0), (60.0, 20.0));
        assert_eq!(nice_axis(9.0), (10.0, 2.5));
        assert_eq!(nice_axis(0.0), (1.0, 1.0));
        assert_eq!(short_date("2026-11-02"), "Nov 2");
    }
}
