//! Whether writes work. Every signing batch reports its outcome here; `/healthz` answers
//! 503 while the last write failed, and the cause is logged once per change of state,
//! never per request (with the disk full, a surge once made 480,000 log lines in 13 s).
//! On a nearly full disk some writes still fit between failures; "writes work again" is
//! said only once [`QUIET`] has passed without a failure, so such flapping logs nothing
//! more.
//! While writes fail, `/healthz` learns whether they work again by rewriting one row,
//! at most every [`PROBE_EVERY`]; while they work it writes nothing.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::schema::write_probe;
use super::{DbConnection, DbError};

/// Why writes fail, as an operator would act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum WriteFault {
    /// No connection: the server is down, refuses, or the network is.
    Unreachable = 1,
    DiskFull = 2,
    ReadOnly = 3,
    /// Anything else the database refused.
    Failed = 4,
    /// Every pooled connection was busy for the whole wait, and no attempt to connect
    /// failed: a load, not a fault. Answered 503, never recorded or logged as a fault.
    Busy = 5,
}

impl WriteFault {
    /// What it means, for the log line.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Unreachable => "database unreachable",
            Self::DiskFull => "disk full",
            Self::ReadOnly => "database read-only",
            Self::Failed => "database refused the write",
            Self::Busy => "no database connection free",
        }
    }

    fn from_u8(value: u8) -> Option<Self> {
        match value {
            1 => Some(Self::Unreachable),
            2 => Some(Self::DiskFull),
            3 => Some(Self::ReadOnly),
            4 => Some(Self::Failed),
            5 => Some(Self::Busy),
            _ => None,
        }
    }

    /// Tells the cause from the error (SQLite's and PostgreSQL's own wording).
    pub fn of(error: &DbError) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        let query = match error {
            // r2d2 names the last failed attempt to connect after its message, if any.
            DbError::Pool(e) if e.to_string() == "timed out waiting for connection" => {
                return Self::Busy
            }
            DbError::Connect(_) | DbError::Pool(_) => return Self::Unreachable,
            DbError::Migration(_) => return Self::Failed,
            DbError::Query(query) => query,
        };
        if matches!(
            query,
            Error::DatabaseError(Kind::ClosedConnection | Kind::UnableToSendCommand, _)
        ) {
            return Self::Unreachable;
        }
        let text = query.to_string().to_lowercase();
        if ["disk is full", "no space left", "could not extend file"]
            .iter()
            .any(|t| text.contains(t))
        {
            Self::DiskFull
        } else if ["readonly", "read-only", "read only"]
            .iter()
            .any(|t| text.contains(t))
        {
            Self::ReadOnly
        } else if [
            "terminating connection",
            "server closed the connection",
            "could not connect",
            "connection refused",
        ]
        .iter()
        .any(|t| text.contains(t))
        {
            Self::Unreachable
        } else {
            Self::Failed
        }
    }
}

/// How often, at most, `/healthz` tries a write while writes fail.
pub const PROBE_EVERY: Duration = Duration::from_secs(2);

/// How long writes must go without a failure before the log says they work again.
pub const QUIET: Duration = Duration::from_secs(2);

/// The state every writer reports to and `/healthz` reads; one per process.
#[derive(Default)]
pub struct WriteHealth {
    /// 0 while the last write worked, else its [`WriteFault`].
    fault: AtomicU8,
    /// Whether a failure has been logged and its end not yet (the fast path's test).
    announced: AtomicBool,
    said: Mutex<Said>,
    last_probe: Mutex<Option<Instant>>,
}

/// What the log has been told.
#[derive(Default)]
struct Said {
    cause: Option<WriteFault>,
    last_failure: Option<Instant>,
}

impl WriteHealth {
    /// A write went through; once writes have gone [`QUIET`] without failing after a
    /// logged failure, the log says they work again.
    pub fn succeeded(&self) {
        self.fault.store(0, Ordering::Relaxed);
        if !self.announced.load(Ordering::Relaxed) {
            return;
        }
        let mut said = self.said.lock().unwrap_or_else(|e| e.into_inner());
        let quiet = said.last_failure.is_none_or(|at| at.elapsed() >= QUIET);
        if let (Some(cause), true) = (said.cause, quiet) {
            tracing::warn!(was = cause.describe(), "database writes work again");
            said.cause = None;
            self.announced.store(false, Ordering::Relaxed);
        }
    }

