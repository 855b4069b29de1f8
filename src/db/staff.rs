//! Staff users: created from the CLI (later invited), looked up at login and on every
//! admin request (so that disabling an account ends its sessions at once).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::staff_users;
use super::{new_id, now, DbConnection, DbError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_users)]
pub struct StaffUser {
    pub id: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub disabled: bool,
    pub session_epoch: i32,
    pub last_login_at: Option<NaiveDateTime>,
}

/// Creates a staff user; `Ok(false)` when the email is already taken.
pub fn create(
    conn: &mut DbConnection,
    email: &str,
    password_hash: &str,
    role: &str,
) -> Result<bool, DbError> {
    let at = now();
    let inserted = diesel::insert_into(staff_users::table)
        .values((
            staff_users::id.eq(new_id()),
            staff_users::email.eq(email.trim().to_lowercase()),
            staff_users::password_hash.eq(password_hash),
            staff_users::role.eq(role),
            staff_users::created_at.eq(at),
            staff_users::updated_at.eq(at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<StaffUser>, DbError> {
    Ok(staff_users::table
        .filter(staff_users::email.eq(email.trim().to_lowercase()))
        .select(StaffUser::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<StaffUser>, DbError> {
    Ok(staff_users::table
        .find(id)
        .select(StaffUser::as_select())
        .first(conn)
        .optional()?)
}

pub fn record_login(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::update(staff_users::table.find(id))
        .set(staff_users::last_login_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of this account (logout, disabling, a role change).
pub fn end_sessions(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::update(staff_users::table.find(id))
        .set(staff_users::session_epoch.eq(staff_users::session_epoch + 1))
        .execute(conn)?;
    Ok(())
}
