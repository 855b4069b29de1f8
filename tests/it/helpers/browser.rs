//! A real browser for the journey tests: Debian's Chromium, headless, driven through
//! chromedriver, at a phone viewport or a desktop one. Pages can be checked with axe-core
//! (no serious or critical violation) and photographed under `target/screenshots/`.
//! Without chromedriver a journey says so and skips, except under `CI=true`, where
//! `.ci/run` installs Chromium, chromedriver and axe-core first.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use super::say;

/// The two screens every journey runs on.
pub const VIEWPORTS: [(&str, u32, u32); 2] = [("phone", 375, 812), ("desktop", 1280, 800)];

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .to_path_buf()
}

/// Where pictures (and printouts) of what a supporter sees go, for a reviewer.
pub fn screenshots_dir() -> PathBuf {
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    dir
}

/// A Chrome DevTools command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools(serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// A headless Chromium session with its own chromedriver and a fresh profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    viewport: &'static str,
}

async fn inner_size(client: &Client) -> [u32; 2] {
    serde_json::from_value(
        client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .expect("a script runs"),
    )
    .expect("two numbers")
}

impl Browser {
    /// `None` (after saying why) when this machine has no chromedriver.
    pub async fn start(test: &str, viewport: (&'static str, u32, u32)) -> Option<Self> {
        let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(driver_path) = driver_path else {
            assert!(
                !under_ci(),
                "CI=true but chromedriver is missing: .ci/run installs chromium-driver"
            );
            say(&format!(
                "SKIPPED {test}: no chromedriver (apt-get install chromium chromium-driver)"
            ));
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile folder");
        let (name, width, height) = viewport;
        let mut options = serde_json::json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--hide-scrollbars",
                format!("--user-data-dir={}", profile.path().display()),
                format!("--window-size={},{height}", width.max(500)),
            ]
        });
        // Headless Chromium keeps a window at least 500 pixels wide, so a phone's screen
        // is emulated instead: its width, its touch, its narrow layout.
        if width < 500 {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true }
            });
        }
        if std::path::Path::new("/usr/bin/chromium").exists() {
            options["binary"] = "/usr/bin/chromium".into();
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    // The window size sets the outer frame; the page's viewport is what
                    // counts, so correct for the difference.
                    let inner = inner_size(&client).await;
                    if width >= 500 {
                        let _ = client
                            .set_window_size(2 * width - inner[0], 2 * height - inner[1])
                            .await;
                    }
                    // An emulated phone shows its size as the screen's until a page with a
                    // viewport tag loads; each photograph checks the page's own width.
                    let size = if width >= 500 {
                        "[innerWidth, innerHeight]"
                    } else {
                        "[screen.width, screen.height]"
                    };
                    let measured: [u32; 2] = serde_json::from_value(
                        client
                            .execute(&format!("return {size};"), vec![])
                            .await
                            .expect("a script runs"),
                    )
                    .expect("two numbers");
                    assert_eq!(measured, [width, height], "the {name} viewport");
                    return Some(Self {
                        client,
                        driver,
                        _profile: profile,
                        viewport: name,
                    });
                }
                Err(e) => {
                    last = Some(e);
                    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver did not answer: {last:?}");
    }

    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
    }

    pub async fn field(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Types `text` into the field `css`, as a person would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.field(css).await;
        field.clear().await.expect("the field clears");
        field.send_keys(text).await.expect("typing works");
    }

    /// Types a supporter's first name, last name and email into the public form `form`.
    pub async fn type_supporter(&self, form: &str, first: &str, last: &str, email: &str) {
        for (name, text) in [("first_name", first), ("last_name", last), ("email", email)] {
            self.type_into(&format!("{form} input[name={name}]"), text)
                .await;
        }
    }

    /// Chooses the option `value` of the select `css`.
    pub async fn choose_value(&self, css: &str, value: &str) {
        self.field(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{css} {value}: {e}"));
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.field(css).await.text().await.expect("text")
    }

    /// Types `keys` into whatever has the focus, as a keyboard would.
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .expect("something has the focus")
            .send_keys(keys)
            .await
            .expect("the keys are typed");
    }

    /// Moves the focus with Tab until the element matching `css` has it; checks that
    /// every element it passes shows that it has the focus.
    pub async fn tab_to(&self, css: &str) {
        for _ in 0..80 {
            self.keys(&char::from(fantoccini::key::Key::Tab).to_string())
                .await;
            let state = self
                .client
                .execute(
                    "const e = document.activeElement;
                     const s = getComputedStyle(e);
                     return [e.matches(arguments[0]),
                             s.outlineStyle !== 'none' || s.boxShadow !== 'none',
                             e.outerHTML.slice(0, 80)];",
                    vec![css.into()],
                )
                .await
                .expect("a script runs");
            assert_eq!(state[1], true, "no visible focus on {}", state[2]);
            if state[0] == true {
                return;
            }
        }
        panic!("Tab never reached {css}");
    }

    /// Presses the button `css` (a click, as a person would).
    pub async fn press(&self, css: &str) {
        self.field(css)
            .await
            .click()
            .await
            .expect("the button presses");
    }

    /// The path of the page in the current frame (WebDriver's URL is the top page's).
    pub async fn path(&self) -> String {
        let script = "return location.pathname;";
        match self.client.execute(script, vec![]).await {
            Ok(serde_json::Value::String(path)) => path,
            _ => self
                .client
                .current_url()
                .await
                .expect("a URL")
                .path()
                .to_string(),
        }
    }

    /// Waits (up to 10 s) until the page after a click has loaded: its path ends with
    /// `suffix`. A click returns before the navigation it starts has finished.
    pub async fn arrive_at(&self, suffix: &str) {
        for _ in 0..100 {
            if self.path().await.ends_with(suffix) && self.loaded().await {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never reached …{suffix}; at {}", self.path().await);
    }

    /// Waits (up to 10 s) until the loaded page's source holds `text`.
    pub async fn see(&self, text: &str) {
        for _ in 0..100 {
            if self.loaded().await && self.client.source().await.is_ok_and(|s| s.contains(text)) {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {text:?}");
    }

    pub async fn loaded(&self) -> bool {
        self.client
            .execute("return document.readyState;", vec![])
            .await
            .is_ok_and(|state| state == "complete")
    }

    /// Scrolls `css` to the top of the screen, as a reader would.
    pub async fn show(&self, css: &str) {
        let element = self.field(css).await;
        let arg = serde_json::to_value(&element).expect("an element reference");
        self.client
            .execute("arguments[0].scrollIntoView(true);", vec![arg])
            .await
            .expect("scrolling works");
    }

    /// A picture of what a supporter sees now, for a reviewer.
    pub async fn photograph(&self, name: &str) {
        // What a supporter sees fits the screen: nothing to scroll sideways, no zooming.
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .expect("a script runs");
        assert!(
            widths[0].as_u64() <= widths[1].as_u64(),
            "{name} on {} is wider than the screen: {widths}",
            self.viewport
        );
        // Fonts still loading would be photographed in their fallback (`font-display: swap`).
        self.client
            .execute("await document.fonts.ready; return true;", vec![])
            .await
            .expect("a script runs");
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(
            screenshots_dir().join(format!("{name}-{}.png", self.viewport)),
            png,
        )
        .expect("the screenshot is written");
    }

    /// Shows pages as on `media` ("print", "screen"), as Chromium's print preview would.
    pub async fn emulate_media(&self, media: &str) {
        self.client
            .issue_cmd(DevTools(serde_json::json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "media": media },
            })))
            .await
            .expect("Chromium emulates the media");
    }

    /// Runs axe-core on the page; fails on any serious or critical violation.
    pub async fn check_accessibility(&self, page: &str) {
        let axe = target_dir().join("axe/node_modules/axe-core/axe.min.js");
        let Ok(source) = std::fs::read_to_string(&axe) else {
            assert!(!under_ci(), "CI=true but {} is missing", axe.display());
            say(&format!(
                "SKIPPED axe on {page}: no axe-core (npm install --prefix target/axe axe-core)"
            ));
            return;
        };
        self.client
            .execute(&source, vec![])
            .await
            .expect("axe-core loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(
                   r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ' (' + v.impact + '): ' +
                          v.nodes.map(n => n.target.join(' ')).join(', '))));",
                vec![],
            )
            .await
            .expect("axe runs");
        let violations: Vec<String> = serde_json::from_value(found).expect("a list");
        assert!(
            violations.is_empty(),
            "{page} on {}: {violations:#?}",
            self.viewport
        );
    }

    pub async fn stop(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
