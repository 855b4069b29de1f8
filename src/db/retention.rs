//! Retention by default: nothing personal stays past its period (`config::periods`).
//! For every action staff have not exempted:
//! - signatures and letters never confirmed (pending or held) are deleted the period after
//!   they were made (a period shorter than the confirmation window ends their links);
//! - a closed action's signatures are anonymised the period after it closed, as an
//!   erasure does: country, language, source, status and dates stay, so counts stay true;
//! - a letter's subject and text go the period after its last copy left (sent, failed for
//!   good, or handed to the writer's own mail program); who wrote to whom and when stay.
//!
//! Their emails are scrubbed too, and on SQLite the old bytes zeroed. [`preview`] counts
//! what a run would do, with the same queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::erasure::{
    erase_signature, scrub_outbox, secure_delete, secure_delete_pragma, signature_mail,
};
use super::schema::{actions, message_targets, messages, outbox, signatures};
use super::{write_transaction, DbConnection, DbError};
use crate::config::periods::Retention;
use crate::domain::status::{SignatureStatus, TargetStatus};

mod exemption;
pub use exemption::{exempt_titles, set_exemption};

/// Rows changed in one transaction, so that signing never waits long for the lock.
const BATCH: i64 = 500;

/// What retention does (or did) to one action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionRetention {
    pub action_id: String,
    pub title: String,
    pub kind: String,
    /// Staff's reason for exempting it: then nothing is done to it.
    pub exempt: Option<String>,
    /// When signing ended, if it has.
    pub closed_on: Option<NaiveDateTime>,
    /// Signatures and letters never confirmed, deleted.
    pub unconfirmed: i64,
    /// Signatures anonymised.
    pub anonymised: i64,
    /// Letters whose subject and text are deleted.
    pub letters: i64,
}

impl ActionRetention {
    pub fn total(&self) -> i64 {
        self.unconfirmed + self.anonymised + self.letters
    }
}

type ActionRow = (
    String,
    String,
    String,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
);

/// When the action's signing ended by `at` (a draft's never did: it was never public).
fn closed_on(row: &ActionRow, at: NaiveDateTime) -> Option<NaiveDateTime> {
    let (_, _, _, status, deadline, closed_at, _) = row;
    (status != "draft")
        .then(|| crate::domain::opening::closed_on(status, *deadline, *closed_at, at))
        .flatten()
}

fn all_actions(conn: &mut DbConnection) -> Result<Vec<ActionRow>, DbError> {
    Ok(actions::table
        .order(actions::created_at.asc())
        .select((
            actions::id,
            actions::title,
            actions::kind,
            actions::status,
            actions::deadline,
            actions::closed_at,
            actions::retention_exempt,
        ))
        .load(conn)?)
}

/// The limits for one action at `at`.
struct Cutoffs {
    /// Unconfirmed rows made at or before this go.
    unconfirmed: NaiveDateTime,
    /// Its signatures are anonymised now.
    anonymise: bool,
    /// Letters delivered at or before this lose their text.
    letters: NaiveDateTime,
}

fn cutoffs(row: &ActionRow, settings: &Retention, at: NaiveDateTime) -> Cutoffs {
    Cutoffs {
        unconfirmed: at - settings.unconfirmed,
        anonymise: closed_on(row, at).is_some_and(|closed| closed + settings.signatures <= at),
        letters: at - settings.letters,
    }
}

const NEVER_CONFIRMED: [SignatureStatus; 2] = [SignatureStatus::Pending, SignatureStatus::Held];
/// A letter's copy has left for good in these.
const DELIVERED: [TargetStatus; 3] = [
    TargetStatus::Sent,
    TargetStatus::Failed,
    TargetStatus::Prepared,
];

macro_rules! unconfirmed {
    ($table:ident, $action:expr, $before:expr) => {
        $table::table
            .filter($table::action_id.eq($action.to_string()))
            .filter($table::confirmed_at.is_null())
            .filter($table::status.eq_any(NEVER_CONFIRMED))
            .filter($table::created_at.le($before))
    };
}

