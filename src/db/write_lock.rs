//! Writing on SQLite without "database is locked": transactions take the write lock
//! first, and this process's writers queue for it in turn.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sqlite::Sqlite;

use super::{DbConnection, DbError};

/// A transaction that will write after reading. On SQLite it takes the write lock first
/// (waiting up to the busy timeout), as `BEGIN IMMEDIATE` would: a deferred transaction
/// that reads and then writes fails at once with "database is locked" when another
/// connection wrote in between. The shared connection type cannot say `BEGIN IMMEDIATE`,
/// and a statement that writes no row still takes the lock.
///
/// SQLite's busy handler polls with sleeps, so a writer that commits back to back (the
/// signing writer in a surge) would starve the others (the outbox, confirmations). The
/// writers of this process therefore queue for their turn, first come first served.
pub fn write_transaction<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    if matches!(conn, DbConnection::Sqlite(_)) && !HOLDS_TURN.get() {
        let _turn = SQLITE_TURN.lock();
        let _held = Held::new();
        return transaction_taking_the_lock(conn, work);
    }
    transaction_taking_the_lock(conn, work)
}

/// A write that a power cut may undo (a crash of Clarion cannot) and that is safe to do
/// again: the outbox worker's claims, marks and leases. On SQLite its commit does not wait
/// for the disk (`synchronous = NORMAL` for this transaction alone); the next ordinary
/// commit, a signature's within milliseconds in a surge, flushes the log with it. In a
/// surge the outbox's commits were a fifth of those taking turns, each holding the turn
/// through a 1 ms fsync (`perf stat` of fsync calls by thread, CHANGELOG session 23).
/// After a power cut an email whose mark was lost goes again, as it already does after a
/// crash between the relay's answer and the mark. PostgreSQL's writers take no turns:
/// there an outbox commit holds nobody up, and commits as any other.
pub fn write_transaction_redoable<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    // Nested in another write, the outer transaction's commit decides.
    if !matches!(conn, DbConnection::Sqlite(_)) || HOLDS_TURN.get() {
        return write_transaction(conn, work);
    }
    let _turn = SQLITE_TURN.lock();
    let _held = Held::new();
    // SQLite refuses to change the level inside a transaction: set around it.
    conn.batch_execute("PRAGMA synchronous = NORMAL")?;
    let done = transaction_taking_the_lock(conn, work);
    // Every other write on this pooled connection must wait for the disk again.
    conn.batch_execute("PRAGMA synchronous = FULL")?;
    done
}

static SQLITE_TURN: parking_lot::FairMutex<()> = parking_lot::const_fair_mutex(());

thread_local! {
    /// Whether this thread holds [`SQLITE_TURN`]: a nested write transaction must not
    /// wait for itself.
    static HOLDS_TURN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as holding its turn until dropped (also when the work panics).
struct Held;

impl Held {
    fn new() -> Self {
        HOLDS_TURN.set(true);
        Self
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        HOLDS_TURN.set(false);
    }
}

fn transaction_taking_the_lock<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    conn.transaction(|conn| {
        if let DbConnection::Sqlite(c) = conn {
            TakeTheLock.execute(c)?;
        }
        work(conn)
    })
}

/// `UPDATE campaigns SET id = id WHERE 0`: changes nothing and takes the write lock, as a
/// statement the connection keeps prepared. Diesel prepares its own updates and text
/// queries anew each time; SQLite parsed this one for every transaction, about 4% of
/// the signing writer's time in a surge (`perf record`, CHANGELOG session 22).
#[derive(QueryId)]
struct TakeTheLock;

impl QueryFragment<Sqlite> for TakeTheLock {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql("UPDATE campaigns SET id = id WHERE 0");
        Ok(())
    }
}

impl RunQueryDsl<diesel::SqliteConnection> for TakeTheLock {}
