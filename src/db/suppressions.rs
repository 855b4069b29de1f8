//! The suppression list: addresses no mailing may reach.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::suppressions;
use super::{DbConnection, DbError};

/// Adds `canonical` addresses (those listed already stay as they are), audited by staff
/// member `staff_id`; answers how many were new.
pub fn add(
    conn: &mut DbConnection,
    staff_id: &str,
    canonical: &[String],
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    super::write_transaction(conn, |conn| {
        let mut added = 0;
        for chunk in canonical.chunks(500) {
            let known: Vec<String> = suppressions::table
                .filter(suppressions::email_canonical.eq_any(chunk))
                .select(suppressions::email_canonical)
                .load(conn)?;
            for email in chunk.iter().filter(|e| !known.contains(e)) {
                diesel::insert_into(suppressions::table)
                    .values((
                        suppressions::email_canonical.eq(email),
                        suppressions::reason.eq("imported"),
                        suppressions::created_at.eq(now),
                    ))
                    .execute(conn)?;
                added += 1;
            }
        }
        let detail = format!("{added} new of {} addresses", canonical.len());
        super::audit::staff_change(
            conn,
            staff_id,
            "subscribers.suppressed",
            ("newsletter", ""),
            &detail,
        )?;
        Ok(added)
    })
}

/// Which of `canonical` are suppressed.
pub fn among(conn: &mut DbConnection, canonical: &[&str]) -> Result<Vec<String>, DbError> {
    Ok(suppressions::table
        .filter(suppressions::email_canonical.eq_any(canonical))
        .select(suppressions::email_canonical)
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(suppressions::table.count().get_result(conn)?)
}
