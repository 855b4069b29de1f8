//! Periods set in the environment: a whole number and a unit, `s`, `m`, `h` or `d`
//! (`48h`, `30d`; seconds so that tests can wait for them).

use chrono::TimeDelta;

/// How long personal data is kept (`db/retention.rs`), each period a setting with a safe
/// default; the admin and the privacy page show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Pending (or held) signatures and letters never confirmed are deleted this long
    /// after they were made (`CLARION_RETAIN_UNCONFIRMED`, 30d).
    pub unconfirmed: TimeDelta,
    /// A closed petition's signatures are anonymised this long after it closed
    /// (`CLARION_RETAIN_SIGNATURES`, 180d).
    pub signatures: TimeDelta,
    /// A letter's subject and text are deleted this long after its delivery
    /// (`CLARION_RETAIN_LETTERS`, 28d).
    pub letters: TimeDelta,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            unconfirmed: TimeDelta::days(30),
            signatures: TimeDelta::days(180),
            letters: TimeDelta::days(28),
        }
    }
}

impl Retention {
    /// Reads the three settings; a missing one keeps its default.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, (&'static str, String)> {
        let default = Self::default();
        let read = |name, fallback| read(&get, name, fallback);
        Ok(Self {
            unconfirmed: read("CLARION_RETAIN_UNCONFIRMED", default.unconfirmed)?,
            signatures: read("CLARION_RETAIN_SIGNATURES", default.signatures)?,
            letters: read("CLARION_RETAIN_LETTERS", default.letters)?,
        })
    }

    /// How often the job wakes: half the shortest period, between 1 s and 60 s, so that
    /// nothing outlives its period by much.
    pub fn every(&self) -> std::time::Duration {
        half_within(self.unconfirmed.min(self.signatures).min(self.letters))
    }
}

/// A setting's period, or `fallback` when it is not set.
fn read(
    get: impl Fn(&str) -> Option<String>,
    name: &'static str,
    fallback: TimeDelta,
) -> Result<TimeDelta, (&'static str, String)> {
    match get(name) {
        Some(v) => parse(&v).map_err(|e| (name, e)),
        None => Ok(fallback),
    }
}

/// How often a job that must act within `period` wakes: half of it, between 1 s and
/// 60 s.
pub fn half_within(period: TimeDelta) -> std::time::Duration {
    (period / 2).to_std().unwrap_or_default().clamp(
        std::time::Duration::from_secs(1),
        std::time::Duration::from_secs(60),
    )
}

/// When a delivered letter's writer is asked whether the officials replied
/// (`CLARION_FOLLOW_UP_AFTER`, 14d after the last copy was delivered) and reminded once
/// if they did not answer (`CLARION_FOLLOW_UP_REMINDER`, 7d later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUp {
    pub after: TimeDelta,
    pub reminder: TimeDelta,
}

impl Default for FollowUp {
    fn default() -> Self {
        Self {
            after: TimeDelta::days(14),
            reminder: TimeDelta::days(7),
        }
    }
}

impl FollowUp {
    /// Reads the two settings; a missing one keeps its default.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, (&'static str, String)> {
        let default = Self::default();
        let read = |name, fallback| read(&get, name, fallback);
        Ok(Self {
            after: read("CLARION_FOLLOW_UP_AFTER", default.after)?,
            reminder: read("CLARION_FOLLOW_UP_REMINDER", default.reminder)?,
        })
    }

    /// How often the job looks: min(period / 2, 60 s) for the shorter period, at least 1 s.
    pub fn every(&self) -> std::time::Duration {
        half_within(self.after.min(self.reminder))
    }
}

/// `48h` → 48 hours. Anything else (no unit, zero, a fraction, a sign) is refused.
pub fn parse(value: &str) -> Result<TimeDelta, String> {
    let value = value.trim();
    let refused =
        || format!("must be a whole number and a unit (s, m, h or d), like 48h; got {value:?}");
    let split = value
        .len()
        .checked_sub(1)
        .filter(|at| value.is_char_boundary(*at))
        .ok_or_else(refused)?;
    let (number, unit) = value.split_at(split);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused());
    }
    let n: i64 = number.parse().map_err(|_| refused())?;
    let seconds = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        _ => None,
    };
    seconds
        .filter(|s| (1..=100 * 365 * 86_400).contains(s))
        .map(TimeDelta::seconds)
        .ok_or_else(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_take_a_whole_number_and_a_unit() {
        assert_eq!(parse("48h"), Ok(TimeDelta::hours(48)));
        assert_eq!(parse(" 3s "), Ok(TimeDelta::seconds(3)));
        assert_eq!(parse("30d"), Ok(TimeDelta::days(30)));
        assert_eq!(parse("15m"), Ok(TimeDelta::minutes(15)));
        for bad in [
            "",
            "48",
            "h",
            "0h",
            "-1h",
            "1.5h",
            "2w",
            "+3s",
            "९h",
            "99999999999999d",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn retention_wakes_at_half_its_shortest_period_within_a_minute() {
        let days = Retention::default();
        assert_eq!(days.every(), std::time::Duration::from_secs(60));
        let seconds = Retention {
            letters: TimeDelta::seconds(4),
            ..days
        };
        assert_eq!(seconds.every(), std::time::Duration::from_secs(2));
        let one = Retention {
            unconfirmed: TimeDelta::seconds(1),
            ..days
        };
        assert_eq!(one.every(), std::time::Duration::from_secs(1));
    }
}
