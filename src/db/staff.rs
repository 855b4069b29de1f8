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

/// The active account `email` when `password` is its password (its last login is then
/// recorded). An unknown or disabled account costs the same hashing time as a known one,
/// so the answer's timing does not tell which accounts exist.
pub fn log_in(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
) -> Result<Option<StaffUser>, DbError> {
    let user = find_by_email(conn, email)?.filter(|u| !u.disabled);
    let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => crate::domain::staff::verify_password(password, hash),
        None => {
            crate::domain::staff::verify_against_nothing(password);
            false
        }
    };
    match user.filter(|_| ok) {
        Some(user) => {
            record_login(conn, &user.id)?;
            Ok(Some(user))
        }
        None => Ok(None),
    }
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

/// A staff account as the staff page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub disabled: bool,
    /// False while an invitation waits to be accepted.
    pub has_password: bool,
    pub last_login_at: Option<NaiveDateTime>,
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<StaffRow>, DbError> {
    Ok(staff_users::table
        .order(staff_users::email.asc())
        .select((
            staff_users::id,
            staff_users::email,
            staff_users::role,
            staff_users::disabled,
            staff_users::password_hash.is_not_null(),
            staff_users::last_login_at,
        ))
        .load(conn)?)
}

/// What inviting an email did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    /// A new account, waiting for its password.
    Created,
    /// An account still waiting: a fresh link replaces the earlier ones.
    Renewed,
    /// The email already has a working account; nothing was sent.
    AlreadyActive,
}

/// Invites `email` as `role`: the account (without a password), a single-use link valid
/// `invite` by staff member `staff_id`, with its audit event (none when the person
/// already has an account).
pub fn invite_by(
    conn: &mut DbConnection,
    staff_id: &str,
    email: &str,
    role: crate::domain::staff::Role,
    token_hash: &str,
    expires_at: NaiveDateTime,
    mail: impl FnOnce(&str) -> super::outbox::NewEmail,
) -> Result<Invited, DbError> {
    let (outcome, id) = invite(conn, email, role.as_str(), token_hash, expires_at, mail)?;
    if outcome != Invited::AlreadyActive {
        let detail = format!("{email} as {}", role.as_str());
        super::audit::record(
            conn,
            &super::audit::Event {
                staff_user_id: Some(staff_id),
                event: "staff.invited",
                subject_type: "staff_user",
                subject_id: &id,
                detail: &detail,
                row_count: None,
            },
        )?;
    }
    Ok(outcome)
}

