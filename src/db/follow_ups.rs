//! Did the officials reply? The letters due to be asked or reminded, the answer links
//! (only their tokens' hashes are stored) and the answers, kept on each copy of a letter
//! (`message_targets`). Answers never touch a copy's `updated_at`: retention reads it as
//! the day the copy was delivered.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::schema::{actions, follow_up_links, message_targets, messages, targets};
use super::{DbConnection, DbError};
use crate::domain::follow_up::link_works;
use crate::domain::status::{MessageStatus, ReplyAnswer, TargetStatus};

/// A letter to ask about, with what its email needs.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = messages)]
pub struct Letter {
    pub id: String,
    pub action_id: String,
    pub email: String,
    pub email_canonical: String,
    pub first_name: String,
    pub language: String,
}

/// One delivered copy of a letter: its target's id and name, and the answer about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub target_id: String,
    pub name: String,
    pub answer: Option<ReplyAnswer>,
}

/// Which question a letter is due for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    First,
    Reminder,
}

/// Confirmed letters not asked yet whose copies are all finished, the last one
/// delivered at least `after` before `now` (a letter with a copy still queued waits).
pub fn due_first(
    conn: &mut DbConnection,
    after: TimeDelta,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Letter>, DbError> {
    let cutoff = now - after;
    let unfinished = message_targets::table
        .filter(message_targets::message_id.eq(messages::id))
        .filter(
            message_targets::status
                .eq_any([TargetStatus::Waiting, TargetStatus::Queued])
                .or(message_targets::status
                    .eq(TargetStatus::Sent)
                    .and(message_targets::updated_at.gt(cutoff))),
        );
    Ok(messages::table
        .filter(messages::follow_up_at.is_null())
        .filter(messages::status.eq(MessageStatus::Confirmed))
        .filter(messages::confirmed_at.le(cutoff))
        .filter(not(exists(unfinished)))
        .order(messages::confirmed_at.asc())
        .limit(limit)
        .select(Letter::as_select())
        .load(conn)?)
}

/// Letters asked at least `reminder` before `now` and not reminded yet.
pub fn due_reminder(
    conn: &mut DbConnection,
    reminder: TimeDelta,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Letter>, DbError> {
    Ok(messages::table
        .filter(messages::follow_up_at.le(now - reminder))
        .filter(messages::follow_up_reminded_at.is_null())
        .order(messages::follow_up_at.asc())
        .limit(limit)
        .select(Letter::as_select())
        .load(conn)?)
}

/// A letter's delivered copies, by target name, with the time the last was delivered.
pub fn delivered_copies(
    conn: &mut DbConnection,
    message_id: &str,
) -> Result<(Vec<Copy>, Option<NaiveDateTime>), DbError> {
    let rows: Vec<(String, String, Option<ReplyAnswer>, NaiveDateTime)> = message_targets::table
        .inner_join(targets::table)
        .filter(message_targets::message_id.eq(message_id))
        .filter(message_targets::status.eq(TargetStatus::Sent))
        .order((targets::name.asc(), targets::id.asc()))
        .select((
            targets::id,
            targets::name,
            message_targets::answer,
            message_targets::updated_at,
        ))
        .load(conn)?;
    let last = rows.iter().map(|r| r.3).max();
    let copies = rows
        .into_iter()
        .map(|(target_id, name, answer, _)| Copy {
            target_id,
            name,
            answer,
        })
        .collect();
    Ok((copies, last))
}

/// Marks `round` done for a letter, unless another node did first (then `false`).
pub fn mark(
    conn: &mut DbConnection,
    message_id: &str,
    round: Round,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let changed = match round {
        Round::First => diesel::update(
            messages::table
                .find(message_id)
                .filter(messages::follow_up_at.is_null()),
        )
        .set(messages::follow_up_at.eq(now))
        .execute(conn)?,
        Round::Reminder => diesel::update(
            messages::table
                .find(message_id)
                .filter(messages::follow_up_reminded_at.is_null()),
        )
        .set(messages::follow_up_reminded_at.eq(now))
        .execute(conn)?,
    };
    Ok(changed == 1)
}

/// Marks a letter that will never be asked about (nothing delivered, no address left,
/// or too late) as asked and reminded, so that no later turn looks at it again.
pub fn never_ask(
    conn: &mut DbConnection,
    message_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(
        messages::table
            .find(message_id)
            .filter(messages::follow_up_at.is_null()),
    )
    .set((
        messages::follow_up_at.eq(now),
        messages::follow_up_reminded_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Stores one link's token hash for a copy.
pub fn add_link(
    conn: &mut DbConnection,
    token_hash: &str,
    (message_id, target_id): (&str, &str),
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(follow_up_links::table)
        .values((
            follow_up_links::token_hash.eq(token_hash),
            follow_up_links::message_id.eq(message_id),
            follow_up_links::target_id.eq(target_id),
            follow_up_links::issued_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// What an answer link shows: the official, the action, and what was answered so far.
#[derive(Debug, Clone)]
pub struct Question {
    pub message_id: String,
    pub target_id: String,
    pub official: String,
    pub action_id: String,
    pub slug: String,
    pub title: String,
    pub answer: Option<ReplyAnswer>,
    pub first_answered: Option<NaiveDateTime>,
    pub reply_text: String,
}

/// The question behind a token's hash, while its link works; `None` for a forged,
/// erased or stale link.
pub fn question(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<Question>, DbError> {
    type Row = (
        (String, String, NaiveDateTime),
        (String, Option<ReplyAnswer>, Option<NaiveDateTime>, String),
        (String, String, String),
    );
    let row: Option<Row> = follow_up_links::table
        .inner_join(
            message_targets::table.on(message_targets::message_id
                .eq(follow_up_links::message_id)
                .and(message_targets::target_id.eq(follow_up_links::target_id))),
        )
        .inner_join(targets::table.on(targets::id.eq(follow_up_links::target_id)))
        .inner_join(messages::table.on(messages::id.eq(follow_up_links::message_id)))
        .inner_join(actions::table.on(actions::id.eq(messages::action_id)))
        .filter(follow_up_links::token_hash.eq(token_hash))
        .select((
            (
                follow_up_links::message_id,
                follow_up_links::target_id,
                follow_up_links::issued_at,
            ),
            (
                targets::name,
                message_targets::answer,
                message_targets::first_answered_at,
                message_targets::reply_text,
            ),
            (actions::id, actions::slug, actions::title),
        ))
        .first(conn)
        .optional()?;
    let Some(((message_id, target_id, issued), (official, answer, first, reply_text), action)) =
        row
    else {
        return Ok(None);
    };
    if !link_works(issued, first, now) {
        return Ok(None);
    }
    Ok(Some(Question {
        message_id,
        target_id,
        official,
        action_id: action.0,
        slug: action.1,
        title: action.2,
        answer,
        first_answered: first,
        reply_text,
    }))
}

/// Records `answer` (and the pasted reply, which staff must approve again once it
/// changes) for the copy behind a token's hash; `None` when the link no longer works.
pub fn record(
    conn: &mut DbConnection,
    token_hash: &str,
    (answer, reply): (ReplyAnswer, &str),
    now: NaiveDateTime,
) -> Result<Option<Question>, DbError> {
    super::write_transaction(conn, |conn| {
        let Some(question) = question(conn, token_hash, now)? else {
            return Ok(None);
        };
        let copy = message_targets::table
            .find((&question.message_id, &question.target_id))
            .filter(message_targets::status.eq(TargetStatus::Sent));
        let changed_text = question.reply_text != reply;
        diesel::update(copy)
            .set((
                message_targets::answer.eq(Some(answer)),
                message_targets::answered_at.eq(now),
                message_targets::first_answered_at.eq(question.first_answered.unwrap_or(now)),
                message_targets::reply_text.eq(reply),
            ))
            .execute(conn)?;
        if changed_text {
            diesel::update(copy)
                .set(message_targets::reply_quotable.eq(false))
                .execute(conn)?;
        }
        Ok(Some(Question {
            answer: Some(answer),
            first_answered: question.first_answered.or(Some(now)),
            reply_text: reply.to_string(),
            ..question
        }))
    })
}
