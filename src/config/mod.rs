//! Every setting, the environment variable that sets it and its default
//! (docs/CONTRACT.md, "Environment"). Settings are read through a lookup function so that tests can pass
//! their own values without touching the process environment. Secrets never reach
//! `Debug` output or logs.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use ipnet::IpNet;

mod secret_key;
pub use secret_key::SecretKey;

/// A setting that could not be understood; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

fn invalid(variable: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        reason: reason.into(),
    }
}

/// Which database to use; the URL's scheme decides, and nothing else is guessed.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// `sqlite://PATH` or `postgres://…` / `postgresql://…`; any other scheme is refused.
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://data/clarion.db".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        // Never echo the URL itself: it may carry a password.
        let scheme = url.split_once("://").map_or("(none)", |(s, _)| s);
        Err(format!(
            "unsupported database URL scheme '{scheme}': use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(_) => f.write_str("postgres://(redacted)"),
        }
    }
}

/// `N/PERIOD`: a burst of N refilled evenly over PERIOD; `None` means `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub burst: u32,
    pub period: Duration,
}

impl Quota {
    pub fn parse(text: &str) -> Result<Option<Self>, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let usage = || format!("'{text}' is not N/PERIOD (e.g. 5/60s, 20/1h) or off");
        let (count, period) = text.split_once('/').ok_or_else(usage)?;
        let burst: u32 = count.trim().parse().map_err(|_| usage())?;
        let period = period.trim();
        let (amount, unit) = period.split_at(period.len().saturating_sub(1));
        let amount: u64 = if amount.is_empty() {
            1
        } else {
            amount.parse().map_err(|_| usage())?
        };
        let seconds = match unit {
            "s" => amount,
            "m" => amount * 60,
            "h" => amount * 3600,
            _ => return Err(usage()),
        };
        if burst == 0 || seconds == 0 {
            return Err(format!("'{text}': N and PERIOD must be above zero"));
        }
        Ok(Some(Self {
            burst,
            period: Duration::from_secs(seconds),
        }))
    }
}

