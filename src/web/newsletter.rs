//! Joining and leaving the newsletter. Joining reads like signing (limit → parse → verify
//! → fields → holds → store → answer) and answers the same page whatever the address's
//! state, so the form tells nobody who is subscribed. Confirming and unsubscribing show a
//! button on GET and act on POST; the unsubscribe POST needs no cookie, form token or
//! login (RFC 8058's one click, sent by mail providers), and answers 200 even for a
//! forged or reused link.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::limits::{self, Class};
use super::{client, form, html_page, private_page, rate_limited, see_other, AppState};
use crate::db::subscribers::{self, Link, NewSubscriber};
use crate::db::{self, holds::AccessRules};
use crate::domain::newsletter::{JoinForm, JoinInput, BOX_CONSENT_VERSION, FORM_CONSENT_VERSION};
use crate::domain::signature::FieldErrors;
use crate::domain::status::SubscriberStatus;
use crate::domain::{secrets, unsubscribe};
use crate::email::messages::{queued_confirmation, Confirmation};
use crate::error::AppError;
use crate::views::newsletter::{self as view, JoinView};

/// The newsletter's public routes (part of `web::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/newsletter", web::get().to(show))
        .route("/newsletter", web::post().to(join))
        .route("/newsletter/check-your-email", web::get().to(check_email))
        .route("/newsletter/confirm/{token}", web::get().to(confirm_page))
        .route("/newsletter/confirm/{token}", web::post().to(confirm))
        .route(
            "/newsletter/unsubscribe/{token}",
            web::get().to(unsubscribe_page),
        )
        .route(
            "/newsletter/unsubscribe/{token}",
            web::post().to(unsubscribe),
        );
}

/// The form id the join form's token is bound to.
pub const FORM_ID: &str = "newsletter";

/// The join form as the home page or an article shows it (`source`: where it is).
pub fn embedded_form(state: &AppState, source: &str) -> maud::Markup {
    let token = state.form_token(FORM_ID);
    view::join_form(&JoinView {
        token: &token,
        values: &JoinForm::default(),
        errors: &FieldErrors::new(),
        source,
        notice: None,
    })
}

