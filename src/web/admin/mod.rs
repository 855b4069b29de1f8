//! The staff area: everything under `/admin`, behind one guard, with sessions in an
//! encrypted cookie scoped to `/admin` (public pages never receive it).

mod access_rules;
mod action_form;
mod actions;
mod articles;
mod audit_log;
mod auth;
mod campaigns;
mod dashboard;
mod decisions;
mod erasure;
mod exports;
mod login;
mod mailings;
mod moderation;
mod organisation;
mod partner;
mod partners;
mod petition;
mod pictures;
mod replies;
pub mod report_digest;
mod retention;
pub mod routes;
mod staff;
mod staff_form;
mod subscribers;
mod target_lists;
pub mod throttle;
mod translations;
mod updates;
mod upload;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::middleware::from_fn;
use actix_web::web;

// Post/redirect/get, for the admin handlers.
use crate::web::see_other;

/// The header a handler's redirect carries its message in ("Saved"); the guard moves it
/// into the session for the next page and never sends it.
const FLASH_HEADER: &str = "x-clarion-flash";

/// Post/redirect/get with a message the next page shows once (`message`: plain ASCII).
fn saved(location: &str, message: &'static str) -> actix_web::HttpResponse {
    use actix_web::http::header::{HeaderName, HeaderValue};
    let mut response = see_other(location);
    response.headers_mut().insert(
        HeaderName::from_static(FLASH_HEADER),
        HeaderValue::from_static(message),
    );
    response
}

/// The last page a staff list shows (50,000 rows at 50 a page): reading further means
/// skipping that many rows for every page, so a narrower search is the way on.
const MAX_PAGE: i64 = 1_000;

/// The `page` of a paginated staff list as typed: from 1 to [`MAX_PAGE`], 1 when absent.
fn page_number(typed: Option<&str>) -> Result<i64, String> {
    match typed.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(1),
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or_else(|| {
                format!(
                    "page must be a number from 1 to {MAX_PAGE}; narrow the search to see further"
                )
            }),
    }
}

/// The `/admin` scope, its session cookie keyed from the secret key.
pub fn scope(
    key: &Key,
    secure: bool,
) -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
        .cookie_name("clarion_admin".into())
        .cookie_path("/admin".into())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(secure)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default())
        .build();
    web::scope("/admin")
        // Room for long articles typed in any script (percent-encoded, three bytes a letter).
        .app_data(web::PayloadConfig::new(2 * 1024 * 1024))
        .wrap(from_fn(auth::guard))
        .wrap(sessions)
        // Staff pages and exports hold personal data: no browser or proxy keeps a copy.
        .wrap(
            actix_web::middleware::DefaultHeaders::new()
                .add((actix_web::http::header::CACHE_CONTROL, "no-store")),
        )
        .configure(routes::register)
}
