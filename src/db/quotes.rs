//! Replies writers pasted into the follow-up: private until staff approve quoting them,
//! never with the writer's name; the approved ones show on the action's public replies
//! page. A changed text must be approved again (`follow_ups::record`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{message_targets, messages, targets};
use super::{DbConnection, DbError};
use crate::domain::status::ReplyAnswer;

/// At most this many pasted replies are listed, newest answer first.
const LIMIT: i64 = 500;

#[derive(Debug, Clone, Queryable)]
pub struct Pasted {
    pub message_id: String,
    pub target_id: String,
    pub official: String,
    pub answer: Option<ReplyAnswer>,
    pub answered_at: Option<NaiveDateTime>,
    pub text: String,
    pub quotable: bool,
}

/// The pasted replies about letters of `action_id`; only approved ones when `approved`.
pub fn of_action(
    conn: &mut DbConnection,
    action_id: &str,
    approved: bool,
) -> Result<Vec<Pasted>, DbError> {
    let mut query = message_targets::table
        .inner_join(targets::table)
        .inner_join(messages::table)
        .filter(messages::action_id.eq(action_id.to_string()))
        .filter(message_targets::reply_text.ne(""))
        .order((
            message_targets::answered_at.desc(),
            message_targets::message_id.asc(),
        ))
        .limit(LIMIT)
        .select((
            message_targets::message_id,
            message_targets::target_id,
            targets::name,
            message_targets::answer,
            message_targets::answered_at,
            message_targets::reply_text,
            message_targets::reply_quotable,
        ))
        .into_boxed();
    if approved {
        query = query.filter(message_targets::reply_quotable.eq(true));
    }
    Ok(query.load(conn)?)
}

/// Approves (or withdraws) quoting one pasted reply about a letter of `action_id`;
/// `false` when there is no such reply.
pub fn set_quotable(
    conn: &mut DbConnection,
    action_id: &str,
    (message_id, target_id): (&str, &str),
    quotable: bool,
) -> Result<bool, DbError> {
    let of_action = messages::table
        .filter(messages::id.eq(message_id))
        .filter(messages::action_id.eq(action_id))
        .select(messages::id);
    let changed = diesel::update(
        message_targets::table
            .filter(message_targets::message_id.eq_any(of_action))
            .filter(message_targets::target_id.eq(target_id))
            .filter(message_targets::reply_text.ne("")),
    )
    .set(message_targets::reply_quotable.eq(quotable))
    .execute(conn)?;
    Ok(changed == 1)
}
