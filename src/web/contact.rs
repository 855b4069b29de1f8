//! Writing to officials: the action page (country, then targets and letter), sending
//! (strict form → token → fields → targets → store), and the pages after it.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;
use rand::Rng as _;
use serde::Deserialize;

use super::limits::{self, Class};
use super::{client, form, html_page as html, see_other, AppState};
use crate::db;
use crate::db::actions::{self, ContactAction};
use crate::db::messages::{self, NewMessage, Target};
use crate::domain::country::{self, Country};
use crate::domain::letter::{self, ContactForm};
use crate::domain::signature::FieldErrors;
use crate::domain::{form_token, secrets, FieldError};
use crate::email::messages::{self as mails, Confirmation};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::views::{self, contact::LetterView};

fn form_id(action_id: &str) -> String {
    format!("contact:{action_id}")
}

async fn find(state: &AppState, slug: String) -> Result<ContactAction, AppError> {
    state
        .db(move |conn| actions::find_contact(conn, &slug))
        .await?
        .ok_or(AppError::NotFound)
}

async fn targets_of(
    state: &AppState,
    action: &ContactAction,
    country: &str,
) -> Result<Vec<Target>, AppError> {
    let (list, country) = (
        action.target_list_id.clone().unwrap_or_default(),
        country.to_string(),
    );
    state
        .db(move |conn| messages::targets_for_country(conn, &list, &country))
        .await
}

#[derive(Deserialize)]
pub struct CountryQuery {
    country: Option<String>,
    source: Option<String>,
}

/// A window of `max` targets starting at a random place: over many supporters, letters
/// reach every target of a country instead of always the first few.
fn rotating_sample(targets: &[Target], max: usize) -> Vec<String> {
    if targets.is_empty() {
        return Vec::new();
    }
    let start = rand::rng().random_range(0..targets.len());
    targets
        .iter()
        .cycle()
        .skip(start)
        .take(max.min(targets.len()))
        .map(|t| t.id.clone())
        .collect()
}

pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<CountryQuery>,
) -> Result<HttpResponse, AppError> {
    let action = find(&state, slug.into_inner()).await?;
    let open = action.is_open(db::now());
    let typed = query.country.as_deref().unwrap_or("").trim();
    if typed.is_empty() || !open {
        return Ok(html(
            StatusCode::OK,
            views::contact::choose_country(&action, open, None),
        ));
    }
    let Ok(country) = Country::parse(typed) else {
        let page = views::contact::choose_country(&action, open, Some(Msg::ErrCountryInvalid));
        return Ok(html(StatusCode::BAD_REQUEST, page));
    };
    let targets = targets_of(&state, &action, country.code()).await?;
    let values = ContactForm {
        targets: rotating_sample(&targets, action.max_targets.max(1) as usize),
        subject: action.subject_template.clone(),
        body: action.body_template.clone(),
        source: query.source.clone().unwrap_or_default(),
        ..Default::default()
    };
    let token = state.form_token(&form_id(&action.id));
    let view = LetterView {
        action: &action,
        country: country.code(),
        targets: &targets,
        values: &values,
        errors: &FieldErrors::new(),
        token: &token,
        notice: None,
    };
    Ok(html(StatusCode::OK, views::contact::letter(&view)))
}

