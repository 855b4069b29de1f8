//! In a real browser: Debian's Chromium, headless, driven through chromedriver, at a
//! phone viewport and a desktop one, typing and waiting like a person. Every page visited
//! is checked with axe-core (no serious or critical violation) and photographed under
//! `target/screenshots/`. Without chromedriver these tests say so and skip, except under
//! `CI=true`, where `.ci/run` installs Chromium, chromedriver and axe-core first.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::{say, TestApp};
use crate::smtp::{Mode, SmtpServer};

const ARTICLE: &str = "/articles/european-parliament-resolution-on-cambodia";

/// The two screens every journey runs on.
const VIEWPORTS: [(&str, u32, u32); 2] = [("phone", 375, 812), ("desktop", 1280, 800)];

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .to_path_buf()
}

/// A headless Chromium session with its own chromedriver and a fresh profile.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    viewport: &'static str,
}

impl Browser {
    /// `None` (after saying why) when this machine has no chromedriver.
    async fn start(test: &str, viewport: (&'static str, u32, u32)) -> Option<Self> {
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
                format!("--user-data-dir={}", profile.path().display()),
                format!("--window-size={width},{height}"),
            ]
        });
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
                    let inner: Vec<u32> = serde_json::from_value(
                        client
                            .execute("return [window.innerWidth, window.innerHeight];", vec![])
                            .await
                            .expect("a script runs"),
                    )
                    .expect("two numbers");
                    let _ = client
                        .set_window_size(2 * width - inner[0], 2 * height - inner[1])
                        .await;
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

    async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
    }

    async fn field(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Types `text` into the field `css`, as a person would.
    async fn type_into(&self, css: &str, text: &str) {
        let field = self.field(css).await;
        field.clear().await.expect("the field clears");
        field.send_keys(text).await.expect("typing works");
    }

    async fn text_of(&self, css: &str) -> String {
        self.field(css).await.text().await.expect("text")
    }

    /// Presses the button `css` (a click, as a person would).
    async fn press(&self, css: &str) {
        self.field(css)
            .await
            .click()
            .await
            .expect("the button presses");
    }

    async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("a URL")
            .path()
            .to_string()
    }

    /// Waits (up to 10 s) until the page after a click has loaded: its path ends with
    /// `suffix`. A click returns before the navigation it starts has finished.
    async fn arrive_at(&self, suffix: &str) {
        for _ in 0..100 {
            if self.path().await.ends_with(suffix) && self.loaded().await {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never reached …{suffix}; at {}", self.path().await);
    }

    /// Waits (up to 10 s) until the loaded page's source holds `text`.
    async fn see(&self, text: &str) {
        for _ in 0..100 {
            if self.loaded().await && self.client.source().await.is_ok_and(|s| s.contains(text)) {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {text:?}");
    }

    async fn loaded(&self) -> bool {
        self.client
            .execute("return document.readyState;", vec![])
            .await
            .is_ok_and(|state| state == "complete")
    }

    /// Scrolls `css` to the top of the screen, as a reader would.
    async fn show(&self, css: &str) {
        let element = self.field(css).await;
        let arg = serde_json::to_value(&element).expect("an element reference");
        self.client
            .execute("arguments[0].scrollIntoView(true);", vec![arg])
            .await
            .expect("scrolling works");
    }

    /// A picture of what a supporter sees now, for a reviewer.
    async fn photograph(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = target_dir().join("screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}-{}.png", self.viewport)), png)
            .expect("the screenshot is written");
    }

    /// Runs axe-core on the page; fails on any serious or critical violation.
    async fn check_accessibility(&self, page: &str) {
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

    async fn stop(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The number in "N signatures" on the article's petition card.
fn count_in(text: &str) -> i64 {
    text.split_whitespace()
        .next()
        .and_then(|n| n.replace([',', '.', '\u{a0}', '\u{202f}'], "").parse().ok())
        .unwrap_or_else(|| panic!("no count in {text:?}"))
}

#[actix_web::test]
async fn a_supporter_signs_from_the_article_confirms_from_the_email_and_sees_the_count_rise() {
    for viewport in VIEWPORTS {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = TestApp::builder()
            .set("CLARION_SMTP_URL", &smtp.url())
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        browser.open(&app.url(ARTICLE)).await;
        browser.check_accessibility("the article").await;
        browser.photograph("article").await;
        let before = count_in(&browser.text_of(".cta-card p.count").await);
        browser.show(".cta-card").await;
        browser.photograph("article-petition-card").await;

        browser
            .type_into("form.sign-form input[name=first_name]", "Sophea")
            .await;
        browser
            .type_into("form.sign-form input[name=last_name]", "Chan")
            .await;
        browser
            .type_into("form.sign-form input[name=email]", "sophea@example.org")
            .await;
        browser
            .field("form.sign-form select[name=country]")
            .await
            .select_by_value("FR")
            .await
            .expect("France is a choice");
        // A person takes longer than the minimum fill time.
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;
        browser.check_accessibility("check your email").await;
        browser.photograph("check-your-email").await;

        let mail = smtp.wait_for(1).await.remove(0);
        browser.open(&mail.link()).await;
        browser.check_accessibility("the confirmation page").await;
        browser.photograph("confirm").await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/thank-you").await;
        browser.check_accessibility("thank you").await;
        browser.photograph("thank-you").await;

        browser.open(&app.url(ARTICLE)).await;
        let after = count_in(&browser.text_of(".cta-card p.count").await);
        assert_eq!(after, before + 1, "on the {} screen", viewport.0);
        browser.stop().await;
    }
}

#[actix_web::test]
async fn a_form_error_and_a_429_are_readable_and_keep_what_was_typed() {
    for viewport in VIEWPORTS {
        let app = TestApp::builder()
            .set("CLARION_RATE_SIGN", "1/1h")
            .spawn()
            .await;
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        // No name: the form comes back with the error beside the field and in a summary.
        browser.open(&app.url(ARTICLE)).await;
        browser
            .type_into("form.sign-form input[name=email]", "dara@example.org")
            .await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.see("Enter your first name").await;
        let kept = browser
            .field("input[name=email]")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some("dara@example.org"));
        browser.check_accessibility("a sign form with errors").await;
        browser.photograph("form-error").await;

        // The quota was one signing attempt: the next gets the 429 page with the form.
        browser.type_into("input[name=first_name]", "Dara").await;
        browser.type_into("input[name=last_name]", "Sok").await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.see("Please wait a moment").await;
        for (field, typed) in [
            ("first_name", "Dara"),
            ("last_name", "Sok"),
            ("email", "dara@example.org"),
        ] {
            let kept = browser
                .field(&format!("form.sign-form input[name={field}]"))
                .await
                .prop("value")
                .await
                .unwrap();
            assert_eq!(kept.as_deref(), Some(typed), "{field} kept on the 429 page");
        }
        browser.check_accessibility("the 429 page").await;
        browser.photograph("too-many-requests").await;
        browser.stop().await;
    }
}

#[actix_web::test]
async fn a_supporter_writes_to_meps_of_a_country_confirms_and_each_chosen_mep_gets_one_email() {
    for viewport in VIEWPORTS {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = TestApp::builder()
            .set("CLARION_SMTP_URL", &smtp.url())
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        browser
            .open(&app.url(&format!("/act/{}", crate::contact::CONTACT)))
            .await;
        browser.check_accessibility("choosing a country").await;
        browser.photograph("contact-country").await;
        browser
            .field("form.country-form select[name=country]")
            .await
            .select_by_value("FR")
            .await
            .expect("France is a choice");
        browser.press("form.country-form button[type=submit]").await;
        browser.see("letter-form").await;

        // The letter: the pre-ticked sample, an edited subject, a personal line, the sender.
        browser.field("form.letter-form").await;
        browser.check_accessibility("the letter").await;
        browser.photograph("contact-letter").await;
        let ticked = browser
            .client
            .find_all(Locator::Css("input[name=targets]:checked"))
            .await
            .unwrap()
            .len();
        assert!(ticked > 0, "a sample of MEPs is suggested");
        browser
            .type_into("input[name=subject]", "Please act on Cambodia now")
            .await;
        let body = browser.field("textarea[name=body]").await;
        body.send_keys("\nI am writing as a constituent.")
            .await
            .unwrap();
        browser
            .type_into("form.letter-form input[name=first_name]", "Sophea")
            .await;
        browser
            .type_into("form.letter-form input[name=last_name]", "Chan")
            .await;
        browser
            .type_into("form.letter-form input[name=email]", "sophea@example.org")
            .await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.letter-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;
        browser
            .check_accessibility("check your email (letter)")
            .await;
        browser.photograph("contact-check-your-email").await;

        let confirmation = smtp.wait_for(1).await.remove(0);
        browser.open(&confirmation.link()).await;
        browser.check_accessibility("confirming the letter").await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/thank-you").await;
        browser.photograph("contact-sent").await;

        // One email per chosen MEP, after the confirmation email.
        let mails = smtp.wait_for(1 + ticked).await;
        let letters: Vec<_> = mails.iter().skip(1).collect();
        assert_eq!(letters.len(), ticked, "on the {} screen", viewport.0);
        for letter in letters {
            assert_eq!(letter.subject(), "Please act on Cambodia now");
            assert!(letter.text().contains("I am writing as a constituent."));
        }
        browser.stop().await;
    }
}
