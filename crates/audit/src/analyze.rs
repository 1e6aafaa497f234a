//! From legs to figures. Each inbound call is counted once (forwarded `outbound-dial` legs are
//! folded into the inbound call they belong to), classified, placed in the shop's week, linked
//! to the caller's other calls, and priced with the shop's numbers. See the crate docs for the
//! rules in plain words; `Report` is what every output (text, HTML, JSON) is rendered from.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::hours::{BusinessHours, DAY_NAMES, local_parts};
use crate::money::{Cents, Rate, apply_rate, expected_count, scale};
use crate::parse::{BadRow, Direction, Parsed, Status, display_phone};

/// A fast hasher for keys that are already well spread (call ids, phone numbers): a
/// multiply-xorshift mix instead of SipHash, since nothing here faces an adversary who could
/// pick keys to collide beyond slowing down their own audit.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<KeyHasher>>;

/// The shop's numbers and the audit's knobs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub voicemail_seconds: u32,
    pub repeat_window_hours: u32,
    pub avg_ticket: Cents,
    pub booking_rate: Rate,
    pub ad_cost_per_lead: Option<Cents>,
    /// The shop's own number (caller key), when the export mixes directions without saying so.
    pub business_number: Option<u64>,
    /// The hours as words, for the report (`None` when a profile supplies them).
    pub hours_text: Option<String>,
}

