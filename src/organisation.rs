//! The organisation as the request being served sees it. Pages are drawn deep inside
//! views that know nothing of the app, so the middleware (`web::organisation`) puts the
//! organisation in a task-local for the length of each request; several apps in one
//! process (the tests) never see each other's. Outside a request: the empty one.

use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::sync::{Arc, RwLock};

use crate::config::periods::Retention;
use crate::domain::organisation::Organisation;

tokio::task_local! {
    static CURRENT: (Arc<Organisation>, Arc<str>, Retention);
}

/// The wording of the newsletter box on sign and letter forms, naming the organisation,
/// in the request's language (stored with the choice, version `BOX_CONSENT_VERSION`).
pub fn newsletter_box() -> String {
    crate::i18n::t_with(
        crate::i18n::Msg::ConsentNewsletter,
        &[("organisation", current().display_name())],
    )
}

/// The organisation of the request being served.
pub fn current() -> Arc<Organisation> {
    CURRENT
        .try_with(|(organisation, _, _)| Arc::clone(organisation))
        .unwrap_or_else(|_| Arc::new(Organisation::default()))
}

/// The site's absolute base URL, for links that leave it (share cards); "" outside a
/// request.
pub fn base_url() -> Arc<str> {
    CURRENT
        .try_with(|(_, base, _)| Arc::clone(base))
        .unwrap_or_else(|_| Arc::from(""))
}

/// The site's retention periods, which forms and the privacy page state; the defaults
/// outside a request.
pub fn retention() -> Retention {
    CURRENT
        .try_with(|(_, _, retention)| *retention)
        .unwrap_or_default()
}

/// Runs `work` (a request) with `organisation` as the current one, under `base_url`,
/// keeping data for `retention`.
pub async fn serving<F: Future>(
    organisation: Arc<Organisation>,
    (base_url, retention): (&str, Retention),
    work: F,
) -> F::Output {
    CURRENT
        .scope((organisation, Arc::from(base_url), retention), work)
        .await
}

/// The organisation as last read from the database, and when (Unix milliseconds): other
/// nodes' changes show within [`FRESH_MS`], this node's at once.
#[derive(Debug, Default)]
pub struct Cached {
    organisation: RwLock<Arc<Organisation>>,
    read_at: AtomicI64,
}

/// How long a read organisation serves before it is read again.
pub const FRESH_MS: i64 = 5_000;

impl Cached {
    /// The organisation kept, unless it is older than [`FRESH_MS`] at `now_ms`.
    pub fn fresh(&self, now_ms: i64) -> Option<Arc<Organisation>> {
        let read_at = self.read_at.load(Relaxed);
        (read_at > 0 && now_ms - read_at < FRESH_MS).then(|| self.get())
    }

    pub fn get(&self) -> Arc<Organisation> {
        self.organisation
            .read()
            .map_or_else(|e| Arc::clone(&e.into_inner()), |o| Arc::clone(&o))
    }

    /// Read again on the next request (after an admin saved it on this node).
    pub fn forget(&self) {
        self.read_at.store(0, Relaxed);
    }

    pub fn put(&self, organisation: Organisation, now_ms: i64) {
        if let Ok(mut kept) = self.organisation.write() {
            *kept = Arc::new(organisation);
        }
        self.read_at.store(now_ms, Relaxed);
    }
}
