//! Reading signatures for export: keyset pages in (created_at, id) order, so an export
//! of any size holds one page in memory on either backend.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Timestamp};

use super::schema::{articles, signatures};
use super::{DbConnection, DbError};

mod messages;
use crate::domain::status::SignatureStatus;
pub use messages::{message_page, MessageExportRow};

/// Which signatures an export holds (docs/CONTRACT.md, "Exports").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureFilter {
    /// `None`: every status.
    pub status: Option<SignatureStatus>,
    pub country: Option<String>,
    /// created_at at or after this instant.
    pub from: Option<NaiveDateTime>,
    /// created_at before this instant (the day after the inclusive `to` date).
    pub before: Option<NaiveDateTime>,
    pub consent_only: bool,
}

/// What the default export's bytes depend on, told by two indexed aggregates: the
/// petition's confirmed signatures (how many, their latest change) and the latest change
/// to any article (an article's slug is the `source` column). Equal fingerprints, equal
/// exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportFingerprint {
    confirmed: i64,
    last_change: Option<NaiveDateTime>,
    last_article_change: Option<NaiveDateTime>,
}

pub fn default_export_fingerprint(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<ExportFingerprint, DbError> {
    let (confirmed, last_change) = signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(signatures::updated_at),
        ))
        .first(conn)?;
    let last_article_change = articles::table
        .select(diesel::dsl::max(articles::updated_at))
        .first(conn)?;
    Ok(ExportFingerprint {
        confirmed,
        last_change,
        last_article_change,
    })
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signatures)]
pub struct ExportRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country_code: String,
    pub postcode: String,
    pub comment: String,
    pub consent_updates: bool,
    pub consent_version: String,
    pub status: SignatureStatus,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    /// The source article's id as read, its slug once looked up.
    #[diesel(column_name = source_article_id)]
    pub source: Option<String>,
    /// The language of the page signed on: `en`, `fr` or `km`.
    pub language: String,
    /// The partner's id as read, its key once looked up (partners' keys never change).
    #[diesel(column_name = partner_id)]
    pub partner: Option<String>,
}

/// Where the next page starts: after this (created_at, id).
pub type Cursor = (NaiveDateTime, String);