/// Letters of `action` confirmed at or before `before` that still have a text, after
/// `after` by id; answers those whose copies had all left by `before`.
fn delivered_letters(
    conn: &mut DbConnection,
    action: &str,
    before: NaiveDateTime,
    after: &str,
) -> Result<(Vec<String>, Option<String>), DbError> {
    let candidates: Vec<String> = messages::table
        .filter(messages::action_id.eq(action))
        .filter(messages::confirmed_at.le(before))
        .filter(messages::subject.ne("").or(messages::body.ne("")))
        .filter(messages::id.gt(after))
        .order(messages::id.asc())
        .limit(BATCH)
        .select(messages::id)
        .load(conn)?;
    let copies: Vec<(String, TargetStatus, NaiveDateTime)> = message_targets::table
        .filter(message_targets::message_id.eq_any(&candidates))
        .select((
            message_targets::message_id,
            message_targets::status,
            message_targets::updated_at,
        ))
        .load(conn)?;
    let due = candidates
        .iter()
        .filter(|id| {
            copies
                .iter()
                .filter(|(m, _, _)| m == *id)
                .all(|(_, status, at)| DELIVERED.contains(status) && *at <= before)
        })
        .cloned()
        .collect();
    Ok((due, candidates.last().cloned()))
}

/// What a run at `at` would do, for every action (exempt ones included, with nothing).
pub fn preview(
    conn: &mut DbConnection,
    settings: &Retention,
    at: NaiveDateTime,
) -> Result<Vec<ActionRetention>, DbError> {
    let mut plans = Vec::new();
    for row in all_actions(conn)? {
        let mut plan = describe(&row, at);
        if plan.exempt.is_none() {
            let limits = cutoffs(&row, settings, at);
            let signed: i64 = unconfirmed!(signatures, row.0, limits.unconfirmed)
                .count()
                .get_result(conn)?;
            let wrote: i64 = unconfirmed!(messages, row.0, limits.unconfirmed)
                .count()
                .get_result(conn)?;
            plan.unconfirmed = signed + wrote;
            if limits.anonymise {
                plan.anonymised = signatures::table
                    .filter(signatures::action_id.eq(&row.0))
                    .filter(signatures::email.ne(""))
                    .count()
                    .get_result(conn)?;
            }
            let mut after = String::new();
            loop {
                let (due, last) = delivered_letters(conn, &row.0, limits.letters, &after)?;
                plan.letters += due.len() as i64;
                match last {
                    Some(last) => after = last,
                    None => break,
                }
            }
        }
        plans.push(plan);
    }
    Ok(plans)
}

fn describe(row: &ActionRow, at: NaiveDateTime) -> ActionRetention {
    ActionRetention {
        action_id: row.0.clone(),
        title: row.1.clone(),
        kind: row.2.clone(),
        exempt: row.6.clone(),
        closed_on: closed_on(row, at),
        ..Default::default()
    }
}

/// Applies the periods at `at`; answers what was done, per action where something was.
/// Each action's changes are in the audit log, done by no one.
pub fn run(
    conn: &mut DbConnection,
    settings: &Retention,
    at: NaiveDateTime,
) -> Result<Vec<ActionRetention>, DbError> {
    secure_delete(conn, true)?;
    let done = apply(conn, settings, at);
    match &done {
        // Nothing freed: no checkpoint, which would make a surge's writers wait.
        Ok(done) if done.is_empty() => secure_delete_pragma(conn, false)?,
        _ => secure_delete(conn, false)?,
    }
    done
}

