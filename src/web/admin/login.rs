//! Logging in and out. Wrong credentials get one generic message; repeated failures wait
//! (see `throttle`); a successful login starts a fresh session.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::{auth, staff_form::StaffForm};
use crate::db;
use crate::domain::staff::CurrentStaff;
use crate::domain::{form_token, staff};
use crate::error::AppError;
use crate::views::admin::login::{self, LoginView};
use crate::web::limits::{self, Class};
use crate::web::{client, form, AppState};

const FORM_ID: &str = "admin-login";
const WRONG: &str = "The email address or password is not right.";

fn render(state: &AppState, status: StatusCode, email: &str, error: Option<&str>) -> HttpResponse {
    let token = state.form_token(FORM_ID);
    let page = login::page(&LoginView {
        email,
        token: &token,
        error,
    });
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(page.into_string())
}

pub async fn form(state: web::Data<AppState>) -> HttpResponse {
    render(&state, StatusCode::OK, "", None)
}

pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Bytes,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    if let Err(wait) = state.limits.check(Class::Login, address) {
        // The form again, with the email typed, and when to try again.
        let pairs = form::parse(&req, &body).unwrap_or_default();
        let email = pairs
            .iter()
            .find(|(n, _)| n == "email")
            .map_or("", |(_, v)| v.as_str());
        let mut response = render(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            email,
            Some(&limits::message(wait)),
        );
        response
            .headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, wait.into());
        return Ok(response);
    }
    let client = address.to_string();
    let pairs = form::parse(&req, &body)?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let (email, password) = (
        field("email").trim().to_string(),
        field("password").to_string(),
    );
    form_token::verify(
        state.secret.as_bytes(),
        FORM_ID,
        field("token"),
        chrono::Utc::now().timestamp(),
    )
    .map_err(|_| AppError::FormToken)?;
    let account = email.to_lowercase();

    if let Some(wait) = state.login_throttle.blocked(&client, &account) {
        let minutes = wait.as_secs().div_ceil(60);
        let message = format!(
            "Too many failed attempts. Try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        );
        let mut response = render(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            Some(&message),
        );
        response.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            wait.as_secs().max(1).into(),
        );
        return Ok(response);
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
        state.login_throttle.record_failure(&client, &account);
        return Ok(render(&state, StatusCode::OK, &email, Some(WRONG)));
    };
    state.login_throttle.clear(&client, &account);
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