/// How an inbound call ended for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A person at the shop talked to the caller (in or after hours).
    Answered,
    /// During opening hours: nobody picked up (no-answer, busy, canceled, failed).
    Missed,
    /// During opening hours: the call was picked up but too short to be a conversation.
    Voicemail,
    /// Outside opening hours and not answered by a person (missed or voicemail).
    AfterHours,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Period {
    pub first_call: String,
    pub last_call: String,
    pub days: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct InputSummary {
    pub rows: u64,
    pub bad_rows: u64,
    pub bad_row_examples: Vec<BadRow>,
    pub duplicate_rows: u64,
    /// Forwarding legs folded into their inbound call.
    pub forwarded_legs: u64,
    /// Calls the shop made (used to see who was called back).
    pub outbound_calls: u64,
    /// Inbound calls to numbers other than `--business-number`.
    pub other_numbers_rows: u64,
    /// Calls still queued or ringing when the log was exported.
    pub unfinished_calls: u64,
    /// `outbound-dial` legs that name no parent call in the log (no `Parent Call Sid` column, or
    /// the parent is outside the export): counted as calls the shop made. When there are many,
    /// forwarded calls could not be matched and "answered" may be overstated.
    pub unlinked_dial_legs: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CallCounts {
    pub total: u64,
    pub answered: u64,
    pub answered_after_hours: u64,
    pub missed: u64,
    pub voicemail: u64,
    pub after_hours_missed: u64,
    pub after_hours_total: u64,
    /// `missed + voicemail + after_hours_missed`.
    pub unanswered: u64,
    pub unanswered_percent: f64,
    pub from_hidden_numbers: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CallerCounts {
    /// Distinct numbers that called (hidden numbers not included).
    pub total: u64,
    pub with_a_missed_call: u64,
    /// Every call unanswered and no answered call back from the shop afterwards.
    pub never_got_through: u64,
    /// Missed at first, answered on a later call.
    pub got_through_later: u64,
    /// Every call unanswered, but the shop reached them with a call back.
    pub called_back_by_shop: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RepeatAttempts {
    pub window_hours: u32,
    pub total: u64,
    pub got_through: u64,
    pub missed_again: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Money {
    pub avg_ticket_cents: Cents,
    /// Parts per million: 600000 is 60%.
    #[serde(rename = "booking_rate_ppm")]
    pub booking_rate: Rate,
    pub ad_cost_per_lead_cents: Option<Cents>,
    /// Unanswered calls that were not repeat attempts: each one a person who wanted something.
    pub missed_leads: u64,
    /// `missed_leads × booking_rate`, one decimal.
    pub lost_jobs: String,
    /// `missed_leads × booking_rate × avg_ticket`.
    pub lost_revenue_cents: Cents,
    /// `missed_leads × ad_cost_per_lead`.
    pub wasted_ad_spend_cents: Cents,
    pub total_lost_cents: Cents,
    /// What answering every call would recover: the total scaled from the log's span to 30 and
    /// 365 days, rounded to the dollar.
    pub recoverable_per_month_cents: Cents,
    pub recoverable_per_year_cents: Cents,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Day {
    pub date: String,
    pub weekday: &'static str,
    pub calls: u64,
    pub answered: u64,
    pub missed: u64,
    pub voicemail: u64,
    pub after_hours_missed: u64,
    pub missed_leads: u64,
    /// Lost revenue and ad spend from the first day through this one.
    pub cumulative_lost_cents: Cents,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LostCaller {
    pub number: String,
    pub calls: u64,
    pub first_call: String,
    pub last_call: String,
    pub after_hours_only: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HourOfWeek {
    /// `[weekday][hour]`, Monday first, in the shop's zone: unanswered calls.
    pub unanswered: [[u64; 24]; 7],
    pub calls: [[u64; 24]; 7],
    /// Whether the shop is open at the middle of that hour.
    pub open: [[bool; 24]; 7],
}

/// The audit's result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub shop: String,
    pub zone: String,
    pub hours: Option<String>,
    pub voicemail_seconds: u32,
    pub period: Option<Period>,
    pub input: InputSummary,
    pub calls: CallCounts,
    pub callers: CallerCounts,
    pub repeat_attempts: RepeatAttempts,
    pub money: Money,
    pub hour_of_week: HourOfWeek,
    pub days: Vec<Day>,
    pub lost_callers: Vec<LostCaller>,
    pub lost_callers_listed_max: usize,
}

const LOST_CALLERS_MAX: usize = 1000;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Missed = 1,
    Voicemail = 2,
    Answered = 3,
}

fn classify(status: Status, duration: u32, vm: u32) -> Option<Outcome> {
    Some(match status {
        Status::Completed if duration >= vm => Outcome::Answered,
        Status::Completed | Status::Voicemail => Outcome::Voicemail,
        Status::InProgress => Outcome::Answered,
        Status::NoAnswer | Status::Busy | Status::Canceled | Status::Failed => Outcome::Missed,
        Status::Pending => return None,
    })
}

struct Call {
    ts: i64,
    caller: u64,
    hidden: bool,
    cat: Category,
    day: i64,
}

fn local_string(ts: i64, zone: &TimeZone) -> String {
    Timestamp::from_second(ts)
        .map(|t| {
            t.to_zoned(zone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

fn date_of_day(day: i64) -> Option<Date> {
    let epoch = jiff::civil::date(1970, 1, 1);
    epoch.checked_add(jiff::Span::new().days(day)).ok()
}

fn open_mask(hours: &dyn BusinessHours, zone: &TimeZone, near_day: i64) -> [[bool; 24]; 7] {
    let mut open = [[false; 24]; 7];
    // The first Monday on or after `near_day`.
    let monday = near_day + (7 - (near_day + 3).rem_euclid(7)) % 7;
    for (w, row) in open.iter_mut().enumerate() {
        let Some(date) = date_of_day(monday + w as i64) else {
            continue;
        };
        for (h, cell) in row.iter_mut().enumerate() {
            let dt = date.at(h as i8, 30, 0, 0);
            if let Ok(ts) = zone.to_ambiguous_timestamp(dt).compatible() {
                *cell = hours.is_open(ts);
            }
        }
    }
    open
}

/// Rounds a projection to the whole dollar (half up): it is an estimate, not an invoice.
fn to_dollar(c: Cents) -> Cents {
    Cents((c.0 + 50).div_euclid(100) * 100)
}

/// A call id folded to 64 bits for hashing. Two different ids folding alike is a one in 10^7
/// chance in a million-call log, and would only merge two calls.
fn fold(sid: u128) -> u64 {
    (sid as u64) ^ ((sid >> 64) as u64).rotate_left(29)
}

/// Runs the audit over parsed legs.
pub fn analyze(parsed: Parsed, hours: &dyn BusinessHours, s: &Settings) -> Report {
    let zone = hours.zone().clone();
    let vm = s.voicemail_seconds;
    let Parsed {
        mut legs,
        rows,
        bad_rows,
        bad,
        ..
    } = parsed;
    let mut input = InputSummary {
        rows,
        bad_rows,
        bad_row_examples: bad,
        ..Default::default()
    };

    // 1. The same call exported twice counts once.
    if legs.iter().any(|l| l.sid != 0) {
        let mut seen: FastSet<u64> =
            FastSet::with_capacity_and_hasher(legs.len(), Default::default());
        let before = legs.len();
        legs.retain(|l| l.sid == 0 || seen.insert(fold(l.sid)));
        input.duplicate_rows = (before - legs.len()) as u64;
    }

    // 2. Directions.
    for l in &mut legs {
        if l.direction == Direction::Unknown {
            l.direction = match s.business_number {
                Some(b) if l.from == b && l.to != b => Direction::Outbound,
                _ => Direction::Inbound,
            };
        }
    }

    // 3. Inbound calls by id, and their forwarding legs.
    let inbound_ids: FastMap<u64, usize> = if legs
        .iter()
        .any(|l| l.direction == Direction::Dial && l.parent != 0)
    {
        legs.iter()
            .enumerate()
            .filter(|(_, l)| l.direction == Direction::Inbound && l.sid != 0)
            .map(|(i, l)| (fold(l.sid), i))
            .collect()
    } else {
        FastMap::default()
    };
    let mut best_child: Vec<u8> = vec![
        0;
        if inbound_ids.is_empty() {
            0
        } else {
            legs.len()
        }
    ];
    let mut callbacks: FastMap<u64, i64> = FastMap::default();
    for l in &legs {
        match l.direction {
            Direction::Inbound | Direction::Unknown => {}
            Direction::Dial | Direction::Outbound => {
                if l.direction == Direction::Dial
                    && let Some(&p) = inbound_ids.get(&fold(l.parent))
                {
                    input.forwarded_legs += 1;
                    if let Some(o) = classify(l.status, l.duration, vm) {
                        best_child[p] = best_child[p].max(o as u8);
                    }
                    continue;
                }
                if l.direction == Direction::Dial {
                    input.unlinked_dial_legs += 1;
                }
                input.outbound_calls += 1;
                if l.to != 0 && classify(l.status, l.duration, vm) == Some(Outcome::Answered) {
                    let e = callbacks.entry(l.to).or_insert(l.ts);
                    *e = (*e).max(l.ts);
                }
            }
        }
    }
    let has_forwarding = input.forwarded_legs > 0;

    // 4. Classify each inbound call.
    let mut calls: Vec<Call> = Vec::with_capacity(legs.len());
    let mut counts = CallCounts::default();
    let mut how = HourOfWeek {
        unanswered: [[0; 24]; 7],
        calls: [[0; 24]; 7],
        open: [[false; 24]; 7],
    };
    // One slot per local day between the first and the last inbound call.
    let (lo, hi) = legs
        .iter()
        .filter(|l| l.direction == Direction::Inbound)
        .fold((i64::MAX, i64::MIN), |(a, b), l| (a.min(l.ts), b.max(l.ts)));
    let base_day = if lo <= hi {
        local_parts(lo, &zone).day
    } else {
        0
    };
    let span = if lo <= hi {
        local_parts(hi, &zone).day - base_day + 1
    } else {
        0
    };
    let mut days: Vec<Day> = vec![Day::default(); usize::try_from(span).unwrap_or(0)];
    let slot = |day: i64| usize::try_from(day - base_day).ok();
    let (mut first_ts, mut last_ts) = (i64::MAX, i64::MIN);
    for (i, l) in legs.iter().enumerate() {
        if l.direction != Direction::Inbound {
            continue;
        }
        if let Some(b) = s.business_number
            && l.to != 0
            && l.to != b
        {
            input.other_numbers_rows += 1;
            continue;
        }
        let child = best_child.get(i).copied().unwrap_or(0);
        let outcome = match child {
            3 => Some(Outcome::Answered),
            2 => Some(Outcome::Voicemail),
            1 => Some(Outcome::Missed),
            // In a log where calls reach people through forwarding, a call with no forwarding
            // leg was only ever answered by the phone system (a greeting or a voicemail box).
            _ => classify(l.status, l.duration, vm).map(|o| {
                if has_forwarding && o == Outcome::Answered {
                    Outcome::Voicemail
                } else {
                    o
                }
            }),
        };
        let Some(outcome) = outcome else {
            input.unfinished_calls += 1;
            continue;
        };
        let after_hours = Timestamp::from_second(l.ts)
            .map(|t| !hours.is_open(t))
            .unwrap_or(false);
        let cat = match (outcome, after_hours) {
            (Outcome::Answered, _) => Category::Answered,
            (_, true) => Category::AfterHours,
            (Outcome::Missed, false) => Category::Missed,
            (Outcome::Voicemail, false) => Category::Voicemail,
        };
        let p = local_parts(l.ts, &zone);
        let hour = usize::from(p.minute / 60).min(23);
        counts.total += 1;
        how.calls[p.weekday][hour] += 1;
        let mut spare = Day::default();
        let day = match slot(p.day).and_then(|i| days.get_mut(i)) {
            Some(d) => d,
            None => &mut spare,
        };
        day.calls += 1;
        match cat {
            Category::Answered => {
                counts.answered += 1;
                day.answered += 1;
            }
            Category::Missed => {
                counts.missed += 1;
                day.missed += 1;
            }
            Category::Voicemail => {
                counts.voicemail += 1;
                day.voicemail += 1;
            }
            Category::AfterHours => {
                counts.after_hours_missed += 1;
                day.after_hours_missed += 1;
            }
        }
        if after_hours {
            counts.after_hours_total += 1;
            if cat == Category::Answered {
                counts.answered_after_hours += 1;
            }
        }
        if cat != Category::Answered {
            how.unanswered[p.weekday][hour] += 1;
        }
        if l.from_hidden {
            counts.from_hidden_numbers += 1;
        }
        first_ts = first_ts.min(l.ts);
        last_ts = last_ts.max(l.ts);
        calls.push(Call {
            ts: l.ts,
            caller: l.from,
            hidden: l.from_hidden,
            cat,
            day: p.day,
        });
    }
    drop(legs);
    counts.unanswered = counts.missed + counts.voicemail + counts.after_hours_missed;
    counts.unanswered_percent = if counts.total == 0 {
        0.0
    } else {
        ((counts.unanswered as f64) * 1000.0 / counts.total as f64).round() / 10.0
    };

    // 5. Callers: repeat attempts, leads, who never got through.
    let window = i64::from(s.repeat_window_hours) * 3600;
    let mut order: Vec<(u64, i64, u32)> = Vec::with_capacity(calls.len());
    let mut callers = CallerCounts::default();
    let mut repeats = RepeatAttempts {
        window_hours: s.repeat_window_hours,
        ..Default::default()
    };
    let mut missed_leads: u64 = 0;
    let mut lost: Vec<(u64, u64, i64, i64, bool)> = Vec::new();
    for (i, c) in calls.iter().enumerate() {
        if c.hidden {
            if c.cat != Category::Answered {
                missed_leads += 1;
                if let Some(d) = slot(c.day).and_then(|i| days.get_mut(i)) {
                    d.missed_leads += 1;
                }
            }
        } else {
            order.push((c.caller, c.ts, i as u32));
        }
    }
    order.sort_unstable();
    let mut g = 0;
    while g < order.len() {
        let caller = order[g].0;
        let mut e = g;
        while e < order.len() && order[e].0 == caller {
            e += 1;
        }
        callers.total += 1;
        let mut last_miss: Option<i64> = None;
        let mut first_miss: Option<i64> = None;
        let mut answered_after_miss = false;
        let mut any_answered = false;
        let mut all_after_hours = true;
        for &(_, ts, idx) in &order[g..e] {
            let c = &calls[idx as usize];
            let answered = c.cat == Category::Answered;
            let is_repeat = last_miss.is_some_and(|m| ts - m <= window);
            if is_repeat {
                repeats.total += 1;
                if answered {
                    repeats.got_through += 1;
                } else {
                    repeats.missed_again += 1;
                }
            }
            if answered {
                any_answered = true;
                if first_miss.is_some() {
                    answered_after_miss = true;
                }
                last_miss = None;
            } else {
                if !is_repeat {
                    missed_leads += 1;
                    if let Some(d) = slot(c.day).and_then(|i| days.get_mut(i)) {
                        d.missed_leads += 1;
                    }
                }
                first_miss.get_or_insert(ts);
                last_miss = Some(ts);
                all_after_hours &= c.cat == Category::AfterHours;
            }
        }
        if let Some(fm) = first_miss {
            callers.with_a_missed_call += 1;
            if answered_after_miss {
                callers.got_through_later += 1;
            }
            if !any_answered {
                if callbacks.get(&caller).is_some_and(|&t| t >= fm) {
                    callers.called_back_by_shop += 1;
                } else {
                    callers.never_got_through += 1;
                    lost.push((caller, (e - g) as u64, fm, order[e - 1].1, all_after_hours));
                }
            }
        }
        g = e;
    }
    lost.sort_by(|a, b| b.1.cmp(&a.1).then(b.3.cmp(&a.3)).then(a.0.cmp(&b.0)));
    let lost_callers: Vec<LostCaller> = lost
        .iter()
        .take(LOST_CALLERS_MAX)
        .map(|&(k, n, f, l, ah)| LostCaller {
            number: display_phone(k),
            calls: n,
            first_call: local_string(f, &zone),
            last_call: local_string(l, &zone),
            after_hours_only: ah,
        })
        .collect();

    // 6. Money.
    let ad = s.ad_cost_per_lead.unwrap_or_default();
    let lost_for = |leads: u64| -> (Cents, Cents) {
        let revenue = apply_rate(leads, s.avg_ticket, s.booking_rate);
        let ads = Cents(ad.0.saturating_mul(leads as i64));
        (revenue, ads)
    };
    let (lost_revenue, wasted_ads) = lost_for(missed_leads);
    let total_lost = Cents(lost_revenue.0.saturating_add(wasted_ads.0));
    let period_days = if calls.is_empty() {
        0
    } else {
        let a = local_parts(first_ts, &zone).day;
        let b = local_parts(last_ts, &zone).day;
        (b - a + 1) as u64
    };
    let money = Money {
        avg_ticket_cents: s.avg_ticket,
        booking_rate: s.booking_rate,
        ad_cost_per_lead_cents: s.ad_cost_per_lead,
        missed_leads,
        lost_jobs: expected_count(missed_leads, s.booking_rate),
        lost_revenue_cents: lost_revenue,
        wasted_ad_spend_cents: wasted_ads,
        total_lost_cents: total_lost,
        recoverable_per_month_cents: to_dollar(scale(total_lost, 30, period_days)),
        recoverable_per_year_cents: to_dollar(scale(total_lost, 365, period_days)),
    };

    // 7. Days, with empty days filled in when the span is reasonable.
    let mut day_list: Vec<Day> = Vec::new();
    let first = days.iter().position(|d| d.calls > 0).unwrap_or(days.len());
    let last = days.iter().rposition(|d| d.calls > 0).map_or(0, |i| i + 1);
    let fill = last.saturating_sub(first) <= 1001;
    let mut leads_so_far = 0;
    for (i, mut d) in days.into_iter().enumerate() {
        if i < first || i >= last || (d.calls == 0 && !fill) {
            continue;
        }
        let k = base_day + i as i64;
        {
            leads_so_far += d.missed_leads;
            let (r, a) = lost_for(leads_so_far);
            d.cumulative_lost_cents = Cents(r.0.saturating_add(a.0));
            d.date = date_of_day(k).map(|x| x.to_string()).unwrap_or_default();
            d.weekday = DAY_NAMES[(k + 3).rem_euclid(7) as usize];
            day_list.push(d);
        }
    }
    let near = if calls.is_empty() {
        20_400
    } else {
        local_parts(first_ts, &zone).day
    };
    how.open = open_mask(hours, &zone, near);

    Report {
        shop: hours.name().to_string(),
        zone: zone.iana_name().unwrap_or("the shop's zone").to_string(),
        hours: s.hours_text.clone(),
        voicemail_seconds: vm,
        period: (!calls.is_empty()).then(|| Period {
            first_call: local_string(first_ts, &zone),
            last_call: local_string(last_ts, &zone),
            days: period_days,
        }),
        input,
        calls: counts,
        callers,
        repeat_attempts: repeats,
        money,
        hour_of_week: how,
        days: day_list,
        lost_callers,
        lost_callers_listed_max: LOST_CALLERS_MAX,
    }
}
