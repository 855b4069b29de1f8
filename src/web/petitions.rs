//! Petition pages and signing: show, sign (strict form → token → fields → store), and
//! the pages after it.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;

use super::limits::{self, Class};
use super::{client, form, AppState};
use crate::db::batch::Submission;
use crate::db::petitions::{self, Petition};
use crate::db::{self, signatures};
use crate::domain::signature::{FieldErrors, SignForm, SignatureInput};
use crate::domain::{form_token, secrets};
use crate::email::messages::{self, Confirmation};
use crate::error::AppError;
use crate::views;
use crate::views::petitions::PetitionView;
use crate::views::sign_form::SignFormView;

const LATEST_SIGNERS: i64 = 10;

/// The form id a petition's sign-form token is bound to.
pub fn form_id(petition_id: &str) -> String {
    format!("sign:{petition_id}")
}

async fn find(state: &AppState, slug: String) -> Result<Petition, AppError> {
    if let Some(petition) = state.recent.petitions.get(&slug) {
        return Ok(petition);
    }
    let key = slug.clone();
    let petition = state
        .db(move |conn| petitions::find(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    state.recent.petitions.put(&slug, petition.clone());
    Ok(petition)
}

pub async fn show(state: web::Data<AppState>, slug: web::Path<String>) -> Result<Markup, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    render_page(
        &state,
        petition,
        &SignForm::default(),
        &FieldErrors::new(),
        None,
    )
    .await
}

async fn render_page(
    state: &AppState,
    petition: Petition,
    values: &SignForm,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> Result<Markup, AppError> {
    let id = petition.id.clone();
    let (signers, articles) = state
        .db(move |conn| {
            Ok((
                petitions::latest_signers(conn, &id, LATEST_SIGNERS)?,
                petitions::linking_articles(conn, &id, db::now())?,
            ))
        })
        .await?;
    let token = state.form_token(&form_id(&petition.id));
    let source = (!values.source.is_empty()).then_some(values.source.as_str());
    let view = PetitionView {
        petition: &petition,
        open: petition.is_open(db::now()),
        signers: &signers,
        articles: &articles,
        form: SignFormView {
            petition_slug: &petition.slug,
            token: &token,
            consent_text: &petition.consent_text,
            values,
            errors,
            source,
            id_prefix: "",
            notice,
        },
        page_url: format!("{}/petitions/{}", state.base_url, petition.slug),
    };
    Ok(views::petitions::page(&view))
}

pub async fn sign(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    let client = client::address(&req, &state.limits.proxies);
    if let Err(wait) = state.limits.check(Class::Sign, client) {
        // Over the limit: the form again, with what was typed and when to try again.
        let submitted = form::parse(&req, &body)
            .map(|p| SignForm::from_pairs(&p))
            .unwrap_or_default();
        let petition = find(&state, slug.into_inner()).await?;
        let notice = limits::message(wait);
        let page = render_page(
            &state,
            petition,
            &submitted,
            &FieldErrors::new(),
            Some(&notice),
        )
        .await?;
        return Ok(HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", wait.to_string()))
            .content_type("text/html; charset=utf-8")
            .body(page.into_string()));
    }
    let pairs = form::parse(&req, &body)?;
    let submitted = SignForm::from_pairs(&pairs);
    let petition = find(&state, slug.into_inner()).await?;
    let now = db::now();
    let served_at = form_token::verify(
        state.secret.as_bytes(),
        &form_id(&petition.id),
        &submitted.token,
        now.and_utc().timestamp(),
    )
    .map_err(|_| AppError::FormToken)?;
    if !petition.is_open(now) {
        return Err(AppError::Closed);
    }
    let input = match SignatureInput::try_from(&submitted) {
        Ok(input) => input,
        Err(errors) => {
            let page = render_page(&state, petition, &submitted, &errors, None).await?;
            return Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
                .content_type("text/html; charset=utf-8")
                .body(page.into_string()));
        }
    };
    let client_hash = secrets::client_hash(
        state.secret.as_bytes(),
        &client::quota_key(client).to_string(),
    );
    // Rules that need no database here; the others when the batch is stored.
    let early_hold = state.rules.early_hold(&submitted.website, served_at, now);
    let (token, token_hash) = secrets::new_token();
    let signature = signatures::NewSignature {
        id: db::new_id(),
        action_id: petition.id.clone(),
        first_name: input.first_name.as_str().to_string(),
        last_name: input.last_name.as_str().to_string(),
        email: input.email.as_str().to_string(),
        email_canonical: input.email.canonical().to_string(),
        country_code: input.country.code().to_string(),
        postcode: input.postcode.as_str().to_string(),
        comment: input.comment.as_str().to_string(),
        consent_updates: input.consent_updates,
        consent_text: petition.consent_text.clone(),
        consent_version: petition.consent_version.clone(),
        status: if early_hold.is_some() {
            "held"
        } else {
            "pending"
        }
        .into(),
        hold_reason: early_hold.map(str::to_string),
        client_hash,
        token_hash,
        emails_sent: 1,
        source_article_id: None,
        created_at: now,
        confirmed_at: None,
        updated_at: now,
    };
    let link = format!("{}/signatures/confirm/{token}", state.base_url);
    let mut email = messages::queued_confirmation(
        Confirmation::Signature,
        input.email.as_str(),
        &petition.title,
        input.first_name.as_str(),
        &link,
        now,
    );
    email.signature_id = Some(signature.id.clone());
    let submission = Submission {
        signature,
        email,
        source: submitted.source.clone(),
        email_domain: input.email.domain().to_string(),
        address: client,
    };
    let stored = state
        .signing
        .submit(submission)
        .map_err(|_| AppError::Busy)?;
    // The answer comes once the batch holding this signature is durable.
    stored
        .await
        .map_err(|_| AppError::Cancelled)?
        .map_err(AppError::WritesFailing)?;
    let slug = petition.slug;
    state.wake_outbox();
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", format!("/petitions/{slug}/check-your-email")))
        .finish())
}

pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    Ok(views::petitions::check_email(&petition))
}

pub async fn thank_you(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    let url = format!("{}/petitions/{}", state.base_url, petition.slug);
    Ok(views::petitions::thanks(&petition, &url))
}
