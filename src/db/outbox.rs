//! The outbox: emails written in the same transaction as the change that causes them,
//! then sent by the worker. A row is claimed by one worker at a time (a conditional
//! update, so several nodes can share the queue) under a claim token; every later update
//! of the row by that worker names the token, so a worker whose lease ran out (and whose
//! rows another worker took) changes nothing. A worker renews its lease while it sends;
//! rows whose worker died become due again when the lease ends.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::outbox;
use super::{new_id, DbConnection, DbError};
use crate::domain::status::{OutboxStatus, TargetStatus};

mod backlog;
mod lane;
pub use backlog::{backlog, earliest, retry_failed, Backlog};
pub use lane::{count_by_status, in_lane, release_stale, renew, Lane};

#[derive(Debug, Clone, Insertable)]
// `None` is bound as NULL (no column has another default): the insert's SQL is then
// the same for every row, so diesel finds its prepared statement by type instead of
// writing the SQL out again for each row in the signing writer.
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewEmail {
    pub id: String,
    pub kind: String,
    pub to_address: String,
    pub from_name: Option<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub status: OutboxStatus,
    pub next_attempt_at: NaiveDateTime,
    pub signature_id: Option<String>,
    pub message_id: Option<String>,
    pub target_id: Option<String>,
    pub created_at: NaiveDateTime,
    /// What a templated email is made from (JSON), rendered when sent; its subject and
    /// bodies stay empty until then.
    pub fields: Option<String>,
    /// A mailing's email (or its test copy): the mailing and the subscriber.
    pub mailing_id: Option<String>,
    pub subscriber_id: Option<String>,
}

