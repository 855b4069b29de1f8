//! Static files, embedded in the binary so that one file is the whole deployment.

use std::sync::LazyLock;

use actix_web::{web, HttpResponse};
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::error::AppError;
use crate::startup::content_security_policy;
use crate::views::STYLESHEET;

/// (name, media type, bytes). The Khmer font: `static/fonts/README.md`.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "clarion.css",
        "text/css; charset=utf-8",
        STYLESHEET.as_bytes(),
    ),
    (
        "embed-frame.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/embed-frame.js"),
    ),
    (
        "noto-sans-khmer-400.woff2",
        "font/woff2",
        include_bytes!("../../static/fonts/noto-sans-khmer-400.woff2"),
    ),
    (
        "noto-sans-khmer-700.woff2",
        "font/woff2",
        include_bytes!("../../static/fonts/noto-sans-khmer-700.woff2"),
    ),
];

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

/// The Content-Security-Policy of a page that carries the stylesheet inside it
/// (`views::admin::layout::printable`): the usual policy, plus that stylesheet's hash.
pub fn inline_stylesheet_csp() -> &'static str {
    static POLICY: LazyLock<String> = LazyLock::new(|| {
        let digest = Sha256::digest(STYLESHEET.as_bytes());
        let source = base64::engine::general_purpose::STANDARD.encode(digest);
        content_security_policy(&format!("'sha256-{source}'"))
    });
    &POLICY
}

/// `GET /embed.js`: the one script a partner pastes (`static/embed.js`).
pub async fn embed_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(&include_bytes!("../../static/embed.js")[..])
}
