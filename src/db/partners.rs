//! Partners (issue 27): registered by admins or `clarion partner add`, found by key when
//! a form or an embed names one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{partners, signatures};
use super::{audit, write_transaction, DbConnection, DbError};
use crate::domain::partner::PartnerInput;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = partners)]
pub struct Partner {
    pub id: String,
    pub key: String,
    pub name: String,
    /// One origin a line, each checked by `domain::partner::parse_origin`.
    pub origins: String,
    pub contact_email: String,
    pub created_at: NaiveDateTime,
}

impl Partner {
    pub fn origins(&self) -> impl Iterator<Item = &str> {
        self.origins.lines().filter(|l| !l.is_empty())
    }
}

/// Every partner, by key, with its confirmed signatures.
pub fn all(conn: &mut DbConnection) -> Result<Vec<(Partner, i64)>, DbError> {
    let found: Vec<Partner> = partners::table
        .order(partners::key.asc())
        .select(Partner::as_select())
        .load(conn)?;
    let counts: Vec<(Option<String>, i64)> = signatures::table
        .filter(signatures::partner_id.is_not_null())
        .filter(signatures::status.eq(crate::domain::status::SignatureStatus::Confirmed))
        .group_by(signatures::partner_id)
        .select((signatures::partner_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|p| {
            let n = counts
                .iter()
                .find(|(id, _)| id.as_deref() == Some(p.id.as_str()))
                .map_or(0, |(_, n)| *n);
            (p, n)
        })
        .collect())
}

/// The partner with `key`, if any; a malformed key is simply none.
pub fn by_key(conn: &mut DbConnection, key: &str) -> Result<Option<Partner>, DbError> {
    if key.is_empty() || key.len() > crate::domain::slug::MAX_CHARS {
        return Ok(None);
    }
    Ok(partners::table
        .filter(partners::key.eq(key))
        .select(Partner::as_select())
        .first(conn)
        .optional()?)
}

/// Registers a partner; `None` when its key is taken. Audited `partner.added` (by
/// `staff_id`, or the command line when `None`).
pub fn add(
    conn: &mut DbConnection,
    staff_id: Option<&str>,
    input: &PartnerInput,
) -> Result<Option<String>, DbError> {
    let id = super::new_id();
    let now = super::now();
    let stored = write_transaction(conn, |conn| {
        diesel::insert_into(partners::table)
            .values((
                partners::id.eq(&id),
                partners::key.eq(input.key.as_str()),
                partners::name.eq(&input.name),
                partners::origins.eq(input.origins.join("\n")),
                partners::contact_email.eq(&input.contact_email),
                partners::created_at.eq(now),
                partners::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: staff_id,
                event: "partner.added",
                subject_type: "partner",
                subject_id: &id,
                detail: &format!("{} ({})", input.key.as_str(), input.origins.join(" ")),
                row_count: None,
            },
        )
    });
    Ok(super::unless_taken(stored)?.map(|()| id))
}

/// Confirmed signatures of action `id` by the key of the partner they came through.
pub fn confirmed_by_partner(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(signatures::table
        .inner_join(partners::table)
        .filter(signatures::action_id.eq(id))
        .filter(signatures::status.eq(crate::domain::status::SignatureStatus::Confirmed))
        .group_by(partners::key)
        .select((partners::key, diesel::dsl::count_star()))
        .order(partners::key.asc())
        .load(conn)?)
}

/// Counts by partner key.
pub type Counts = Vec<(String, i64)>;

/// Confirmed letters of action `id` by the key of the partner they came through.
pub fn letters_by_partner(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    use super::schema::messages;
    Ok(messages::table
        .inner_join(partners::table)
        .filter(messages::action_id.eq(id))
        .filter(messages::status.eq(crate::domain::status::MessageStatus::Confirmed))
        .group_by(partners::key)
        .select((partners::key, diesel::dsl::count_star()))
        .order(partners::key.asc())
        .load(conn)?)
}
