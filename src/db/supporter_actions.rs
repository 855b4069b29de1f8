//! What a supporter does to their own data through their link (`/me/{token}`), each in
//! one transaction and in the audit log as done by the supporter: withdraw a signature,
//! leave the newsletter, erase everything.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::data_links::by_supporter;
use super::erasure::{self, Footprint};
use super::schema::{action_country_counts, actions, signatures, subscribers};
use super::{DbConnection, DbError};
use crate::domain::status::SignatureStatus;

/// Withdraws signature `id` of the address `canonical`: its status becomes `withdrawn`,
/// its personal fields are erased as staff erasure erases them, and a counted signature
/// leaves the petition's counters at once. `Ok(false)`: no such signature of theirs
/// (withdrawn already, erased, or another's); nothing changed.
pub fn withdraw(
    conn: &mut DbConnection,
    canonical: &str,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    erasure::secure_delete(conn, true)?;
    let done = super::write_transaction(conn, |conn| {
        let found: Option<(String, SignatureStatus, String)> = signatures::table
            .find(id)
            .filter(signatures::email_canonical.eq(canonical))
            .select((
                signatures::action_id,
                signatures::status,
                signatures::country_code,
            ))
            .first(conn)
            .optional()?;
        let Some((action_id, status, country)) = found else {
            return Ok(false);
        };
        // The signature's row first, then the petition's, in the order confirming and
        // staff decisions take them: two of them at once wait, never deadlock.
        let changed = diesel::update(
            signatures::table
                .find(id)
                .filter(signatures::status.eq(status)),
        )
        .set((
            signatures::status.eq(SignatureStatus::Withdrawn),
            signatures::withdrawn_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        erasure::erase_signature(conn, id, now)?;
        if status == SignatureStatus::Confirmed {
            uncount(conn, &action_id, &country, now)?;
            let slug: String = actions::table
                .find(&action_id)
                .select(actions::slug)
                .first(conn)?;
            super::webhooks::signature_withdrawn(conn, (id, &slug), now)?;
        }
        let mail = erasure::signature_mail(conn, &[id.to_string()])?;
        erasure::scrub_outbox(conn, &mail)?;
        by_supporter(conn, "supporter.signature_withdrawn")?;
        Ok(true)
    })?;
    erasure::secure_delete(conn, false)?;
    Ok(done)
}

/// Takes one confirmed signature off the petition's counters and its country's.
fn uncount(
    conn: &mut DbConnection,
    action_id: &str,
    country: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(actions::table.find(action_id))
        .set((
            actions::confirmed_count.eq(actions::confirmed_count - 1),
            actions::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(
        action_country_counts::table
            .filter(action_country_counts::action_id.eq(action_id))
            .filter(action_country_counts::country_code.eq(country)),
    )
    .set(action_country_counts::confirmed_count.eq(action_country_counts::confirmed_count - 1))
    .execute(conn)?;
    Ok(())
}

/// Leaves the newsletter: for every later mailing, also one already running.
pub fn unsubscribe(
    conn: &mut DbConnection,
    canonical: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    super::write_transaction(conn, |conn| {
        let id: Option<String> = subscribers::table
            .filter(subscribers::email_canonical.eq(canonical))
            .select(subscribers::id)
            .first(conn)
            .optional()?;
        let Some(id) = id else {
            return Ok(false);
        };
        let left = super::subscribers::unsubscribe(conn, &id, None, now)?;
        if left {
            super::webhooks::subscriber_unsubscribed(conn, &id, now)?;
            by_supporter(conn, "supporter.unsubscribed")?;
        }
        Ok(left)
    })
}

/// Erases everything of the address, as staff erasure does; the link ends with it.
pub fn erase(conn: &mut DbConnection, canonical: &str) -> Result<Footprint, DbError> {
    let erased = erasure::erase(conn, canonical)?;
    super::write_transaction(conn, |conn| by_supporter(conn, "supporter.erased"))?;
    Ok(erased)
}
