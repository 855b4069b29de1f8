//! Staff exempting one action from retention, with a reason the audit log keeps.

use diesel::prelude::*;

use crate::db::schema::actions;
use crate::db::{audit, write_transaction, DbConnection, DbError};

/// Exempts action `id` from retention (`reason` given) or, with `None`, lifts the
/// exemption; the audit log keeps who did it and why. Answers whether the action exists.
pub fn set_exemption(
    conn: &mut DbConnection,
    staff_id: &str,
    id: &str,
    reason: Option<&str>,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        let changed = diesel::update(actions::table.find(id))
            .set(actions::retention_exempt.eq(reason))
            .execute(conn)?;
        if changed == 1 {
            audit::record(
                conn,
                &audit::Event {
                    staff_user_id: Some(staff_id),
                    event: if reason.is_some() {
                        "retention.exempted"
                    } else {
                        "retention.exemption_lifted"
                    },
                    subject_type: "action",
                    subject_id: id,
                    detail: reason.unwrap_or(""),
                    row_count: None,
                },
            )?;
        }
        Ok(changed == 1)
    })
}

/// Titles of the public actions staff exempted, for the privacy page.
pub fn exempt_titles(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    Ok(actions::table
        .filter(actions::retention_exempt.is_not_null())
        .filter(actions::status.ne("draft"))
        .order(actions::title.asc())
        .select(actions::title)
        .load(conn)?)
}
