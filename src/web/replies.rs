//! Did they reply? The public responsiveness of one contact action
//! (`/act/{slug}/replies`) and of all of them (`/replies`), from the writers' answers
//! (`db/replies.rs`), kept a second like the counts.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{contact, html_page, AppState};
use crate::db::replies::{self, Replies};
use crate::error::AppError;
use crate::views;

/// The tallies of `action_id` (every action when `None`), from the second-old copy.
pub async fn cached(state: &AppState, action_id: Option<String>) -> Result<Arc<Replies>, AppError> {
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

pub async fn action(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (action, _) = contact::find(&state, slug.into_inner()).await?;
    let tallies = cached(&state, Some(action.id.clone())).await?;
    let back = format!("/act/{}", action.slug);
    let page = views::replies::page(Some(&action.title), Some(&back), &tallies);
    Ok(html_page(StatusCode::OK, page))
}

pub async fn all(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let tallies = cached(&state, None).await?;
    Ok(html_page(
        StatusCode::OK,
        views::replies::page(None, None, &tallies),
    ))
}