/// Rate limits per route class (docs/CONTRACT.md, "Environment": `CLARION_RATE_*`).
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub sign: Option<Quota>,
    pub contact: Option<Quota>,
    pub login: Option<Quota>,
    pub export: Option<Quota>,
    pub public: Option<Quota>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database: DatabaseUrl,
    pub bind: String,
    /// `None`: derived from the address actually bound, so port 0 still gives working links.
    pub base_url: Option<String>,
    smtp_url: Option<String>,
    pub mail_from: String,
    pub secret_key: Option<SecretKey>,
    pub demo: bool,
    pub trusted_proxies: Vec<IpNet>,
    pub proxy_header: ProxyHeader,
    pub rate: RateLimits,
    pub min_fill_secs: u64,
    /// How long a worker's claim on emails lasts unless renewed: after a crash, its
    /// emails go out once this has passed (`CLARION_OUTBOX_LEASE_SECS`, at least 5).
    pub outbox_lease: chrono::TimeDelta,
    /// Confirmations a second while signatures pour in (`CLARION_OUTBOX_SURGE_RATE`,
    /// default 1200); `None` (`off`): as fast as the relay takes them.
    pub outbox_surge_rate: Option<u32>,
    /// DKIM signing of every email (`email/dkim.rs`), when all three settings are set.
    pub dkim: Option<crate::email::dkim::DkimSettings>,
    /// Sign requests that may wait for the writer; more are answered 503 at once.
    pub sign_queue: usize,
    pub hold_per_address: Option<Quota>,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, which answers a variable's value or `None`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(get("CLARION_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database = match get("CLARION_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            Some(url) => {
                DatabaseUrl::parse(&url).map_err(|e| invalid("CLARION_DATABASE_URL", e))?
            }
            None => DatabaseUrl::Sqlite(data_dir.join("clarion.db")),
        };
        let quota = |name: &'static str, default: &str| {
            Quota::parse(&get(name).unwrap_or_else(|| default.into())).map_err(|e| invalid(name, e))
        };
        let secret_key = get("CLARION_SECRET_KEY")
            .map(|k| SecretKey::parse(&k).map_err(|e| invalid("CLARION_SECRET_KEY", e)))
            .transpose()?;
        Ok(Self {
            database,
            bind: get("CLARION_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            base_url: get("CLARION_BASE_URL").map(|u| u.trim_end_matches('/').to_string()),
            smtp_url: get("CLARION_SMTP_URL"),
            mail_from: get("CLARION_MAIL_FROM")
                .unwrap_or_else(|| "Clarion <no-reply@localhost>".into()),
            secret_key,
            demo: parse_flag("CLARION_DEMO", get("CLARION_DEMO"), true)?,
            trusted_proxies: parse_proxies(get("CLARION_TRUSTED_PROXIES").as_deref())?,
            proxy_header: match get("CLARION_PROXY_HEADER") {
                Some(v) => {
                    ProxyHeader::parse(&v).map_err(|e| invalid("CLARION_PROXY_HEADER", e))?
                }
                None => ProxyHeader::default(),
            },
            rate: RateLimits {
                // A campus or office behind one address can still sign together: 100 at
                // once, then one every 6 seconds. Beyond 20 an hour on one petition, the
                // hold rule keeps them for review instead (CLARION_HOLD_PER_ADDRESS).
                sign: quota("CLARION_RATE_SIGN", "100/10m")?,
                contact: quota("CLARION_RATE_CONTACT", "10/10m")?,
                login: quota("CLARION_RATE_LOGIN", "10/15m")?,
                export: quota("CLARION_RATE_EXPORT", "30/1m")?,
                public: quota("CLARION_RATE_PUBLIC", "600/1m")?,
            },
            min_fill_secs: match get("CLARION_MIN_FILL_SECS") {
                Some(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| invalid("CLARION_MIN_FILL_SECS", "must be a whole number"))?,
                None => 2,
            },
            hold_per_address: quota("CLARION_HOLD_PER_ADDRESS", "20/1h")?,
            dkim: crate::email::dkim::DkimSettings::from_lookup(get)
                .map_err(|e| invalid("CLARION_DKIM_KEY_FILE", e))?,
            outbox_lease: match get("CLARION_OUTBOX_LEASE_SECS") {
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|s| *s >= 5)
                    .map(chrono::TimeDelta::seconds)
                    .ok_or_else(|| {
                        invalid(
                            "CLARION_OUTBOX_LEASE_SECS",
                            "must be a whole number of seconds, at least 5",
                        )
                    })?,
                None => crate::db::outbox::LEASE,
            },
            outbox_surge_rate: match get("CLARION_OUTBOX_SURGE_RATE").as_deref().map(str::trim) {
                Some("off") => None,
                Some(v) => Some(v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    invalid(
                        "CLARION_OUTBOX_SURGE_RATE",
                        "must be a whole number of emails a second, or off",
                    )
                })?),
                None => Some(crate::email::worker::SURGE_RATE),
            },
            sign_queue: match get("CLARION_SIGN_QUEUE") {
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .ok_or_else(|| {
                        invalid(
                            "CLARION_SIGN_QUEUE",
                            "must be a whole number from 1 to 1000000",
                        )
                    })?,
                None => crate::signing::CAPACITY,
            },
            data_dir,
        })
    }

    /// The SMTP URL, which may hold a password: callers must not log it.
    pub fn smtp_url(&self) -> Option<&str> {
        self.smtp_url.as_deref()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

fn parse_flag(
    name: &'static str,
    value: Option<String>,
    default: bool,
) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim) {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(name, format!("'{other}' is not 0 or 1"))),
    }
}

/// The one forwarding header trusted proxies set (`CLARION_PROXY_HEADER`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProxyHeader {
    /// `X-Forwarded-For`, as nginx, HAProxy and most load balancers append it.
    #[default]
    XForwardedFor,
    /// RFC 7239's `Forwarded: for=…`.
    Forwarded,
}

impl ProxyHeader {
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "forwarded" => Ok(Self::Forwarded),
            other => Err(format!("'{other}' is not x-forwarded-for or forwarded")),
        }
    }
}

fn parse_proxies(value: Option<&str>) -> Result<Vec<IpNet>, ConfigError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            IpNet::from_str(s)
                .or_else(|_| IpAddr::from_str(s).map(IpNet::from))
                .map_err(|_| {
                    invalid(
                        "CLARION_TRUSTED_PROXIES",
                        format!("'{s}' is not a CIDR range"),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
}
