//! Signatures: stored pending with their confirmation email in one transaction, found
//! again on a second signing by the canonical email, confirmed by the hash of a token,
//! and counted in the same transaction that confirms them.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::outbox::{self, NewEmail};
use super::schema::{action_country_counts, actions, signatures};
use super::{DbConnection, DbError};

/// At most this many confirmation emails per signature, however often someone signs.
pub const MAX_EMAILS: i32 = 3;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = signatures)]
pub struct NewSignature {
    pub id: String,
    pub action_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub email_canonical: String,
    pub country_code: String,
    pub postcode: String,
    pub comment: String,
    pub consent_updates: bool,
    pub consent_text: String,
    pub consent_version: String,
    pub status: String,
    pub hold_reason: Option<String>,
    pub client_hash: String,
    pub token_hash: String,
    pub emails_sent: i32,
    pub source_article_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// A new pending signature; its email is queued.
    Created,
    /// Already pending: a fresh link was queued.
    Resent,
    /// Already confirmed, or the email limit reached: nothing new.
    Unchanged,
}

/// A second signing with an email already on the petition: while the signature is
/// pending (and under the email limit) its link is replaced and `email` (built for the new
/// token) is queued for the stored row; otherwise nothing changes. One conditional update,
/// so concurrent re-signings cannot pass the limit together.
pub fn resend_existing(
    conn: &mut DbConnection,
    signature: &NewSignature,
    email: &NewEmail,
) -> Result<SubmitOutcome, DbError> {
    let existing: Option<String> = signatures::table
        .filter(signatures::action_id.eq(&signature.action_id))
        .filter(signatures::email_canonical.eq(&signature.email_canonical))
        .select(signatures::id)
        .first(conn)
        .optional()?;
    let Some(id) = existing else {
        return Ok(SubmitOutcome::Unchanged);
    };
    let updated = diesel::update(signatures::table.find(&id))
        .filter(signatures::status.eq("pending"))
        .filter(signatures::emails_sent.lt(MAX_EMAILS))
        .set((
            signatures::token_hash.eq(&signature.token_hash),
            signatures::emails_sent.eq(signatures::emails_sent + 1),
            signatures::updated_at.eq(signature.updated_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(SubmitOutcome::Unchanged);
    }
    let mut email = email.clone();
    email.signature_id = Some(id);
    outbox::enqueue(conn, &email)?;
    Ok(SubmitOutcome::Resent)
}

/// What a confirmation link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Unknown,
    Expired {
        slug: String,
        days: i32,
    },
    Valid {
        slug: String,
        title: String,
        confirmed: bool,
    },
}

/// What a signature's or a letter's confirmation link is about.
pub(super) struct Link<'a> {
    pub status: &'a str,
    pub confirmed: bool,
    pub created_at: NaiveDateTime,
    pub slug: &'a str,
    pub title: &'a str,
    pub window_days: i32,
}

impl LinkState {
    /// An unconfirmed link expires after the action's window; an invalidated one is
    /// unknown, so that it reveals nothing.
    pub(super) fn of(link: Link<'_>, now: NaiveDateTime) -> Self {
        let days = link.window_days;
        if !link.confirmed && now > link.created_at + TimeDelta::days(i64::from(days)) {
            return Self::Expired {
                slug: link.slug.to_string(),
                days,
            };
        }
        if link.status == "invalidated" {
            return Self::Unknown;
        }
        Self::Valid {
            slug: link.slug.to_string(),
            title: link.title.to_string(),
            confirmed: link.confirmed,
        }
    }

    /// Whether following the link now confirms something.
    pub(super) fn awaits_confirmation(&self) -> bool {
        matches!(
            self,
            Self::Valid {
                confirmed: false,
                ..
            }
        )
    }
}

/// The status a confirmation leaves: pending becomes confirmed; held stays held (staff
/// decide), remembering only that it was confirmed.
pub(super) fn status_once_confirmed(status: &str) -> &str {
    if status == "pending" {
        "confirmed"
    } else {
        status
    }
}

