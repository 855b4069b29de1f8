//! The database a test runs on: a temporary SQLite file, or a PostgreSQL database of its
//! own when the environment configures one; and [`require_postgres`] for tests that need it.

use diesel::{Connection as _, RunQueryDsl as _};
use tempfile::TempDir;

use super::say;

fn postgres_admin_url() -> Option<String> {
    std::env::var("CLARION_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The PostgreSQL admin URL for a test that cannot run without it; `None` means skip.
pub fn require_postgres(test: &str) -> Option<String> {
    match postgres_admin_url() {
        Some(url) => Some(url),
        None if in_ci() => panic!("{test}: CI=true but CLARION_TEST_POSTGRES_URL is not set"),
        None => {
            say(&format!(
                "SKIPPED {test}: needs PostgreSQL; set CLARION_TEST_POSTGRES_URL (see README)"
            ));
            None
        }
    }
}

fn use_postgres() -> Option<String> {
    let forced_sqlite = std::env::var("CLARION_TEST_BACKEND").is_ok_and(|b| b == "sqlite");
    postgres_admin_url().filter(|_| !forced_sqlite)
}

/// A database that exists for one test only.
pub struct TestDb {
    pub url: String,
    pub dir: TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// On the backend the environment selects.
    pub fn new() -> Self {
        match use_postgres() {
            Some(admin) => Self::postgres(&admin),
            None => Self::sqlite(),
        }
    }

    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("clarion.db").display());
        Self {
            url,
            dir,
            postgres: None,
        }
    }

    pub fn postgres(admin_url: &str) -> Self {
        let name = format!("clarion_test_{}", uuid::Uuid::new_v4().simple());
        // As the server does (`db::Manager`): no exit-time OpenSSL cleanup under threads
        // that still hold connections.
        openssl_sys::init();
        let mut admin = diesel::PgConnection::establish(admin_url)
            .unwrap_or_else(|e| panic!("CLARION_TEST_POSTGRES_URL does not answer: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create the test database");
        let mut url = reqwest::Url::parse(admin_url).expect("CLARION_TEST_POSTGRES_URL is a URL");
        url.set_path(&name);
        // CI checks this file to prove the PostgreSQL run really used PostgreSQL.
        let marker = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("postgres-tests-ran");
        let _ = std::fs::write(marker, b"yes\n");
        Self {
            url: url.to_string(),
            dir: tempfile::tempdir().expect("temporary directory"),
            postgres: Some((admin_url.to_string(), name)),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(mut admin) = diesel::PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}
