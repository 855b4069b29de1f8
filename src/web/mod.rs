//! The only route table, and the shared state handlers receive. Handlers are thin:
//! extract, call one `db::` function off the async workers, render.

mod articles;
mod assets;
mod feed;
mod health;

use actix_web::web;

use crate::db::{DbConnection, DbError, Pool};
use crate::error::AppError;

/// What every handler may reach: the pool and the settings resolved at start.
pub struct AppState {
    pub pool: Pool,
    /// Absolute base of links in emails and feeds, without a trailing slash.
    pub base_url: String,
}

impl AppState {
    /// Runs `work` with a pooled connection on the blocking thread pool.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|_| AppError::Cancelled)?
        .map_err(AppError::from)
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(articles::home))
        .route("/articles", web::get().to(articles::list))
        .route("/articles/{slug}", web::get().to(articles::show))
        .route("/feed.atom", web::get().to(feed::atom))
        .route("/healthz", web::get().to(health::healthz))
        .route("/static/{file}", web::get().to(assets::file))
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