type LinkRow = (
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
    String,
    String,
    i32,
);

fn find_by_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<(String, LinkRow)>, DbError> {
    Ok(signatures::table
        .inner_join(actions::table)
        .filter(signatures::token_hash.eq(token_hash))
        .select((
            signatures::id,
            (
                signatures::status,
                signatures::confirmed_at,
                signatures::created_at,
                actions::slug,
                actions::title,
                actions::confirm_window_days,
            ),
        ))
        .first(conn)
        .optional()?)
}

fn state_of(row: &LinkRow, now: NaiveDateTime) -> LinkState {
    let (status, confirmed_at, created_at, slug, title, days) = row;
    let link = Link {
        status,
        confirmed: confirmed_at.is_some() || status == "confirmed",
        created_at: *created_at,
        slug,
        title,
        window_days: *days,
    };
    LinkState::of(link, now)
}

/// For the page a link opens: reads only, so mail scanners confirm nothing.
pub fn link_state(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<LinkState, DbError> {
    Ok(find_by_token(conn, token_hash)?.map_or(LinkState::Unknown, |(_, row)| state_of(&row, now)))
}

/// Confirms the signature behind `token_hash`; confirming twice changes nothing. A held
/// signature stays held and not counted, but remembers that it was confirmed.
pub fn confirm(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<LinkState, DbError> {
    super::write_transaction(conn, |conn| {
        let Some((id, row)) = find_by_token(conn, token_hash)? else {
            return Ok(LinkState::Unknown);
        };
        let state = state_of(&row, now);
        if !state.awaits_confirmation() {
            return Ok(state);
        }
        let new_status = status_once_confirmed(&row.0);
        let changed = diesel::update(signatures::table.find(&id))
            .filter(signatures::confirmed_at.is_null())
            .set((
                signatures::status.eq(new_status),
                signatures::confirmed_at.eq(now),
                signatures::updated_at.eq(now),
            ))
            .execute(conn)?;
        if changed == 1 && new_status == "confirmed" {
            count_confirmed(conn, &id, now)?;
        }
        Ok(LinkState::Valid {
            slug: row.3,
            title: row.4,
            confirmed: true,
        })
    })
}

/// Adds one confirmed signature to the petition's counters and its country's.
fn count_confirmed(
    conn: &mut DbConnection,
    signature_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let (action_id, country): (String, String) = signatures::table
        .find(signature_id)
        .select((signatures::action_id, signatures::country_code))
        .first(conn)?;
    diesel::update(actions::table.find(&action_id))
        .set((
            actions::confirmed_count.eq(actions::confirmed_count + 1),
            actions::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = (
        action_country_counts::action_id.eq(&action_id),
        action_country_counts::country_code.eq(&country),
        action_country_counts::confirmed_count.eq(1_i64),
    );
    let bump =
        action_country_counts::confirmed_count.eq(action_country_counts::confirmed_count + 1);
    // The shared connection type cannot say ON CONFLICT; both backends can, in the same words.
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(action_country_counts::table)
            .values(row)
            .on_conflict((
                action_country_counts::action_id,
                action_country_counts::country_code,
            ))
            .do_update()
            .set(bump)
            .execute(c)?,
        DbConnection::Postgresql(c) => diesel::insert_into(action_country_counts::table)
            .values(row)
            .on_conflict((
                action_country_counts::action_id,
                action_country_counts::country_code,
            ))
            .do_update()
            .set(bump)
            .execute(c)?,
    };
    Ok(())
}

/// Rows per status of one action, counted (for tests and staff pages, not public ones).
pub fn count_with_status(
    conn: &mut DbConnection,
    action_id: &str,
    status: &str,
) -> Result<i64, DbError> {
    Ok(signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(status))
        .count()
        .get_result(conn)?)
}
