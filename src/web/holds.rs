//! Which rule, if any, holds a submission (docs/CONTRACT.md, "Statuses"): held submissions get
//! exactly the answer of accepted ones, so the rules are never revealed to the submitter.

use chrono::{NaiveDateTime, TimeDelta};

use crate::config::Quota;
use crate::domain::status::HoldReason;

#[derive(Debug, Clone)]
pub struct HoldRules {
    /// Forms sent sooner than this after being served are held; 0 turns it off.
    pub min_fill_secs: u64,
    /// More signatures than this on one petition from one address are held.
    pub per_address: Option<Quota>,
}

impl HoldRules {
    /// The rules that need no database: the honeypot, then the minimum fill time measured
    /// from the time inside the signed form token (nothing the client can set).
    pub fn early_hold(
        &self,
        honeypot: &str,
        served_at: i64,
        now: NaiveDateTime,
    ) -> Option<HoldReason> {
        if !honeypot.trim().is_empty() {
            return Some(HoldReason::Honeypot);
        }
        let filled_in = now.and_utc().timestamp() - served_at;
        (self.min_fill_secs > 0 && filled_in < self.min_fill_secs as i64)
            .then_some(HoldReason::TooFast)
    }

    /// The per-address rule as the signing batch applies it.
    pub fn per_address_rule(&self) -> Option<crate::db::batch::PerAddress> {
        self.per_address.map(|quota| crate::db::batch::PerAddress {
            burst: i64::from(quota.burst),
            period: TimeDelta::from_std(quota.period).unwrap_or(TimeDelta::hours(1)),
        })
    }
}
