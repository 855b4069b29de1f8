//! Writing to officials: the action page (country, then targets and letter), sending
//! (strict form → token → fields → targets → store). The pages after it are in
//! `contact_after.rs`.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;
use rand::Rng as _;

use super::contact_carry::{carried, partner_name, CountryQuery};
use super::form::Said;
use super::limits::{self, Class};
use super::sent;
use super::{client, form, html_page as html, private_page, rate_limited, see_other, AppState};
use crate::db;
use crate::db::actions::{self, ContactAction};
use crate::db::messages::{self, Target};
use crate::domain::country::{self, Country};
use crate::domain::email_typo;
use crate::domain::letter::{self, ContactForm, LetterInput};
use crate::domain::newsletter::mailing_ref;
use crate::domain::signature::FieldErrors;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prepare;
use crate::views::{self, contact::LetterView};

fn form_id(action_id: &str) -> String {
    format!("contact:{action_id}")
}

/// The action in the request's language where staff translated it (its letter's subject
/// and text too, so a letter starts in the language of its page), and whether it was.
pub(super) async fn find(
    state: &AppState,
    slug: String,
) -> Result<(ContactAction, bool), AppError> {
    let lang = crate::i18n::current();
    state
        .db(move |conn| match actions::find_contact(conn, &slug)? {
            Some(action) => Ok(Some(db::translations::localise_one(conn, action, lang)?)),
            None => Ok(None),
        })
        .await?
        .ok_or(AppError::NotFound)
}

async fn targets_of(
    state: &AppState,
    action: &ContactAction,
    country: &str,
) -> Result<Vec<Target>, AppError> {
    // Someone in Réunion is represented by France's MEPs.
    let represented = country::member_state_of(country).unwrap_or(country);
    let (list, country) = (
        action.target_list_id.clone().unwrap_or_default(),
        represented.to_string(),
    );
    state
        .db(move |conn| messages::targets_for_country(conn, &list, &country))
        .await
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
    let (action, translated) = find(&state, slug.into_inner()).await?;
    let open = action.is_open(db::now());
    let typed = query.country.as_deref().unwrap_or("").trim();
    let shown = (open, translated);
    let (mailing, partner) = (query.mailing.as_deref(), query.partner.as_deref());
    let carried = carried(mailing.unwrap_or(""), partner.unwrap_or(""), &query.utm());
    if typed.is_empty() || !open {
        let (id, lang) = (action.id.clone(), crate::i18n::current());
        let updates = state
            .db(move |conn| db::updates::timeline(conn, &id, lang))
            .await?;
        let page = views::contact::choose_country(&action, shown, None, (&carried, &updates));
        return Ok(html(StatusCode::OK, page));
    }
    let Ok(country) = Country::parse(typed) else {
        let error = Some(Msg::ErrCountryInvalid);
        let page = views::contact::choose_country(&action, shown, error, (&carried, &[]));
        return Ok(html(StatusCode::BAD_REQUEST, page));
    };
    let targets = targets_of(&state, &action, country.code()).await?;
    if targets.is_empty() {
        // A dead end gets a way on: why, and the campaign's petitions instead.
        let campaign = action.campaign_id.clone();
        let petitions = state
            .db(move |conn| actions::open_petitions_of(conn, &campaign, db::now()))
            .await?;
        let page =
            views::contact::nobody_to_write_to((&action, translated), country.code(), &petitions);
        return Ok(html(StatusCode::OK, page));
    }
    let code = country.code();
    let (values, private) = match typed_again(&state, &action, &query, code).await? {
        Some(values) => (values, true),
        None => (first_values(&action, &targets, &query), false),
    };
    let (errors, said) = (FieldErrors::new(), Said::default());
    let partner = partner_name(&state, &values.partner).await?;
    let page = letter_page(
        &state,
        (&action, translated, partner.as_deref()),
        code,
        &targets,
        &values,
        &errors,
        said,
    );
    Ok(match private {
        true => private_page(StatusCode::OK, page),
        false => html(StatusCode::OK, page),
    })
}

/// The letter form as first shown: the action's letter, a rotating choice of targets.
fn first_values(action: &ContactAction, targets: &[Target], query: &CountryQuery) -> ContactForm {
    ContactForm {
        targets: rotating_sample(targets, action.max_targets.max(1) as usize),
        subject: action.subject_template.clone(),
        body: action.body_template.clone(),
        source: query.source.clone().unwrap_or_default(),
        mailing: query.mailing.clone().unwrap_or_default(),
        partner: query.partner.clone().unwrap_or_default(),
        utm: query.utm(),
        ..Default::default()
    }
}

/// The letter as typed, from "Change it": the sealed fields, and the subject and text of
/// the letter still waiting for confirmation (the action's own when it is not waiting).
async fn typed_again(
    state: &AppState,
    action: &ContactAction,
    query: &CountryQuery,
    country: &str,
) -> Result<Option<ContactForm>, AppError> {
    let purpose = sent::letter(&action.slug);
    let Some(typed) = sent::open(state, &purpose, query.change.as_deref()) else {
        return Ok(None);
    };
    if typed.country() != country {
        return Ok(None);
    }
    let (id, action_id) = (
        typed.letter_id.clone().unwrap_or_default(),
        action.id.clone(),
    );
    let waiting = state
        .db(move |conn| messages::waiting_text(conn, &id, &action_id))
        .await?;
    let (subject, body) = waiting.unwrap_or_else(|| {
        (
            action.subject_template.clone(),
            action.body_template.clone(),
        )
    });
    Ok(Some(typed.contact_form(subject, body)))
}

