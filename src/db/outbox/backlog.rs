//! The outbox as staff and operators see it: its depth and lag for the dashboard, and
//! failed emails queued again by `clarion outbox retry`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{count_by_status, in_lane, Lane};
use crate::db::schema::outbox;
use crate::db::{DbConnection, DbError};
use crate::domain::status::{OutboxStatus, TargetStatus};

/// The queue as staff see it on the dashboard.
#[derive(Debug, Clone, Default)]
pub struct Backlog {
    /// Emails not yet sent (pending or being sent), due or paced for later.
    pub waiting: i64,
    /// Of those, the ones whose time has come.
    pub due: i64,
    /// When the email that has waited longest since it fell due fell due.
    pub oldest_due: Option<NaiveDateTime>,
    /// The same, among confirmation emails (supporters wait for these to act).
    pub oldest_confirmation_due: Option<NaiveDateTime>,
    /// Emails given up on.
    pub failed: i64,
}

/// The outbox's depth and lag at `now`; `confirmations` are the kinds supporters wait for.
pub fn backlog(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    confirmations: &[&str],
) -> Result<Backlog, DbError> {
    let mut total = Backlog {
        failed: count_by_status(conn, OutboxStatus::Failed)?,
        ..Backlog::default()
    };
    // Each lane through its own index (see `lane.rs`), then added up.
    for lane in Lane::BOTH {
        let unsent = || {
            outbox::table
                .filter(in_lane(lane))
                .filter(outbox::status.eq_any([OutboxStatus::Pending, OutboxStatus::Sending]))
        };
        let oldest = |conn: &mut DbConnection, kinds: Option<&[&str]>| {
            let mut query = unsent()
                .filter(outbox::next_attempt_at.le(now))
                .select(outbox::next_attempt_at)
                .order(outbox::next_attempt_at.asc())
                .into_boxed();
            if let Some(kinds) = kinds {
                query = query.filter(outbox::kind.eq_any(kinds.to_vec()));
            }
            query.first::<NaiveDateTime>(conn).optional()
        };
        total.waiting += unsent().count().get_result::<i64>(conn)?;
        total.due += unsent()
            .filter(outbox::next_attempt_at.le(now))
            .count()
            .get_result::<i64>(conn)?;
        total.oldest_due = earliest(total.oldest_due, oldest(conn, None)?);
        total.oldest_confirmation_due = earliest(
            total.oldest_confirmation_due,
            oldest(conn, Some(confirmations))?,
        );
    }
    Ok(total)
}

/// The earlier of two times either of which may be missing (a lane with nothing).
pub fn earliest(a: Option<NaiveDateTime>, b: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    a.into_iter().chain(b).min()
}

/// Emails given up on (of `kind`, queued since `since`) become due again at `now`, with
/// their attempts counted afresh; recorded in the audit log. Answers how many.
pub fn retry_failed(
    conn: &mut DbConnection,
    kind: Option<&str>,
    since: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    crate::db::write_transaction(conn, |conn| {
        let mut ids: Vec<String> = Vec::new();
        for lane in Lane::BOTH {
            let mut chosen = outbox::table
                .filter(in_lane(lane))
                .filter(outbox::status.eq(OutboxStatus::Failed))
                .select(outbox::id)
                .into_boxed();
            if let Some(kind) = kind {
                chosen = chosen.filter(outbox::kind.eq(kind));
            }
            if let Some(since) = since {
                chosen = chosen.filter(outbox::created_at.ge(since));
            }
            ids.extend(chosen.load::<String>(conn)?);
        }
        for chunk in ids.chunks(500) {
            diesel::update(outbox::table.filter(outbox::id.eq_any(chunk)))
                .set((
                    outbox::status.eq(OutboxStatus::Pending),
                    outbox::attempts.eq(0),
                    outbox::next_attempt_at.eq(now),
                    outbox::sent_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            // A retried letter is queued again for its target.
            use crate::db::schema::message_targets;
            diesel::update(
                message_targets::table
                    .filter(message_targets::outbox_id.eq_any(chunk))
                    .filter(message_targets::status.eq(TargetStatus::Failed)),
            )
            .set((
                message_targets::status.eq(TargetStatus::Queued),
                message_targets::updated_at.eq(now),
            ))
            .execute(conn)?;
        }
        let detail = format!(
            "kind {}, since {}",
            kind.unwrap_or("any"),
            since.map_or("any date".to_string(), |d| d.date().to_string())
        );
        crate::db::audit::record(
            conn,
            &crate::db::audit::Event {
                staff_user_id: None,
                event: "outbox.retried",
                subject_type: "outbox",
                subject_id: "",
                detail: &detail,
                row_count: Some(ids.len() as i64),
            },
        )?;
        Ok(ids.len())
    })
}
