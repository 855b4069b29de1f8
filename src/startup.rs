//! Builds the application: resolves the secret, connects and migrates, seeds the demo,
//! binds the listener (port 0 picks a free port) and assembles the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

use crate::config::{Config, ConfigError, DatabaseUrl, SecretKey};
use crate::db::outbox::Lane;
use crate::db::{self, DbError, Pool};
use crate::email::transport::Mailer;
use crate::email::worker;
use crate::telemetry;
use crate::web::limits::{self, RateLimiters};
use crate::web::{routes, AppState};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};

/// Why Clarion could not start; each variant reads as one line.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration error: {0}")]
    Config(#[from] ConfigError),
    #[error("CLARION_SECRET_KEY is required with PostgreSQL (at least 32 bytes, hex or base64), so that every node shares it")]
    SecretRequired,
    #[error("data directory {0}")]
    DataDir(String),
    #[error("secret key file {path}: {reason}")]
    SecretFile { path: String, reason: String },
    #[error("{0}")]
    Database(#[from] DbError),
    /// A start-up step that failed, and the database's words.
    #[error("{0}: {1}")]
    Step(&'static str, String),
    #[error("{0}")]
    Mail(String),
    #[error("{0}")]
    Command(String),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
}

pub struct Application {
    address: SocketAddr,
    base_url: String,
    server: Server,
    /// `/metrics` on its own listener, when `CLARION_METRICS_BIND` is set.
    metrics: Option<actix_web::dev::ServerHandle>,
    /// Set when a stop begins (`shutdown.rs`).
    shutting_down: Arc<AtomicBool>,
    /// The threads that outlive the server a moment: signing writers, outbox workers,
    /// jobs. Each ends once the server's state is gone, after the work in its hands.
    background: Vec<std::thread::JoinHandle<()>>,
    /// `CLARION_SHUTDOWN_SECS`.
    grace: Duration,
}

impl Application {
    /// Everything that can fail at start-up fails here, before the first request.
    pub fn build(config: Config) -> Result<Self, StartupError> {
        crate::private_files::make_private(config.data_dir(), &config.database)
            .map_err(|e| StartupError::DataDir(format!("{}: {e}", config.data_dir().display())))?;
        let secret = resolve_secret(&config)?;
        let from: lettre::message::Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| StartupError::Mail(format!("CLARION_MAIL_FROM is not an address: {e}")))?;
        let from_domain = from.email.domain().to_string();
        let pool = open_database(&config)?;
        let dkim = match &config.dkim {
            Some(settings) => Some(settings.signer().map_err(StartupError::Mail)?),
            None => None,
        };
        let mailer = Mailer::new(config.smtp_url(), config.data_dir(), dkim.clone())
            .map_err(StartupError::Mail)?;
        let bind_error = |source| StartupError::Bind {
            address: config.bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&config.bind).map_err(bind_error)?;
        let address = listener.local_addr().map_err(bind_error)?;
        let base_url = config
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let (outbox_wake, wake) = std::sync::mpsc::sync_channel(1);
        let (mailings_wake, mailings_woken) = std::sync::mpsc::sync_channel(1);
        let surge = crate::signing::Surge::default();
        let write_health = std::sync::Arc::new(crate::db::health::WriteHealth::default());
        let bulk_mailer = Mailer::new(config.smtp_url(), config.data_dir(), dkim.clone())
            .map_err(StartupError::Mail)?;
        let site = crate::email::site::Site {
            key: secret.as_bytes().to_vec(),
            base_url: base_url.clone(),
        };
        let mut background = Vec::new();
        background.push(worker::spawn(
            pool.clone(),
            (bulk_mailer, Lane::Mailings, site.clone()),
            (from.clone(), config.outbox_lease, None, None),
            mailings_woken,
            surge.clone(),
            write_health.clone(),
        ));
        background.push(worker::spawn(
            pool.clone(),
            (mailer, Lane::Mail, site),
            (
                from,
                config.outbox_lease,
                config.outbox_surge_rate,
                Some(worker::Chores {
                    reminder_after: config.reminder_after,
                    follow_up: config.follow_up,
                }),
            ),
            wake,
            surge.clone(),
            write_health.clone(),
        ));
        let (retention_alive, alive) = std::sync::mpsc::sync_channel(1);
        let retention = crate::jobs::spawn_retention(pool.clone(), config.retention, alive);
        let (webhooks_alive, alive) = std::sync::mpsc::sync_channel(1);
        let key = secret.as_bytes().to_vec();
        let webhooks = crate::webhooks::spawn(pool.clone(), key, config.allow_private, alive);
        background.extend([retention, webhooks]);
        let jobs_alive = vec![retention_alive, webhooks_alive];
        let rules = crate::web::holds::HoldRules {
            min_fill_secs: config.min_fill_secs,
            per_address: config.hold_per_address,
        };
        let signing = crate::signing::SignQueue::start(
            pool.clone(),
            rules.per_address_rule(),
            config.hold_memory,
            config.sign_queue,
            crate::db::signing_writers(&config.database),
            surge,
            write_health.clone(),
            &mut background,
        );
        let metrics = match &config.operations.metrics_bind {
            Some(at) => Some(
                crate::telemetry::metrics::serve(at, pool.clone(), signing.depth()).map_err(
                    |source| StartupError::Bind {
                        address: at.clone(),
                        source,
                    },
                )?,
            ),
            None => None,
        };
        let shutting_down = Arc::new(AtomicBool::new(false));
        let state = web::Data::new(AppState {
            pool,
            signing,
            recent: Default::default(),
            base_url: base_url.clone(),
            secret: secret.clone(),
            outbox_wake,
            mailings_wake,
            jobs_alive,
            retention: config.retention,
            allow_private: config.allow_private,
            login_throttle: Default::default(),
            write_health,
            report_digests: Default::default(),
            limits: RateLimiters::new(
                &config.rate,
                crate::web::client::Proxies {
                    nets: config.trusted_proxies.clone(),
                    header: config.proxy_header,
                },
            ),
            rules,
            organisation: Default::default(),
            mail_domains: (config.dkim.as_ref().map(|d| d.domain.clone()), from_domain),
            shutting_down: shutting_down.clone(),
        });
        let forgetting = state.clone();
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                forgetting.limits.forget_idle();
                forgetting.login_throttle.forget_old();
            }
        });
        let session_key = actix_web::cookie::Key::derive_from(secret.as_bytes());
        let secure = base_url.starts_with("https://");
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                // Small bodies unless a resource says otherwise (contact 64 KB, staff forms 2 MB…).
                .app_data(web::PayloadConfig::new(16 * 1024))
                .wrap(from_fn(limits::middleware))
                .wrap(from_fn(telemetry::log_request))
                .wrap(from_fn(crate::web::health::closing))
                .wrap(ErrorHandlers::new().handler(StatusCode::PAYLOAD_TOO_LARGE, too_large))
                .wrap(security_headers(secure))
                // Outside the default headers: drops their X-Frame-Options where the CSP
                // allows a partner to frame the page (the embed).
                .wrap(from_fn(crate::web::embed::frameable))
                // Before routing: `/fr/…` and `/km/…` are served by the English routes.
                .wrap(from_fn(crate::web::lang_middleware))
                .wrap(from_fn(crate::web::organisation::serving))
                // Outermost: a HEAD request meets every layer as the GET it stands for.
                .wrap(from_fn(crate::web::head_as_get))
                .service(crate::web::admin::scope(&session_key, secure))
                .configure(routes)
        })
        // Slow clients: a request must arrive whole within 10 s.
        .client_request_timeout(std::time::Duration::from_secs(10))
        .client_disconnect_timeout(std::time::Duration::from_secs(2))
        // SIGTERM is ours: `shutdown.rs` orders the stop (accepting ends before answers
        // start closing their connections).
        .disable_signals()
        .shutdown_timeout(config.operations.shutdown.as_secs())
        .listen(listener)
        .map_err(bind_error)?
        .run();
        let metrics = metrics.map(|server| {
            let handle = server.handle();
            actix_web::rt::spawn(server);
            handle
        });
        Ok(Self {
            address,
            base_url,
            server,
            metrics,
            shutting_down,
            background,
            grace: config.operations.shutdown,
        })
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// What a graceful stop needs (`shutdown.rs`); the background threads leave the
    /// application, to be waited for once its state is gone.
    pub fn stopping(&mut self) -> crate::shutdown::Stopping {
        crate::shutdown::Stopping {
            server: self.server.handle(),
            metrics: self.metrics.clone(),
            flag: self.shutting_down.clone(),
            background: std::mem::take(&mut self.background),
            grace: self.grace,
        }
    }
}

