//! Did they reply? The public responsiveness of one contact action
//! (`/act/{slug}/replies`) and of all of them (`/replies`), from the writers' answers
//! (`db/replies.rs`). The grouped query reads every delivered letter (about 0.1 to
//! 0.2 s for 100,000 on SQLite), so its figures are kept 30 seconds (dropped at once
//! when this node records an answer), and each page in each language a second, like
//! the article page (benches/replies.sh).

use std::sync::Arc;

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;

use super::{contact, AppState};
use crate::db::replies::{self, Replies};
use crate::error::AppError;
use crate::views;

/// The tallies of `action_id` (every action when `None`), from the kept copy.
async fn tallies(state: &AppState, action_id: Option<String>) -> Result<Arc<Replies>, AppError> {
    let key = action_id.clone().unwrap_or_default();
    if let Some(found) = state.recent.replies.get(&key) {
        return Ok(found);
    }
    let fresh = Arc::new(
        state
            .db(move |conn| replies::of(conn, action_id.as_deref()))
            .await?,
    );
    state.recent.replies.put(&key, fresh.clone());
    Ok(fresh)
}

fn page_response(page: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page)
}

pub async fn action(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let kept = format!("{}:{slug}", crate::i18n::current().code());
    if let Some(page) = state.recent.replies_pages.get(&kept) {
        return Ok(page_response(page));
    }
    // Only an action that exists is kept: made-up slugs never grow the map.
    let (action, _) = contact::find(&state, slug).await?;
    let figures = tallies(&state, Some(action.id.clone())).await?;
    let back = format!("/act/{}", action.slug);
    let page = views::replies::page(Some(&action.title), Some(&back), &figures);
    let page = Bytes::from(page.into_string());
    state.recent.replies_pages.put(&kept, page.clone());
    Ok(page_response(page))
}

pub async fn all(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let kept = crate::i18n::current().code().to_string();
    if let Some(page) = state.recent.replies_pages.get(&kept) {
        return Ok(page_response(page));
    }
    let figures = tallies(&state, None).await?;
    let page = Bytes::from(views::replies::page(None, None, &figures).into_string());
    state.recent.replies_pages.put(&kept, page.clone());
    Ok(page_response(page))
}
