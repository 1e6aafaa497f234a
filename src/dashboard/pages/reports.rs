//! Reports (`GET /b/{b}/reports?day=|month=`): the figures of `frontdesk report` for a day or
//! a month (this month by default), with bar charts of conversations per day, the top
//! questions and how long the assistant took per reply.

use axum::extract::{Path, Query, State};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;

use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render};
use crate::dashboard::session::Who;
use crate::dashboard::view::{day_range, local_today};
use crate::error::AppError;
use crate::store::{Range, Speaker};

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    day: Option<String>,
    #[serde(default)]
    month: Option<String>,
}

struct Bar {
    label: String,
    value: String,
    width: u32,
}

#[derive(askama::Template)]
#[template(path = "dashboard/reports.html")]
struct Reports {
    chrome: Chrome,
    title: String,
    monthly: bool,
    day: String,
    month: String,
    text: String,
    f: crate::report::Figures,
    booking_rate: String,
    after_hours: String,
    recovered: String,
    booked_value: String,
    median: String,
    p95: String,
    per_day: Vec<Bar>,
    questions: Vec<Bar>,
    response: Vec<Bar>,
}

fn bars(items: Vec<(String, f64, String)>) -> Vec<Bar> {
    let max = items.iter().map(|i| i.1).fold(0.0, f64::max);
    items
        .into_iter()
        .map(|(label, v, value)| Bar {
            label,
            value,
            width: if max > 0.0 {
                ((v / max) * 100.0).round() as u32
            } else {
                0
            },
        })
        .collect()
}

/// How long the assistant took per reply in the period, in five buckets.
async fn response_buckets(app: &App, b: &str, range: Range) -> Res<Vec<(String, f64, String)>> {
    const EDGES: [(i64, &str); 5] = [
        (1_000, "under 1 ms"),
        (10_000, "1–10 ms"),
        (100_000, "10–100 ms"),
        (1_000_000, "100 ms–1 s"),
        (i64::MAX, "over 1 s"),
    ];
    let mut counts = [0u64; 5];
    for c in app.store.conversations(b, range, 5000).await? {
        for t in app.store.turns(c.id).await? {
            if let (Speaker::Assistant, Some(us)) = (t.speaker, t.processing_us) {
                let i = EDGES.iter().position(|(edge, _)| us < *edge).unwrap_or(4);
                counts[i] += 1;
            }
        }
    }
    Ok(EDGES
        .iter()
        .zip(counts)
        .map(|((_, label), n)| (label.to_string(), n as f64, format!("{n} replies")))
        .collect())
}

/// `GET /b/{b}/reports?day=|month=`: the figures of `frontdesk report`, with bar charts.
pub async fn reports(
    State(app): State<App>,
    who: Who,
    Path(b): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Res {
    let engine = who.business(&app, &b)?;
    let p = engine.profile();
    let store = app.store.as_ref();
    let now_day = local_today(&app, p);
    let monthly = q.day.is_none();
    let (f, title, day, month, first, days) = if let Some(d) = &q.day {
        let date: Date = d.parse().map_err(|_| {
            AppError::BadRequest(format!("cannot read {d:?} as a day like 2026-11-24"))
        })?;
        let f = crate::report::day(store, p, date).await?;
        (
            f,
            format!("Day report: {}", date.strftime("%A %B %-d, %Y")),
            date.to_string(),
            String::new(),
            date,
            1,
        )
    } else {
        let m = q
            .month
            .clone()
            .unwrap_or_else(|| now_day.strftime("%Y-%m").to_string());
        let (y, mo) = m
            .split_once('-')
            .and_then(|(y, mo)| Some((y.parse::<i16>().ok()?, mo.parse::<i8>().ok()?)))
            .filter(|(_, mo)| (1..=12).contains(mo))
            .ok_or_else(|| {
                AppError::BadRequest(format!("cannot read {m:?} as a month like 2026-11"))
            })?;
        let f = crate::report::month(store, p, y, mo).await?;
        let first = jiff::civil::date(y, mo, 1);
        (
            f,
            format!("Month report: {}", first.strftime("%B %Y")),
            String::new(),
            m,
            first,
            first.days_in_month() as i64,
        )
    };
    let mut per_day = Vec::new();
    if monthly {
        for i in 0..days {
            let d = first.checked_add(i.days()).unwrap_or(first);
            if d > now_day {
                break;
            }
            let fd = crate::report::day(store, p, d).await?;
            let n = fd.calls + fd.texts + fd.web;
            per_day.push((d.strftime("%b %-d").to_string(), n as f64, n.to_string()));
        }
    }
    let questions = f
        .top_questions
        .iter()
        .map(|(q, n)| (q.clone(), *n as f64, n.to_string()))
        .collect();
    let response = response_buckets(&app, &b, day_range(p, first, days)).await?;
    Ok(render(&Reports {
        chrome: Chrome::new(&who, &engine, "reports"),
        title,
        monthly,
        day,
        month,
        text: crate::report::render(p, &f, monthly),
        booking_rate: format!("{:.0}%", f.booking_rate * 100.0),
        after_hours: format!("{:.0}%", f.after_hours_share * 100.0),
        recovered: frontdesk_profile::dollars(f.recovered_revenue_cents),
        booked_value: frontdesk_profile::dollars(f.booked_value_cents),
        median: format!("{:.1} ms", f.median_response_ms),
        p95: format!("{:.1} ms", f.p95_response_ms),
        f,
        per_day: bars(per_day),
        questions: bars(questions),
        response: bars(response),
    }))
}
