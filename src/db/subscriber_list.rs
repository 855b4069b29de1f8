//! Subscribers for staff: a page of them found by name or address, counts by status, and
//! every one in order for the CSV export.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::moderation::{contains_pattern, lower};
use super::schema::subscribers;
use super::{DbConnection, DbError};

/// Rows on one page of the staff list.
pub const PAGE: i64 = 50;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subscribers)]
pub struct Listed {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub country_code: String,
    pub language: String,
    pub status: String,
    pub consent_version: String,
    pub source: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
}

/// One page (newest first) of the subscribers whose name or address contains `text` and
/// who stand in `status`, and how many match.
pub fn search(
    conn: &mut DbConnection,
    text: Option<&str>,
    status: Option<&str>,
    page: i64,
) -> Result<(Vec<Listed>, i64), DbError> {
    let filtered = || {
        let mut q = subscribers::table.into_boxed();
        if let Some(text) = text {
            let pattern = contains_pattern(text);
            q = q.filter(
                lower(subscribers::first_name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(subscribers::email).like(pattern).escape('\\')),
            );
        }
        if let Some(status) = status {
            q = q.filter(subscribers::status.eq(status.to_string()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((subscribers::created_at.desc(), subscribers::id.desc()))
        .limit(PAGE)
        .offset((page - 1) * PAGE)
        .select(Listed::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// How many subscribers stand in each status.
pub fn counts(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, DbError> {
    Ok(subscribers::table
        .group_by(subscribers::status)
        .select((subscribers::status, diesel::dsl::count_star()))
        .order(subscribers::status)
        .load(conn)?)
}

/// Up to `limit` subscribers after id `after`, in id order (the export's pages).
pub fn page_after(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Listed>, DbError> {
    let mut q = subscribers::table.into_boxed();
    if let Some(after) = after {
        q = q.filter(subscribers::id.gt(after.to_string()));
    }
    Ok(q.order(subscribers::id.asc())
        .limit(limit)
        .select(Listed::as_select())
        .load(conn)?)
}

/// Stores imported subscribers as subscribed since their own date, with their consent
/// evidence, in one transaction. An address already known keeps its row as it stands:
/// an import never signs up again someone who left. Answers (added, already known).
pub fn import(
    conn: &mut DbConnection,
    staff_id: &str,
    rows: &[crate::domain::subscriber_import::Imported],
    now: NaiveDateTime,
) -> Result<(usize, usize), DbError> {
    super::write_transaction(conn, |conn| {
        let mut added = 0;
        for chunk in rows.chunks(500) {
            let canonical: Vec<&str> = chunk.iter().map(|r| r.canonical.as_str()).collect();
            let known: Vec<String> = subscribers::table
                .filter(subscribers::email_canonical.eq_any(&canonical))
                .select(subscribers::email_canonical)
                .load(conn)?;
            for r in chunk.iter().filter(|r| !known.contains(&r.canonical)) {
                let id = super::new_id();
                diesel::insert_into(subscribers::table)
                    .values((
                        subscribers::id.eq(&id),
                        subscribers::email.eq(&r.email),
                        subscribers::email_canonical.eq(&r.canonical),
                        subscribers::first_name.eq(&r.first_name),
                        subscribers::country_code.eq(&r.country),
                        subscribers::language.eq(&r.language),
                        subscribers::status.eq("subscribed"),
                        subscribers::consent_text.eq(&r.consent_text),
                        subscribers::consent_version.eq(&r.consent_version),
                        subscribers::source.eq("import"),
                        // No link was sent for this subscription: a hash no token has.
                        subscribers::token_hash.eq(format!("none:{id}")),
                        subscribers::client_hash.eq(""),
                        subscribers::emails_sent.eq(0),
                        subscribers::created_at.eq(r.subscribed_at),
                        subscribers::confirmed_at.eq(r.subscribed_at),
                        subscribers::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                added += 1;
            }
        }
        let kept = rows.len() - added;
        let detail = format!("{added} added, {kept} already known");
        super::audit::staff_change(
            conn,
            staff_id,
            "subscribers.imported",
            ("newsletter", ""),
            &detail,
        )?;
        Ok((added, kept))
    })
}
