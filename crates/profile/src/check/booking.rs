//! The small settings sections, each optional with defaults: `[booking]` (slot length, bays,
//! notice, how far ahead, how many choices to offer), `[forwarding]` (passing calls to the front
//! desk, which needs a `shop_phone`), `[followups]` (reminders, review requests, quiet hours)
//! and `[summary]` (when the daily summary goes out).

use super::{Ck, Tab};
use crate::model::{BookingRules, Business, Followups, Forwarding, SummaryPrefs};

impl Ck<'_> {
    pub(super) fn booking(&mut self, root: &Tab) -> BookingRules {
        let d = BookingRules::default();
        let Some(t) = self.table(root, "booking") else {
            return d;
        };
        self.known(
            &t,
            &[
                "slot_minutes",
                "bays",
                "buffer_minutes",
                "min_notice_minutes",
                "max_days_ahead",
                "offer_choices",
                "max_open_per_contact",
            ],
        );
        BookingRules {
            slot_minutes: self.number(&t, "slot_minutes", d.slot_minutes, 1, 24 * 60),
            bays: self.number(&t, "bays", d.bays, 1, 1000),
            buffer_minutes: self.number(&t, "buffer_minutes", d.buffer_minutes, 0, 24 * 60),
            min_notice_minutes: self.number(
                &t,
                "min_notice_minutes",
                d.min_notice_minutes,
                0,
                60 * 24 * 365,
            ),
            max_days_ahead: self.number(&t, "max_days_ahead", d.max_days_ahead, 0, 3650),
            offer_choices: self.number(&t, "offer_choices", d.offer_choices, 1, 6),
            max_open_per_contact: self.number(
                &t,
                "max_open_per_contact",
                d.max_open_per_contact,
                1,
                50,
            ),
        }
    }

    pub(super) fn forwarding(&mut self, root: &Tab, business: &Business) -> Forwarding {
        let d = Forwarding::default();
        let Some(t) = self.table(root, "forwarding") else {
            return d;
        };
        self.known(&t, &["enabled", "ring_seconds", "screen"]);
        let f = Forwarding {
            enabled: self.boolean(&t, "enabled", d.enabled),
            ring_seconds: self.number(&t, "ring_seconds", d.ring_seconds, 1, 120),
            screen: self.boolean(&t, "screen", d.screen),
        };
        if f.enabled
            && business.shop_phone.is_none()
            && !self.diags.iter().any(|d| d.message.contains("shop_phone"))
        {
            let span = t.key_span("enabled").unwrap_or(t.span.clone());
            self.err(
                span,
                "forwarding is enabled but there is no `shop_phone` to ring",
                Some("add `shop_phone = \"+15125550101\"` under [business], or set `enabled = false`".into()),
            );
        }
        f
    }

    pub(super) fn followups(&mut self, root: &Tab) -> Followups {
        let d = Followups::default();
        let Some(t) = self.table(root, "followups") else {
            return d;
        };
        self.known(
            &t,
            &[
                "reminder_hours_before",
                "review_delay_hours",
                "review_min_days_between",
                "reengage_after_days",
                "quiet_hours",
            ],
        );
        let mut f = Followups {
            reminder_hours_before: self.number(
                &t,
                "reminder_hours_before",
                d.reminder_hours_before,
                0,
                24 * 14,
            ),
            review_delay_hours: self.number(
                &t,
                "review_delay_hours",
                d.review_delay_hours,
                0,
                24 * 30,
            ),
            review_min_days_between: self.number(
                &t,
                "review_min_days_between",
                d.review_min_days_between,
                0,
                3650,
            ),
            reengage_after_days: self.number(
                &t,
                "reengage_after_days",
                d.reengage_after_days,
                0,
                3650,
            ),
            ..d
        };
        if let Some((q, span)) = self.string(&t, "quiet_hours", None)
            && let Some((s, e)) = self.interval(&q, span, true)
        {
            f.quiet_start = s;
            f.quiet_end = e;
        }
        f
    }

    pub(super) fn summary(&mut self, root: &Tab) -> SummaryPrefs {
        let Some(t) = self.table(root, "summary") else {
            return SummaryPrefs::default();
        };
        self.known(&t, &["daily_at"]);
        let daily_at = self
            .string(&t, "daily_at", None)
            .and_then(|(s, span)| self.time("daily_at", &s, span));
        SummaryPrefs { daily_at }
    }
}
