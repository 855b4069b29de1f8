//! The organisation on every page: the middleware that makes it current for each request
//! (read again at most every few seconds), and its logo.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use super::AppState;
use crate::db;
use crate::error::AppError;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl AppState {
    /// The organisation, read again when the kept one is older than a few seconds. A
    /// database that does not answer leaves the kept one in place: never a failed page
    /// for want of a name.
    pub async fn organisation(&self) -> std::sync::Arc<crate::domain::organisation::Organisation> {
        let now = now_ms();
        if let Some(fresh) = self.organisation.fresh(now) {
            return fresh;
        }
        match self.db(db::organisation::load).await {
            Ok(read) => self.organisation.put(read, now),
            Err(_) => return self.organisation.get(),
        }
        self.organisation.get()
    }
}

/// Makes the organisation current for the request (see `crate::organisation`).
pub async fn serving(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is registered")
        .clone();
    let organisation = state.organisation().await;
    let site = (state.base_url.as_str(), state.retention);
    crate::organisation::serving(organisation, site, next.call(req)).await
}

/// `GET /organisation/logo`: the logo as uploaded (checked, metadata removed). Its URL
/// carries a version, so it may be kept a day.
pub async fn logo(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let (bytes, kind) = state
        .db(db::organisation::logo)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::picture_response(
        bytes,
        kind,
        "public, max-age=86400",
    ))
}
