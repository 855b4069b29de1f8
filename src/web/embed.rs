//! The embed (issue 27): `/embed/petitions/{slug}?partner={key}` serves the sign form
//! alone for a partner's iframe, framed only by that partner's registered origins; its
//! form posts to the petition's own sign route (`web/petitions.rs`), which answers inside
//! the iframe. Every other page keeps refusing to be framed.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use super::form::Said;
use super::petitions::{carry_partner, find, framed, partner_named, render_page};
use super::sent::SentQuery;
use super::{html_page, AppState};
use crate::db::partners::Partner;
use crate::domain::signature::{FieldErrors, SignForm};
use crate::error::AppError;

/// Who may frame the embed: the partner's origins, else no one.
pub fn policy(partner: Option<&Partner>) -> String {
    let origins: Vec<&str> = partner.map(|p| p.origins().collect()).unwrap_or_default();
    let ancestors = if origins.is_empty() {
        "'none'".to_string()
    } else {
        origins.join(" ")
    };
    crate::startup::embed_security_policy(&ancestors)
}

/// Where a signature sent from the embed lands (`see_other` adds the language prefix).
pub fn check_email_path(slug: &str, partner: &str) -> String {
    let path = format!("/embed/petitions/{slug}/check-your-email");
    match crate::domain::slug::Slug::parse(partner) {
        Ok(key) => format!("{path}?partner={}", key.as_str()),
        Err(_) => path,
    }
}

/// `GET /embed/petitions/{slug}`: the form, carrying the partner and campaign
/// parameters of the URL.
pub async fn petition(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<SentQuery>,
) -> Result<HttpResponse, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    let mut values = SignForm {
        embed: true,
        ..SignForm::default()
    };
    carry_partner(&mut values, &query);
    let errors = FieldErrors::new();
    let (page, frame) = render_page(&state, petition, &values, &errors, Said::default()).await?;
    Ok(framed(html_page(StatusCode::OK, page), frame))
}

/// `GET /embed/petitions/{slug}/check-your-email`: after signing inside the iframe.
pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<SentQuery>,
) -> Result<HttpResponse, AppError> {
    let petition = find(&state, slug.into_inner()).await?;
    let partner = partner_named(&state, query.partner.as_deref().unwrap_or("")).await?;
    let page = crate::views::embed::check_email(&petition);
    Ok(framed(
        html_page(StatusCode::OK, page),
        Some(policy(partner.as_ref())),
    ))
}

/// Drops the default `X-Frame-Options: DENY` from a response whose policy lets a
/// partner frame it (browsers obey the stricter of the two).
pub async fn frameable(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let framable = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.contains("frame-ancestors") && !p.contains("frame-ancestors 'none'"));
    if framable {
        response.headers_mut().remove(header::X_FRAME_OPTIONS);
    }
    Ok(response)
}
