//! A running Clarion for one test ([`TestApp`], set up through [`TestAppBuilder`]), and
//! waiting or running work concurrently on the test's runtime.

use std::collections::HashMap;

use clarion::config::Config;
use clarion::startup::Application;

use super::db::TestDb;
use super::page::html;

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
    /// Runs the `clarion` binary with `args` on this app's database and key, with `vars`
    /// set; answers (success, stdout, stderr).
    pub fn cli(&self, args: &[&str], vars: &[(&str, &str)]) -> (bool, String, String) {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_clarion"))
            .env("CLARION_DATABASE_URL", &self.db.url)
            .env("CLARION_DATA_DIR", self.db.dir.path())
            .env("CLARION_SECRET_KEY", &self.settings["CLARION_SECRET_KEY"])
            .env_remove("CLARION_WEBHOOK_ALLOW_PRIVATE")
            .envs(vars.iter().copied())
            .args(args)
            .output()
            .expect("the clarion binary runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into(),
            String::from_utf8_lossy(&output.stderr).into(),
        )
    }

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
            // Fixtures are dated in the past; `retention.rs` sets periods of seconds.
            ("CLARION_RETAIN_UNCONFIRMED", "36500d"),
            ("CLARION_RETAIN_SIGNATURES", "36500d"),
            ("CLARION_RETAIN_LETTERS", "36500d"),
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

    /// The site's secret key (what signs form tokens and unsubscribe links).
    pub fn secret(&self) -> clarion::config::SecretKey {
        clarion::config::SecretKey::parse(&self.settings["CLARION_SECRET_KEY"]).unwrap()
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
        self.sign_in("", slug, fields).await
    }

    /// [`Self::sign`] from the page in the language of `prefix` ("", "/fr", "/km").
    pub async fn sign_in(
        &self,
        prefix: &str,
        slug: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let action = format!("{prefix}/petitions/{slug}/sign");
        let page = format!("{prefix}/petitions/{slug}");
        self.submit(&page, &action, fields).await
    }

    /// Sends the form posting to `action` on `page` as a browser would: its own hidden
    /// fields, then `fields`.
    pub async fn submit(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let hidden = self.hidden_fields(page, action).await;
        let mut pairs: Vec<(&str, &str)> = hidden
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        pairs.extend_from_slice(fields);
        self.post_form(action, &pairs).await
    }

    /// POSTs raw `bytes` as a urlencoded form (invalid UTF-8, for instance).
    pub async fn post_bytes(&self, path: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(bytes)
            .send()
            .await
            .expect("request reaches the server")
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
            // Under the server's 5 s keep-alive, so that a connection the server is
            // closing as idle is never sent a request (a slow suite met that race).
            .pool_idle_timeout(super::IDLE)
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

/// Runs futures concurrently on the test's runtime.
pub async fn futures_join_all<F: std::future::Future + 'static>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: 'static,
{
    let handles: Vec<_> = futures.into_iter().map(actix_web::rt::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.expect("task finished"));
    }
    out
}
