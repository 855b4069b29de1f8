//! The answer links of a letter's follow-up (`email/follow_ups.rs`): GET shows the
//! choice and changes nothing (mail scanners open links); POST records it. A forged,
//! erased or stale link is 410 either way.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{form, private_page, see_other, AppState};
use crate::db::{self, follow_ups};
use crate::domain::follow_up::{parse_answer, PastedReply, CHANGE_FOR};
use crate::domain::secrets;
use crate::error::AppError;
use crate::i18n::{self, Msg};
use crate::views::follow_up::{self as view, Shown};

fn gone() -> HttpResponse {
    private_page(StatusCode::GONE, view::gone())
}

pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let pairs = form::decode(req.query_string().as_bytes()).ok_or(AppError::BadForm)?;
    let raw = pairs
        .iter()
        .find(|(n, _)| n == "answer")
        .map(|(_, v)| v.as_str());
    let saved = pairs.iter().any(|(n, v)| n == "saved" && v == "1");
    let token = token.into_inner();
    let hash = secrets::token_hash(&token);
    let Some(question) = state
        .db(move |conn| follow_ups::question(conn, &hash, db::now()))
        .await?
    else {
        return Ok(gone());
    };
    let action = i18n::href(&format!("/follow-up/{token}"));
    let (chosen, error) = match parse_answer(raw) {
        Ok(chosen) => (chosen.or(question.answer), None),
        Err(e) => (None, Some(e.0)),
    };
    let shown = Shown {
        action: &action,
        chosen,
        reply: &question.reply_text,
        error,
        saved_until: saved
            .then_some(question.first_answered)
            .flatten()
            .map(|at| i18n::date(at + CHANGE_FOR)),
    };
    let status = match error {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    Ok(private_page(status, view::page(&question, &shown)))
}

pub async fn record(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs = form::parse(&req, &body)?;
    let token = token.into_inner();
    let hash = secrets::token_hash(&token);
    let answer = parse_answer(Some(form::value_of(&pairs, "answer")));
    let reply = PastedReply::parse(form::value_of(&pairs, "reply"));
    let (answer, reply) = match (answer, reply) {
        (Ok(Some(answer)), Ok(reply)) => (answer, reply),
        (answer, reply) => {
            // The page again, with what was typed and why it was refused.
            let error = match (&answer, &reply) {
                (Err(e), _) | (_, Err(e)) => e.0,
                _ => Msg::ErrAnswerUnknown,
            };
            let lookup = hash.clone();
            let Some(question) = state
                .db(move |conn| follow_ups::question(conn, &lookup, db::now()))
                .await?
            else {
                return Ok(gone());
            };
            let action = i18n::href(&format!("/follow-up/{token}"));
            let typed = form::value_of(&pairs, "reply");
            let shown = Shown {
                action: &action,
                chosen: answer.ok().flatten(),
                reply: typed,
                error: Some(error),
                saved_until: None,
            };
            return Ok(private_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::page(&question, &shown),
            ));
        }
    };
    let recorded = state
        .db(move |conn| follow_ups::record(conn, &hash, (answer, reply.as_str()), db::now()))
        .await?;
    match recorded {
        Some(_) => {
            state.recent.forget();
            Ok(see_other(&format!("/follow-up/{token}?saved=1")))
        }
        None => Ok(gone()),
    }
}
