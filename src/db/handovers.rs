//! A delivery report handed over: the day and the digest of the signature list, kept so
//! that the report can show what was withdrawn since (a signature handed over can
//! still be withdrawn).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{handovers, signatures};
use super::{audit, write_transaction, DbConnection, DbError};
use crate::domain::status::SignatureStatus;

#[derive(Debug, Clone, Queryable)]
pub struct Handover {
    pub handed_on: NaiveDate,
    pub digest: String,
    pub created_at: NaiveDateTime,
}

/// The handovers of action `id`, oldest first.
pub fn all(conn: &mut DbConnection, id: &str) -> Result<Vec<Handover>, DbError> {
    Ok(handovers::table
        .filter(handovers::action_id.eq(id))
        .order((handovers::handed_on.asc(), handovers::created_at.asc()))
        .select((
            handovers::handed_on,
            handovers::digest,
            handovers::created_at,
        ))
        .load(conn)?)
}

/// Records that staff member `staff_id` handed over action `id`'s list with `digest` on
/// `handed_on`; audited `report.handed_over`.
pub fn record(
    conn: &mut DbConnection,
    staff_id: &str,
    id: &str,
    handed_on: NaiveDate,
    digest: &str,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        diesel::insert_into(handovers::table)
            .values((
                handovers::id.eq(super::new_id()),
                handovers::action_id.eq(id),
                handovers::handed_on.eq(handed_on),
                handovers::digest.eq(digest),
                handovers::staff_user_id.eq(staff_id),
                handovers::created_at.eq(super::now()),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: Some(staff_id),
                event: "report.handed_over",
                subject_type: "action",
                subject_id: id,
                detail: &format!("on {handed_on}, digest {digest}"),
                row_count: None,
            },
        )
    })
}

/// Signatures of action `id` confirmed and then withdrawn on or after `since` (the day
/// of the last handover), by country code.
pub fn withdrawn_since(
    conn: &mut DbConnection,
    id: &str,
    since: NaiveDate,
) -> Result<Vec<(String, i64)>, DbError> {
    let from = since.and_hms_opt(0, 0, 0).unwrap_or_default();
    Ok(signatures::table
        .filter(signatures::action_id.eq(id))
        .filter(signatures::status.eq(SignatureStatus::Withdrawn))
        .filter(signatures::confirmed_at.is_not_null())
        .filter(signatures::withdrawn_at.ge(from))
        .group_by(signatures::country_code)
        .select((signatures::country_code, diesel::dsl::count_star()))
        .order(signatures::country_code.asc())
        .load(conn)?)
}
