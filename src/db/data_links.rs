//! The link to a supporter's own data (`/me/{token}`): one per address, valid for
//! [`VALID`], replaced by a newer one, deleted by erasure. Only its hash is stored.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::outbox::{self, NewEmail};
use super::schema::{data_links, messages, signatures, subscribers};
use super::{DbConnection, DbError};
use crate::domain::data_link::Row;

/// How long a link works.
pub const VALID: TimeDelta = TimeDelta::hours(24);
/// Link emails one address may receive in [`VALID`]: the form is open to anyone, and
/// strangers must not be able to flood an address with them.
pub const MAX_EMAILS: i32 = 3;

/// What the form's email greets and whether there is anything to show: the first name
/// the address gave most recently, if anything is stored for it.
pub fn first_name_of(conn: &mut DbConnection, canonical: &str) -> Result<Option<String>, DbError> {
    let signed: Option<(String, NaiveDateTime)> = signatures::table
        .filter(signatures::email_canonical.eq(canonical))
        .order(signatures::created_at.desc())
        .select((signatures::first_name, signatures::created_at))
        .first(conn)
        .optional()?;
    let wrote: Option<(String, NaiveDateTime)> = messages::table
        .filter(messages::email_canonical.eq(canonical))
        .order(messages::created_at.desc())
        .select((messages::first_name, messages::created_at))
        .first(conn)
        .optional()?;
    let joined: Option<(String, NaiveDateTime)> = subscribers::table
        .filter(subscribers::email_canonical.eq(canonical))
        .select((subscribers::first_name, subscribers::created_at))
        .first(conn)
        .optional()?;
    Ok([signed, wrote, joined]
        .into_iter()
        .flatten()
        .max_by_key(|(_, at)| *at)
        .map(|(name, _)| name))
}

/// Stores a new link (its `token_hash`) for `canonical`, replacing any older one, and
/// queues `email`, which holds it. `Ok(false)`: the address had [`MAX_EMAILS`] link
/// emails in the last [`VALID`] already; nothing changed.
pub fn issue(
    conn: &mut DbConnection,
    canonical: &str,
    token_hash: &str,
    email: &NewEmail,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    super::write_transaction(conn, |conn| {
        let found: Option<(i32, NaiveDateTime)> = data_links::table
            .find(canonical)
            .select((data_links::emails_sent, data_links::window_started_at))
            .first(conn)
            .optional()?;
        let (sent, window) = match found {
            Some((sent, window)) if window > now - VALID => (sent, window),
            _ => (0, now),
        };
        if sent >= MAX_EMAILS {
            return Ok(false);
        }
        diesel::delete(data_links::table.find(canonical)).execute(conn)?;
        diesel::insert_into(data_links::table)
            .values((
                data_links::email_canonical.eq(canonical),
                data_links::token_hash.eq(token_hash),
                data_links::created_at.eq(now),
                data_links::emails_sent.eq(sent + 1),
                data_links::window_started_at.eq(window),
            ))
            .execute(conn)?;
        outbox::enqueue(conn, email)?;
        by_supporter(conn, "supporter.data_link_sent")?;
        Ok(true)
    })
}

/// The canonical address whose link has `token_hash`, while that link works.
pub fn holder(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, DbError> {
    Ok(data_links::table
        .filter(data_links::token_hash.eq(token_hash))
        .filter(data_links::created_at.gt(now - VALID))
        .select(data_links::email_canonical)
        .first(conn)
        .optional()?)
}

/// Records a step a supporter took on their own data: never their address, and no
/// staff member (the log's actor column is empty; the detail says who).
pub fn by_supporter(conn: &mut DbConnection, event: &str) -> Result<(), DbError> {
    super::audit::record(
        conn,
        &super::audit::Event {
            staff_user_id: None,
            event,
            subject_type: "supporter",
            subject_id: "",
            detail: "by the supporter, through their own link",
            row_count: None,
        },
    )
}

/// The canonical address of the row a "your data" link in an email names, while the
/// row names one (erasure replaces it) and no link was asked for at `/me` since
/// `issued`, which would replace it.
pub fn holder_of_row(
    conn: &mut DbConnection,
    row: Row,
    id: &str,
    issued: NaiveDateTime,
) -> Result<Option<String>, DbError> {
    let canonical: Option<String> = match row {
        Row::Signature => signatures::table
            .find(id)
            .select(signatures::email_canonical)
            .first(conn)
            .optional()?,
        Row::Letter => messages::table
            .find(id)
            .select(messages::email_canonical)
            .first(conn)
            .optional()?,
        Row::Subscriber => subscribers::table
            .find(id)
            .select(subscribers::email_canonical)
            .first(conn)
            .optional()?,
    };
    let Some(canonical) = canonical.filter(|c| !c.starts_with("erased:")) else {
        return Ok(None);
    };
    let newer: i64 = data_links::table
        .find(&canonical)
        .filter(data_links::created_at.gt(issued))
        .count()
        .get_result(conn)?;
    Ok((newer == 0).then_some(canonical))
}

/// Ends the address's link (erasure): it answers as gone from now on.
pub fn forget(conn: &mut DbConnection, canonical: &str) -> Result<(), DbError> {
    diesel::delete(data_links::table.find(canonical)).execute(conn)?;
    Ok(())
}
