//! The audit log: who did what to which record, and when. Every export of personal data
//! is one event, with its filters and row count.

use diesel::prelude::*;

use super::schema::audit_events;
use super::{new_id, now, DbConnection, DbError};

/// One thing that happened, about to be recorded.
pub struct Event<'a> {
    /// `None` for the command line.
    pub staff_user_id: Option<&'a str>,
    pub event: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub detail: &'a str,
    pub row_count: Option<i64>,
}

pub fn record(conn: &mut DbConnection, e: &Event) -> Result<(), DbError> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(new_id()),
            audit_events::staff_user_id.eq(e.staff_user_id),
            audit_events::event.eq(e.event),
            audit_events::subject_type.eq(e.subject_type),
            audit_events::subject_id.eq(e.subject_id),
            audit_events::detail.eq(e.detail),
            audit_events::row_count.eq(e.row_count),
            audit_events::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// (event, detail, row count) of the newest events first, for tests and the log page.
pub fn latest(
    conn: &mut DbConnection,
    limit: i64,
) -> Result<Vec<(String, String, Option<i64>)>, DbError> {
    Ok(audit_events::table
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .select((
            audit_events::event,
            audit_events::detail,
            audit_events::row_count,
        ))
        .load(conn)?)
}
