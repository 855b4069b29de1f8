//! What the OSDI API reads (issue 27): published petitions, and one partner's confirmed
//! signatures of a petition that chose to share with it, a page at a time by keyset
//! (`updated_at`, `id`) on the partial index `signatures_by_partner`, never OFFSET: the
//! millionth row costs what the first does.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::petitions::Petition;
use super::schema::{actions, signatures};
use super::{DbConnection, DbError};
use crate::domain::osdi::SignatureFacts;
use crate::domain::status::SignatureStatus;

/// Published petitions, oldest first, with when each was made.
pub fn petitions(conn: &mut DbConnection) -> Result<Vec<(Petition, NaiveDateTime)>, DbError> {
    Ok(actions::table
        .filter(actions::kind.eq("petition"))
        .filter(actions::status.ne("draft"))
        .filter(actions::campaign_id.eq_any(super::campaigns::shown_ids()))
        .order((actions::created_at.asc(), actions::id.asc()))
        .select((Petition::as_select(), actions::created_at))
        .load(conn)?)
}

/// Which signatures one page holds.
#[derive(Debug, Clone, Default)]
pub struct Window {
    /// Only those changed after this (`modified_date gt`) …
    pub modified_after: Option<NaiveDateTime>,
    /// … and before this (`modified_date lt`).
    pub modified_before: Option<NaiveDateTime>,
    /// The last row of the page before: (`updated_at`, `id`).
    pub after: Option<(NaiveDateTime, String)>,
}

/// The columns of a [`Row`], in its order.
macro_rules! signature_columns {
    () => {
        (
            signatures::id,
            signatures::first_name,
            signatures::last_name,
            signatures::email,
            signatures::country_code,
            signatures::postcode,
            signatures::comment,
            signatures::language,
            signatures::created_at,
            signatures::updated_at,
        )
    };
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
);

/// Up to `limit` signatures of petition `action_id` through partner `partner_id` that
/// chose to share with it, confirmed, in (`updated_at`, `id`) order within `window`.
pub fn signatures_page(
    conn: &mut DbConnection,
    (partner_id, action_id, slug): (&str, &str, &str),
    window: &Window,
    limit: i64,
) -> Result<Vec<SignatureFacts>, DbError> {
    let mut q = signatures::table
        .filter(signatures::partner_id.eq(partner_id))
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::consent_partner.eq(true))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .into_boxed();
    if let Some(at) = window.modified_after {
        q = q.filter(signatures::updated_at.gt(at));
    }
    if let Some(at) = window.modified_before {
        q = q.filter(signatures::updated_at.lt(at));
    }
    if let Some((at, id)) = window.after.clone() {
        // The range first, so the index is read from the cursor on (an OR alone made
        // SQLite read the partner's rows from the start for every page).
        q = q
            .filter(signatures::updated_at.ge(at))
            .filter(signatures::updated_at.gt(at).or(signatures::id.gt(id)));
    }
    let rows: Vec<Row> = q
        .order((signatures::updated_at.asc(), signatures::id.asc()))
        .limit(limit)
        .select(signature_columns!())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| facts(r, slug)).collect())
}

fn facts(r: Row, slug: &str) -> SignatureFacts {
    SignatureFacts {
        id: r.0,
        petition_slug: slug.to_string(),
        first_name: r.1,
        last_name: r.2,
        email: r.3,
        country_code: r.4,
        postcode: r.5,
        comment: r.6,
        language: r.7,
        created_at: r.8,
        updated_at: r.9,
    }
}

/// Signature `id` as a webhook carries it, with its partner, when it chose to share with
/// that partner (otherwise no partner may see it).
pub fn shared_signature(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<(String, SignatureFacts)>, DbError> {
    let found: Option<(Option<String>, bool, String, Row)> = signatures::table
        .inner_join(actions::table)
        .filter(signatures::id.eq(id))
        .select((
            signatures::partner_id,
            signatures::consent_partner,
            actions::slug,
            signature_columns!(),
        ))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((Some(partner), true, slug, row)) => Some((partner, facts(row, &slug))),
        _ => None,
    })
}
