//! An article's picture: uploaded with its required alt text (made safe and light by
//! `domain::picture`), shown to staff whatever the article's status, and removed.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::articles::edit_page;
use super::upload;
use crate::db::article_pictures::{self, PictureSaved};
use crate::domain::picture::{self, UPLOAD_MAX_BYTES};
use crate::domain::staff::CurrentStaff;
use crate::domain::text::has_stray_control;
use crate::error::AppError;
use crate::views::admin::pictures::PictureForm;
use crate::web::AppState;

/// The longest description accepted.
const ALT_MAX: usize = 500;

/// Alt text is required: a picture nobody can describe to a screen reader is not shown.
fn checked_alt(typed: &str) -> Result<String, String> {
    let alt = typed.trim();
    if alt.is_empty() {
        return Err("Enter a description of the picture".into());
    }
    if alt.chars().count() > ALT_MAX {
        return Err(format!(
            "The description must be {ALT_MAX} characters or fewer"
        ));
    }
    if has_stray_control(alt) {
        return Err("Remove the invisible control characters from the description".into());
    }
    Ok(alt.to_string())
}

/// `POST /admin/articles/{id}/picture` (multipart: `csrf`, `picture`, `picture_alt`).
pub async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Room for the largest photo and the form's few text fields.
    let fields = upload::fields(&req, payload, UPLOAD_MAX_BYTES + 64 * 1024).await?;
    let typed_alt = upload::text(&fields, "picture_alt")?;
    let file = fields.get("picture").filter(|bytes| !bytes.is_empty());
    // Decoding and scaling a photo takes a moment: off the request threads.
    let prepared = match file.cloned() {
        Some(bytes) => Some(
            web::block(move || picture::prepare(&bytes))
                .await
                .map_err(|_| AppError::Cancelled)?,
        ),
        None => None,
    };
    let mut errors = Vec::new();
    let alt = checked_alt(&typed_alt).map_err(|m| errors.push(("picture_alt", m)));
    let picture = match prepared {
        Some(Err(message)) => {
            errors.push(("picture", message.to_string()));
            None
        }
        Some(Ok(picture)) => Some(picture),
        None => None,
    };
    if let (Ok(alt), true) = (alt, errors.is_empty()) {
        let (key, staff_id) = (id.clone(), staff.id.clone());
        let saved = state
            .db(move |conn| article_pictures::save_by(conn, &staff_id, &key, picture, &alt))
            .await?;
        match saved {
            PictureSaved::Done => {
                return Ok(super::saved(
                    &format!("/admin/articles/{id}#picture"),
                    "Saved",
                ))
            }
            PictureSaved::UnknownArticle => return Err(AppError::NotFound),
            PictureSaved::NoPicture => errors.push(("picture", "Choose a picture file".into())),
        }
    }
    let form = PictureForm {
        errors,
        alt: Some(&typed_alt),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    edit_page(&state, &staff, id, status, &form).await
}

/// `POST /admin/articles/{id}/picture/remove`.
pub async fn remove(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    _form: super::staff_form::StaffForm,
) -> Result<HttpResponse, AppError> {
    let (key, staff_id) = (id.into_inner(), staff.id.clone());
    let article = key.clone();
    state
        .db(move |conn| article_pictures::remove_by(conn, &staff_id, &key))
        .await?;
    Ok(super::saved(
        &format!("/admin/articles/{article}#picture"),
        "Picture removed",
    ))
}

/// `GET /admin/articles/{id}/picture`: the picture of any article, for its edit page.
pub async fn show(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (bytes, kind) = state
        .db(move |conn| article_pictures::bytes(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::web::picture_response(
        bytes,
        kind,
        "private, max-age=300",
    ))
}
