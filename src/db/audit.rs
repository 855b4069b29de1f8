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

/// Which events the audit log page shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub event: Option<String>,
    /// The staff member's email; "cli" for the command line.
    pub staff: Option<String>,
    pub from: Option<chrono::NaiveDateTime>,
    pub before: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub created_at: chrono::NaiveDateTime,
    /// `None` for the command line.
    pub staff_email: Option<String>,
    pub event: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
    pub row_count: Option<i64>,
}

pub const PAGE: i64 = 50;

/// One page of the log, newest first, and how many events match.
pub fn page(
    conn: &mut DbConnection,
    filter: &Filter,
    page: i64,
) -> Result<(Vec<Entry>, i64), DbError> {
    use super::schema::staff_users;
    let filtered = || {
        let mut q = audit_events::table
            .left_join(staff_users::table)
            .into_boxed();
        if let Some(event) = &filter.event {
            q = q.filter(audit_events::event.eq(event.clone()));
        }
        match filter.staff.as_deref() {
            None => {}
            Some("cli") => q = q.filter(audit_events::staff_user_id.is_null()),
            Some(email) => q = q.filter(staff_users::email.eq(email.to_lowercase())),
        }
        if let Some(from) = filter.from {
            q = q.filter(audit_events::created_at.ge(from));
        }
        if let Some(before) = filter.before {
            q = q.filter(audit_events::created_at.lt(before));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .select((
            audit_events::created_at,
            staff_users::email.nullable(),
            audit_events::event,
            audit_events::subject_type,
            audit_events::subject_id,
            audit_events::detail,
            audit_events::row_count,
        ))
        .limit(PAGE)
        .offset(page.max(0) * PAGE)
        .load(conn)?;
    Ok((rows, total))
}

/// Every kind of event recorded so far, for the filter's choices.
pub fn kinds(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    Ok(audit_events::table
        .select(audit_events::event)
        .distinct()
        .order(audit_events::event.asc())
        .load(conn)?)
}

/// Records what a staff member did to a record, e.g. `("article", id)`.
pub fn staff_change(
    conn: &mut DbConnection,
    staff_id: &str,
    event: &str,
    subject: (&str, &str),
    detail: &str,
) -> Result<(), DbError> {
    record(
        conn,
        &Event {
            staff_user_id: Some(staff_id),
            event,
            subject_type: subject.0,
            subject_id: subject.1,
            detail,
            row_count: None,
        },
    )
}

/// A staff member's save of an article or action, as the audit log records it.
pub struct Saved<'a> {
    /// e.g. `("article", id)`.
    pub subject: (&'a str, &'a str),
    /// Its status before the save; `None` when the save created it.
    pub before: Option<&'a str>,
    pub status: &'a str,
    /// The status that makes it public and the event that records reaching it, e.g.
    /// `("published", "article.published")`.
    pub public: (&'a str, &'a str),
    pub title: &'a str,
    pub detail: &'a str,
}

/// Records `{kind}.created` or `{kind}.changed` with the save's detail, and, when the
/// save made the record public, that event with its title.
pub fn staff_saved(conn: &mut DbConnection, staff_id: &str, saved: &Saved) -> Result<(), DbError> {
    let verb = if saved.before.is_none() {
        "created"
    } else {
        "changed"
    };
    let event = format!("{}.{verb}", saved.subject.0);
    staff_change(conn, staff_id, &event, saved.subject, saved.detail)?;
    let (public, went_public) = saved.public;
    if saved.status == public && saved.before != Some(public) {
        staff_change(conn, staff_id, went_public, saved.subject, saved.title)?;
    }
    Ok(())
}
