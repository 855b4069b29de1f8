//! The pages after a letter is sent: "check your email", the prepared mailto letters,
//! and the thanks once confirmed.

use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::HttpResponse;
use maud::Markup;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::contact::find;
use super::sent::{self, SentQuery};
use super::{html_page as html, private_page, AppState};
use crate::db::actions::ContactAction;
use crate::db::messages::{self, Target};
use crate::domain::letter::{self, LetterInput};
use crate::domain::secrets;
use crate::error::AppError;
use crate::views;

pub async fn prepared(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, token) = path.into_inner();
    let (action, _) = find(&state, slug).await?;
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
        crate::i18n::country_name(&message.country_code),
        &chosen,
    );
    // The page's URL holds a secret token: keep it out of Referer headers and caches.
    Ok(private_page(
        StatusCode::OK,
        views::contact_after::prepared(&action, &links),
    ))
}

/// "Check your email", naming the address when the redirect's sealed form opens.
pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<SentQuery>,
) -> Result<HttpResponse, AppError> {
    let (action, _) = find(&state, slug.into_inner()).await?;
    let text = query.sent.as_deref();
    let Some(typed) = sent::open(&state, &sent::letter(&action.slug), text) else {
        return Ok(html(
            StatusCode::OK,
            views::contact_after::check_email(&action, None),
        ));
    };
    let (slug, country) = (&action.slug, typed.country());
    let country = utf8_percent_encode(country, NON_ALPHANUMERIC);
    let change = crate::i18n::href(&format!(
        "/act/{slug}?country={country}&change={}",
        text.unwrap_or("")
    ));
    let page = views::contact_after::check_email(&action, Some((&typed.email, &change)));
    Ok(private_page(StatusCode::OK, page))
}

pub async fn thank_you(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    Ok(views::contact_after::thanks(
        &find(&state, slug.into_inner()).await?.0,
    ))
}

/// The mailto links of a letter typed again on the day it was prepared.
pub(super) fn prepared_again(
    action: &ContactAction,
    input: &LetterInput,
    targets: &[Target],
) -> Markup {
    let chosen: Vec<&Target> = targets
        .iter()
        .filter(|t| input.targets.contains(&t.id))
        .collect();
    let supporter = format!("{} {}", input.first_name.as_str(), input.last_name.as_str());
    let links = mailto_links(
        &input.subject,
        &input.body,
        &supporter,
        crate::i18n::country_name(input.country.code()),
        &chosen,
    );
    views::contact_after::prepared(action, &links)
}

pub(super) fn mailto_links(
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
                views::contact_after::mailto(&t.email, &subject, &body),
            )
        })
        .collect()
}
