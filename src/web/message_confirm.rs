//! Confirmation links of letters: GET shows one button (scanners change nothing); POST
//! confirms and queues one email per chosen target.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{private_page as page, see_other, AppState};
use crate::db::{self, messages, signatures::LinkState};
use crate::domain::secrets;
use crate::email::letters::Letters;
use crate::error::AppError;
use crate::views;

fn answer(link: LinkState, ok: impl FnOnce(String, bool) -> HttpResponse) -> HttpResponse {
    match link {
        LinkState::Unknown => page(
            StatusCode::NOT_FOUND,
            views::petitions::link_problem(None, 0),
        ),
        LinkState::Expired { slug, days } => page(
            StatusCode::GONE,
            views::petitions::link_problem_contact(&slug, days),
        ),
        LinkState::Valid {
            slug, confirmed, ..
        } => ok(slug, confirmed),
    }
}

fn to_thanks(slug: &str) -> HttpResponse {
    see_other(&format!("/act/{slug}/thank-you"))
}

pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let hash = secrets::token_hash(&token);
    let (link, subject, count) = state
        .db(move |conn| messages::link_state(conn, &hash, db::now()))
        .await?;
    Ok(answer(link, |slug, confirmed| {
        if confirmed {
            return to_thanks(&slug);
        }
        let action = crate::i18n::href(&format!("/messages/confirm/{token}"));
        page(
            StatusCode::OK,
            views::contact_after::confirm(&subject, count, &action),
        )
    }))
}

pub async fn confirm(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let hash = secrets::token_hash(&token.into_inner());
    let base_url = state.base_url.clone();
    let link = state
        .db(move |conn| {
            let now = db::now();
            let letters = Letters {
                base_url: &base_url,
                now,
            };
            messages::confirm(conn, &hash, now, &letters)
        })
        .await?;
    state.wake_outbox();
    Ok(answer(link, |slug, _| to_thanks(&slug)))
}
