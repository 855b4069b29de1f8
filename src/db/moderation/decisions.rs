//! Staff decisions on signatures, kept so that they can be undone: each decision with its
//! reason, staff member and time, and each signature it changed with its status before.
//! Undoing within 30 days turns back the rows still as the decision left them; a row that
//! moved on since (released, then invalidated by a later decision) is left as it is.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{moderation_changes, moderation_decisions, signatures, staff_users};
use crate::db::{new_id, DbConnection, DbError};
use crate::domain::status::{Decision, SignatureStatus};

/// How long a decision can be undone.
pub const UNDO_DAYS: i64 = 30;

/// Who decided, and why (the reason staff typed; required).
#[derive(Debug, Clone)]
pub struct Decided<'a> {
    /// `None` from the command line (`clarion held`).
    pub staff_user_id: Option<&'a str>,
    pub reason: &'a str,
    pub at: NaiveDateTime,
}

/// Records decision `decision` on `ids` of `action_id`, with each row's status before.
/// Called inside the write transaction that changes the rows, before it changes them.
pub(super) fn record(
    conn: &mut DbConnection,
    action_id: &str,
    ids: &[String],
    decision: Decision,
    by: &Decided,
) -> Result<String, DbError> {
    let id = new_id();
    diesel::insert_into(moderation_decisions::table)
        .values((
            moderation_decisions::id.eq(&id),
            moderation_decisions::action_id.eq(action_id),
            moderation_decisions::decision.eq(decision.as_str()),
            moderation_decisions::reason.eq(by.reason),
            moderation_decisions::staff_user_id.eq(by.staff_user_id),
            moderation_decisions::row_count.eq(ids.len() as i64),
            moderation_decisions::decided_at.eq(by.at),
        ))
        .execute(conn)?;
    // One INSERT … SELECT per chunk: the statuses before are read by the database itself.
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        let before = signatures::table
            .filter(signatures::id.eq_any(chunk))
            .select((
                id.clone().into_sql::<diesel::sql_types::Text>(),
                signatures::id,
                signatures::status,
            ));
        diesel::insert_into(moderation_changes::table)
            .values(before)
            .into_columns((
                moderation_changes::decision_id,
                moderation_changes::signature_id,
                moderation_changes::status_before,
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// A decision as the signature list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Past {
    pub id: String,
    pub decision: String,
    pub reason: String,
    pub staff_email: Option<String>,
    pub row_count: i64,
    pub decided_at: NaiveDateTime,
    pub undone_at: Option<NaiveDateTime>,
}

impl Past {
    pub fn decision(&self) -> Option<Decision> {
        Decision::parse(&self.decision)
    }

    /// Whether staff can still undo it at `now`.
    pub fn can_undo(&self, now: NaiveDateTime) -> bool {
        self.undone_at.is_none() && now - self.decided_at <= Duration::days(UNDO_DAYS)
    }
}

/// The latest decisions on a petition, newest first.
pub fn latest(conn: &mut DbConnection, action_id: &str, limit: i64) -> Result<Vec<Past>, DbError> {
    Ok(moderation_decisions::table
        .left_join(
            staff_users::table
                .on(moderation_decisions::staff_user_id.eq(staff_users::id.nullable())),
        )
        .filter(moderation_decisions::action_id.eq(action_id))
        .select((
            moderation_decisions::id,
            moderation_decisions::decision,
            moderation_decisions::reason,
            staff_users::email.nullable(),
            moderation_decisions::row_count,
            moderation_decisions::decided_at,
            moderation_decisions::undone_at,
        ))
        .order((
            moderation_decisions::decided_at.desc(),
            moderation_decisions::id.desc(),
        ))
        .limit(limit)
        .load(conn)?)
}

/// What undoing came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undone {
    /// Turned back: how many rows, of how many the decision changed.
    Done { turned_back: usize, of: i64 },
    /// No such decision on this petition.
    Unknown,
    /// Undone already, or older than [`UNDO_DAYS`].
    TooLate,
}

/// Undoes decision `id` of `action_id` by `staff_user_id` at `now`. Called inside a write
/// transaction; the caller recounts when rows turned back.
pub(super) fn undo(
    conn: &mut DbConnection,
    action_id: &str,
    id: &str,
    staff_user_id: &str,
    now: NaiveDateTime,
) -> Result<Undone, DbError> {
    let found: Option<(String, i64, NaiveDateTime, Option<NaiveDateTime>)> =
        moderation_decisions::table
            .filter(moderation_decisions::id.eq(id))
            .filter(moderation_decisions::action_id.eq(action_id))
            .select((
                moderation_decisions::decision,
                moderation_decisions::row_count,
                moderation_decisions::decided_at,
                moderation_decisions::undone_at,
            ))
            .first(conn)
            .optional()?;
    let Some((decision, of, decided_at, undone_at)) = found else {
        return Ok(Undone::Unknown);
    };
    let Some(decision) = Decision::parse(&decision) else {
        return Ok(Undone::Unknown);
    };
    if undone_at.is_some() || now - decided_at > Duration::days(UNDO_DAYS) {
        return Ok(Undone::TooLate);
    }
    let mut turned_back = 0;
    for before in SignatureStatus::ALL {
        let changed = moderation_changes::table
            .filter(moderation_changes::decision_id.eq(id))
            .filter(moderation_changes::status_before.eq(before.as_str()))
            .select(moderation_changes::signature_id);
        turned_back += diesel::update(signatures::table)
            .filter(signatures::id.eq_any(changed))
            .filter(signatures::action_id.eq(action_id))
            .filter(signatures::status.eq_any(decision.leaves()))
            .set((
                signatures::status.eq(before),
                signatures::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(moderation_decisions::table.filter(moderation_decisions::id.eq(id)))
        .set((
            moderation_decisions::undone_at.eq(now),
            moderation_decisions::undone_by.eq(staff_user_id),
        ))
        .execute(conn)?;
    Ok(Undone::Done { turned_back, of })
}
