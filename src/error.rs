//! The error policy, written once: every handler returns `Result<_, AppError>`, and this
//! file alone decides the status code and the page a visitor sees. A supporter never sees
//! a stack trace or a database message; the cause is logged (without personal data).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::db::DbError;
use crate::i18n::{t, Msg};
use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("database unavailable")]
    Unavailable(#[source] DbError),
    /// More sign requests are waiting than the queue holds: try again in a second.
    #[error("too many requests waiting")]
    Busy,
    /// The signing writer could not store the batch (disk full, read-only, unreachable):
    /// logged once per change of cause by `db::health`, not per request.
    #[error("writes fail: {}", .0.describe())]
    WritesFailing(crate::db::health::WriteFault),
    #[error("database error")]
    Database(#[source] DbError),
    /// A task on the blocking thread pool was cancelled (or panicked).
    #[error("a background task was cancelled")]
    Cancelled,
    /// The signing writer dropped a request without answering: its thread stopped.
    #[error("the signing writer stopped before answering")]
    SigningStopped,
    /// The staff session could not be written (its value did not serialise).
    #[error("the session could not be written")]
    Session,
    #[error("form body is not valid UTF-8 urlencoded data")]
    BadForm,
    #[error("form sent in an unsupported format")]
    UnsupportedFormat,
    #[error("missing, forged or expired form token")]
    FormToken,
    #[error("the petition is closed")]
    Closed,
    #[error("forbidden for this role")]
    Forbidden,
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("request body too large")]
    TooLarge,
    /// Over a rate limit: try again in this many seconds (at least 1).
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    /// A query string option that cannot be used; the message says which and why.
    #[error("bad query: {0}")]
    BadQuery(String),
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Pool(_) | DbError::Connect(_) => Self::Unavailable(error),
            other => Self::Database(other),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadForm => StatusCode::BAD_REQUEST,
            Self::UnsupportedFormat => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::FormToken => StatusCode::FORBIDDEN,
            Self::Closed => StatusCode::GONE,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BadQuery(_) => StatusCode::BAD_REQUEST,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::Busy | Self::WritesFailing(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Database(_) | Self::Cancelled | Self::SigningStopped | Self::Session => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, body) = match self {
            Self::NotFound => (Msg::NotFoundTitle, t(Msg::NotFoundBody).to_string()),
            Self::BadForm => (Msg::BadRequestTitle, t(Msg::BadFormBody).to_string()),
            Self::UnsupportedFormat => {
                (Msg::BadRequestTitle, t(Msg::UnsupportedFormat).to_string())
            }
            Self::FormToken => (Msg::FormTokenTitle, t(Msg::FormTokenBody).to_string()),
            Self::Closed => (Msg::PetitionClosed, t(Msg::PetitionClosedBody).to_string()),
            Self::Forbidden => (Msg::ForbiddenTitle, t(Msg::ForbiddenBody).to_string()),
            Self::Csrf => (Msg::FormTokenTitle, t(Msg::CsrfBody).to_string()),
            Self::TooLarge => (Msg::BadRequestTitle, t(Msg::TooLarge).to_string()),
            Self::BadQuery(message) => (Msg::BadRequestTitle, message.clone()),
            Self::RateLimited(wait) => (Msg::RateLimitedTitle, crate::web::limits::message(*wait)),
            Self::Unavailable(_) | Self::Busy | Self::WritesFailing(_) => {
                (Msg::UnavailableTitle, t(Msg::UnavailableBody).to_string())
            }
            Self::Database(_) | Self::Cancelled | Self::SigningStopped | Self::Session => {
                (Msg::ServerErrorTitle, t(Msg::ServerErrorBody).to_string())
            }
        };
        // A full queue is expected under a surge and answered in microseconds; logging
        // each one would slow the answer down. An unreachable database or failing writes
        // are logged once per change of state by `db::health` (see `AppState::db`), not
        // once per request.
        let logged_elsewhere = matches!(
            self,
            Self::Busy | Self::Unavailable(_) | Self::WritesFailing(_)
        );
        if self.status_code().is_server_error() && !logged_elsewhere {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::Unavailable(_) | Self::WritesFailing(_) => {
                response.insert_header(("Retry-After", "5"));
            }
            Self::Busy => {
                response.insert_header(("Retry-After", "1"));
            }
            Self::RateLimited(wait) => {
                response.insert_header(("Retry-After", (*wait).max(1).to_string()));
            }
            _ => {}
        }
        response
            .content_type("text/html; charset=utf-8")
            .body(views::errors::page(title, &body).into_string())
    }
}
