//! Test harness: each test spawns the real server on a random port against a fresh
//! database of its own, a temporary SQLite file or, when `CLARION_TEST_POSTGRES_URL` is
//! set, a PostgreSQL database created for the test and dropped after it.
//!
//! `CLARION_TEST_BACKEND=sqlite` forces SQLite even when PostgreSQL is configured (CI runs
//! the suite once per backend). Tests that need PostgreSQL itself call [`require_postgres`],
//! which skips them with one printed line outside CI and fails them under `CI=true`.

use std::collections::HashMap;
use std::io::Write as _;

use clarion::config::Config;
use clarion::startup::Application;
use diesel::{Connection as _, RunQueryDsl as _};
use tempfile::TempDir;

/// Printed past the test harness's capture, so a skip is seen in `cargo test` output.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

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

/// A running Clarion and an HTTP client that does not follow redirects.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub settings: HashMap<String, String>,
    pub db: std::sync::Arc<TestDb>,
    pool: std::sync::OnceLock<clarion::db::Pool>,
}

/// Per-test settings, by their environment variable names, over test defaults
/// (port 0, no rate limits, no anti-abuse rules).
pub struct TestAppBuilder {
    settings: HashMap<String, String>,
    db: std::sync::Arc<TestDb>,
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        let db = std::sync::Arc::new(TestDb::new());
        let mut settings: HashMap<String, String> = [
            ("CLARION_BIND", "127.0.0.1:0"),
            ("CLARION_RATE_SIGN", "off"),
            ("CLARION_RATE_CONTACT", "off"),
            ("CLARION_RATE_LOGIN", "off"),
            ("CLARION_RATE_EXPORT", "off"),
            ("CLARION_RATE_PUBLIC", "off"),
            ("CLARION_MIN_FILL_SECS", "0"),
            ("CLARION_HOLD_PER_ADDRESS", "off"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        settings.insert("CLARION_DATABASE_URL".into(), db.url.clone());
        settings.insert(
            "CLARION_DATA_DIR".into(),
            db.dir.path().display().to_string(),
        );
        settings.insert(
            "CLARION_SECRET_KEY".into(),
            clarion::config::SecretKey::generate().to_hex(),
        );
        TestAppBuilder { settings, db }
    }

    pub async fn spawn() -> Self {
        Self::builder().spawn().await
    }

    /// A second server on the same database and settings, as after a restart.
    pub async fn restart_twin(&self) -> Self {
        TestAppBuilder {
            settings: self.settings.clone(),
            db: self.db.clone(),
        }
        .spawn()
        .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// GET `path`, asserting the status, and return the body.
    pub async fn get_text(&self, path: &str, status: u16) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.text().await.expect("a text body")
    }

    /// A pool on the test's database, to arrange data the admin cannot create yet and to
    /// check what was stored.
    pub fn pool(&self) -> clarion::db::Pool {
        self.pool
            .get_or_init(|| {
                let url = clarion::config::DatabaseUrl::parse(&self.db.url).expect("test URL");
                clarion::db::connect_and_migrate(&url).expect("test database")
            })
            .clone()
    }

    pub fn conn(&self) -> clarion::db::PooledConnection {
        self.pool().get().expect("a test connection")
    }

    /// POSTs `pairs` as a urlencoded form.
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(pairs)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// The hidden fields (name, value) of the form posting to `action` on `page`.
    pub async fn hidden_fields(&self, page: &str, action: &str) -> Vec<(String, String)> {
        let body = self.get_text(page, 200).await;
        let doc = html(&body);
        let selector = format!("form[action=\"{action}\"] input[type=hidden]");
        let selector = scraper::Selector::parse(&selector).expect("selector");
        doc.select(&selector)
            .map(|e| {
                let v = e.value();
                (
                    v.attr("name").unwrap().to_string(),
                    v.attr("value").unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// Signs petition `slug` from its page with the form's own hidden fields plus `fields`.
    pub async fn sign(&self, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let action = format!("/petitions/{slug}/sign");
        let hidden = self
            .hidden_fields(&format!("/petitions/{slug}"), &action)
            .await;
        let mut pairs: Vec<(&str, &str)> = hidden
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        pairs.extend_from_slice(fields);
        self.post_form(&action, &pairs).await
    }
}

impl TestAppBuilder {
    /// The settings and database, for a test that runs the `clarion` binary itself.
    pub fn into_parts(self) -> (HashMap<String, String>, std::sync::Arc<TestDb>) {
        (self.settings, self.db)
    }

    /// On `db` instead of the database the environment selects.
    pub fn with_db(mut self, db: TestDb) -> Self {
        self.settings
            .insert("CLARION_DATABASE_URL".into(), db.url.clone());
        self.settings.insert(
            "CLARION_DATA_DIR".into(),
            db.dir.path().display().to_string(),
        );
        self.db = std::sync::Arc::new(db);
        self
    }

    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.settings.insert(name.to_string(), value.to_string());
        self
    }

    /// On a SQLite file whatever the environment selects (for a server that outlives the
    /// test, whose PostgreSQL database could never be dropped).
    pub fn on_sqlite(mut self) -> Self {
        self.db = std::sync::Arc::new(TestDb::sqlite());
        self.settings
            .insert("CLARION_DATABASE_URL".into(), self.db.url.clone());
        self.settings.insert(
            "CLARION_DATA_DIR".into(),
            self.db.dir.path().display().to_string(),
        );
        self
    }

    /// Runs `work` on the migrated database before the server starts, as if an earlier
    /// server had left these rows behind.
    pub fn before_start(self, work: impl FnOnce(&mut clarion::db::DbConnection)) -> Self {
        let url = clarion::config::DatabaseUrl::parse(&self.db.url).expect("test URL");
        let pool = clarion::db::connect_and_migrate(&url).expect("test database");
        work(&mut pool.get().expect("a connection"));
        self
    }

    pub async fn spawn(self) -> TestApp {
        let settings = self.settings;
        let config = Config::from_lookup(|name| settings.get(name).cloned())
            .expect("test settings are valid");
        let app = Application::build(config).expect("the application starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        TestApp {
            address,
            client,
            settings,
            db: self.db,
            pool: std::sync::OnceLock::new(),
        }
    }
}

/// Public pages keep second-old copies; a change made behind the server's back (straight
/// in the database, or by the command line) shows once they have expired.
pub async fn after_copies_expire() {
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
}

/// Parses an HTML page for CSS-selector assertions.
pub fn html(body: &str) -> scraper::Html {
    scraper::Html::parse_document(body)
}

/// The values of `attribute` on every element matching `selector`.
pub fn attrs(page: &scraper::Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .filter_map(|e| e.value().attr(attribute).map(str::to_string))
        .collect()
}

/// The text of every element matching `selector`, whitespace collapsed.
pub fn texts(page: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The emails written to `dir` (the outbox folder of a run without SMTP) to `to`, oldest
/// first, waiting up to ten seconds for at least one.
pub async fn mails_in(dir: &std::path::Path, to: &str) -> Vec<crate::smtp::Mail> {
    for _ in 0..200 {
        let mut found: Vec<(std::time::SystemTime, crate::smtp::Mail)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let modified = entry.metadata().ok()?.modified().ok()?;
                let data = std::fs::read(entry.path()).ok()?;
                Some((modified, crate::smtp::Mail { to: vec![], data }))
            })
            .filter(|(_, mail)| {
                let parsed = mail.parsed();
                let address = parsed
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address());
                address.is_some_and(|a| a.eq_ignore_ascii_case(to))
            })
            .collect();
        if !found.is_empty() {
            found.sort_by_key(|(at, _)| *at);
            return found.into_iter().map(|(_, mail)| mail).collect();
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no email to {to} in {}", dir.display());
}

impl TestApp {
    /// The link in the newest email sent to `to`, read from the `.eml` file the outbox
    /// wrote (the stored copy's body is cleared once sent).
    pub async fn link_mailed_to(&self, to: &str) -> String {
        let mails = mails_in(&self.db.dir.path().join("outbox"), to).await;
        mails.last().expect("an email").link()
    }
}

/// The link in a stored email not yet sent: in its fields when it is rendered only when
/// sent (confirmations), else in its stored text (invitations, letters).
pub fn email_link((text, fields): (String, Option<String>)) -> String {
    if let Some(fields) = fields {
        let fields: serde_json::Value = serde_json::from_str(&fields).expect("JSON fields");
        return fields["link"].as_str().expect("a link field").to_string();
    }
    text.split_whitespace()
        .find(|w| w.starts_with("http"))
        .expect("a link in the text")
        .to_string()
}
