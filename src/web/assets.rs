//! Static files, embedded in the binary so that one file is the whole deployment.

use actix_web::{web, HttpResponse};

use crate::error::AppError;

const FILES: &[(&str, &str, &str)] = &[(
    "clarion.css",
    "text/css; charset=utf-8",
    include_str!("../../static/clarion.css"),
)];

pub async fn file(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, content_type, body) = FILES
        .iter()
        .find(|(file, _, _)| *file == name.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(*body))
}
