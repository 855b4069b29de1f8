//! Confirmation links: GET shows one button and changes nothing (mail scanners open links);
//! POST confirms, and confirming twice is harmless.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{private_page, see_other, AppState};
use crate::db::{self, signatures, signatures::LinkState};
use crate::domain::secrets;
use crate::error::AppError;
use crate::views;

fn problem(state: &LinkState) -> Option<HttpResponse> {
    match state {
        LinkState::Unknown => Some(private_page(
            StatusCode::NOT_FOUND,
            views::petitions::link_problem(None, 0),
        )),
        LinkState::Expired { slug, days } => Some(private_page(
            StatusCode::GONE,
            views::petitions::link_problem(Some(slug), *days),
        )),
        LinkState::Valid { .. } => None,
    }
}

fn to_thanks(slug: &str) -> HttpResponse {
    see_other(&format!("/petitions/{slug}/thank-you"))
}

pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let hash = secrets::token_hash(&token);
    let link = state
        .db(move |conn| signatures::link_state(conn, &hash, db::now()))
        .await?;
    if let Some(response) = problem(&link) {
        return Ok(response);
    }
    let LinkState::Valid {
        slug,
        title,
        confirmed,
    } = link
    else {
        unreachable!("problem() answered every other state");
    };
    if confirmed {
        return Ok(to_thanks(&slug));
    }
    let action = crate::i18n::href(&format!("/signatures/confirm/{token}"));
    Ok(private_page(
        StatusCode::OK,
        views::petitions::confirm(&title, &action),
    ))
}

pub async fn confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let hash = secrets::token_hash(&token.into_inner());
    let link = state
        .db(move |conn| signatures::confirm(conn, &hash, db::now()))
        .await?;
    if let Some(response) = problem(&link) {
        return Ok(response);
    }
    match link {
        LinkState::Valid { slug, .. } => {
            state.recent.forget();
            Ok(to_thanks(&slug))
        }
        _ => Err(AppError::NotFound),
    }
}
