//! Periods set in the environment: a whole number and a unit, `s`, `m`, `h` or `d`
//! (`48h`, `30d`; seconds so that tests can wait for them).

use chrono::TimeDelta;

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
}
