//! Logging in and out. Wrong credentials get one generic message; repeated failures wait
//! (see `throttle`); a successful login starts a fresh session.
//!
//! Login CSRF: the form's token is issued for a random value kept in the visitor's own
//! session cookie (set when the form is shown), so a token copied into another site's
//! page is worth nothing without that visitor's cookie; and the guard refuses a POST
//! whose `Origin` names another site.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::{auth, staff_form::StaffForm};
use crate::db;
use crate::domain::email::Email;
use crate::domain::staff::CurrentStaff;
use crate::domain::{form_token, secrets, staff};
use crate::error::AppError;
use crate::views::admin::login::{self, LoginView};
use crate::web::limits::{self, Class};
use crate::web::{client, form, AppState};

const FORM_ID: &str = "admin-login";
/// The session key of the value the login form's token is bound to.
const NONCE: &str = "login_nonce";
const WRONG: &str = "The email address or password is not right.";

/// The login form's id for this visitor: bound to their session's random value.
fn form_id(nonce: &str) -> String {
    format!("{FORM_ID}:{nonce}")
}

/// This visitor's login value, made and kept in their session on first use.
fn nonce(session: &Session) -> Result<String, AppError> {
    if let Some(nonce) = session.get::<String>(NONCE).ok().flatten() {
        return Ok(nonce);
    }
    let (nonce, _) = secrets::new_token();
    session
        .insert(NONCE, &nonce)
        .map_err(|_| AppError::Cancelled)?;
    Ok(nonce)
}

fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let token = state.form_token(&form_id(&nonce(session)?));
    let page = login::page(&LoginView {
        email,
        token: &token,
        error,
    });
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(page.into_string()))
}

fn with_retry_after(mut response: HttpResponse, seconds: u64) -> HttpResponse {
    response
        .headers_mut()
        .insert(actix_web::http::header::RETRY_AFTER, seconds.max(1).into());
    response
}

pub async fn form(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, AppError> {
    render(&state, &session, StatusCode::OK, "", None)
}

pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Bytes,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    let pairs = form::parse(&req, &body)?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let email = field("email").trim();
    // Longer than any address: refused before it is remembered anywhere.
    if email.len() > Email::MAX_LEN {
        let message = format!(
            "The email address must be {} characters or fewer.",
            Email::MAX_LEN
        );
        return render(
            &state,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
            Some(&message),
        );
    }
    if let Err(wait) = state.limits.check(Class::Login, address) {
        // The form again, with the email typed, and when to try again.
        let response = render(
            &state,
            &session,
            StatusCode::TOO_MANY_REQUESTS,
            email,
            Some(&limits::message(wait)),
        )?;
        return Ok(with_retry_after(response, wait));
    }
    let nonce = session
        .get::<String>(NONCE)
        .ok()
        .flatten()
        .ok_or(AppError::FormToken)?;
    form_token::verify(
        state.secret.as_bytes(),
        &form_id(&nonce),
        field("token"),
        chrono::Utc::now().timestamp(),
    )
    .map_err(|_| AppError::FormToken)?;
    let (email, password) = (email.to_string(), field("password").to_string());
    let account = email.to_lowercase();

    if let Some(wait) = state.login_throttle.blocked(address, &account) {
        let when = limits::how_long(wait.as_secs());
        let response = render(
            &state,
            &session,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            Some(&format!("Too many failed attempts. Try again in {when}.")),
        )?;
        return Ok(with_retry_after(response, wait.as_secs()));
    }
    let lookup = account.clone();
    let user = state
        .db(move |conn| {
            let user = db::staff::find_by_email(conn, &lookup)?;
            let ok = match user
                .as_ref()
                .filter(|u| !u.disabled)
                .and_then(|u| u.password_hash.as_deref())
            {
                Some(hash) => staff::verify_password(&password, hash),
                None => {
                    staff::verify_against_nothing(&password);
                    false
                }
            };
            if ok {
                if let Some(u) = &user {
                    db::staff::record_login(conn, &u.id)?;
                }
            }
            Ok(user.filter(|_| ok))
        })
        .await?;
    let Some(user) = user else {
        state.login_throttle.record_failure(address, &account);
        return render(&state, &session, StatusCode::OK, &email, Some(WRONG));
    };
    state.login_throttle.clear(address, &account);
    session.remove(NONCE);
    auth::start(&session, &user)?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/admin"))
        .finish())
}

/// Ends the session at once, on the server too: a copy of the old cookie no longer works
/// (the account's session epoch moves on, which also logs out its other devices).
pub async fn logout(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    session: Session,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = staff.id.clone();
    state
        .db(move |conn| db::staff::end_sessions(conn, &id))
        .await?;
    session.purge();
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/admin/login"))
        .finish())
}
