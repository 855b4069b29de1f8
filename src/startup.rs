//! Builds the application: resolves the secret, connects and migrates, seeds the demo,
//! binds the listener (port 0 picks a free port) and assembles the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

use crate::config::{Config, ConfigError, DatabaseUrl, SecretKey};
use crate::db::{self, DbError, Pool};
use crate::email::transport::Mailer;
use crate::email::worker;
use crate::telemetry;
use crate::web::{routes, AppState};

/// Why Clarion could not start; each variant reads as one line.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration error: {0}")]
    Config(#[from] ConfigError),
    #[error("CLARION_SECRET_KEY is required with PostgreSQL (at least 32 bytes, hex or base64), so that every node shares it")]
    SecretRequired,
    #[error("secret key file {path}: {reason}")]
    SecretFile { path: String, reason: String },
    #[error("{0}")]
    Database(#[from] DbError),
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
}

impl Application {
    /// Everything that can fail at start-up fails here, before the first request.
    pub fn build(config: Config) -> Result<Self, StartupError> {
        let secret = resolve_secret(&config)?;
        let from: lettre::message::Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| StartupError::Mail(format!("CLARION_MAIL_FROM is not an address: {e}")))?;
        let pool = open_database(&config)?;
        let mailer =
            Mailer::new(config.smtp_url(), config.data_dir()).map_err(StartupError::Mail)?;
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
        worker::spawn(pool.clone(), mailer, from, wake);
        let state = web::Data::new(AppState {
            pool,
            base_url: base_url.clone(),
            secret: secret.clone(),
            outbox_wake,
            login_throttle: Default::default(),
        });
        let session_key = actix_web::cookie::Key::derive_from(secret.as_bytes());
        let secure = base_url.starts_with("https://");
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(from_fn(telemetry::log_request))
                .service(crate::web::admin::scope(&session_key, secure))
                .configure(routes)
        })
        .listen(listener)
        .map_err(bind_error)?
        .run();
        Ok(Self {
            address,
            base_url,
            server,
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
}

/// Connects, migrates, and seeds the demo into an empty database unless told not to.
pub fn open_database(config: &Config) -> Result<Pool, StartupError> {
    let pool = db::connect_and_migrate(&config.database)?;
    if config.demo {
        let mut conn = pool.get().map_err(DbError::from)?;
        if db::demo::seed_if_empty(&mut conn)? {
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