/// The letter form for `country`, with `values` typed, `errors` and a rate-limit `notice`.
fn letter_page(
    state: &AppState,
    (action, translated, partner): (&ContactAction, bool, Option<&str>),
    country: &str,
    targets: &[Target],
    values: &ContactForm,
    errors: &FieldErrors,
    said: Said,
) -> Markup {
    let token = state.form_token(&form_id(&action.id));
    views::contact::letter(&LetterView {
        action,
        country,
        targets,
        translated,
        values,
        errors,
        token: &token,
        notice: said.notice,
        suggestion: said.suggestion,
        partner,
    })
}

/// The letter checked, or the form again: with each refused field's message (422), or
/// asking "did you mean …?" about the email, once (200).
fn checked_letter(
    state: &AppState,
    (action, translated, partner): (&ContactAction, bool, Option<&str>),
    country: &str,
    targets: &[Target],
    submitted: &ContactForm,
) -> Result<LetterInput, (StatusCode, Markup)> {
    let known = |id: &str| targets.iter().any(|t| t.id == id);
    let max = action.max_targets.max(1) as usize;
    let (errors, suggestion) = match letter::parse(submitted, max, known) {
        Ok(input) if submitted.email_checked => return Ok(input),
        Ok(input) => match email_typo::suggestion(input.email.as_str()) {
            None => return Ok(input),
            Some(suggested) => (FieldErrors::new(), Some(suggested)),
        },
        Err(errors) => (errors, None),
    };
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let said = Said {
        suggestion: suggestion.as_deref(),
        ..Said::default()
    };
    let shown = (action, translated, partner);
    let page = letter_page(state, shown, country, targets, submitted, &errors, said);
    Err((status, page))
}

/// `POST /act/{slug}/send`: limit → parse → find → verify → targets → prepare → store →
/// answer (the mailto links, or "check your email").
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
    let (action, translated) = find(&state, slug.into_inner()).await?;
    let now = db::now();
    let served_at = state.verify_form_token(&form_id(&action.id), &submitted.token, now)?;
    if !action.is_open(now) {
        return Err(AppError::Closed);
    }
    let Ok(country) = Country::parse(&submitted.country) else {
        let shown = (true, translated);
        let s = &submitted;
        let carried = carried(&s.mailing, &s.partner, &s.utm);
        let error = Some(Msg::ErrCountryInvalid);
        let page = views::contact::choose_country(&action, shown, error, (&carried, &[]));
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let targets = targets_of(&state, &action, country.code()).await?;
    let partner = super::petitions::partner_named(&state, &submitted.partner).await?;
    let shown = (
        &action,
        translated,
        partner.as_ref().map(|p| p.name.as_str()),
    );
    let input = match checked_letter(&state, shown, country.code(), &targets, &submitted) {
        Ok(input) => input,
        Err((status, page)) => return Ok(html(status, page)),
    };
    let (website, source) = (&submitted.website, &submitted.source);
    let mut origin = state.origin(address, website, source, served_at, now);
    origin.mailing = mailing_ref(&submitted.mailing);
    origin.partner = partner.map(|p| (p.id, p.name));
    origin.utm = submitted
        .utm
        .each_ref()
        .map(|v| crate::domain::partner::tracking_value(v));
    let joining = super::newsletter::from_mailto_letter(&state, &action, &input, &origin, now);
    let (letter, token) = prepare::letter(&action, &input, origin.clone(), &state.base_url, now);
    let letter_id = letter.message.id.clone();
    let stored = state
        .db(move |conn| {
            let stored = messages::store(conn, letter, now)?;
            if let (true, Some(joining)) = (stored, &joining) {
                super::newsletter::join_unless_held(conn, &origin, joining)?;
            }
            Ok(stored)
        })
        .await?;
    let slug = &action.slug;
    match (action.is_mailto(), stored) {
        (true, true) => {
            // A newsletter confirmation may be queued (`newsletter::from_mailto_letter`).
            state.wake_outbox();
            Ok(see_other(&format!("/act/{slug}/letters/{token}")))
        }
        // Already prepared today: this letter's links again, counting nothing.
        (true, false) => Ok(html(
            StatusCode::OK,
            super::contact_after::prepared_again(&action, &input, &targets),
        )),
        (false, _) => {
            state.wake_outbox();
            let typed = sent::Typed::letter(&submitted, input.email.as_str(), &letter_id);
            let sealed = sent::seal(&state, &sent::letter(slug), &typed);
            Ok(see_other(&sent::check_email_url(
                &format!("/act/{slug}"),
                &sealed,
            )))
        }
    }
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
    let (action, translated) = find(state, slug).await?;
    let notice = limits::message(wait);
    let page = match Country::parse(&submitted.country) {
        Ok(country) => {
            let targets = targets_of(state, &action, country.code()).await?;
            let (code, values) = (country.code(), &submitted);
            let no_errors = FieldErrors::new();
            let partner = partner_name(state, &values.partner).await?;
            letter_page(
                state,
                (&action, translated, partner.as_deref()),
                code,
                &targets,
                values,
                &no_errors,
                Said {
                    notice: Some(&notice),
                    ..Said::default()
                },
            )
        }
        Err(_) => views::contact::choose_country(&action, (true, translated), None, (&[], &[])),
    };
    Ok(rate_limited(wait, page))
}
