//! The `[repair]` and `[inbox]` sections: which work statuses text the customer (a status the
//! shop does not use is an error with the list of the ones it may name) and how long a staff
//! reply pauses the assistant on a thread.

use super::{Ck, Tab};
use crate::model::{InboxConfig, RepairConfig, WorkStatus};

impl Ck<'_> {
    pub(super) fn repair(&mut self, root: &Tab) -> RepairConfig {
        let Some(t) = self.table(root, "repair") else {
            return RepairConfig::default();
        };
        self.known(&t, &["text_statuses"]);
        if t.get("text_statuses").is_none() {
            return RepairConfig::default();
        }
        let mut text_statuses = vec![WorkStatus::Ready];
        for (word, span) in self.string_list(&t, "text_statuses") {
            match WorkStatus::parse(&word) {
                Some(s) if !text_statuses.contains(&s) => text_statuses.push(s),
                Some(_) => {}
                None => {
                    let all: Vec<&str> = WorkStatus::ALL.iter().map(|s| s.word()).collect();
                    self.err(
                        span,
                        format!("`text_statuses` names {word:?}, which is not a work status"),
                        Some(format!("use some of: {}", all.join(", "))),
                    );
                }
            }
        }
        RepairConfig { text_statuses }
    }

    pub(super) fn inbox(&mut self, root: &Tab) -> InboxConfig {
        let d = InboxConfig::default();
        let Some(t) = self.table(root, "inbox") else {
            return d;
        };
        self.known(&t, &["takeover_hours"]);
        InboxConfig {
            takeover_hours: self.number(&t, "takeover_hours", d.takeover_hours, 1, 168),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::WorkStatus;

    const BASE: &str = include_str!("../../../../examples/auto-shop.toml");

    /// The example shop with its `[repair]` and `[inbox]` lines replaced by `extra`.
    fn with(extra: &str) -> String {
        let cut = BASE
            .find("[repair]")
            .expect("the example has a [repair] section");
        let head = &BASE[..cut];
        let head = head
            .rsplit_once("\n# Repair status")
            .map_or(head, |(h, _)| h);
        format!("{head}\n{extra}")
    }

    #[test]
    fn a_shop_can_choose_which_statuses_text_the_customer() {
        let text = with("[repair]\ntext_statuses = [\"waiting_on_parts\"]\n");
        let p = crate::parse("shop.toml", &text).expect("loads");
        assert_eq!(
            p.repair.text_statuses,
            vec![WorkStatus::Ready, WorkStatus::WaitingOnParts]
        );
        assert_eq!(p.inbox.takeover_hours, 4);
    }

    #[test]
    fn a_misspelt_status_names_the_line_and_the_statuses_it_may_use() {
        let text = with("[repair]\ntext_statuses = [\"waiting for parts\"]\n");
        let report = crate::parse("shop.toml", &text).expect_err("refused");
        let shown = report.to_string();
        assert!(shown.contains("waiting for parts"), "{shown}");
        assert!(shown.contains("waiting_on_parts"), "{shown}");
        assert!(shown.contains("shop.toml:"), "{shown}");
    }

    #[test]
    fn a_takeover_longer_than_a_week_is_refused() {
        let text = with("[inbox]\ntakeover_hours = 500\n");
        let report = crate::parse("shop.toml", &text).expect_err("refused");
        assert!(report.to_string().contains("takeover_hours"), "{report}");
    }
}
