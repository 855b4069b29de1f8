//! Storage: the connection type shared by both backends, the
//! pool, migrations, and one file per aggregate. The backend is chosen from the URL's
//! scheme here (never by trying one after the other), and the few things the two
//! backends say differently are matched on only inside this module. Outside `db/`, only
//! `domain/status.rs` touches diesel (the statuses stored as TEXT).

pub mod actions;
pub mod api_tokens;
pub mod article_pictures;
pub mod articles;
pub mod audit;
pub mod batch;
pub mod campaigns;
pub mod dashboard;
pub mod data_links;
pub mod demo;
pub mod erasure;
pub mod exports;
pub mod follow_ups;
pub mod gauges;
pub mod handovers;
pub mod health;
pub mod holds;
pub mod jobs;
pub mod letters;
pub mod mailings;
pub mod messages;
pub mod moderation;
pub mod organisation;
pub mod osdi;
pub mod outbox;
pub mod outreaches;
pub mod partners;
pub mod petition_versions;
pub mod petitions;
pub mod quotes;
pub mod replies;
pub mod retention;
pub mod schema;
pub mod signatures;
pub mod staff;
pub mod subscriber_list;
pub mod subscribers;
pub mod supporter_actions;
pub mod supporter_data;
pub mod suppressions;
pub mod targets;
pub mod translation_status;
pub mod translations;
pub mod updates;
pub mod webhooks;
mod write_lock;

pub use write_lock::{write_transaction, write_transaction_redoable};

use std::time::Duration;

use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseUrl;

/// One connection type for both backends: every query in `db/` is written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available")]
    Pool(#[from] r2d2::PoolError),
    #[error("migrations failed: {0}")]
    Migration(String),
}

/// Opens connections of the backend the URL names, with SQLite's pragmas set.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
}

/// The write-ahead log's size after it starts over: a surge grows it to about twice
/// [`LONG_LOG_PAGES`]; when it starts over SQLite cuts it back to this, rather than
/// keeping its largest size on disk for good.
const WAL_KEPT_BYTES: i64 = LONG_LOG_PAGES * 4096;

/// Ends SQLite's wait for a busy writer; long enough for a burst, short enough to answer.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

impl DbError {
    /// The error with the database's own message, on one line, for start-up failures
    /// (the `Display` form stays generic: it reaches logs of requests).
    pub fn detail(&self) -> String {
        match self {
            Self::Query(e) => single_line(&format!("database query failed: {e}")),
            other => single_line(&other.to_string()),
        }
    }
}

impl Manager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }

    fn open(&self) -> Result<DbConnection, DbError> {
        let one_line = |e: diesel::ConnectionError| DbError::Connect(single_line(&e.to_string()));
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    DbError::Connect("the SQLite path is not valid UTF-8".to_string())
                })?;
                let mut conn = diesel::SqliteConnection::establish(path).map_err(one_line)?;
                // WAL lets readers run beside the one writer; FULL syncs every commit, so a
                // signature acknowledged to a supporter survives a power cut, not only a crash.
                // Temporary tables for large IN lists stay off the disk. No connection
                // checkpoints inside its own commits: a commit that did, copied the whole
                // log into the database while every other writer waited. The server checkpoints on a thread of its own (`checkpoint`),
                // and SQLite does when the last connection closes. `secure_delete = FAST`
                // zeroes a row's old bytes inside its page when it is updated or deleted
                // (no extra I/O): otherwise a confirmed signature's earlier copy, email
                // included, lingers in the file and survives the supporter's erasure.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA temp_store = MEMORY;
                     PRAGMA wal_autocheckpoint = 0;
                     PRAGMA secure_delete = FAST;
                     PRAGMA journal_size_limit = {WAL_KEPT_BYTES};"
                ))
                .map_err(|e| DbError::Connect(single_line(&e.to_string())))?;
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                // OpenSSL (under libpq's TLS) then registers no exit-time cleanup: it tore
                // the library down while pool threads still used their connections, and
                // the process crashed (SIGSEGV) as it exited.
                openssl_sys::init();
                diesel::PgConnection::establish(url)
                    .map(DbConnection::Postgresql)
                    .map_err(one_line)
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::Query)
    }

    /// A connection left in a failed transaction is dropped rather than reused.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Libpq's messages run over several lines; start-up errors must be one.
fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The longest a request waits for a pooled connection.
pub const CONNECTION_WAIT: Duration = Duration::from_secs(2);

/// Connects once (so a bad URL fails here, clearly), migrates, and builds the pool.
pub fn connect_and_migrate(url: &DatabaseUrl) -> Result<Pool, DbError> {
    // One connection first, so that a bad URL fails here, clearly, and migrations run once.
    drop(connect_one(url)?);
    let manager = Manager::new(url.clone());
    let size = match url {
        DatabaseUrl::Sqlite(_) => 8,
        DatabaseUrl::Postgres(_) => 16,
    };
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        // No `SELECT 1` before every checkout: a query on a broken connection fails on its
        // own, and diesel then marks the connection broken so the pool replaces it.
        .test_on_check_out(false)
        // A request waits at most 2 s for a connection, then answers 503: while the
        // database is unreachable, answers come fast instead of after 10 s each.
        .connection_timeout(CONNECTION_WAIT)
        // Each checkout's wait, in the metrics (`telemetry/metrics.rs`).
        .event_handler(Box::new(crate::telemetry::metrics::PoolEvents))
        .build(manager)
        .map_err(|e| DbError::Connect(single_line(&e.to_string())))
}

