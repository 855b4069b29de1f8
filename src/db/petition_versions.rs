//! A petition's text (title, addressee, body) is versioned once someone has signed it:
//! what people signed must stay on record when staff later correct or change it. The
//! action holds its current version; each signature the version it was signed on; this
//! table every version's text and the day it began.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actions::{ActionChanges, ActionRecord};
use super::schema::{actions, petition_versions, signatures};
use super::{DbConnection, DbError};
use crate::domain::status::SignatureStatus;

/// Whether `after` changes what signers agree to. Line endings and the blank space
/// around a text do not count: a browser sends a textarea back with CRLF line breaks.
pub fn text_differs(before: &ActionChanges, after: &ActionChanges) -> bool {
    let plain = |text: &str| text.replace("\r\n", "\n").trim().to_string();
    let same = |a: &str, b: &str| plain(a) == plain(b);
    !(same(&before.title, &after.title)
        && same(&before.addressee, &after.addressee)
        && same(&before.body_md, &after.body_md))
}

/// How many signatures the petition has, whatever their status: once there is one, its
/// text is on record.
pub fn signed(conn: &mut DbConnection, action_id: &str) -> Result<i64, DbError> {
    Ok(signatures::table
        .filter(signatures::action_id.eq(action_id))
        .count()
        .get_result(conn)?)
}

/// Keeps the text `before` had (its first version is dated from the action's creation)
/// and starts a new version with `after`'s text, by `staff_user_id` at `now`. Called in
/// the transaction that saves `after`.
pub(super) fn start_new(
    conn: &mut DbConnection,
    before: &ActionRecord,
    after: &ActionChanges,
    staff_user_id: &str,
    now: NaiveDateTime,
) -> Result<i32, DbError> {
    let (current, next) = (before.text_version, before.text_version + 1);
    let began = before.text_changed_at.unwrap_or(before.created_at);
    let kept: i64 = petition_versions::table
        .filter(petition_versions::action_id.eq(&before.id))
        .filter(petition_versions::version.eq(current))
        .count()
        .get_result(conn)?;
    if kept == 0 {
        diesel::insert_into(petition_versions::table)
            .values((
                petition_versions::action_id.eq(&before.id),
                petition_versions::version.eq(current),
                petition_versions::title.eq(&before.changes.title),
                petition_versions::addressee.eq(&before.changes.addressee),
                petition_versions::body_md.eq(&before.changes.body_md),
                petition_versions::created_at.eq(began),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(petition_versions::table)
        .values((
            petition_versions::action_id.eq(&before.id),
            petition_versions::version.eq(next),
            petition_versions::title.eq(&after.title),
            petition_versions::addressee.eq(&after.addressee),
            petition_versions::body_md.eq(&after.body_md),
            petition_versions::created_at.eq(now),
            petition_versions::staff_user_id.eq(staff_user_id),
        ))
        .execute(conn)?;
    diesel::update(actions::table.find(&before.id))
        .set((
            actions::text_version.eq(next),
            actions::text_changed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(next)
}

/// One version of a petition's text, with how many counted signatures were given to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: i32,
    pub title: String,
    pub addressee: String,
    pub body_md: String,
    pub began: NaiveDateTime,
    /// When the next version replaced it (`None` for the current one).
    pub ended: Option<NaiveDateTime>,
    pub confirmed: i64,
}

/// Every version of a petition's text, oldest first; empty while it was never changed
/// after the first signature.
pub fn all(conn: &mut DbConnection, action_id: &str) -> Result<Vec<Version>, DbError> {
    let rows: Vec<(i32, String, String, String, NaiveDateTime)> = petition_versions::table
        .filter(petition_versions::action_id.eq(action_id))
        .order(petition_versions::version.asc())
        .select((
            petition_versions::version,
            petition_versions::title,
            petition_versions::addressee,
            petition_versions::body_md,
            petition_versions::created_at,
        ))
        .load(conn)?;
    let counts: Vec<(i32, i64)> = signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .group_by(signatures::text_version)
        .select((signatures::text_version, diesel::dsl::count_star()))
        .load(conn)?;
    let ends: Vec<Option<NaiveDateTime>> = rows
        .iter()
        .skip(1)
        .map(|r| Some(r.4))
        .chain(std::iter::once(None))
        .collect();
    Ok(rows
        .into_iter()
        .zip(ends)
        .map(
            |((version, title, addressee, body_md, began), ended)| Version {
                version,
                title,
                addressee,
                body_md,
                began,
                ended,
                confirmed: counts
                    .iter()
                    .find(|(v, _)| *v == version)
                    .map_or(0, |(_, n)| *n),
            },
        )
        .collect())
}
