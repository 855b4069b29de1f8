//! Target lists: see them, upload a CSV (the same formats and checks as the CLI import).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt as _;

use super::staff_form::check_csrf;
use crate::db::targets;
use crate::domain::staff::CurrentStaff;
use crate::domain::target_csv;
use crate::error::AppError;
use crate::views::admin::target_lists::{page, TargetListsView};
use crate::web::{html_page, AppState};

/// Largest CSV upload (DESIGN: 10 MB for CSV uploads).
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;

async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    status: StatusCode,
    name: &str,
    notice: Option<&str>,
    errors: &[String],
) -> Result<HttpResponse, AppError> {
    let lists = state.db(targets::lists).await?;
    let body = page(
        staff,
        &TargetListsView {
            lists: &lists,
            name,
            notice,
            errors,
        },
    );
    Ok(html_page(status, body))
}

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    render(&state, &staff, StatusCode::OK, "", None, &[]).await
}

/// The text fields and the file of the upload form, the file capped at [`UPLOAD_LIMIT`].
async fn read_upload(mut form: Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let (mut csrf, mut name, mut file) = (String::new(), String::new(), Vec::new());
    let mut total = 0usize;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::BadForm)?;
        let field_name = field.name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::BadForm)?;
            total += chunk.len();
            if total > UPLOAD_LIMIT + 64 * 1024 {
                return Err(AppError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8(bytes.clone()).map_err(|_| AppError::BadForm);
        match field_name.as_str() {
            "csrf" => csrf = text()?,
            "name" => name = text()?,
            "file" => file = bytes,
            _ => {}
        }
    }
    if file.len() > UPLOAD_LIMIT {
        return Err(AppError::TooLarge);
    }
    Ok((csrf, name, file))
}

pub async fn upload(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    // Only the upload form (multipart) can carry this session's CSRF token.
    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        return Err(AppError::Csrf);
    }
    let (csrf, name, file) = read_upload(Multipart::new(req.headers(), payload)).await?;
    check_csrf(&req, &csrf)?;
    let name = name.trim().to_string();
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let name_error = if name.is_empty() {
        Some("Enter a name for the list")
    } else if name.chars().count() > 200 {
        Some("The name must be 200 characters or fewer")
    } else if name.chars().any(char::is_control) {
        Some("The name must be one line, without control characters")
    } else {
        None
    };
    if let Some(message) = name_error {
        let errors = [message.to_string()];
        return render(&state, &staff, refused, &name, None, &errors).await;
    }
    let rows = match target_csv::parse(&file) {
        Ok(rows) => rows,
        Err(errors) => return render(&state, &staff, refused, &name, None, &errors.0).await,
    };
    let (list, staff_id) = (name.clone(), staff.id.clone());
    let report = state
        .db(move |conn| targets::import_by(conn, &staff_id, &list, &rows))
        .await?;
    let notice = format!(
        "Imported into “{name}”: {} added, {} changed, {} unchanged, {} retired.",
        report.added, report.changed, report.unchanged, report.retired
    );
    render(&state, &staff, StatusCode::OK, "", Some(&notice), &[]).await
}
