//! A supporter's own data. `/me` emails a link to anyone who types an address (the same
//! answer whatever is stored, limited like signing); the link (`/me/{token}`, valid
//! 24 hours, replaced by a newer one) shows everything kept about the address and
//! downloads it as JSON. Opening it changes nothing.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::limits::{self, Class};
use super::{client, form, html_page, private_page, rate_limited, see_other, AppState};
use crate::db::{self, data_links, holds::AccessRules, supporter_actions, supporter_data};
use crate::domain::email::Email;
use crate::domain::signature::FieldErrors;
use crate::domain::{data_link, secrets};
use crate::email::messages::{queued_confirmation, Confirmation};
use crate::error::AppError;
use crate::views::me::{self as view, FormView};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me", web::get().to(show))
        .route("/me", web::post().to(ask))
        .route("/me/check-your-email", web::get().to(check_email))
        .route("/me/{token}", web::get().to(data_page))
        .route("/me/{token}/data.json", web::get().to(download))
        .route("/me/{token}/withdraw", web::post().to(withdraw))
        .route("/me/{token}/unsubscribe", web::post().to(unsubscribe))
        .route("/me/{token}/erase", web::post().to(erase));
}

/// The form id the form's token is bound to.
const FORM_ID: &str = "me";

fn form_page(
    state: &AppState,
    email: &str,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> maud::Markup {
    let token = state.form_token(FORM_ID);
    let shown = FormView {
        token: &token,
        email,
        errors,
        notice,
    };
    view::page(&shown)
}

/// `GET /me`.
pub async fn show(state: web::Data<AppState>) -> HttpResponse {
    let page = form_page(&state, "", &FieldErrors::new(), None);
    html_page(StatusCode::OK, page)
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `POST /me`: the link to the address's data, emailed if anything is stored for it.
pub async fn ask(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    if let Err(wait) = state.limits.check(Class::Sign, address) {
        let typed = form::parse(&req, &body).unwrap_or_default();
        let notice = limits::message(wait);
        let page = form_page(&state, &field(&typed, "email"), &Vec::new(), Some(&notice));
        return Ok(rate_limited(wait, page));
    }
    let pairs = form::parse(&req, &body)?;
    let now = db::now();
    let served_at = state.verify_form_token(FORM_ID, &field(&pairs, "token"), now)?;
    let typed = field(&pairs, "email");
    let email = match Email::parse(&typed) {
        Ok(email) => email,
        Err(error) => {
            let page = form_page(&state, &typed, &vec![("email", error)], None);
            return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let origin = state.origin(address, &field(&pairs, "website"), "", served_at, now);
    let lang = crate::i18n::current();
    let (token, token_hash) = secrets::new_token();
    let link = format!("{}{}/me/{token}", state.base_url, lang.prefix());
    let organisation = crate::organisation::current();
    let title = organisation.display_name().to_string();
    let sent = state
        .db(move |conn| {
            // Held (honeypot, too fast, blocked) or nothing stored: the same answer,
            // and nothing is sent.
            let rules = AccessRules::load(conn)?;
            if rules.hold(origin.hold, email.domain(), address).is_some() {
                return Ok(false);
            }
            let Some(first_name) = data_links::first_name_of(conn, email.canonical())? else {
                return Ok(false);
            };
            let mail = queued_confirmation(
                lang,
                Confirmation::DataLink,
                email.as_str(),
                &title,
                &first_name,
                &link,
                now,
            );
            data_links::issue(conn, email.canonical(), &token_hash, &mail, now)
        })
        .await?;
    if sent {
        state.wake_outbox();
    }
    Ok(see_other("/me/check-your-email"))
}

pub async fn check_email() -> HttpResponse {
    html_page(StatusCode::OK, view::check_email())
}

/// The address a link opens, while it works: one asked for at `/me` (stored), or one
/// at the foot of an email (signed, naming the row it was sent for).
async fn holder(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    let now = db::now();
    if let Some((row, id, issued)) =
        data_link::read(state.secret.as_bytes(), token, now.and_utc().timestamp())
    {
        let issued = chrono::DateTime::from_timestamp(issued, 0).map_or(now, |at| at.naive_utc());
        return state
            .db(move |conn| data_links::holder_of_row(conn, row, &id, issued))
            .await;
    }
    let hash = secrets::token_hash(token);
    state
        .db(move |conn| data_links::holder(conn, &hash, db::now()))
        .await
}

/// 410: the link was forged, expired, replaced or erased; nothing is shown.
fn gone(state: &AppState) -> HttpResponse {
    let token = state.form_token(FORM_ID);
    let errors = FieldErrors::new();
    let shown = FormView {
        token: &token,
        email: "",
        errors: &errors,
        notice: None,
    };
    private_page(StatusCode::GONE, view::gone(&shown))
}

#[derive(serde::Deserialize)]
pub struct Done {
    /// What the last step did: `withdrawn`, `unsubscribed`.
    done: Option<String>,
}

/// `GET /me/{token}`: everything kept about the address.
pub async fn data_page(
    state: web::Data<AppState>,
    token: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let Some(canonical) = holder(&state, &token).await? else {
        return Ok(gone(&state));
    };
    let lang = crate::i18n::current();
    let data = state
        .db(move |conn| {
            let mut data = supporter_data::of(conn, &canonical)?;
            supporter_data::in_language(conn, &mut data, lang)?;
            Ok(data)
        })
        .await?;
    let base = crate::i18n::href(&format!("/me/{token}"));
    let notice = match query.done.as_deref() {
        Some("withdrawn") => Some(crate::i18n::Msg::MeWithdrawnNotice),
        Some("unsubscribed") => Some(crate::i18n::Msg::MeUnsubscribedNotice),
        _ => None,
    };
    let page = view::data_page(view::data(&data, &base, notice));
    Ok(private_page(StatusCode::OK, page))
}

/// `GET /me/{token}/data.json`: the same, as one file to keep.
pub async fn download(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(canonical) = holder(&state, &token.into_inner()).await? else {
        return Ok(gone(&state));
    };
    let data = state
        .db(move |conn| {
            data_links::by_supporter(conn, "supporter.data_downloaded")?;
            supporter_data::of(conn, &canonical)
        })
        .await?;
    // Strings, numbers and dates only: serialising cannot fail.
    let json = serde_json::to_vec_pretty(&data).expect("supporter data serialises");
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"my-data.json\"",
        ))
        .body(json))
}

/// `POST /me/{token}/withdraw` (`signature`: its id): withdraws one of the address's
/// signatures. Twice, or another's, changes nothing.
pub async fn withdraw(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let Some(canonical) = holder(&state, &token).await? else {
        return Ok(gone(&state));
    };
    let id = field(&form::parse(&req, &body)?, "signature");
    state
        .db(move |conn| supporter_actions::withdraw(conn, &canonical, &id, db::now()))
        .await?;
    Ok(see_other(&format!("/me/{token}?done=withdrawn")))
}

/// `POST /me/{token}/unsubscribe`.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let Some(canonical) = holder(&state, &token).await? else {
        return Ok(gone(&state));
    };
    state
        .db(move |conn| supporter_actions::unsubscribe(conn, &canonical, db::now()))
        .await?;
    Ok(see_other(&format!("/me/{token}?done=unsubscribed")))
}

/// `POST /me/{token}/erase`: what will go and a button; with `confirm=1`, erases it all.
pub async fn erase(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let Some(canonical) = holder(&state, &token).await? else {
        return Ok(gone(&state));
    };
    if field(&form::parse(&req, &body)?, "confirm") != "1" {
        let found = state
            .db(move |conn| db::erasure::footprint(conn, &canonical))
            .await?;
        let base = crate::i18n::href(&format!("/me/{token}"));
        return Ok(private_page(StatusCode::OK, view::erase(&found, &base)));
    }
    state
        .db(move |conn| supporter_actions::erase(conn, &canonical))
        .await?;
    Ok(private_page(StatusCode::OK, view::erased()))
}
