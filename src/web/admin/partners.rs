//! Partners in the admin (admins only): the list and the form that registers one; the
//! command line's twin is `clarion partner add`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::partners;
use crate::domain::partner::PartnerInput;
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::fields::Errors;
use crate::views::admin::partners::{self as view, PartnerValues};
use crate::web::{html_page, AppState};

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    let all = state.db(partners::all).await?;
    Ok(view::page(
        &staff,
        &all,
        &PartnerValues::default(),
        &Errors::new(),
    ))
}

pub async fn add(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let values = PartnerValues {
        key: form.get("key").trim().to_string(),
        name: form.get("name").trim().to_string(),
        origins: form.get("origins").to_string(),
        contact_email: form.get("contact_email").trim().to_string(),
    };
    let parsed = PartnerInput::parse(
        &values.key,
        &values.name,
        &values.origins,
        &values.contact_email,
        state.allow_private,
    );
    let mut errors: Errors = match &parsed {
        Ok(_) => Errors::new(),
        Err(errors) => errors.clone(),
    };
    if values.contact_email.is_empty() {
        errors.push((
            "contact_email",
            "Enter the partner's contact email, like name@example.org".into(),
        ));
    }
    if let (Ok(input), true) = (parsed, errors.is_empty()) {
        let staff_id = staff.id.clone();
        let added = state
            .db(move |conn| partners::add(conn, Some(&staff_id), &input))
            .await?;
        if added.is_some() {
            return Ok(HttpResponse::SeeOther()
                .insert_header(("Location", "/admin/partners"))
                .finish());
        }
        errors.push((
            "key",
            "A partner has this key already: choose another".into(),
        ));
    }
    let all = state.db(partners::all).await?;
    Ok(html_page(
        StatusCode::UNPROCESSABLE_ENTITY,
        view::page(&staff, &all, &values, &errors),
    ))
}
