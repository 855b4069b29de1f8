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
use crate::domain::secrets;
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::login::{self, LoginView};
use crate::web::limits::{self, Class};
use crate::web::{client, form, html_page, rate_limited, see_other, AppState};

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
        .map_err(|_| AppError::Session)?;
    Ok(nonce)
}

/// The login form with `email` typed and an `error` above it.
fn render(
    state: &AppState,
    session: &Session,
    email: &str,
    error: Option<&str>,
) -> Result<maud::Markup, AppError> {
    let token = state.form_token(&form_id(&nonce(session)?));
    Ok(login::page(&LoginView {
        email,
        token: &token,
        error,
    }))
}

pub async fn form(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, AppError> {
    Ok(html_page(
        StatusCode::OK,
        render(&state, &session, "", None)?,
    ))
}

/// `POST /admin/login`: size → limit → token → throttle → password → a fresh session.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Bytes,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    let pairs = form::parse(&req, &body)?;
    let field = |name: &str| form::value_of(&pairs, name);
    let email = field("email").trim();
    // Longer than any address: refused before it is remembered anywhere.
    if email.len() > Email::MAX_LEN {
        let message = format!(
            "The email address must be {} characters or fewer.",
            Email::MAX_LEN
        );
        let page = render(&state, &session, "", Some(&message))?;
        return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    if let Err(wait) = state.limits.check(Class::Login, address) {
        let page = render(&state, &session, email, Some(&limits::message(wait)))?;
        return Ok(rate_limited(wait, page));
    }
    let nonce = session.get::<String>(NONCE).ok().flatten();
    state.verify_form_token(
        &form_id(&nonce.ok_or(AppError::FormToken)?),
        field("token"),
        db::now(),
    )?;
    let (email, password) = (email.to_string(), field("password").to_string());
    let account = email.to_lowercase();
    if let Some(wait) = state.login_throttle.blocked(address, &account) {
        let when = limits::how_long(wait.as_secs());
        let message = format!("Too many failed attempts. Try again in {when}.");
        let page = render(&state, &session, &email, Some(&message))?;
        return Ok(rate_limited(wait.as_secs(), page));
    }
    let lookup = account.clone();
    let user = state
        .db(move |conn| db::staff::log_in(conn, &lookup, &password))
        .await?;
    let Some(user) = user else {
        state.login_throttle.record_failure(address, &account);
        let page = render(&state, &session, &email, Some(WRONG))?;
        return Ok(html_page(StatusCode::OK, page));
    };
    state.login_throttle.clear(address, &account);
    session.remove(NONCE);
    auth::start(&session, &user)?;
    Ok(see_other("/admin"))
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
    Ok(see_other("/admin/login"))
}
