//! Letters to officials: a message and its chosen targets, stored with the confirmation
//! email in one transaction; on confirmation one email per target is queued, paced so that
//! no target receives more than its hourly share at once.

use chrono::{DurationRound as _, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::outbox::{self, NewEmail};
use super::schema::{actions, message_targets, messages, outbox as outbox_table, targets};
use super::signatures::{Link, LinkState};
use super::{DbConnection, DbError};

mod new;
use crate::domain::status::{Decision, HoldReason, MessageStatus, TargetStatus};
pub use new::{store, NewLetter, NewMessage};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = targets)]
pub struct Target {
    pub id: String,
    pub name: String,
    pub country_code: String,
    pub political_group: String,
    pub party: String,
    pub email: String,
    /// Where the target is elected, when that depends on where the writer lives: then
    /// the letter form asks for a postcode.
    pub constituency: String,
}

/// The active targets of a list in one country, by name.
pub fn targets_for_country(
    conn: &mut DbConnection,
    list_id: &str,
    country: &str,
) -> Result<Vec<Target>, DbError> {
    Ok(targets::table
        .filter(targets::list_id.eq(list_id))
        .filter(targets::country_code.eq(country))
        .filter(targets::active.eq(true))
        .order((targets::name.asc(), targets::id.asc()))
        .select(Target::as_select())
        .load(conn)?)
}

/// What the confirmation of a letter needs to write each target's email.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    pub id: String,
    pub action_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country_code: String,
    pub subject: String,
    pub body: String,
    pub status: MessageStatus,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    /// The language the letter was written in (`en`, `fr`, `km`).
    pub language: String,
}

/// What confirming or releasing a letter needs of its action.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
struct ActionInfo {
    slug: String,
    title: String,
    confirm_window_days: i32,
    max_per_hour: i32,
}

fn find_by_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<(MessageRow, ActionInfo)>, DbError> {
    Ok(messages::table
        .inner_join(actions::table)
        .filter(messages::token_hash.eq(token_hash))
        .select((MessageRow::as_select(), ActionInfo::as_select()))
        .first(conn)
        .optional()?)
}

fn state_of(message: &MessageRow, action: &ActionInfo, now: NaiveDateTime) -> LinkState {
    let link = Link {
        status: message.status,
        confirmed: message.confirmed_at.is_some(),
        created_at: message.created_at,
        slug: &action.slug,
        title: &action.title,
        window_days: action.confirm_window_days,
    };
    LinkState::of(link, now)
}