/// until `expires_at` and its email, all in one transaction. Answers the account's id too.
pub fn invite(
    conn: &mut DbConnection,
    email: &str,
    role: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    mail: impl FnOnce(&str) -> super::outbox::NewEmail,
) -> Result<(Invited, String), DbError> {
    use super::schema::staff_invites;
    super::write_transaction(conn, |conn| {
        let at = now();
        let (outcome, id) = match find_by_email(conn, email)? {
            Some(user) if user.password_hash.is_some() => {
                return Ok((Invited::AlreadyActive, user.id))
            }
            Some(user) => {
                diesel::update(staff_invites::table)
                    .filter(staff_invites::staff_user_id.eq(&user.id))
                    .filter(staff_invites::used_at.is_null())
                    .set(staff_invites::used_at.eq(at))
                    .execute(conn)?;
                diesel::update(staff_users::table.find(&user.id))
                    .set((staff_users::role.eq(role), staff_users::updated_at.eq(at)))
                    .execute(conn)?;
                (Invited::Renewed, user.id)
            }
            None => {
                let id = new_id();
                diesel::insert_into(staff_users::table)
                    .values((
                        staff_users::id.eq(&id),
                        staff_users::email.eq(email.trim().to_lowercase()),
                        staff_users::role.eq(role),
                        staff_users::created_at.eq(at),
                        staff_users::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                (Invited::Created, id)
            }
        };
        diesel::insert_into(staff_invites::table)
            .values((
                staff_invites::id.eq(new_id()),
                staff_invites::staff_user_id.eq(&id),
                staff_invites::token_hash.eq(token_hash),
                staff_invites::expires_at.eq(expires_at),
                staff_invites::created_at.eq(at),
            ))
            .execute(conn)?;
        super::outbox::enqueue(conn, &mail(&email.trim().to_lowercase()))?;
        Ok((outcome, id))
    })
}

/// The email of the account a still valid, unused invitation link is for.
pub fn invitation(conn: &mut DbConnection, token_hash: &str) -> Result<Option<String>, DbError> {
    use super::schema::staff_invites;
    Ok(staff_invites::table
        .inner_join(staff_users::table)
        .filter(staff_invites::token_hash.eq(token_hash))
        .filter(staff_invites::used_at.is_null())
        .filter(staff_invites::expires_at.gt(now()))
        .filter(staff_users::disabled.eq(false))
        .select(staff_users::email)
        .first(conn)
        .optional()?)
}

/// Uses an invitation link: sets the account's password, once. Answers the account's
/// id, or `None` when the link is unknown, used, expired or its account disabled.
pub fn accept_invitation(
    conn: &mut DbConnection,
    token_hash: &str,
    password_hash: &str,
) -> Result<Option<String>, DbError> {
    use super::schema::staff_invites;
    super::write_transaction(conn, |conn| {
        let at = now();
        let found: Option<(String, String)> = staff_invites::table
            .inner_join(staff_users::table)
            .filter(staff_invites::token_hash.eq(token_hash))
            .filter(staff_invites::used_at.is_null())
            .filter(staff_invites::expires_at.gt(at))
            .filter(staff_users::disabled.eq(false))
            .select((staff_invites::id, staff_users::id))
            .first(conn)
            .optional()?;
        let Some((invite_id, user_id)) = found else {
            return Ok(None);
        };
        diesel::update(staff_invites::table.find(&invite_id))
            .set(staff_invites::used_at.eq(at))
            .execute(conn)?;
        diesel::update(staff_users::table.find(&user_id))
            .set((
                staff_users::password_hash.eq(password_hash),
                staff_users::updated_at.eq(at),
                staff_users::session_epoch.eq(staff_users::session_epoch + 1),
            ))
            .execute(conn)?;
        Ok(Some(user_id))
    })
}

/// Why a change to an account was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    /// It would leave no enabled admin with a password.
    LastAdmin,
}

/// Changes an account's role or whether it is disabled; disabling ends its sessions at
/// once. Never leaves the platform without an admin who can log in.
pub fn change(
    conn: &mut DbConnection,
    id: &str,
    role: Option<&str>,
    disabled: Option<bool>,
) -> Result<Result<(), Refused>, DbError> {
    super::write_transaction(conn, |conn| {
        let Some(user) = find(conn, id)? else {
            return Ok(Err(Refused::NotFound));
        };
        let stays_admin =
            role.unwrap_or(&user.role) == "admin" && !disabled.unwrap_or(user.disabled);
        if user.role == "admin" && !user.disabled && !stays_admin {
            let other_admins: i64 = staff_users::table
                .filter(staff_users::role.eq("admin"))
                .filter(staff_users::disabled.eq(false))
                .filter(staff_users::password_hash.is_not_null())
                .filter(staff_users::id.ne(id))
                .count()
                .get_result(conn)?;
            if other_admins == 0 {
                return Ok(Err(Refused::LastAdmin));
            }
        }
        let at = now();
        if let Some(role) = role {
            diesel::update(staff_users::table.find(id))
                .set((staff_users::role.eq(role), staff_users::updated_at.eq(at)))
                .execute(conn)?;
        }
        if let Some(disabled) = disabled {
            diesel::update(staff_users::table.find(id))
                .set((
                    staff_users::disabled.eq(disabled),
                    staff_users::updated_at.eq(at),
                ))
                .execute(conn)?;
            if disabled {
                end_sessions(conn, id)?;
            }
        }
        Ok(Ok(()))
    })
}
