//! Staff forms that carry a file (multipart): every field's bytes, the whole body
//! capped, and the CSRF token checked as for every other staff form.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt as _;

use super::staff_form::check_csrf;
use crate::error::AppError;

/// Every field of a multipart form by name (the first of a repeated one wins), refused
/// as too large past `limit` bytes in all. Anything but multipart is refused like a form
/// without its token: only the page's own form sends one.
pub async fn fields(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<HashMap<String, Vec<u8>>, AppError> {
    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        return Err(AppError::Csrf);
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut fields: HashMap<String, Vec<u8>> = HashMap::new();
    let mut total = 0usize;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::BadForm)?;
        let name = field.name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::BadForm)?;
            total += chunk.len();
            if total > limit {
                return Err(AppError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        fields.entry(name).or_insert(bytes);
    }
    let csrf = text(&fields, "csrf")?;
    check_csrf(req, &csrf)?;
    Ok(fields)
}

/// A text field as UTF-8 ("" when absent); other bytes are a bad form.
pub fn text(fields: &HashMap<String, Vec<u8>>, name: &str) -> Result<String, AppError> {
    let bytes = fields.get(name).cloned().unwrap_or_default();
    String::from_utf8(bytes).map_err(|_| AppError::BadForm)
}
