//! The organisation's identity (admins only): see it, change it, upload a logo.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::upload;
use crate::db;
use crate::domain::organisation::{self, Organisation, LOGO_MAX_BYTES};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::fields::Errors;
use crate::views::admin::organisation::form;
use crate::web::{html_page, AppState};

/// The form's text fields by name.
const TEXT_FIELDS: [&str; 9] = [
    "name",
    "description",
    "logo_alt",
    "sender_name",
    "sender_email",
    "controller_name",
    "controller_address",
    "contact_email",
    "legal_url",
];

pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    let current = state.db(db::organisation::load).await?;
    Ok(html_page(
        StatusCode::OK,
        form(&staff, &current, &Errors::new()),
    ))
}

/// `POST /admin/organisation` (multipart): the text fields checked, the logo checked and
/// cleaned; a form sent with an empty file keeps the current logo.
pub async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let fields = upload::fields(&req, payload, LOGO_MAX_BYTES + 64 * 1024).await?;
    for name in TEXT_FIELDS {
        upload::text(&fields, name)?;
    }
    let get = |name: &str| upload::text(&fields, name).unwrap_or_default();
    let current = state.db(db::organisation::load).await?;
    let (mut errors, checked) = match organisation::parse(get) {
        Ok(checked) => (Errors::new(), Some(checked)),
        Err(errors) => (errors, None),
    };
    let sent = fields.get("logo").filter(|b| !b.is_empty()).cloned();
    let logo = match sent.map(organisation::checked_logo) {
        None => None,
        Some(Ok(logo)) => Some(logo),
        Some(Err(message)) => {
            errors.push(("logo", message.to_string()));
            None
        }
    };
    let will_have_logo = logo.is_some() || current.logo_version.is_some();
    if will_have_logo && get("logo_alt").trim().is_empty() {
        errors.push((
            "logo_alt",
            "Describe the logo for people who cannot see it".into(),
        ));
    }
    let Some(checked) = checked.filter(|_| errors.is_empty()) else {
        let typed = Organisation {
            logo_version: current.logo_version,
            ..typed(get)
        };
        let page = form(&staff, &typed, &errors);
        return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let staff_id = staff.id.clone();
    state
        .db(move |conn| db::organisation::save_by(conn, &staff_id, &checked, logo))
        .await?;
    state.organisation.forget();
    Ok(super::saved("/admin/organisation", "Saved"))
}

/// The fields as typed, to show again beside their messages.
fn typed(get: impl Fn(&str) -> String) -> Organisation {
    Organisation {
        name: get("name"),
        description: get("description"),
        logo_alt: get("logo_alt"),
        sender_name: get("sender_name"),
        sender_email: get("sender_email"),
        controller_name: get("controller_name"),
        controller_address: get("controller_address"),
        contact_email: get("contact_email"),
        legal_url: get("legal_url"),
        logo_version: None,
    }
}
