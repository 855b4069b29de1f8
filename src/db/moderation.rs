//! Moderating a petition's signatures: searching them, and deciding (release or
//! invalidate) one row or every row a criterion matches. A bulk decision acts only on the
//! rows its preview counted: the preview gives a digest of their ids, and the decision
//! refuses when the rows matching now have another digest. Counters follow exactly.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::Digest as _;

use super::schema::signatures;
use super::{DbConnection, DbError};
use crate::domain::status::{Decision, HoldReason, SignatureStatus};

mod decisions;
pub use decisions::{latest, Decided, Past, Undone, UNDO_DAYS};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// What staff look for on the signatures screen.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Part of a name or an email, any case.
    pub text: Option<String>,
    pub status: Option<SignatureStatus>,
    pub country: Option<String>,
    pub hold_reason: Option<HoldReason>,
    pub from: Option<NaiveDateTime>,
    pub before: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signatures)]
pub struct Row {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country_code: String,
    /// The signer's comment: staff read it before deciding (it is never shown publicly).
    pub comment: String,
    pub status: SignatureStatus,
    pub hold_reason: Option<HoldReason>,
    pub client_hash: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
}

pub const PAGE: i64 = 50;

/// `%` and `_` typed by staff are searched for, not wildcards.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page (newest first) of the signatures matching `search`, and how many match.
pub fn search(
    conn: &mut DbConnection,
    action_id: &str,
    search: &Search,
    page: i64,
) -> Result<(Vec<Row>, i64), DbError> {
    let filtered = || {
        let mut q = signatures::table
            .filter(signatures::action_id.eq(action_id.to_string()))
            .into_boxed();
        if let Some(text) = &search.text {
            let pattern = contains_pattern(text);
            q = q.filter(
                lower(signatures::first_name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(signatures::last_name)
                        .like(pattern.clone())
                        .escape('\\'))
                    .or(lower(signatures::email).like(pattern).escape('\\')),
            );
        }
        if let Some(status) = search.status {
            q = q.filter(signatures::status.eq(status));
        }
        if let Some(country) = &search.country {
            q = q.filter(signatures::country_code.eq(country.clone()));
        }
        if let Some(reason) = search.hold_reason {
            q = q.filter(signatures::hold_reason.eq(reason));
        }
        if let Some(from) = search.from {
            q = q.filter(signatures::created_at.ge(from));
        }
        if let Some(before) = search.before {
            q = q.filter(signatures::created_at.lt(before));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .select(Row::as_select())
        .order((signatures::created_at.desc(), signatures::id.desc()))
        .limit(PAGE)
        .offset(page.max(0) * PAGE)
        .load(conn)?;
    Ok((rows, total))
}

/// One signature of the petition, as the list shows it.
pub fn one(conn: &mut DbConnection, action_id: &str, id: &str) -> Result<Option<Row>, DbError> {
    Ok(signatures::table
        .filter(signatures::id.eq(id))
        .filter(signatures::action_id.eq(action_id))
        .select(Row::as_select())
        .first(conn)
        .optional()?)
}

/// Which signatures a bulk decision covers; every field given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criterion {
    /// One status among those the decision applies to.
    pub status: Option<SignatureStatus>,
    pub hold_reason: Option<HoldReason>,
    pub client_hash: Option<String>,
    /// The part after `@`, lower case; subdomains are not included.
    pub email_domain: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub before: Option<NaiveDateTime>,
}

impl Criterion {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The ids (sorted) of the signatures `decision` would change under `criterion`.
pub(super) fn matching(
    conn: &mut DbConnection,
    action_id: &str,
    criterion: &Criterion,
    decision: Decision,
) -> Result<Vec<String>, DbError> {
    let mut q = signatures::table
        .filter(signatures::action_id.eq(action_id.to_string()))
        .filter(signatures::status.eq_any(decision.applies_to()))
        .select(signatures::id)
        .order(signatures::id.asc())
        .into_boxed();
    if let Some(status) = criterion.status {
        q = q.filter(signatures::status.eq(status));
    }
    if let Some(reason) = criterion.hold_reason {
        q = q.filter(signatures::hold_reason.eq(reason));
    }
    if let Some(hash) = &criterion.client_hash {
        q = q.filter(signatures::client_hash.eq(hash.clone()));
    }
    if let Some(domain) = &criterion.email_domain {
        // The canonical email is lower case, so the domain matches whatever case was typed.
        let pattern = format!("%@{}", domain.replace('%', "\\%").replace('_', "\\_"));
        q = q.filter(signatures::email_canonical.like(pattern).escape('\\'));
    }
    if let Some(from) = criterion.from {
        q = q.filter(signatures::created_at.ge(from));
    }
    if let Some(before) = criterion.before {
        q = q.filter(signatures::created_at.lt(before));
    }
    Ok(q.load(conn)?)
}

fn digest(ids: &[String]) -> String {
    let mut hasher = sha2::Sha256::new();
    for id in ids {
        hasher.update(id.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// What a bulk decision would change: how many rows, and the digest that names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub count: usize,
    pub digest: String,
}

pub fn preview(
    conn: &mut DbConnection,
    action_id: &str,
    criterion: &Criterion,
    decision: Decision,
) -> Result<Preview, DbError> {
    let ids = matching(conn, action_id, criterion, decision)?;
    Ok(Preview {
        count: ids.len(),
        digest: digest(&ids),
    })
}

/// Applies a previewed bulk decision. `Ok(Err(preview))` when the matching rows have
/// changed since: nothing was changed, and the new preview is returned.
pub fn apply(
    conn: &mut DbConnection,
    action_id: &str,
    criterion: &Criterion,
    decision: Decision,
    previewed: &str,
    by: &Decided,
) -> Result<Result<usize, Preview>, DbError> {
    super::write_transaction(conn, |conn| {
        let ids = matching(conn, action_id, criterion, decision)?;
        let now_digest = digest(&ids);
        if now_digest != previewed {
            return Ok(Err(Preview {
                count: ids.len(),
                digest: now_digest,
            }));
        }
        decide(conn, action_id, &ids, decision, by).map(Ok)
    })
}

/// Decides one signature of the petition; answers whether it changed (a row that the
/// decision does not apply to, say releasing a confirmed one, is left as it is).
pub fn decide_one(
    conn: &mut DbConnection,
    action_id: &str,
    id: &str,
    decision: Decision,
    by: &Decided,
) -> Result<bool, DbError> {
    super::write_transaction(conn, |conn| {
        let found: Option<String> = signatures::table
            .filter(signatures::id.eq(id))
            .filter(signatures::action_id.eq(action_id))
            .filter(signatures::status.eq_any(decision.applies_to()))
            .select(signatures::id)
            .first(conn)
            .optional()?;
        match found {
            Some(id) => Ok(decide(conn, action_id, &[id], decision, by)? == 1),
            None => Ok(false),
        }
    })
}

/// Changes the rows `ids` (already known to qualify), records the decision so that it
/// can be undone, and brings the counters along. Called inside a write transaction.
pub(super) fn decide(
    conn: &mut DbConnection,
    action_id: &str,
    ids: &[String],
    decision: Decision,
    by: &Decided,
) -> Result<usize, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    decisions::record(conn, action_id, ids, decision, by)?;
    let at = by.at;
    let mut changed = 0;
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        changed += match decision {
            Decision::Invalidate => diesel::update(signatures::table)
                .filter(signatures::id.eq_any(chunk))
                .set((
                    signatures::status.eq(SignatureStatus::Invalidated),
                    signatures::updated_at.eq(at),
                ))
                .execute(conn)?,
            Decision::Release => {
                // A supporter who confirmed while held counts at once; others await it.
                let shared: Vec<String> = signatures::table
                    .filter(signatures::id.eq_any(chunk))
                    .filter(signatures::confirmed_at.is_not_null())
                    .filter(signatures::status.ne(SignatureStatus::Confirmed))
                    .filter(signatures::consent_partner.eq(true))
                    .select(signatures::id)
                    .load(conn)?;
                let confirmed = diesel::update(signatures::table)
                    .filter(signatures::id.eq_any(chunk))
                    .filter(signatures::confirmed_at.is_not_null())
                    .set((
                        signatures::status.eq(SignatureStatus::Confirmed),
                        signatures::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                for id in &shared {
                    super::webhooks::signature_confirmed(conn, id, at)?;
                }
                confirmed
                    + diesel::update(signatures::table)
                        .filter(signatures::id.eq_any(chunk))
                        .filter(signatures::confirmed_at.is_null())
                        .set((
                            signatures::status.eq(SignatureStatus::Pending),
                            signatures::updated_at.eq(at),
                        ))
                        .execute(conn)?
            }
        };
    }
    if changed > 0 {
        super::petitions::recount(conn, action_id)?;
    }
    Ok(changed)
}

/// Undoes decision `id` on the petition `action_id` (see `decisions`), recounting.
pub fn undo(
    conn: &mut DbConnection,
    action_id: &str,
    id: &str,
    staff_user_id: &str,
) -> Result<Undone, DbError> {
    super::write_transaction(conn, |conn| {
        let undone = decisions::undo(conn, action_id, id, staff_user_id, super::now())?;
        if matches!(undone, Undone::Done { turned_back, .. } if turned_back > 0) {
            super::petitions::recount(conn, action_id)?;
        }
        Ok(undone)
    })
}
