//! The settings' parsing: quotas, database URLs, proxies, keys, rates.

use super::*;

#[test]
fn quotas_read_burst_and_period() {
    let q = Quota::parse("3/60s").unwrap().unwrap();
    assert_eq!((q.burst, q.period), (3, Duration::from_secs(60)));
    assert_eq!(
        Quota::parse("20/1h").unwrap().unwrap().period,
        Duration::from_secs(3600)
    );
    assert_eq!(
        Quota::parse("5/m").unwrap().unwrap().period,
        Duration::from_secs(60)
    );
    assert_eq!(Quota::parse("off").unwrap(), None);
    for bad in ["", "3", "3/", "x/1s", "0/1s", "3/0s", "3/10d", "-1/1s"] {
        assert!(Quota::parse(bad).is_err(), "{bad} should be refused");
    }
}

#[test]
fn the_surge_rate_is_a_whole_number_or_off() {
    let with = |v: &str| {
        Config::from_lookup(|n| (n == "CLARION_OUTBOX_SURGE_RATE").then(|| v.to_string()))
    };
    assert_eq!(with("300").unwrap().outbox_surge_rate, Some(300));
    assert_eq!(with("off").unwrap().outbox_surge_rate, None);
    let default = Config::from_lookup(|_| None).unwrap();
    assert_eq!(default.outbox_surge_rate, Some(1200));
    for bad in ["0", "-5", "fast", "1.5"] {
        let Err(error) = with(bad).map(drop) else {
            panic!("{bad} should be refused");
        };
        let error = error.to_string();
        assert!(error.contains("CLARION_OUTBOX_SURGE_RATE"), "{error}");
    }
}

#[test]
fn database_urls_pick_the_backend_by_scheme_only() {
    assert!(matches!(
        DatabaseUrl::parse("sqlite://data/x.db"),
        Ok(DatabaseUrl::Sqlite(_))
    ));
    assert!(matches!(
        DatabaseUrl::parse("postgres://u@h/db"),
        Ok(DatabaseUrl::Postgres(_))
    ));
    assert!(matches!(
        DatabaseUrl::parse("postgresql://u@h/db"),
        Ok(DatabaseUrl::Postgres(_))
    ));
    let err = DatabaseUrl::parse("mysql://root:hunter2@h/db").unwrap_err();
    assert!(err.contains("'mysql'") && !err.contains("hunter2"));
    assert!(DatabaseUrl::parse("data/clarion.db").is_err());
}

#[test]
fn the_proxy_header_is_one_of_two_names_and_x_forwarded_for_by_default() {
    let config = |value: Option<&str>| {
        let value = value.map(str::to_string);
        Config::from_lookup(move |name| {
            (name == "CLARION_PROXY_HEADER")
                .then(|| value.clone())
                .flatten()
        })
    };
    assert_eq!(
        config(None).unwrap().proxy_header,
        ProxyHeader::XForwardedFor
    );
    assert_eq!(
        config(Some("Forwarded")).unwrap().proxy_header,
        ProxyHeader::Forwarded
    );
    let refused = config(Some("x-real-ip")).unwrap_err();
    assert_eq!(refused.variable, "CLARION_PROXY_HEADER");
}

#[test]
fn secret_keys_need_32_bytes_and_never_print() {
    assert!(SecretKey::parse(&"ab".repeat(32)).is_ok());
    assert!(SecretKey::parse(&"ab".repeat(31)).is_err());
    assert!(SecretKey::parse("not a key").is_err());
    let key = SecretKey::generate();
    assert!(!format!("{key:?}").contains(&key.to_hex()));
}

#[test]
fn a_malformed_reminder_period_stops_start_up_naming_it() {
    let with =
        |v: &str| Config::from_lookup(|n| (n == "CLARION_REMINDER_AFTER").then(|| v.to_string()));
    assert_eq!(
        with("3s").map(|c| c.reminder_after).ok(),
        Some(chrono::TimeDelta::seconds(3))
    );
    let default = Config::from_lookup(|_| None).map(|c| c.reminder_after).ok();
    assert_eq!(default, Some(chrono::TimeDelta::hours(48)));
    let Err(error) = with("two days").map(drop) else {
        panic!("a period without a unit is refused");
    };
    assert!(
        error.to_string().contains("CLARION_REMINDER_AFTER"),
        "{error}"
    );
}

#[test]
fn the_follow_up_periods_default_to_two_weeks_and_one_and_refuse_nonsense() {
    let with = |name: &'static str, v: &str| {
        Config::from_lookup(|n| (n == name).then(|| v.to_string())).map(|c| c.follow_up)
    };
    let default = Config::from_lookup(|_| None).map(|c| c.follow_up).ok();
    assert_eq!(
        default.map(|f| (f.after, f.reminder)),
        Some((chrono::TimeDelta::days(14), chrono::TimeDelta::days(7)))
    );
    assert_eq!(
        default.map(|f| f.every()),
        Some(std::time::Duration::from_secs(60))
    );
    let quick = with("CLARION_FOLLOW_UP_AFTER", "3s").ok();
    assert_eq!(quick.map(|f| f.after), Some(chrono::TimeDelta::seconds(3)));
    assert_eq!(
        quick.map(|f| f.every()),
        Some(std::time::Duration::from_millis(1500))
    );
    for name in ["CLARION_FOLLOW_UP_AFTER", "CLARION_FOLLOW_UP_REMINDER"] {
        let Err(error) = with(name, "0d").map(drop) else {
            panic!("{name}: a zero period is refused");
        };
        assert!(error.to_string().contains(name), "{error}");
    }
}