fn form_page(
    state: &AppState,
    values: &JoinForm,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> maud::Markup {
    let token = state.form_token(FORM_ID);
    view::page(&JoinView {
        token: &token,
        values,
        errors,
        source: &values.source,
        notice,
    })
}

/// `GET /newsletter`.
pub async fn show(state: web::Data<AppState>) -> HttpResponse {
    html_page(
        StatusCode::OK,
        form_page(&state, &JoinForm::default(), &FieldErrors::new(), None),
    )
}

/// `POST /newsletter`.
pub async fn join(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    if let Err(wait) = state.limits.check(Class::Sign, address) {
        let typed = form::parse(&req, &body).map(|p| JoinForm::from_pairs(&p));
        let notice = limits::message(wait);
        let page = form_page(
            &state,
            &typed.unwrap_or_default(),
            &FieldErrors::new(),
            Some(&notice),
        );
        return Ok(rate_limited(wait, page));
    }
    let submitted = JoinForm::from_pairs(&form::parse(&req, &body)?);
    let now = db::now();
    let served_at = state.verify_form_token(FORM_ID, &submitted.token, now)?;
    let input = match JoinInput::try_from(&submitted) {
        Ok(input) => input,
        Err(errors) => {
            let page = form_page(&state, &submitted, &errors, None);
            return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let origin = state.origin(
        address,
        &submitted.website,
        &submitted.source,
        served_at,
        now,
    );
    let joining = prepare(&state, &input, &origin, now);
    let stored = state
        .db(move |conn| join_unless_held(conn, &origin, &joining))
        .await?;
    if stored {
        state.wake_outbox();
    }
    Ok(see_other("/newsletter/check-your-email"))
}

/// Stores a request to join and queues its confirmation, unless a rule holds it: held
/// joins are answered as if accepted, and nothing is kept or sent (`Ok(false)`).
pub fn join_unless_held(
    conn: &mut crate::db::DbConnection,
    origin: &crate::prepare::Origin,
    (new, email): &(NewSubscriber, crate::db::outbox::NewEmail),
) -> Result<bool, crate::db::DbError> {
    let domain = new.email_canonical.rsplit('@').next().unwrap_or("");
    if AccessRules::load(conn)?
        .hold(origin.hold, domain, origin.address)
        .is_some()
    {
        return Ok(false);
    }
    subscribers::join(conn, new, email).map(|_| true)
}

/// A letter sent from the writer's own mail program is never confirmed by email, so its
/// ticked newsletter box cannot subscribe by itself: it asks to join, by the newsletter's
/// own confirmation email (with the box's wording as the consent).
pub fn from_mailto_letter(
    state: &AppState,
    action: &crate::db::actions::ContactAction,
    input: &crate::domain::letter::LetterInput,
    origin: &crate::prepare::Origin,
    now: chrono::NaiveDateTime,
) -> Option<(NewSubscriber, crate::db::outbox::NewEmail)> {
    if !(action.is_mailto() && input.consent_updates) {
        return None;
    }
    let joining = JoinInput {
        email: input.email.clone(),
        first_name: input.first_name.clone(),
        country: input.country,
    };
    let (mut new, email) = prepare(state, &joining, origin, now);
    new.consent_text = crate::organisation::newsletter_box();
    new.consent_version = BOX_CONSENT_VERSION.to_string();
    new.source = format!("letter:{}", action.slug);
    Some((new, email))
}

/// The subscriber to store (pending) and its confirmation email, in the page's language.
pub fn prepare(
    state: &AppState,
    input: &JoinInput,
    origin: &crate::prepare::Origin,
    now: chrono::NaiveDateTime,
) -> (NewSubscriber, crate::db::outbox::NewEmail) {
    let lang = crate::i18n::current();
    let (token, token_hash) = secrets::new_token();
    let link = format!(
        "{}{}/newsletter/confirm/{token}",
        state.base_url,
        lang.prefix()
    );
    let organisation = crate::organisation::current();
    let first_name = input.first_name.as_str();
    let email = queued_confirmation(
        lang,
        Confirmation::Newsletter,
        input.email.as_str(),
        organisation.display_name(),
        first_name,
        &link,
        now,
    );
    // Where the form was: `home` or an article's slug; anything else is not kept.
    let page = origin.source.as_str();
    let slug_like = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let source = match page.len() <= 100 && !page.is_empty() && page.chars().all(slug_like) {
        true => format!("newsletter:{page}"),
        false => "newsletter".to_string(),
    };
    let new = NewSubscriber {
        id: db::new_id(),
        email: input.email.as_str().to_string(),
        email_canonical: input.email.canonical().to_string(),
        first_name: first_name.to_string(),
        country_code: input.country.code().to_string(),
        language: lang.code().to_string(),
        status: SubscriberStatus::Pending.as_str().to_string(),
        consent_text: view::consent_text(),
        consent_version: FORM_CONSENT_VERSION.to_string(),
        source,
        token_hash,
        client_hash: origin.client_hash.clone(),
        emails_sent: 1,
        created_at: now,
        updated_at: now,
    };
    (new, email)
}

pub async fn check_email() -> HttpResponse {
    html_page(StatusCode::OK, view::check_email())
}

/// `GET /newsletter/confirm/{token}`: a button, nothing changed.
pub async fn confirm_page(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let hash = secrets::token_hash(&token);
    let link = state
        .db(move |conn| subscribers::link(conn, &hash, db::now()))
        .await?;
    let action = crate::i18n::href(&format!("/newsletter/confirm/{token}"));
    Ok(match link {
        Link::Pending => private_page(StatusCode::OK, view::confirm(&action)),
        Link::Subscribed => private_page(StatusCode::OK, view::subscribed()),
        Link::Unusable => private_page(StatusCode::NOT_FOUND, view::link_problem()),
    })
}

/// `POST /newsletter/confirm/{token}`.
pub async fn confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let hash = secrets::token_hash(&token.into_inner());
    let link = state
        .db(move |conn| subscribers::confirm(conn, &hash, db::now()))
        .await?;
    Ok(match link {
        Link::Unusable => private_page(StatusCode::NOT_FOUND, view::link_problem()),
        _ => private_page(StatusCode::OK, view::subscribed()),
    })
}

/// `GET /newsletter/unsubscribe/{token}`: a button, nothing changed.
pub async fn unsubscribe_page(token: web::Path<String>) -> HttpResponse {
    let action = crate::i18n::href(&format!("/newsletter/unsubscribe/{token}"));
    private_page(StatusCode::OK, view::unsubscribe(&action))
}

/// `POST /newsletter/unsubscribe/{token}`: the same 200 page whatever the token.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if let Some((id, mailing)) = unsubscribe::subscriber_of(state.secret.as_bytes(), &token) {
        state
            .db(move |conn| {
                db::write_transaction(conn, |conn| {
                    let now = db::now();
                    let left = subscribers::unsubscribe(conn, &id, mailing.as_deref(), now)?;
                    if left {
                        db::webhooks::subscriber_unsubscribed(conn, &id, now)?;
                    }
                    Ok(left)
                })
            })
            .await?;
    }
    Ok(private_page(StatusCode::OK, view::unsubscribed()))
}
