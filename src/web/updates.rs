//! The link at the foot of an update's email: a GET shows one button and changes
//! nothing (mail scanners follow links); the POST, or a mail client's one-click POST
//! (RFC 8058), stops that action's updates to the address. Like the newsletter's, it
//! needs no cookie, form token or login, and answers the same page for any token.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;

use super::{private_page, AppState};
use crate::db::schema::{messages, signatures};
use crate::db::{self, updates};
use crate::domain::unsubscribe;
use crate::error::AppError;
use crate::views::updates as view;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/updates/unsubscribe/{token}", web::get().to(leave_page))
        .route("/updates/unsubscribe/{token}", web::post().to(leave));
}

/// `GET /updates/unsubscribe/{token}`: a button, nothing changed.
pub async fn leave_page(token: web::Path<String>) -> HttpResponse {
    let action = crate::i18n::href(&format!("/updates/unsubscribe/{token}"));
    private_page(StatusCode::OK, view::leave(&action))
}

/// `POST /updates/unsubscribe/{token}`: the same 200 page whatever the token.
pub async fn leave(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if let Some(record) = unsubscribe::record_of(state.secret.as_bytes(), &token) {
        state
            .db(move |conn| {
                let found: Option<(String, String)> = match record.split_once(':') {
                    Some(("s", id)) => signatures::table
                        .find(id)
                        .select((signatures::email_canonical, signatures::action_id))
                        .first(conn)
                        .optional()?,
                    Some(("m", id)) => messages::table
                        .find(id)
                        .select((messages::email_canonical, messages::action_id))
                        .first(conn)
                        .optional()?,
                    _ => None,
                };
                match found {
                    // An erased record's placeholder names no one: nothing to keep.
                    Some((canonical, action)) if !canonical.starts_with("erased:") => {
                        updates::opt_out(conn, &canonical, &action, db::now())
                    }
                    _ => Ok(false),
                }
            })
            .await?;
    }
    Ok(private_page(StatusCode::OK, view::left()))
}