/// The Content-Security-Policy: no inline script, and no inline style beyond the
/// sources `inline_styles` names (hashes of a page's own stylesheet, e.g. `'sha256-…'`).
pub fn content_security_policy(inline_styles: &str) -> String {
    let styles = if inline_styles.is_empty() {
        "'self'".to_string()
    } else {
        format!("'self' {inline_styles}")
    };
    format!(
        "default-src 'self'; script-src 'none'; style-src {styles}; img-src 'self' data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
}

/// The policy of the embed (`web/embed.rs`): framed only by `ancestors` (a partner's
/// origins, or `'none'`), and its one script, which tells the page around it its height.
pub fn embed_security_policy(ancestors: &str) -> String {
    content_security_policy("")
        .replace("script-src 'none'", "script-src 'self'")
        .replace(
            "frame-ancestors 'none'",
            &format!("frame-ancestors {ancestors}"),
        )
}

/// Headers every response carries (a response that sets one keeps its own). The CSP
/// allows no inline script or style; only the printable report carries its stylesheet.
fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", content_security_policy("")))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

/// A body over its route's limit: our page with a message instead of actix's plain text.
fn too_large<B>(
    res: actix_web::dev::ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if res.request().path().starts_with("/api/") {
        // The API answers its own 413 in JSON.
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (req, _) = res.into_parts();
    let response = actix_web::ResponseError::error_response(&crate::error::AppError::TooLarge);
    Ok(ErrorHandlerResponse::Response(
        actix_web::dev::ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

/// Connects, migrates, and seeds the demo into an empty database unless told not to.
/// Each failure's one line says which step failed and the database's own words.
pub fn open_database(config: &Config) -> Result<Pool, StartupError> {
    let step = |what: &'static str| move |e: DbError| StartupError::Step(what, e.detail());
    let pool = db::connect_and_migrate(&config.database).map_err(|e| match e {
        // Already one clear line naming the database (see `db::Manager`).
        DbError::Connect(_) => StartupError::Database(e),
        other => StartupError::Step("migrating the database", other.detail()),
    })?;
    if config.demo {
        let mut conn = pool
            .get()
            .map_err(DbError::from)
            .map_err(step("connecting to seed the demo"))?;
        if db::demo::seed_if_empty(&mut conn).map_err(step("seeding the demo"))? {
            tracing::info!("seeded the demo content into the empty database");
        }
    }
    Ok(pool)
}

/// The configured key; with SQLite and none configured, the one generated into the data
/// directory on first run. PostgreSQL nodes must share a key, so there it is required.
pub fn resolve_secret(config: &Config) -> Result<SecretKey, StartupError> {
    if let Some(key) = &config.secret_key {
        return Ok(key.clone());
    }
    match config.database {
        DatabaseUrl::Postgres(_) => Err(StartupError::SecretRequired),
        DatabaseUrl::Sqlite(_) => load_or_create_secret(&config.data_dir().join("secret.key")),
    }
}

fn load_or_create_secret(path: &Path) -> Result<SecretKey, StartupError> {
    let fail = |reason: String| StartupError::SecretFile {
        path: path.display().to_string(),
        reason,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => SecretKey::parse(&text).map_err(fail),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
            }
            let key = SecretKey::generate();
            write_private(path, &key.to_hex()).map_err(|e| fail(e.to_string()))?;
            Ok(key)
        }
        Err(e) => Err(fail(e.to_string())),
    }
}

/// Writes a file only its owner may read, failing if it already exists.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
