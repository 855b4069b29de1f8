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

pub mod operations;
pub mod periods;
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
    /// After this long unconfirmed, a pending signature or letter gets its one reminder
    /// (`CLARION_REMINDER_AFTER`, default 48h).
    pub reminder_after: chrono::TimeDelta,
    /// How long personal data is kept (`CLARION_RETAIN_*`).
    pub retention: periods::Retention,
    /// When writers are asked whether the officials replied (`CLARION_FOLLOW_UP_*`).
    pub follow_up: periods::FollowUp,
    /// `CLARION_WEBHOOK_ALLOW_PRIVATE=1`: partners' origins (and later webhook URLs) may be
    /// http, loopback or IP literals: for tests and private deployments only.
    pub allow_private: crate::domain::partner::AllowPrivate,
    /// DKIM signing of every email (`email/dkim.rs`), when all three settings are set.
    pub dkim: Option<crate::email::dkim::DkimSettings>,
    /// Sign requests that may wait for the writer; more are answered 503 at once.
    pub sign_queue: usize,
    pub hold_per_address: Option<Quota>,
    /// Recent signatures the SQLite writer remembers for the per-address rule, at most
    /// (`db/batch/recent.rs`); past it, rows are counted by an index instead.
    pub hold_memory: usize,
    /// Shutdown budget, metrics listener, log format (`config/operations.rs`).
    pub operations: operations::Operations,
}

/// A whole number from `range`, or `default` when unset.
fn whole(
    value: Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<usize>,
    default: usize,
) -> Result<usize, ConfigError> {
    let Some(v) = value else { return Ok(default) };
    v.trim()
        .parse()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            invalid(
                name,
                format!(
                    "must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
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
            reminder_after: match get("CLARION_REMINDER_AFTER") {
                Some(v) => periods::parse(&v).map_err(|e| invalid("CLARION_REMINDER_AFTER", e))?,
                None => chrono::TimeDelta::hours(48),
            },
            retention: periods::Retention::from_lookup(get)
                .map_err(|(name, e)| invalid(name, e))?,
            follow_up: periods::FollowUp::from_lookup(get).map_err(|(name, e)| invalid(name, e))?,
            allow_private: match get("CLARION_WEBHOOK_ALLOW_PRIVATE")
                .as_deref()
                .map(str::trim)
            {
                None | Some("0") => crate::domain::partner::AllowPrivate(false),
                Some("1") => crate::domain::partner::AllowPrivate(true),
                Some(_) => return Err(invalid("CLARION_WEBHOOK_ALLOW_PRIVATE", "must be 1 or 0")),
            },
            sign_queue: whole(
                get("CLARION_SIGN_QUEUE"),
                "CLARION_SIGN_QUEUE",
                1..=1_000_000,
                crate::signing::CAPACITY,
            )?,
            hold_memory: whole(
                get("CLARION_HOLD_MEMORY"),
                "CLARION_HOLD_MEMORY",
                0..=100_000_000,
                crate::signing::HOLD_MEMORY,
            )?,
            operations: operations::Operations::from_lookup(get)
                .map_err(|(name, e)| invalid(name, e))?,
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
mod tests;
