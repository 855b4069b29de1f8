//! The newsletter's subscribers for staff: found by name or address, counted by status,
//! and exported as CSV (audited).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::exports::{attachment, bom_of, streamed_csv, Audited, Job};
use crate::db::subscriber_list;
use crate::domain::staff::CurrentStaff;
use crate::domain::status::SubscriberStatus;
use crate::error::AppError;
use crate::export::subscribers;
use crate::views::admin::subscribers::{self as view, ListView};
use crate::web::{html_page, AppState};

/// The longest search staff may type.
const QUERY_MAX: usize = 200;

/// `GET /admin/subscribers?q=&status=&page=`.
pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let text = query
        .get("q")
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > QUERY_MAX) {
        return Err(AppError::BadQuery(format!(
            "q must be at most {QUERY_MAX} characters"
        )));
    }
    let status = match query
        .get("status")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(
            SubscriberStatus::parse(s)
                .ok_or_else(|| {
                    AppError::BadQuery(format!(
                        "status must be one of {}",
                        SubscriberStatus::TEXTS.join(", ")
                    ))
                })?
                .as_str(),
        ),
    };
    let page =
        super::page_number(query.get("page").map(String::as_str)).map_err(AppError::BadQuery)?;
    let search = text.clone();
    let (found, counts) = state
        .db(move |conn| {
            let found = subscriber_list::search(conn, search.as_deref(), status, page)?;
            Ok((found, subscriber_list::counts(conn)?))
        })
        .await?;
    let view = ListView {
        text: text.as_deref().unwrap_or(""),
        status: status.unwrap_or(""),
        page,
        rows: &found.0,
        total: found.1,
        counts: &counts,
    };
    Ok(html_page(StatusCode::OK, view::list(&staff, &view)))
}

/// `GET /admin/subscribers.csv?bom=`: every subscriber, audited `export.subscribers`.
pub async fn csv(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let bom = bom_of(&query)?;
    let filename = format!("subscribers-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    let audited = Audited {
        staff_id: staff.id.clone(),
        event: "export.subscribers",
        subject_type: "newsletter",
        subject_id: String::new(),
        detail: "all subscribers".into(),
    };
    let job: Job = Box::new(|conn, sink| subscribers::stream(conn, sink));
    let body = streamed_csv(state, subscribers::header(bom), job, audited);
    Ok(attachment(&filename, "text/csv; charset=utf-8").streaming(body))
}
