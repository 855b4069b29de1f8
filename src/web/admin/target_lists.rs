//! Target lists: see them, upload a CSV (the same formats and checks as the CLI import).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::upload;
use crate::db::targets;
use crate::domain::staff::CurrentStaff;
use crate::domain::target_csv;
use crate::error::AppError;
use crate::views::admin::target_lists::{page, TargetListsView};
use crate::web::{html_page, AppState};

/// Largest CSV upload (docs/CONTRACT.md: 10 MB).
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

pub async fn upload(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let mut fields = upload::fields(&req, payload, UPLOAD_LIMIT + 64 * 1024).await?;
    let name = upload::text(&fields, "name")?.trim().to_string();
    let file = fields.remove("file").unwrap_or_default();
    if file.len() > UPLOAD_LIMIT {
        return Err(AppError::TooLarge);
    }
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