/// How many signing writers store batches side by side: SQLite takes one writer at a
/// time; a PostgreSQL writer mostly waits for round trips, so two overlap. More than two
/// stored fewer signatures a second on two cores (`benches/sign-load.sh postgres`; the
/// figures are in the CHANGELOG).
pub fn signing_writers(url: &DatabaseUrl) -> usize {
    match url {
        DatabaseUrl::Sqlite(_) => 1,
        DatabaseUrl::Postgres(_) => 2,
    }
}

/// Readies the connection the signing writer keeps: on SQLite, 16 MB of page cache, so
/// the indexes a surge writes into stay in memory (other connections keep SQLite's 2 MB,
/// so that exports reading many pages on several connections stay small).
pub fn tune_for_writes(conn: &mut DbConnection) -> Result<(), DbError> {
    if let DbConnection::Sqlite(c) = conn {
        use diesel::connection::SimpleConnection as _;
        c.batch_execute("PRAGMA cache_size = -16384;")?;
    }
    Ok(())
}

/// Copies what it can of SQLite's write-ahead log into the database file without waiting
/// for readers or the writer, and answers how many pages the log holds (PostgreSQL
/// checkpoints on its own: 0).
///
/// SQLite writes the log from its start again only when a write transaction begins
/// with the whole log copied. Under a steady stream of batches that never happens by
/// itself: each copy ends behind the writer, and the log grew without bound during a
/// surge, every write extending the file (the file system zeroing and
/// allocating its blocks) and every read searching a longer index of the log. So the
/// writer runs this itself, between two batches, once the log is long
/// ([`LONG_LOG_PAGES`]): the background copies have done the bulk, its own copy is the
/// short tail, and its next batch starts the log over.
pub fn checkpoint(conn: &mut DbConnection) -> Result<i64, DbError> {
    let DbConnection::Sqlite(c) = conn else {
        return Ok(0);
    };
    let result: WalCheckpoint =
        diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").get_result(c)?;
    Ok(result.log)
}

/// Pages of write-ahead log past which the signing writer copies the log's tail itself
/// (16 MB with 4 KB pages). At 4 MB, 16 MB and 64 MB the surge stored within noise of
/// each other; 16 MB was ahead by a little in alternating runs.
pub const LONG_LOG_PAGES: i64 = 4_096;

#[derive(QueryableByName)]
struct WalCheckpoint {
    /// Pages in the log (-1 when the database is not in WAL mode).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    log: i64,
}

/// How many more connections a server-side export may read with. PostgreSQL reads wait
/// mostly on the database server, so two more overlap well; SQLite reads run on this
/// process's own cores, which the web workers need while the export runs.
pub fn export_readers_beside(conn: &DbConnection) -> usize {
    match conn {
        DbConnection::Postgresql(_) => 2,
        DbConnection::Sqlite(_) => 0,
    }
}

/// One migrated connection and no pool, for commands that run and exit: a pool's
/// background threads still closing PostgreSQL connections while the process exits
/// crashed it now and then (libpq and OpenSSL tearing down under them).
pub fn connect_one(url: &DatabaseUrl) -> Result<DbConnection, DbError> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| DbError::Connect(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    let mut conn = Manager::new(url.clone()).open()?;
    run_migrations(&mut conn)?;
    Ok(conn)
}

/// One more connection to a database [`connect_one`] has already migrated.
pub fn connect_another(url: &DatabaseUrl) -> Result<DbConnection, DbError> {
    Manager::new(url.clone()).open()
}

/// The PostgreSQL advisory lock nodes starting together take turns through: migrations
/// and the demo's seeding run under it.
pub const STARTUP_LOCK: i64 = 7_243_105;

/// Applies pending migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let as_error = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    let names = |versions: Vec<diesel::migration::MigrationVersion>| {
        versions.iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    match conn {
        DbConnection::Sqlite(c) => Ok(names(
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(as_error)?,
        )),
        DbConnection::Postgresql(c) => {
            // Several nodes may start at once: one migrates, the others wait for it.
            c.batch_execute(&format!("SELECT pg_advisory_lock({STARTUP_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(names)
                .map_err(as_error);
            c.batch_execute(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK})"))?;
            result
        }
    }
}

/// `/healthz`: does the database answer?
pub fn ping(pool: &Pool) -> Result<(), DbError> {
    let mut conn = pool.get_timeout(Duration::from_secs(2))?;
    conn.batch_execute("SELECT 1")?;
    Ok(())
}

/// `/readyz`: does the database answer, and has it every migration this build knows?
/// Only reads: diesel's own check creates its table if missing, at every probe.
pub fn migrations_current(pool: &Pool) -> Result<bool, DbError> {
    use diesel::migration::MigrationSource;
    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let as_error = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    let mut conn = pool.get_timeout(Duration::from_secs(2))?;
    fn versions<B: diesel::backend::Backend>(
        found: Vec<Box<dyn diesel::migration::Migration<B>>>,
    ) -> Vec<String> {
        found
            .iter()
            .map(|m| m.name().version().to_string())
            .collect()
    }
    let known = match &*conn {
        DbConnection::Sqlite(_) => {
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS).map(versions)
        }
        DbConnection::Postgresql(_) => {
            MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS).map(versions)
        }
    }
    .map_err(as_error)?;
    let applied: std::collections::HashSet<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<Applied>(&mut *conn)?
            .into_iter()
            .map(|a| a.version)
            .collect();
    Ok(known.iter().all(|v| applied.contains(v)))
}

/// Whether an error is a unique-constraint violation (a slug or email already taken).
pub fn is_unique_violation(error: &DbError) -> bool {
    matches!(
        error,
        DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

/// `Some` with the result, or `None` when a unique constraint refused the write.
pub fn unless_taken<T>(result: Result<T, DbError>) -> Result<Option<T>, DbError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A new time-ordered id: v7 keeps inserts into big tables cheap on both backends.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, in UTC, to the microsecond (both backends store that precision).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}
