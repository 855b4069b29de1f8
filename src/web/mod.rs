//! The public route table (`routes.rs`; the admin table is `admin/routes/`), the shared
//! state handlers receive, and the few answers every handler uses (`html_page`,
//! `rate_limited`, `see_other`). A handler reads the request, checks it with `domain::`,
//! builds with `prepare::`, stores through `db::` (or the signing queue) off the async
//! workers, and answers: docs/ARCHITECTURE.md walks one signature through.

pub mod admin;
mod api;
mod articles;
mod assets;
pub mod client;
mod confirm;
mod contact;
mod contact_after;
mod contact_carry;
pub mod embed;
mod feed;
mod follow_up;
pub mod form;
mod head;
pub mod health;
mod lang;
pub use head::as_get as head_as_get;
pub use lang::middleware as lang_middleware;
pub mod holds;
pub mod limits;
mod me;
mod message_confirm;
pub mod newsletter;
pub mod organisation;
mod osdi;
mod petitions;
mod privacy;
pub mod recent;
mod replies;
mod routes;
mod sent;
mod updates;

pub use assets::inline_stylesheet_csp;
pub use routes::routes;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use std::sync::mpsc::SyncSender;

use crate::config::SecretKey;
use crate::db::{DbConnection, DbError, Pool};
use crate::domain::form_token;
use crate::error::AppError;

/// Largest sign-form body accepted (docs/CONTRACT.md, "Public routes": 16 KB).
const SIGN_FORM_LIMIT: usize = 16 * 1024;
/// Largest contact-form body: room for a 5,000-character letter in Khmer, percent-encoded.
const CONTACT_FORM_LIMIT: usize = 64 * 1024;
/// Largest follow-up answer: a pasted reply of 20,000 Khmer characters, percent-encoded
/// (docs/CONTRACT.md).
const FOLLOW_UP_FORM_LIMIT: usize = 256 * 1024;

/// What every handler may reach: the pool and the settings resolved at start.
pub struct AppState {
    pub pool: Pool,
    /// Sign requests wait here for the group-commit writer.
    pub signing: crate::signing::SignQueue,
    /// Second-old copies of what public pages read.
    pub recent: recent::RecentPages,
    /// Absolute base of links in emails and feeds, without a trailing slash.
    pub base_url: String,
    pub secret: SecretKey,
    /// Wakes the outbox worker when a request has queued an email.
    pub outbox_wake: SyncSender<()>,
    /// Wakes the mailings' worker (a mailing started).
    pub mailings_wake: SyncSender<()>,
    /// Held so that the retention job (`jobs.rs`) and webhook deliveries
    /// (`webhooks.rs`) run while the server does.
    pub jobs_alive: Vec<SyncSender<()>>,
    /// How long personal data is kept: the admin and the privacy page show it.
    pub retention: crate::config::periods::Retention,
    /// Whether partners' origins may be http, loopback or IP literals.
    pub allow_private: crate::domain::partner::AllowPrivate,
    pub login_throttle: admin::throttle::LoginThrottle,
    /// Whether writes work; `/healthz` reads it, writers and failed connections set it.
    pub write_health: std::sync::Arc<crate::db::health::WriteHealth>,
    /// The delivery report's digest per petition, until its signatures change.
    pub report_digests: std::sync::Arc<admin::report_digest::DigestCache>,
    pub limits: limits::RateLimiters,
    pub rules: holds::HoldRules,
    /// The organisation's identity, read again every few seconds (`web/organisation.rs`).
    pub organisation: crate::organisation::Cached,
    /// The domain emails are DKIM-signed for, and the sender's domain when the
    /// organisation sets none (`CLARION_MAIL_FROM`): the dashboard warns when they differ.
    pub mail_domains: (Option<String>, String),
    /// Set on SIGTERM: `/readyz` answers 503 and every answer closes its connection.
    pub shutting_down: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// Runs `work` with a pooled connection on the blocking thread pool.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    {
        let (pool, health) = (self.pool.clone(), self.write_health.clone());
        web::block(move || {
            let mut conn = pool.get().map_err(DbError::from).inspect_err(|e| {
                // No connection: logged once per change of state, not per request (a
                // pool that is only busy is not a fault; see `db::health`).
                health.failed(e);
            })?;
            work(&mut conn)
        })
        .await
        .map_err(|_| AppError::Cancelled)?
        .map_err(AppError::from)
    }

    /// A fresh signed token for a public form served now.
    pub fn form_token(&self, form_id: &str) -> String {
        form_token::issue(
            self.secret.as_bytes(),
            form_id,
            chrono::Utc::now().timestamp(),
        )
    }

    /// Checks a public form's signed token for `form_id`; answers when it was served.
    pub fn verify_form_token(
        &self,
        form_id: &str,
        token: &str,
        now: chrono::NaiveDateTime,
    ) -> Result<i64, AppError> {
        form_token::verify(
            self.secret.as_bytes(),
            form_id,
            token,
            now.and_utc().timestamp(),
        )
        .map_err(|_| AppError::FormToken)
    }

    /// Where a submission came from: the keyed hash stored for `address` (of its quota
    /// key: an IPv6 /64 is one client) and the hold the form alone decides (the honeypot
    /// `website`, the fill time since the token's `served_at`).
    pub fn origin(
        &self,
        address: std::net::IpAddr,
        website: &str,
        source: &str,
        served_at: i64,
        now: chrono::NaiveDateTime,
    ) -> crate::prepare::Origin {
        let key = client::quota_key(address).to_string();
        crate::prepare::Origin {
            address,
            client_hash: crate::domain::secrets::client_hash(self.secret.as_bytes(), &key),
            hold: self.rules.early_hold(website, served_at, now),
            source: source.to_string(),
            // Set by the handlers whose forms carry it (`domain::newsletter::mailing_ref`).
            mailing: None,
            partner: None,
            utm: Default::default(),
        }
    }

    /// Never blocks: if a wake-up is already waiting, one more changes nothing.
    pub fn wake_outbox(&self) {
        let _ = self.outbox_wake.try_send(());
    }

    /// [`Self::wake_outbox`] for the mailings' worker.
    pub fn wake_mailings(&self) {
        let _ = self.mailings_wake.try_send(());
    }
}

/// An HTML page answered with `status`.
pub(crate) fn html_page(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// Over a rate limit: `page` (the form again with what was typed, or the error page)
/// says when to try again; `Retry-After` tells machines.
pub(crate) fn rate_limited(wait: u64, page: maud::Markup) -> HttpResponse {
    let mut response = html_page(StatusCode::TOO_MANY_REQUESTS, page);
    response
        .headers_mut()
        .insert(actix_web::http::header::RETRY_AFTER, wait.max(1).into());
    response
}

/// A page whose URL holds a secret token: never cached, never passed on as a referrer.
pub(crate) fn private_page(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(markup.into_string())
}

/// A stored picture (logo, article picture) with its media type and caching rule.
pub(crate) fn picture_response(bytes: Vec<u8>, media_type: String, cache: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(media_type)
        .insert_header(("Cache-Control", cache.to_string()))
        .body(bytes)
}

/// Post/redirect/get: where a form or a confirmation leads. A path (from `/`) stays in
/// the language of the request: a form posted from a French page leads to French pages.
pub(crate) fn see_other(location: &str) -> HttpResponse {
    let location = match location.starts_with('/') {
        true => crate::i18n::href(location),
        false => location.to_string(),
    };
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
