//! Petition pages and signing: show, sign (strict form → token → fields → queue), and
//! the pages after it. How a signature travels on from here: docs/ARCHITECTURE.md.

use crate::telemetry::metrics;
use actix_web::http::{header, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;

use super::form::Said;
use super::limits::{self, Class};
use super::sent::{self, SentQuery};
use super::{client, form, html_page, private_page, rate_limited, see_other, AppState};
use crate::db;
use crate::db::petitions::{self, Petition};
use crate::domain::email_typo;
use crate::domain::signature::{FieldErrors, SignForm, SignatureInput};
use crate::error::AppError;
use crate::prepare;
use crate::views;
use crate::views::petitions::PetitionView;
use crate::views::sign_form::SignFormView;

const LATEST_SIGNERS: i64 = 10;

/// The form id a petition's sign-form token is bound to.
pub fn form_id(petition_id: &str) -> String {
    format!("sign:{petition_id}")
}

/// The petition in the request's language where staff translated it: its title and text
/// are what the page, the emails and the signature see.
pub async fn find(state: &AppState, slug: String) -> Result<Petition, AppError> {
    let lang = crate::i18n::current();
    let kept = format!("{}:{slug}", lang.code());
    if let Some(found) = state.recent.petitions.get(&kept) {
        return Ok(found);
    }
    let found = state
        .db(move |conn| {
            let Some(petition) = petitions::find(conn, &slug)? else {
                return Ok(None);
            };
            Ok(Some(
                db::translations::localise_one(conn, petition, lang)?.0,
            ))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    state.recent.petitions.put(&kept, found.clone());
    Ok(found)
}

/// The petition; with `change` (from "Wrong address? Change it"), its form as typed.
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<SentQuery>,
) -> Result<HttpResponse, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    let purpose = sent::petition(&petition.slug);
    let typed = sent::open(&state, &purpose, query.change.as_deref());
    let private = typed.is_some();
    let mut values = typed.map(sent::Typed::sign_form).unwrap_or_default();
    values.mailing = query.mailing.clone().unwrap_or_default();
    carry_partner(&mut values, &query);
    let (errors, said) = (FieldErrors::new(), Said::default());
    let (page, frame) = render_page(&state, petition, &values, &errors, said).await?;
    Ok(framed(
        match private {
            true => private_page(StatusCode::OK, page),
            false => html_page(StatusCode::OK, page),
        },
        frame,
    ))
}

/// The partner and campaign parameters of the page's URL, carried to its form (a form
/// brought back by "Change it" keeps its own when the URL names none).
pub fn carry_partner(values: &mut SignForm, query: &SentQuery) {
    if let Some(partner) = &query.partner {
        values.partner = partner.clone();
    }
    let utm = [&query.utm_source, &query.utm_medium, &query.utm_campaign];
    for (kept, given) in values.utm.iter_mut().zip(utm) {
        if let Some(given) = given {
            *kept = crate::domain::partner::tracking_value(given);
        }
    }
}

/// The registered partner whose key the form carries (none for an unknown key).
pub async fn partner_named(
    state: &AppState,
    key: &str,
) -> Result<Option<db::partners::Partner>, AppError> {
    if key.is_empty() {
        return Ok(None);
    }
    let key = key.to_string();
    state.db(move |conn| db::partners::by_key(conn, &key)).await
}

/// The petition's page, or its embed when the form says so, with the embed's policy
/// (who may frame it) to answer with.
pub async fn render_page(
    state: &AppState,
    petition: Petition,
    values: &SignForm,
    errors: &FieldErrors,
    said: Said<'_>,
) -> Result<(Markup, Option<String>), AppError> {
    let (id, lang) = (petition.id.clone(), crate::i18n::current());
    let (signers, articles, translated, updates) = state
        .db(move |conn| {
            Ok((
                petitions::latest_signers(conn, &id, LATEST_SIGNERS)?,
                petitions::linking_articles(conn, &id, db::now())?,
                db::translations::of(conn, "action", &id, lang)?.any(),
                db::updates::timeline(conn, &id, lang)?,
            ))
        })
        .await?;
    let partner = partner_named(state, &values.partner).await?;
    let token = state.form_token(&form_id(&petition.id));
    let source = (!values.source.is_empty()).then_some(values.source.as_str());
    let form = SignFormView {
        petition_slug: &petition.slug,
        token: &token,
        values,
        errors,
        source,
        id_prefix: "",
        notice: said.notice,
        suggestion: said.suggestion,
        partner: partner.as_ref().map(|p| p.name.as_str()),
    };
    if values.embed {
        let page = views::embed::page(&petition, petition.is_open(db::now()), &form);
        return Ok((page, Some(super::embed::policy(partner.as_ref()))));
    }
    let view = PetitionView {
        petition: &petition,
        open: petition.is_open(db::now()),
        closed_on: petition.closed_on(db::now()),
        signers: &signers,
        articles: &articles,
        form,
        translated,
        updates: &updates,
        page_url: format!(
            "{}{}",
            state.base_url,
            crate::i18n::href(&format!("/petitions/{}", petition.slug))
        ),
    };
    Ok((views::petitions::page(&view), None))
}

/// `response` with the embed's policy when it has one.
pub fn framed(mut response: HttpResponse, policy: Option<String>) -> HttpResponse {
    if let Some(policy) = policy.and_then(|p| header::HeaderValue::from_str(&p).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// "Did you mean …@gmail.com?": a question, not a refusal. The same form again, once;
/// sent again (either address), it goes through.
async fn ask_about_typo(
    state: &AppState,
    petition: &Petition,
    submitted: &SignForm,
    input: &SignatureInput,
) -> Result<Option<HttpResponse>, AppError> {
    if submitted.email_checked {
        return Ok(None);
    }
    let Some(suggested) = email_typo::suggestion(input.email.as_str()) else {
        return Ok(None);
    };
    let said = Said {
        suggestion: Some(&suggested),
        ..Said::default()
    };
    let errors = FieldErrors::new();
    let (page, frame) = render_page(state, petition.clone(), submitted, &errors, said).await?;
    Ok(Some(framed(html_page(StatusCode::OK, page), frame)))
}

/// `POST /petitions/{slug}/sign`: limit → parse → find → verify (token, open) → check
/// fields → prepare → submit → answer. The answer comes once the batch holding the signature is durable.
pub async fn sign(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let address = client::address(&req, &state.limits.proxies);
    if let Err(wait) = state.limits.check(Class::Sign, address) {
        metrics::signature("refused_by_limit", None);
        let typed = form::parse(&req, &body).map(|p| SignForm::from_pairs(&p));
        let petition = find(&state, slug.into_inner()).await?;
        let notice = limits::message(wait);
        let (values, errors) = (typed.unwrap_or_default(), FieldErrors::new());
        let said = Said {
            notice: Some(&notice),
            ..Said::default()
        };
        let (page, frame) = render_page(&state, petition, &values, &errors, said).await?;
        return Ok(framed(rate_limited(wait, page), frame));
    }
    let submitted = SignForm::from_pairs(&form::parse(&req, &body)?);
    let petition = find(&state, slug.into_inner()).await?;
    let now = db::now();
    let served_at = state.verify_form_token(&form_id(&petition.id), &submitted.token, now)?;
    if !petition.is_open(now) {
        return Err(AppError::Closed);
    }
    let input = match SignatureInput::try_from(&submitted) {
        Ok(input) => input,
        Err(errors) => {
            let said = Said::default();
            let (page, frame) = render_page(&state, petition, &submitted, &errors, said).await?;
            return Ok(framed(
                html_page(StatusCode::UNPROCESSABLE_ENTITY, page),
                frame,
            ));
        }
    };
    if let Some(question) = ask_about_typo(&state, &petition, &submitted, &input).await? {
        return Ok(question);
    }
    let (website, source) = (&submitted.website, &submitted.source);
    let mut origin = state.origin(address, website, source, served_at, now);
    origin.mailing = crate::domain::newsletter::mailing_ref(&submitted.mailing);
    origin.partner = partner_named(&state, &submitted.partner)
        .await?
        .map(|p| (p.id, p.name));
    origin.utm = submitted
        .utm
        .each_ref()
        .map(|v| crate::domain::partner::tracking_value(v));
    let submission = prepare::signature(&petition, &input, origin, &state.base_url, now);
    let unavailable = |error| {
        metrics::signature("unavailable", None);
        error
    };
    let stored = state
        .signing
        .submit(submission)
        .map_err(|_| unavailable(AppError::Busy))?;
    stored
        .await
        .map_err(|_| unavailable(AppError::SigningStopped))?
        .map_err(|fault| unavailable(AppError::WritesFailing(fault)))?;
    state.wake_outbox();
    if submitted.embed {
        return Ok(see_other(&super::embed::check_email_path(
            &petition.slug,
            &submitted.partner,
        )));
    }
    let typed = sent::Typed::signature(&submitted, input.email.as_str());
    let sealed = sent::seal(&state, &sent::petition(&petition.slug), &typed);
    let page = format!("/petitions/{}", petition.slug);
    Ok(see_other(&sent::check_email_url(&page, &sealed)))
}

/// "Check your email", naming the address when the redirect's sealed form opens.
pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<SentQuery>,
) -> Result<HttpResponse, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    let text = query.sent.as_deref();
    let Some(typed) = sent::open(&state, &sent::petition(&petition.slug), text) else {
        let page = views::petitions::check_email(&petition, None);
        return Ok(html_page(StatusCode::OK, page));
    };
    let change = crate::i18n::href(&format!(
        "/petitions/{}?change={}#sign",
        petition.slug,
        text.unwrap_or("")
    ));
    let page = views::petitions::check_email(&petition, Some((&typed.email, &change)));
    Ok(private_page(StatusCode::OK, page))
}

pub async fn thank_you(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    let url = format!(
        "{}{}",
        state.base_url,
        crate::i18n::href(&format!("/petitions/{}", petition.slug))
    );
    Ok(views::petitions::thanks(&petition, &url))
}