/// The page a confirmation link opens; also the letter's subject and its target count.
pub fn link_state(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<(LinkState, String, i64), DbError> {
    let Some((message, action)) = find_by_token(conn, token_hash)? else {
        return Ok((LinkState::Unknown, String::new(), 0));
    };
    let count: i64 = message_targets::table
        .filter(message_targets::message_id.eq(&message.id))
        .count()
        .get_result(conn)?;
    Ok((
        state_of(&message, &action, now),
        message.subject.clone(),
        count,
    ))
}

/// Confirms the letter behind `token_hash` and queues one email per target, built by
/// `letter(action title, message, target)`. Confirming twice queues nothing more; a held letter waits for staff.
pub fn confirm(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
    letter: &dyn LetterEmails,
) -> Result<LinkState, DbError> {
    super::write_transaction(conn, |conn| {
        let Some((message, action)) = find_by_token(conn, token_hash)? else {
            return Ok(LinkState::Unknown);
        };
        let state = state_of(&message, &action, now);
        if !state.awaits_confirmation() {
            return Ok(state);
        }
        let new_status = message.status.once_confirmed();
        diesel::update(messages::table.find(&message.id))
            .set((
                messages::status.eq(new_status),
                messages::confirmed_at.eq(now),
                messages::updated_at.eq(now),
            ))
            .execute(conn)?;
        if new_status == MessageStatus::Confirmed {
            queue_letters(conn, &message, &action, now, letter)?;
            super::subscribers::from_message(conn, &message.id, now)?;
        }
        Ok(LinkState::Valid {
            slug: action.slug,
            title: action.title,
            confirmed: true,
        })
    })
}

/// Releases or invalidates the held letters of a contact action (all, or one reason's).
/// A released letter its supporter had confirmed is queued to its targets at once; one
/// not yet confirmed awaits confirmation. Answers how many letters changed.
pub fn decide_held(
    conn: &mut DbConnection,
    action_id: &str,
    reason: Option<HoldReason>,
    decision: Decision,
    letter: &dyn LetterEmails,
) -> Result<usize, DbError> {
    super::write_transaction(conn, |conn| {
        let held = messages::table
            .filter(messages::action_id.eq(action_id))
            .filter(messages::status.eq(MessageStatus::Held))
            .select(MessageRow::as_select())
            .into_boxed();
        let held = match reason {
            Some(r) => held.filter(messages::hold_reason.eq(r)),
            None => held,
        };
        let rows: Vec<MessageRow> = held.load(conn)?;
        let action: ActionInfo = actions::table
            .find(action_id)
            .select(ActionInfo::as_select())
            .first(conn)?;
        let now = super::now();
        for message in &rows {
            let status = match (decision, message.confirmed_at) {
                (Decision::Invalidate, _) => MessageStatus::Invalidated,
                (Decision::Release, Some(_)) => MessageStatus::Confirmed,
                (Decision::Release, None) => MessageStatus::Pending,
            };
            diesel::update(messages::table.find(&message.id))
                .set((messages::status.eq(status), messages::updated_at.eq(now)))
                .execute(conn)?;
            if status == MessageStatus::Confirmed {
                queue_letters(conn, message, &action, now, letter)?;
            }
        }
        Ok(rows.len())
    })
}

fn queue_letters(
    conn: &mut DbConnection,
    message: &MessageRow,
    action: &ActionInfo,
    now: NaiveDateTime,
    letter: &dyn LetterEmails,
) -> Result<(), DbError> {
    let chosen: Vec<Target> = message_targets::table
        .inner_join(targets::table)
        .filter(message_targets::message_id.eq(&message.id))
        .filter(message_targets::status.eq(TargetStatus::Waiting))
        .select(Target::as_select())
        .load(conn)?;
    for target in &chosen {
        let mut email = letter.letter(&action.title, message, target);
        email.next_attempt_at = next_slot(conn, &target.id, action.max_per_hour, now)?;
        outbox::enqueue(conn, &email)?;
        diesel::update(message_targets::table.find((&message.id, &target.id)))
            .set((
                message_targets::status.eq(TargetStatus::Queued),
                message_targets::outbox_id.eq(&email.id),
                message_targets::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    if !chosen.is_empty() {
        outbox::enqueue(conn, &letter.copy(&action.title, message, &chosen))?;
    }
    Ok(())
}

/// The emails a confirmed letter becomes (written in `email::letters`): one per target,
/// and a copy for the writer.
pub trait LetterEmails {
    /// The letter as `target` receives it, for the action titled `title`.
    fn letter(&self, title: &str, message: &MessageRow, target: &Target) -> NewEmail;
    /// The writer's copy: the letter as the first of `targets` receives it, and who all got it.
    fn copy(&self, title: &str, message: &MessageRow, targets: &[Target]) -> NewEmail;
}

/// When a new letter to `target_id` may leave: now, unless this clock hour already holds
/// `max_per_hour` of its letters, in which case the first later hour with room.
fn next_slot(
    conn: &mut DbConnection,
    target_id: &str,
    max_per_hour: i32,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, DbError> {
    // Two confirmations for one target must not both see a free slot: on PostgreSQL lock
    // the target's row until this transaction ends (SQLite's writer lock already orders them).
    if let DbConnection::Postgresql(pg) = conn {
        targets::table
            .find(target_id)
            .select(targets::id)
            .for_update()
            .first::<String>(pg)?;
    }
    let hour = now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now);
    for ahead in 0..24 * 365 {
        let start = hour + TimeDelta::hours(ahead);
        let end = start + TimeDelta::hours(1);
        let taken: i64 = outbox_table::table
            .filter(outbox_table::target_id.eq(target_id))
            .filter(outbox_table::kind.eq("letter"))
            .filter(outbox_table::next_attempt_at.ge(start))
            .filter(outbox_table::next_attempt_at.lt(end))
            .count()
            .get_result(conn)?;
        if taken < i64::from(max_per_hour.max(1)) {
            return Ok(if ahead == 0 { now } else { start });
        }
    }
    Ok(now)
}

/// A mailto letter by its token: the message and its targets (mailto delivery only).
pub fn prepared(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<(MessageRow, Vec<Target>)>, DbError> {
    let Some((message, _)) = find_by_token(conn, token_hash)? else {
        return Ok(None);
    };
    let chosen: Vec<Target> = message_targets::table
        .inner_join(targets::table)
        .filter(message_targets::message_id.eq(&message.id))
        .filter(message_targets::status.eq(TargetStatus::Prepared))
        .order(targets::name.asc())
        .select(Target::as_select())
        .load(conn)?;
    Ok((!chosen.is_empty()).then_some((message, chosen)))
}

/// The subject and text of letter `id` of `action_id` while it waits for its writer to
/// confirm it ("Change it" brings them back to the form); nothing once it is confirmed.
pub fn waiting_text(
    conn: &mut DbConnection,
    id: &str,
    action_id: &str,
) -> Result<Option<(String, String)>, DbError> {
    Ok(messages::table
        .filter(messages::id.eq(id))
        .filter(messages::action_id.eq(action_id))
        .filter(messages::status.eq(MessageStatus::Pending))
        .select((messages::subject, messages::body))
        .first(conn)
        .optional()?)
}