/// The matching signatures of `action_id`, in export order, as a boxed query.
fn matching<'a>(action_id: &str, filter: &SignatureFilter) -> signatures::BoxedQuery<'a, Backend> {
    let mut query = signatures::table
        .filter(signatures::action_id.eq(action_id.to_string()))
        .order((signatures::created_at.asc(), signatures::id.asc()))
        .into_boxed();
    query = match &filter.status {
        Some(status) => query.filter(signatures::status.eq(*status)),
        // "All" means every signature that still stands: a withdrawn one shows only
        // when asked for by name.
        None => query.filter(signatures::status.ne(SignatureStatus::Withdrawn)),
    };
    if let Some(country) = &filter.country {
        query = query.filter(signatures::country_code.eq(country.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(signatures::created_at.ge(from));
    }
    if let Some(before) = filter.before {
        query = query.filter(signatures::created_at.lt(before));
    }
    if filter.consent_only {
        query = query.filter(signatures::consent_updates.eq(true));
    }
    query
}

type Backend = super::MultiBackend;

/// `(created_at, id) > key` (or `<=`), as a row-value comparison, which both backends
/// answer with one index range scan (an OR of two conditions makes SQLite scan from the
/// start on every page).
fn beyond(
    key: &Cursor,
    op: &str,
) -> Box<dyn diesel::BoxableExpression<signatures::table, Backend, SqlType = Bool>> {
    Box::new(
        sql::<Bool>(&format!("(signatures.created_at, signatures.id) {op} ("))
            .bind::<Timestamp, _>(key.0)
            .sql(", ")
            .bind::<Text, _>(key.1.clone())
            .sql(")"),
    )
}

/// Where the page of `size` rows after `after` ends: the key of its last row, or `None`
/// when fewer than `size` rows remain. Reads only the index.
pub fn page_end(
    conn: &mut DbConnection,
    action_id: &str,
    filter: &SignatureFilter,
    after: Option<&Cursor>,
    size: i64,
) -> Result<Option<Cursor>, DbError> {
    let mut query = matching(action_id, filter);
    if let Some(key) = after {
        query = query.filter(beyond(key, ">"));
    }
    Ok(query
        .select((signatures::created_at, signatures::id))
        .offset(size - 1)
        .limit(1)
        .first(conn)
        .optional()?)
}

/// Every matching signature after `after` up to and including `through` (to the end
/// when `None`), in export order, with each one's source article slug. Read as keyset
/// pages of `limit` rows cut at `through`: an upper bound in the query itself made
/// PostgreSQL scan the index from the start of the petition.
pub fn signature_range(
    conn: &mut DbConnection,
    action_id: &str,
    filter: &SignatureFilter,
    after: Option<&Cursor>,
    through: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<ExportRow>, DbError> {
    let mut rows: Vec<ExportRow> = Vec::new();
    let mut start = after.cloned();
    loop {
        let mut more = signature_page(conn, action_id, filter, start.as_ref(), limit)?;
        let full = more.len() as i64 == limit;
        if let Some(end) = through {
            let inside =
                more.partition_point(|r| (r.created_at, r.id.as_str()) <= (end.0, end.1.as_str()));
            if inside < more.len() {
                more.truncate(inside);
                rows.extend(more);
                return Ok(rows);
            }
        }
        start = more.last().map(|r| (r.created_at, r.id.clone()));
        rows.extend(more);
        // Rows confirmed since the page was planned can make a range longer than planned.
        if !full {
            return Ok(rows);
        }
    }
}

/// Up to `limit` matching signatures of `action_id` after `after`, in export order.
pub fn signature_page(
    conn: &mut DbConnection,
    action_id: &str,
    filter: &SignatureFilter,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<ExportRow>, DbError> {
    let mut query = matching(action_id, filter);
    if let Some(key) = after {
        query = query.filter(beyond(key, ">"));
    }
    let rows: Vec<ExportRow> = query
        .select(ExportRow::as_select())
        .limit(limit)
        .load(conn)?;
    with_source_slugs(conn, rows)
}

/// Replaces each row's source article id by the article's slug, and its partner's id by
/// the partner's key.
fn with_source_slugs(
    conn: &mut DbConnection,
    mut rows: Vec<ExportRow>,
) -> Result<Vec<ExportRow>, DbError> {
    let mut sources: Vec<&str> = rows.iter().filter_map(|r| r.source.as_deref()).collect();
    sources.sort_unstable();
    sources.dedup();
    if !sources.is_empty() {
        let slugs: Vec<(String, String)> = articles::table
            .filter(articles::id.eq_any(&sources))
            .select((articles::id, articles::slug))
            .load(conn)?;
        for row in &mut rows {
            row.source = row.source.as_ref().and_then(|id| {
                slugs
                    .iter()
                    .find(|(a, _)| a == id)
                    .map(|(_, slug)| slug.clone())
            });
        }
    }
    partner_keys(conn, &mut rows, |r| &mut r.partner)?;
    Ok(rows)
}

/// Replaces the partner id each row holds (`partner` finds it) by the partner's key.
pub(super) fn partner_keys<T>(
    conn: &mut DbConnection,
    rows: &mut [T],
    partner: fn(&mut T) -> &mut Option<String>,
) -> Result<(), DbError> {
    use super::schema::partners;
    let mut ids: Vec<String> = rows.iter_mut().filter_map(|r| partner(r).clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let keys: Vec<(String, String)> = partners::table
        .filter(partners::id.eq_any(&ids))
        .select((partners::id, partners::key))
        .load(conn)?;
    for row in rows {
        let slot = partner(row);
        *slot = slot
            .as_ref()
            .and_then(|id| keys.iter().find(|(p, _)| p == id).map(|(_, k)| k.clone()));
    }
    Ok(())
}

/// `signatories` read by staff member `staff_id` for a printed report, in the audit log
/// with the number of rows shown (one more than `limit` is read, to tell a cut list).
pub fn signatories_by(
    conn: &mut DbConnection,
    staff_id: &str,
    action_id: &str,
    limit: i64,
) -> Result<Vec<Signatory>, DbError> {
    let list = signatories(conn, action_id, limit + 1)?;
    super::audit::record(
        conn,
        &super::audit::Event {
            staff_user_id: Some(staff_id),
            event: "export.signatories",
            subject_type: "petition",
            subject_id: action_id,
            detail:
                "report with first names, initials and countries of those who chose to be named",
            row_count: Some(list.len().min(limit as usize) as i64),
        },
    )?;
    Ok(list)
}

/// A signer as the printed list names them.
#[derive(Debug, Clone)]
pub struct Signatory {
    pub first_name: String,
    /// The initial of the last name with a full stop ("D.").
    pub initial: String,
    pub country_code: String,
    /// The version of the petition's text signed.
    pub text_version: i32,
}

/// The first `limit` confirmed signers of a petition who chose to be named, in signing
/// order, reduced for a printed list.
pub fn signatories(
    conn: &mut DbConnection,
    action_id: &str,
    limit: i64,
) -> Result<Vec<Signatory>, DbError> {
    let rows: Vec<(String, String, String, i32)> = signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::show_publicly.eq(true))
        .order((signatures::created_at.asc(), signatures::id.asc()))
        .select((
            signatures::first_name,
            signatures::last_name,
            signatures::country_code,
            signatures::text_version,
        ))
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(first_name, last, country_code, text_version)| Signatory {
            first_name,
            initial: last
                .chars()
                .next()
                .map(|c| format!("{c}."))
                .unwrap_or_default(),
            country_code,
            text_version,
        })
        .collect())
}
