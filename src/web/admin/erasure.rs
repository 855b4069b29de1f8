//! Erasing a supporter (admins only): an email, then what would be erased, then the
//! erasure. The audit log records that it happened and how much, never the email.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::erasure;
use crate::domain::email::Email;
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::erasure::{self as view, ErasureView};
use crate::web::{html_page, AppState};

pub async fn form(staff: web::ReqData<CurrentStaff>) -> Markup {
    view::page(&staff, &ErasureView::default())
}

/// One form, two steps: without `confirm` it shows what would be erased; with it, erases.
pub async fn submit(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let typed = form.get("email").trim().to_string();
    let email = match Email::parse(&typed) {
        Ok(email) => email,
        Err(_) => {
            let view = ErasureView {
                email: typed,
                error: Some("Enter the supporter's email address, like name@example.org".into()),
                ..Default::default()
            };
            return Ok(html_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::page(&staff, &view),
            ));
        }
    };
    let canonical = email.canonical().to_string();
    if form.get("confirm") != "1" {
        let found = state
            .db(move |conn| erasure::footprint(conn, &canonical))
            .await?;
        let view = ErasureView {
            email: typed,
            found: Some(found),
            ..Default::default()
        };
        return Ok(html_page(StatusCode::OK, view::page(&staff, &view)));
    }
    let staff_id = staff.id.clone();
    let erased = state
        .db(move |conn| erasure::erase_by(conn, &staff_id, &canonical))
        .await?;
    let view = ErasureView {
        erased: Some(erased),
        ..Default::default()
    };
    Ok(html_page(StatusCode::OK, view::page(&staff, &view)))
}
