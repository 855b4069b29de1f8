//! Staff sessions and the one guard on the whole `/admin` scope. The session lives in a
//! signed, encrypted cookie; the server itself ends it after 30 minutes without a request
//! or 12 hours in all (times kept inside the encrypted state), and on every request checks
//! that the account still exists, is enabled and has not had its sessions ended.

use actix_session::{Session, SessionExt as _};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage as _, HttpResponse};

use super::routes::{self, Access};
use crate::db;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::web::AppState;

pub const IDLE_SECS: i64 = 30 * 60;
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;

const UID: &str = "uid";
const EPOCH: &str = "epoch";
const STARTED: &str = "started";
const SEEN: &str = "seen";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";

pub use crate::domain::staff::CurrentStaff;

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Starts a fresh session for `user` (a new cookie, so a fixated one is useless).
pub fn start(session: &Session, user: &db::staff::StaffUser) -> Result<(), AppError> {
    let (csrf, _) = crate::domain::secrets::new_token();
    session.renew();
    let now = unix_now();
    let fail = |_| AppError::Session;
    session.insert(UID, &user.id).map_err(fail)?;
    session.insert(EPOCH, user.session_epoch).map_err(fail)?;
    session.insert(STARTED, now).map_err(fail)?;
    session.insert(SEEN, now).map_err(fail)?;
    session.insert(CSRF, csrf).map_err(fail)?;
    Ok(())
}

/// The session's CSRF token, if a staff session is open.
pub fn csrf_of(session: &Session) -> Option<String> {
    session.get::<String>(CSRF).ok().flatten()
}

/// Whether a session started at `started` and last used at `seen` may go on at `now`.
pub fn within_limits(started: i64, seen: i64, now: i64) -> bool {
    now - seen <= IDLE_SECS && now - started <= ABSOLUTE_SECS && started <= now
}

/// (user id, epoch) of a session still within its idle and absolute limits.
fn live_session(session: &Session, now: i64) -> Option<(String, i32)> {
    let uid = session.get::<String>(UID).ok()??;
    let epoch = session.get::<i32>(EPOCH).ok()??;
    let started = session.get::<i64>(STARTED).ok()??;
    let seen = session.get::<i64>(SEEN).ok()??;
    within_limits(started, seen, now).then_some((uid, epoch))
}

fn to_login() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", "/admin/login"))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

/// Whether an `Origin` header, when a browser sends one, names this site: the base URL's
/// origin or the host the request was sent to. Clients that send none (the command
/// line, scripts) pass; `Origin: null` does not.
pub fn from_this_site(origin: Option<&str>, base_url: &str, host: Option<&str>) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let origin = origin.trim().trim_end_matches('/');
    if origin.eq_ignore_ascii_case(base_url.trim_end_matches('/')) {
        return true;
    }
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// The staff member a handler sees. A page (not a POST) takes the last change's message
/// ("Saved") to show once.
fn current_staff(
    user: db::staff::StaffUser,
    role: Role,
    session: &Session,
    changes: bool,
) -> CurrentStaff {
    let flash = match changes {
        true => None,
        false => session.remove_as::<String>(FLASH).and_then(Result::ok),
    };
    CurrentStaff {
        id: user.id,
        email: user.email,
        role,
        csrf: csrf_of(session).unwrap_or_default(),
        flash,
    }
}

/// Moves a handler's message (`admin::saved`) from its response into the session.
fn keep_flash<B>(response: &mut ServiceResponse<B>, session: &Session) {
    if let Some(message) = response.headers_mut().remove(super::FLASH_HEADER).next() {
        let _ = session.insert(FLASH, message.to_str().unwrap_or_default());
    }
}

/// The guard: a POST from another site's page → 403; anonymous → the login page; a
/// campaigner on an admin-only page → 403; a route missing from the table → 404 (routes
/// are only ever registered from it).
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if req.method() == actix_web::http::Method::POST {
        let state = req
            .app_data::<web::Data<AppState>>()
            .expect("AppState is registered");
        let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
        if !from_this_site(header("origin"), &state.base_url, header("host")) {
            return Err(AppError::Forbidden.into());
        }
    }
    let access = req
        .match_pattern()
        .and_then(|pattern| routes::access(req.method().as_str(), &pattern));
    if access == Some(Access::Public) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let session = req.get_session();
    let now = unix_now();
    let Some((uid, epoch)) = live_session(&session, now) else {
        session.purge();
        return Ok(req.into_response(to_login()).map_into_right_body());
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is registered")
        .clone();
    let user = state.db(move |conn| db::staff::find(conn, &uid)).await?;
    let Some(user) = user.filter(|u| !u.disabled && u.session_epoch == epoch) else {
        session.purge();
        return Ok(req.into_response(to_login()).map_into_right_body());
    };
    let role = Role::parse(&user.role).unwrap_or(Role::Campaigner);
    match access {
        None => return Err(AppError::NotFound.into()),
        Some(Access::Staff(needed)) if role < needed => return Err(AppError::Forbidden.into()),
        Some(_) => {}
    }
    let _ = session.insert(SEEN, now);
    let changes = req.method() == actix_web::http::Method::POST;
    let current = current_staff(user, role, &session, changes);
    req.extensions_mut().insert(current);
    let mut response = next.call(req).await?;
    keep_flash(&mut response, &session);
    // A staff change (an edit, a decision) shows on the public pages at once.
    if changes && response.status().as_u16() < 400 {
        state.recent.forget();
    }
    Ok(response.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_from_another_site_are_told_apart_from_ours_and_from_none() {
        let base = "https://petitions.example.org";
        assert!(from_this_site(None, base, Some("petitions.example.org")));
        assert!(from_this_site(
            Some("https://petitions.example.org"),
            base,
            None
        ));
        assert!(from_this_site(
            Some("http://127.0.0.1:8080"),
            base,
            Some("127.0.0.1:8080")
        ));
        assert!(!from_this_site(
            Some("https://evil.example"),
            base,
            Some("petitions.example.org")
        ));
        assert!(!from_this_site(
            Some("null"),
            base,
            Some("petitions.example.org")
        ));
        assert!(!from_this_site(
            Some("https://petitions.example.org.evil.example"),
            base,
            Some("petitions.example.org")
        ));
    }

    #[test]
    fn sessions_end_after_30_idle_minutes_or_12_hours() {
        let start = 1_000_000;
        assert!(within_limits(start, start, start + IDLE_SECS));
        assert!(!within_limits(start, start, start + IDLE_SECS + 1));
        // Busy all along, it still ends after 12 hours.
        assert!(within_limits(
            start,
            start + ABSOLUTE_SECS - 60,
            start + ABSOLUTE_SECS
        ));
        assert!(!within_limits(
            start,
            start + ABSOLUTE_SECS,
            start + ABSOLUTE_SECS + 1
        ));
    }
}