fn apply(
    conn: &mut DbConnection,
    settings: &Retention,
    at: NaiveDateTime,
) -> Result<Vec<ActionRetention>, DbError> {
    let mut done = Vec::new();
    for row in all_actions(conn)? {
        if row.6.is_some() {
            continue;
        }
        let limits = cutoffs(&row, settings, at);
        let mut plan = describe(&row, at);
        plan.unconfirmed = delete_unconfirmed(conn, &row.0, limits.unconfirmed)?;
        if limits.anonymise {
            plan.anonymised = anonymise(conn, &row.0, at)?;
        }
        plan.letters = empty_letters(conn, &row.0, limits.letters, at)?;
        if plan.total() > 0 {
            let detail = format!(
                "{} never confirmed deleted, {} signatures anonymised, {} letters emptied",
                plan.unconfirmed, plan.anonymised, plan.letters
            );
            super::audit::record(
                conn,
                &super::audit::Event {
                    staff_user_id: None,
                    event: "retention.applied",
                    subject_type: "action",
                    subject_id: &plan.action_id,
                    detail: &detail,
                    row_count: Some(plan.total()),
                },
            )?;
            done.push(plan);
        }
    }
    Ok(done)
}

fn delete_unconfirmed(
    conn: &mut DbConnection,
    action: &str,
    before: NaiveDateTime,
) -> Result<i64, DbError> {
    let mut total = 0;
    loop {
        let deleted = write_transaction(conn, |conn| {
            let signed: Vec<String> = unconfirmed!(signatures, action, before)
                .select(signatures::id)
                .limit(BATCH)
                .load(conn)?;
            let wrote: Vec<String> = unconfirmed!(messages, action, before)
                .select(messages::id)
                .limit(BATCH)
                .load(conn)?;
            diesel::delete(outbox::table.filter(outbox::signature_id.eq_any(&signed)))
                .execute(conn)?;
            diesel::delete(signatures::table.filter(signatures::id.eq_any(&signed)))
                .execute(conn)?;
            diesel::delete(outbox::table.filter(outbox::message_id.eq_any(&wrote)))
                .execute(conn)?;
            diesel::delete(
                message_targets::table.filter(message_targets::message_id.eq_any(&wrote)),
            )
            .execute(conn)?;
            diesel::delete(messages::table.filter(messages::id.eq_any(&wrote))).execute(conn)?;
            Ok((signed.len() + wrote.len()) as i64)
        })?;
        total += deleted;
        if deleted == 0 {
            return Ok(total);
        }
    }
}

fn anonymise(conn: &mut DbConnection, action: &str, at: NaiveDateTime) -> Result<i64, DbError> {
    let mut total = 0;
    loop {
        let done = write_transaction(conn, |conn| {
            let ids: Vec<String> = signatures::table
                .filter(signatures::action_id.eq(action))
                .filter(signatures::email.ne(""))
                .select(signatures::id)
                .limit(BATCH)
                .load(conn)?;
            for id in &ids {
                erase_signature(conn, id, at)?;
            }
            for chunk in signature_mail(conn, &ids)?.chunks(500) {
                scrub_outbox(conn, chunk)?;
            }
            Ok(ids.len() as i64)
        })?;
        total += done;
        if done == 0 {
            return Ok(total);
        }
    }
}

fn empty_letters(
    conn: &mut DbConnection,
    action: &str,
    before: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<i64, DbError> {
    let mut total = 0;
    let mut after = String::new();
    loop {
        let (due, last) = delivered_letters(conn, action, before, &after)?;
        if !due.is_empty() {
            write_transaction(conn, |conn| {
                diesel::update(messages::table.filter(messages::id.eq_any(&due)))
                    .set((
                        messages::subject.eq(""),
                        messages::body.eq(""),
                        messages::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                let mail: Vec<String> = outbox::table
                    .filter(outbox::message_id.eq_any(&due))
                    .select(outbox::id)
                    .load(conn)?;
                for chunk in mail.chunks(500) {
                    scrub_outbox(conn, chunk)?;
                }
                Ok(())
            })?;
            total += due.len() as i64;
        }
        match last {
            Some(last) => after = last,
            None => return Ok(total),
        }
    }
}