    /// A write failed: the log hears of a cause it has not been told, and the caller
    /// gets the cause.
    pub fn failed(&self, error: &DbError) -> WriteFault {
        let fault = WriteFault::of(error);
        if fault == WriteFault::Busy {
            return fault;
        }
        self.fault.store(fault as u8, Ordering::Relaxed);
        let mut said = self.said.lock().unwrap_or_else(|e| e.into_inner());
        said.last_failure = Some(Instant::now());
        if said.cause != Some(fault) {
            tracing::error!(cause = fault.describe(), error = %error_line(error), "database writes fail; signing answers 503 until they work again");
            said.cause = Some(fault);
            self.announced.store(true, Ordering::Relaxed);
        }
        fault
    }

    /// Why writes fail now, if they do.
    pub fn fault(&self) -> Option<WriteFault> {
        WriteFault::from_u8(self.fault.load(Ordering::Relaxed))
    }

    /// Whether a probe write is due: only while writes fail, every [`PROBE_EVERY`].
    pub fn probe_due(&self) -> bool {
        if self.fault().is_none() {
            return false;
        }
        let mut last = self.last_probe.lock().unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|at| at.elapsed() >= PROBE_EVERY);
        if due {
            *last = Some(Instant::now());
        }
        due
    }
}

/// The error with its database message, on one line.
fn error_line(error: &DbError) -> String {
    let text = match error {
        DbError::Query(query) => query.to_string(),
        other => other.to_string(),
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A real write of one row: what `/healthz` tries while writes fail.
pub fn probe_write(conn: &mut DbConnection) -> Result<(), DbError> {
    diesel::update(write_probe::table)
        .set(write_probe::probed_at.eq(super::now()))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_is_told_from_each_backends_wording() {
        use diesel::result::{DatabaseErrorKind, Error};
        let query = |message: &str| {
            DbError::Query(Error::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(message.to_string()),
            ))
        };
        assert_eq!(
            WriteFault::of(&query("database or disk is full")),
            WriteFault::DiskFull
        );
        assert_eq!(
            WriteFault::of(&query(
                "could not extend file \"base/1/2\": No space left on device"
            )),
            WriteFault::DiskFull
        );
        assert_eq!(
            WriteFault::of(&query("attempt to write a readonly database")),
            WriteFault::ReadOnly
        );
        assert_eq!(
            WriteFault::of(&query("cannot execute INSERT in a read-only transaction")),
            WriteFault::ReadOnly
        );
        assert_eq!(
            WriteFault::of(&DbError::Connect("refused".into())),
            WriteFault::Unreachable
        );
        assert_eq!(WriteFault::of(&query("syntax error")), WriteFault::Failed);
    }

    #[test]
    fn a_busy_pool_is_a_load_and_a_failed_connection_an_outage() {
        use crate::config::DatabaseUrl;
        use std::time::Duration;
        let memory = crate::db::Manager::new(DatabaseUrl::Sqlite(":memory:".into()));
        let pool = diesel::r2d2::Pool::builder()
            .max_size(1)
            .build(memory)
            .unwrap();
        let _held = pool.get().unwrap();
        let busy = DbError::from(pool.get_timeout(Duration::from_millis(20)).err().unwrap());
        assert_eq!(WriteFault::of(&busy), WriteFault::Busy);
        let health = WriteHealth::default();
        health.failed(&busy);
        assert!(health.fault().is_none(), "a busy pool is no fault");

        let missing = DatabaseUrl::Sqlite("/nonexistent/clarion/x.db".into());
        let pool = diesel::r2d2::Pool::builder()
            .max_size(1)
            .build_unchecked(crate::db::Manager::new(missing));
        let down = DbError::from(pool.get_timeout(Duration::from_millis(200)).err().unwrap());
        assert_eq!(WriteFault::of(&down), WriteFault::Unreachable, "{down:?}");
    }

    #[test]
    fn health_follows_the_last_write_and_probes_only_while_failing() {
        let health = WriteHealth::default();
        assert!(health.fault().is_none() && !health.probe_due());
        health.failed(&DbError::Connect("down".into()));
        assert_eq!(health.fault(), Some(WriteFault::Unreachable));
        assert!(health.probe_due());
        assert!(!health.probe_due(), "not twice within the period");
        health.succeeded();
        assert!(health.fault().is_none() && !health.probe_due());
    }
}
