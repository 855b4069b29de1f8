//! The outbox's two lanes and the queries that find rows by status within them.
//!
//! Each lane has its own due index, partial on `mailing_id` (`outbox_due_mail`,
//! `outbox_due_mailings`). There is no index on status alone: it cost every signature an
//! index entry, and each status change another. So a query by status names its lane,
//! with the same `mailing_id IS [NOT] NULL` as the index, to reach that index; a count
//! over the whole outbox asks each lane in turn.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::schema::outbox;
use crate::db::{DbConnection, DbError, MultiBackend};
use crate::domain::status::OutboxStatus;

/// Which emails a worker sends. Each lane has its own worker and index, so supporters'
/// and officials' mail never waits behind a mailing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Confirmations, letters, invitations: every row without a mailing.
    Mail,
    /// The emails of mailings.
    Mailings,
}

impl Lane {
    pub const BOTH: [Lane; 2] = [Lane::Mail, Lane::Mailings];
}

/// The condition that puts a row in `lane`, written as its index's condition is, so
/// that both SQLite's and PostgreSQL's planners see that the partial index applies.
pub fn in_lane(
    lane: Lane,
) -> Box<dyn BoxableExpression<outbox::table, MultiBackend, SqlType = Bool>> {
    match lane {
        Lane::Mail => Box::new(outbox::mailing_id.is_null()),
        Lane::Mailings => Box::new(outbox::mailing_id.is_not_null()),
    }
}

/// Rows by status, both lanes together; for tests and the dashboard.
pub fn count_by_status(conn: &mut DbConnection, status: OutboxStatus) -> Result<i64, DbError> {
    let mut total = 0;
    for lane in Lane::BOTH {
        total += outbox::table
            .filter(in_lane(lane))
            .filter(outbox::status.eq(status))
            .count()
            .get_result::<i64>(conn)?;
    }
    Ok(total)
}

/// Rows of `lane` whose worker stopped mid-send (crash, restart) become due again after
/// the lease; each lane's worker releases its own. Like every write here, it takes this
/// process's SQLite turn: a write outside it waits in SQLite's busy handler, polling
/// every 100 ms while the signing writer holds the lock.
pub fn release_stale(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: TimeDelta,
    lane: Lane,
) -> Result<usize, DbError> {
    crate::db::write_transaction_redoable(conn, |conn| {
        Ok(diesel::update(outbox::table)
            .filter(in_lane(lane))
            .filter(outbox::status.eq(OutboxStatus::Sending))
            .filter(
                outbox::sent_at
                    .is_null()
                    .or(outbox::sent_at.lt(now - lease)),
            )
            .set((
                outbox::status.eq(OutboxStatus::Pending),
                outbox::sent_at.eq(None::<NaiveDateTime>),
                outbox::claim.eq(None::<String>),
            ))
            .execute(conn)?)
    })
}

/// Extends the lease of the rows of `lane` still held under `claim`: a worker sending
/// through a slow relay keeps them. Answers how many it still holds.
pub fn renew(
    conn: &mut DbConnection,
    claim: &str,
    now: NaiveDateTime,
    lane: Lane,
) -> Result<usize, DbError> {
    crate::db::write_transaction_redoable(conn, |conn| {
        Ok(diesel::update(outbox::table)
            .filter(in_lane(lane))
            .filter(outbox::claim.eq(claim))
            .filter(outbox::status.eq(OutboxStatus::Sending))
            .set(outbox::sent_at.eq(now))
            .execute(conn)?)
    })
}