pub async fn send(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    if let Err(wait) = state.limits.check(Class::Contact, address) {
        return over_limit(&state, &req, &body, slug.into_inner(), wait).await;
    }
    let submitted = ContactForm::from_pairs(&form::parse(&req, &body)?);
    let action = find(&state, slug.into_inner()).await?;
    let now = db::now();
    let served_at = form_token::verify(
        state.secret.as_bytes(),
        &form_id(&action.id),
        &submitted.token,
        now.and_utc().timestamp(),
    )
    .map_err(|_| AppError::FormToken)?;
    if !action.is_open(now) {
        return Err(AppError::Closed);
    }
    let Ok(country) = Country::parse(&submitted.country) else {
        let page = views::contact::choose_country(&action, true, Some(Msg::ErrCountryInvalid));
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let targets = targets_of(&state, &action, country.code()).await?;
    let mut parsed = letter::parse(&submitted, action.max_targets.max(1) as usize);
    // Every chosen target must be one of this action's targets for this country.
    let known = |id: &String| targets.iter().any(|t| t.id == *id);
    if !submitted.targets.iter().all(known) {
        let unknown = ("targets", FieldError(Msg::ErrTargetsUnknown));
        match &mut parsed {
            Ok(_) => parsed = Err(vec![unknown]),
            Err(errors) if !errors.iter().any(|(n, _)| *n == "targets") => {
                errors.insert(0, unknown)
            }
            Err(_) => {}
        }
    }
    let input = match parsed {
        Ok(input) => input,
        Err(errors) => {
            let token = state.form_token(&form_id(&action.id));
            let view = LetterView {
                action: &action,
                country: country.code(),
                targets: &targets,
                values: &submitted,
                errors: &errors,
                token: &token,
                notice: None,
            };
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::contact::letter(&view),
            ));
        }
    };
    let (token, token_hash) = secrets::new_token();
    let mailto = action.is_mailto();
    let message = NewMessage {
        id: db::new_id(),
        action_id: action.id.clone(),
        first_name: input.first_name.as_str().into(),
        last_name: input.last_name.as_str().into(),
        email: input.email.as_str().into(),
        email_canonical: input.email.canonical().into(),
        country_code: country.code().into(),
        postcode: input.postcode.as_str().into(),
        subject: input.subject.clone(),
        body: input.body.clone(),
        consent_updates: input.consent_updates,
        consent_text: action.consent_text.clone(),
        consent_version: action.consent_version.clone(),
        status: if mailto { "confirmed" } else { "pending" }.into(),
        hold_reason: None,
        client_hash: secrets::client_hash(
            state.secret.as_bytes(),
            &client::quota_key(address).to_string(),
        ),
        token_hash,
        emails_sent: if mailto { 0 } else { 1 },
        source_article_id: None,
        created_day: now.date(),
        created_at: now,
        confirmed_at: mailto.then_some(now),
        updated_at: now,
    };
    let confirmation = (!mailto).then(|| {
        let link = format!("{}/messages/confirm/{token}", state.base_url);
        let mut email = mails::queued_confirmation(
            Confirmation::Message,
            input.email.as_str(),
            &action.title,
            input.first_name.as_str(),
            &link,
            now,
        );
        email.message_id = Some(message.id.clone());
        email
    });
    let (chosen, source) = (input.targets.clone(), submitted.source.clone());
    let early_hold = state.rules.early_hold(&submitted.website, served_at, now);
    let domain = input.email.domain().to_string();
    let stored = state
        .db(move |conn| {
            let mut message = message;
            message.source_article_id = db::articles::published_id(conn, &source, now)?;
            // Held like signatures (the per-address rule is for petitions only); a held
            // letter is confirmed as usual but leaves only when staff release it.
            let hold = match early_hold {
                Some(reason) => Some(reason),
                None => db::holds::is_blocked(conn, &domain, address)?.then_some("blocked"),
            };
            if let Some(reason) = hold {
                message.status = "held".into();
                message.hold_reason = Some(reason.into());
            }
            messages::submit(conn, &message, &chosen, confirmation.as_ref())
        })
        .await?;
    let slug = &action.slug;
    if mailto {
        if !stored {
            // Already prepared today: show this letter's links again, counting nothing.
            let chosen: Vec<&Target> = targets
                .iter()
                .filter(|t| input.targets.contains(&t.id))
                .collect();
            let links = mailto_links(
                &input.subject,
                &input.body,
                &format!("{} {}", input.first_name.as_str(), input.last_name.as_str()),
                country.name(),
                &chosen,
            );
            return Ok(html(
                StatusCode::OK,
                views::contact::prepared(&action, &links),
            ));
        }
        return Ok(see_other(&format!("/act/{slug}/letters/{token}")));
    }
    state.wake_outbox();
    Ok(see_other(&format!("/act/{slug}/check-your-email")))
}

/// Over the contact limit: the letter form again with what was typed, and when to retry.
async fn over_limit(
    state: &AppState,
    req: &HttpRequest,
    body: &[u8],
    slug: String,
    wait: u64,
) -> Result<HttpResponse, AppError> {
    let submitted = form::parse(req, body)
        .map(|p| ContactForm::from_pairs(&p))
        .unwrap_or_default();
    let action = find(state, slug).await?;
    let notice = limits::message(wait);
    let page = match Country::parse(&submitted.country) {
        Ok(country) => {
            let targets = targets_of(state, &action, country.code()).await?;
            let token = state.form_token(&form_id(&action.id));
            let view = LetterView {
                action: &action,
                country: country.code(),
                targets: &targets,
                values: &submitted,
                errors: &FieldErrors::new(),
                token: &token,
                notice: Some(&notice),
            };
            views::contact::letter(&view)
        }
        Err(_) => views::contact::choose_country(&action, true, None),
    };
    Ok(HttpResponse::TooManyRequests()
        .insert_header(("Retry-After", wait.to_string()))
        .content_type("text/html; charset=utf-8")
        .body(page.into_string()))
}

fn mailto_links(
    subject: &str,
    body: &str,
    supporter: &str,
    country: &str,
    targets: &[&Target],
) -> Vec<(String, String)> {
    targets
        .iter()
        .map(|t| {
            let subject = letter::fill(subject, &t.name, supporter, country);
            let body = letter::fill(body, &t.name, supporter, country);
            (
                t.name.clone(),
                views::contact::mailto(&t.email, &subject, &body),
            )
        })
        .collect()
}

pub async fn prepared(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, token) = path.into_inner();
    let action = find(&state, slug).await?;
    let hash = secrets::token_hash(&token);
    let (message, targets) = state
        .db(move |conn| messages::prepared(conn, &hash))
        .await?
        .ok_or(AppError::NotFound)?;
    let supporter = format!("{} {}", message.first_name, message.last_name);
    let chosen: Vec<&Target> = targets.iter().collect();
    let links = mailto_links(
        &message.subject,
        &message.body,
        &supporter,
        country::name_of(&message.country_code),
        &chosen,
    );
    // The page's URL holds a secret token: keep it out of Referer headers and caches.
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header(("Cache-Control", "no-store"))
        .body(views::contact::prepared(&action, &links).into_string()))
}

pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    Ok(views::contact::check_email(
        &find(&state, slug.into_inner()).await?,
    ))
}

pub async fn thank_you(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    Ok(views::contact::thanks(
        &find(&state, slug.into_inner()).await?,
    ))
}
