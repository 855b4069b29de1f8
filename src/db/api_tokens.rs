//! The OSDI API's tokens (issue 27): made for a partner by an admin or `clarion api-token
//! create`, found by their hash on each request, revoked by an admin. Each step is
//! audited.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::partners::Partner;
use super::schema::{api_tokens, partners};
use super::{audit, write_transaction, DbConnection, DbError};
use crate::domain::api_token::{self, Scope};

/// A live token as a request holding it is served: whose it is and what it may do.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub token_id: String,
    pub partner: Partner,
    pub scopes: Vec<Scope>,
}

impl Bearer {
    pub fn may(&self, needed: Scope) -> bool {
        self.scopes.iter().any(|s| s.covers(needed))
    }
}

/// A token as the admin lists it (never the token itself).
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub id: String,
    pub scopes: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Makes a token for `partner_id`; answers the token, to show once.
pub fn create(
    conn: &mut DbConnection,
    staff_id: Option<&str>,
    partner_id: &str,
    scopes: &[Scope],
) -> Result<String, DbError> {
    let (token, hash) = api_token::new_token();
    let id = super::new_id();
    let scopes = scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    write_transaction(conn, |conn| {
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::id.eq(&id),
                api_tokens::partner_id.eq(partner_id),
                api_tokens::token_hash.eq(&hash),
                api_tokens::scopes.eq(&scopes),
                api_tokens::created_at.eq(super::now()),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: staff_id,
                event: "api_token.created",
                subject_type: "partner",
                subject_id: partner_id,
                detail: &format!("token {id}: {scopes}"),
                row_count: None,
            },
        )
    })?;
    Ok(token)
}

/// The live token `token` is, with its partner; `None` for an unknown or revoked one.
/// Its last use is kept to the minute, so a busy client does not write on every call.
pub fn bearer(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<Bearer>, DbError> {
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let found: Option<(String, String, Option<NaiveDateTime>, Partner)> = api_tokens::table
        .inner_join(partners::table)
        .filter(api_tokens::token_hash.eq(api_token::hash(token)))
        .filter(api_tokens::revoked_at.is_null())
        .select((
            api_tokens::id,
            api_tokens::scopes,
            api_tokens::last_used_at,
            Partner::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((token_id, scopes, last_used, partner)) = found else {
        return Ok(None);
    };
    if last_used.is_none_or(|at| now - at > chrono::TimeDelta::minutes(1)) {
        diesel::update(api_tokens::table.find(&token_id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    let scopes = scopes
        .split(' ')
        .filter_map(|s| Scope::parse(s).ok())
        .collect();
    Ok(Some(Bearer {
        token_id,
        partner,
        scopes,
    }))
}

/// A partner's tokens, newest first.
pub fn of_partner(conn: &mut DbConnection, partner_id: &str) -> Result<Vec<Listed>, DbError> {
    Ok(api_tokens::table
        .filter(api_tokens::partner_id.eq(partner_id))
        .order(api_tokens::created_at.desc())
        .select((
            api_tokens::id,
            api_tokens::scopes,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::revoked_at,
        ))
        .load(conn)?)
}

/// Revokes token `id` of `partner_id`; `false` when there is no such live token.
pub fn revoke(
    conn: &mut DbConnection,
    staff_id: &str,
    partner_id: &str,
    id: &str,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            api_tokens::table
                .find(id)
                .filter(api_tokens::partner_id.eq(partner_id))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(super::now()))
        .execute(conn)?;
        if changed == 1 {
            audit::record(
                conn,
                &audit::Event {
                    staff_user_id: Some(staff_id),
                    event: "api_token.revoked",
                    subject_type: "partner",
                    subject_id: partner_id,
                    detail: &format!("token {id}"),
                    row_count: None,
                },
            )?;
        }
        Ok(changed == 1)
    })
}