impl NewEmail {
    /// A plain and HTML email to `to`, due now.
    pub fn new(
        kind: &str,
        to: &str,
        subject: String,
        text: String,
        html: Option<String>,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id: new_id(),
            kind: kind.to_string(),
            to_address: to.to_string(),
            from_name: None,
            reply_to: None,
            subject,
            body_text: text,
            body_html: html,
            status: OutboxStatus::Pending,
            next_attempt_at: now,
            signature_id: None,
            message_id: None,
            target_id: None,
            created_at: now,
            fields: None,
            mailing_id: None,
            subscriber_id: None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct QueuedEmail {
    pub id: String,
    pub kind: String,
    pub to_address: String,
    pub from_name: Option<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attempts: i32,
    pub fields: Option<String>,
    /// The claim this row is held under while being sent.
    pub claim: Option<String>,
    /// A mailing's email: which mailing, to which subscriber (`email/mailing.rs`).
    pub mailing_id: Option<String>,
    pub subscriber_id: Option<String>,
    /// The signature or letter it is about, if any: its "your data" link names it.
    pub signature_id: Option<String>,
    pub message_id: Option<String>,
}

/// How long a claimed row is left to its worker before another may take it, unless the
/// worker renews it ([`renew`]; the worker does every [`RENEW_EVERY`]). The default of
/// `CLARION_OUTBOX_LEASE_SECS`.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);
pub const RENEW_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// How many emails of `kind` queued in the mailings' lane under `id` (a mailing, an
/// update) stand in each status.
pub fn by_status(
    conn: &mut DbConnection,
    id: &str,
    kind: &str,
) -> Result<Vec<(OutboxStatus, i64)>, DbError> {
    Ok(outbox::table
        .filter(outbox::mailing_id.eq(id))
        .filter(outbox::kind.eq(kind))
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?)
}

pub fn enqueue(conn: &mut DbConnection, email: &NewEmail) -> Result<(), DbError> {
    diesel::insert_into(outbox::table)
        .values(email)
        .execute(conn)?;
    Ok(())
}

/// Claims up to `limit` due rows of `lane` for this worker and returns them.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
    lane: Lane,
) -> Result<Vec<QueuedEmail>, DbError> {
    // One transaction for the whole claim: one commit instead of one per row, and on
    // SQLite one turn among this process's writers.
    super::write_transaction_redoable(conn, |conn| claim_in(conn, now, limit, lane))
}

fn claim_in(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
    lane: Lane,
) -> Result<Vec<QueuedEmail>, DbError> {
    let due: Vec<String> = outbox::table
        .filter(in_lane(lane))
        .filter(outbox::status.eq(OutboxStatus::Pending))
        .filter(outbox::next_attempt_at.le(now))
        .order(outbox::next_attempt_at.asc())
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    // One conditional update for the batch: a row another worker claimed meanwhile is no
    // longer pending and stays theirs; ours are the ones marked with this claim's token.
    let claim = new_id();
    let mut claimed = Vec::with_capacity(due.len());
    for chunk in due.chunks(500) {
        diesel::update(outbox::table)
            .filter(outbox::id.eq_any(chunk))
            // `|| ''` keeps SQLite's planner on the primary key: without statistics it
            // would rather scan every pending row through a status index, a cost that
            // grows with the backlog, inside a write turn.
            .filter(outbox::status.concat("").eq(OutboxStatus::Pending))
            .set((
                outbox::status.eq(OutboxStatus::Sending),
                outbox::attempts.eq(outbox::attempts + 1),
                // While sending, sent_at marks when the claim began. next_attempt_at stays
                // as scheduled: the pacing of letters counts on it.
                outbox::sent_at.eq(now),
                outbox::claim.eq(&claim),
            ))
            .execute(conn)?;
        claimed.extend(
            outbox::table
                .filter(outbox::id.eq_any(chunk))
                .filter(outbox::status.eq(OutboxStatus::Sending))
                .filter(outbox::claim.eq(&claim))
                .order(outbox::next_attempt_at.asc())
                .select(QueuedEmail::as_select())
                .load(conn)?,
        );
    }
    Ok(claimed)
}

/// Marks rows of `claim` sent, all in one transaction, and clears their bodies; for a
/// letter, also its target's delivery and the action's count. Rows no longer held under
/// `claim` (another worker took them after the lease ran out) are left alone. Answers
/// how many were marked.
pub fn mark_sent(
    conn: &mut DbConnection,
    claim: &str,
    ids: &[&str],
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    super::write_transaction_redoable(conn, |conn| {
        let mut held: Vec<String> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            held.extend(
                outbox::table
                    .filter(outbox::id.eq_any(chunk))
                    .filter(outbox::claim.eq(claim))
                    .filter(outbox::status.eq(OutboxStatus::Sending))
                    .select(outbox::id)
                    .load::<String>(conn)?,
            );
        }
        for chunk in held.chunks(500) {
            diesel::update(outbox::table.filter(outbox::id.eq_any(chunk)))
                // Once delivered, the body (with its links, which are secrets) has done
                // its work; who it went to, its kind and subject stay for the records.
                .set((
                    outbox::status.eq(OutboxStatus::Sent),
                    outbox::sent_at.eq(now),
                    outbox::last_error.eq(None::<String>),
                    outbox::body_text.eq(""),
                    outbox::body_html.eq(None::<String>),
                    outbox::fields.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        // Only letters have a delivery to follow; confirmation emails (most of a batch
        // in a surge) need no query each.
        let mut letters: Vec<String> = Vec::new();
        for chunk in held.chunks(500) {
            letters.extend(
                super::schema::message_targets::table
                    .filter(super::schema::message_targets::outbox_id.eq_any(chunk))
                    .select(super::schema::message_targets::outbox_id)
                    .load::<Option<String>>(conn)?
                    .into_iter()
                    .flatten(),
            );
        }
        for id in &letters {
            letter_done(conn, id, TargetStatus::Sent, now)?;
        }
        Ok(held.len())
    })
}

/// Follows a letter's outcome in `message_targets` and, when sent, in the action's count.
fn letter_done(
    conn: &mut DbConnection,
    id: &str,
    status: TargetStatus,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    use super::schema::{actions, message_targets, messages};
    let changed = diesel::update(message_targets::table.filter(message_targets::outbox_id.eq(id)))
        .set((
            message_targets::status.eq(status),
            message_targets::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 1 && status == TargetStatus::Sent {
        let action_id: String = message_targets::table
            .inner_join(messages::table)
            .filter(message_targets::outbox_id.eq(id))
            .select(messages::action_id)
            .first(conn)?;
        diesel::update(actions::table.find(&action_id))
            .set(actions::letters_count.eq(actions::letters_count + 1))
            .execute(conn)?;
        super::webhooks::letter_sent(conn, id, now)?;
    }
    Ok(())
}

/// Records a failed attempt of a row held under `claim`: retried at `retry_at`, or given
/// up when `None`. A row no longer held under `claim` is left to its new worker.
pub fn mark_failed(
    conn: &mut DbConnection,
    claim: &str,
    id: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), DbError> {
    super::write_transaction_redoable(conn, |conn| failed_in(conn, claim, id, error, retry_at))
}

fn failed_in(
    conn: &mut DbConnection,
    claim: &str,
    id: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> Result<(), DbError> {
    let target = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::claim.eq(claim))
            .filter(outbox::status.eq(OutboxStatus::Sending)),
    );
    let changed = match retry_at {
        Some(at) => target
            .set((
                outbox::status.eq(OutboxStatus::Pending),
                outbox::last_error.eq(error),
                outbox::next_attempt_at.eq(at),
                outbox::sent_at.eq(None::<NaiveDateTime>),
                outbox::claim.eq(None::<String>),
            ))
            .execute(conn)?,
        None => target
            .set((
                outbox::status.eq(OutboxStatus::Failed),
                outbox::last_error.eq(error),
                outbox::sent_at.eq(None::<NaiveDateTime>),
                outbox::claim.eq(None::<String>),
            ))
            .execute(conn)?,
    };
    if changed == 1 && retry_at.is_none() {
        letter_done(conn, id, TargetStatus::Failed, super::now())?;
    }
    Ok(())
}
