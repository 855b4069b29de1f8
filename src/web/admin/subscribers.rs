//! The newsletter's subscribers for staff: found by name or address, counted by status,
//! and exported as CSV (audited).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::exports::{attachment, bom_of, streamed_csv, Audited, Job};
use super::upload;
use crate::db::{self, subscriber_list, suppressions};
use crate::domain::staff::CurrentStaff;
use crate::domain::status::SubscriberStatus;
use crate::domain::{subscriber_import, suppression};
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
    render(&state, &staff, &query, &[]).await
}

/// The list for `query`, with the problems of an upload (then 422).
async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    query: &HashMap<String, String>,
    errors: &[String],
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
    let (found, counts, suppressed) = state
        .db(move |conn| {
            let found = subscriber_list::search(conn, search.as_deref(), status, page)?;
            let counts = subscriber_list::counts(conn)?;
            Ok((found, counts, suppressions::count(conn)?))
        })
        .await?;
    let view = ListView {
        text: text.as_deref().unwrap_or(""),
        status: status.unwrap_or(""),
        page,
        rows: &found.0,
        total: found.1,
        counts: &counts,
        suppressed,
        errors,
    };
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(html_page(status, view::list(staff, &view)))
}

/// `POST /admin/subscribers/import`: existing subscribers with their consent evidence,
/// all or nothing, audited `subscribers.imported`.
pub async fn import(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let file = uploaded(&req, payload).await?;
    let rows = match subscriber_import::parse(&file, db::now()) {
        Ok(rows) => rows,
        Err(errors) => return render(&state, &staff, &HashMap::new(), &errors).await,
    };
    let staff_id = staff.id.clone();
    state
        .db(move |conn| subscriber_list::import(conn, &staff_id, &rows, db::now()))
        .await?;
    Ok(super::saved("/admin/subscribers", "Subscribers imported"))
}

/// Uploads up to this size (about 100,000 lines).
const UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

/// The `file` of a staff upload form, its token checked.
async fn uploaded(req: &HttpRequest, payload: web::Payload) -> Result<Vec<u8>, AppError> {
    let mut fields = upload::fields(req, payload, UPLOAD_LIMIT + 64 * 1024).await?;
    let file = fields.remove("file").unwrap_or_default();
    if file.len() > UPLOAD_LIMIT {
        return Err(AppError::TooLarge);
    }
    Ok(file)
}

/// `POST /admin/subscribers/suppressions`: a CSV of addresses no mailing may reach, all
/// or nothing, audited `subscribers.suppressed`.
pub async fn suppress(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let file = uploaded(&req, payload).await?;
    let addresses = match suppression::parse(&file) {
        Ok(addresses) => addresses,
        Err(errors) => return render(&state, &staff, &HashMap::new(), &errors).await,
    };
    let staff_id = staff.id.clone();
    state
        .db(move |conn| suppressions::add(conn, &staff_id, &addresses, db::now()))
        .await?;
    Ok(super::saved(
        "/admin/subscribers",
        "Suppression list imported",
    ))
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
