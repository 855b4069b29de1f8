//! Retention in the admin (admins only): the periods, when the job runs, what its next
//! run will remove from each action, and exempting one action with a reason.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::staff_form::StaffForm;
use crate::db::{jobs, retention};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::retention::{self as view, RetentionView};
use crate::web::{html_page, AppState};

/// The longest reason kept, in characters.
const REASON_MAX: usize = 500;

async fn page(
    state: &AppState,
    staff: &CurrentStaff,
    error: Option<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let settings = state.retention;
    let (plans, (last_run, next_run)) = state
        .db(move |conn| {
            let (last, next) = jobs::times(conn, jobs::RETENTION)?;
            // The next run removes what is due when it starts.
            let at = next.map_or_else(crate::db::now, |n| n.max(crate::db::now()));
            Ok((retention::preview(conn, &settings, at)?, (last, next)))
        })
        .await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let view = RetentionView {
        settings,
        plans,
        last_run,
        next_run,
        error,
    };
    Ok(html_page(status, view::page(staff, &view)))
}

pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    page(&state, &staff, None).await
}

/// Exempts the action: a reason is required, on one line, at most 500 characters.
pub async fn exempt(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let reason: String = form
        .get("reason")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string();
    let problem = if reason.is_empty() {
        Some("Give the reason for keeping this action's data longer, like \"a court case needs the signatures until June\"")
    } else if reason.chars().count() > REASON_MAX {
        Some("Shorten the reason to 500 characters or fewer")
    } else {
        None
    };
    if let Some(problem) = problem {
        return page(&state, &staff, Some((id.into_inner(), problem.into()))).await;
    }
    set(&state, &staff, id.into_inner(), Some(reason)).await
}

/// Lifts the exemption: the periods apply again from the next run.
pub async fn lift(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set(&state, &staff, id.into_inner(), None).await
}

async fn set(
    state: &AppState,
    staff: &CurrentStaff,
    id: String,
    reason: Option<String>,
) -> Result<HttpResponse, AppError> {
    let staff_id = staff.id.clone();
    let found = state
        .db(move |conn| retention::set_exemption(conn, &staff_id, &id, reason.as_deref()))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/admin/retention"))
        .finish())
}
