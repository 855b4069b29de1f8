//! A supporter's own data in a real browser, in Khmer, French and English, at a phone and a
//! desktop width: asking for the link, the page it opens, withdrawing a signature and
//! erasing everything, and the privacy page. axe-core on every page, screenshots under `target/screenshots/`.

use std::time::Duration;

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{json_count, supporter, TestApp, PETITION};

async fn journey(prefix: &str, lang: &str) {
    for viewport in VIEWPORTS {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = TestApp::builder()
            .set("CLARION_SMTP_URL", &smtp.url())
            .spawn()
            .await;
        let dara = supporter("dara@example.org");
        assert_eq!(app.sign_in(prefix, PETITION, &dara).await.status(), 303);
        let confirm = smtp.wait_for(1).await.remove(0).link();
        assert_eq!(
            app.client.post(&confirm).send().await.unwrap().status(),
            303
        );
        let Some(browser) = Browser::start("my data journeys", viewport).await else {
            return;
        };
        let name = |page: &str| format!("me-{lang}-{page}");
        browser.open(&app.url(&format!("{prefix}/me"))).await;
        browser.check_accessibility(&name("form")).await;
        browser.photograph(&name("form")).await;
        browser
            .type_into("input[name=email]", "dara@example.org")
            .await;
        browser.press("form.me-form button[type=submit]").await;
        browser.arrive_at("/me/check-your-email").await;
        browser.check_accessibility(&name("check-your-email")).await;

        let mail = smtp.wait_for(2).await.remove(1);
        let link = mail
            .text()
            .split_whitespace()
            .find(|w| w.contains("/me/"))
            .expect("the link")
            .to_string();
        browser.open(&link).await;
        browser.check_accessibility(&name("data")).await;
        browser.photograph(&name("data")).await;
        // The privacy page, from the data page's footer.
        browser.press("footer a[href$='/privacy']").await;
        browser.arrive_at("/privacy").await;
        browser.check_accessibility(&name("privacy")).await;
        browser.photograph(&name("privacy")).await;
        browser.open(&link).await;
        let before = json_count(&app).await["signature_count"].as_i64().unwrap();
        browser.press("form.me-withdraw button[type=submit]").await;
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        browser.check_accessibility(&name("withdrawn")).await;
        browser.photograph(&name("withdrawn")).await;
        crate::helpers::after_copies_expire().await;
        let after = json_count(&app).await["signature_count"].as_i64().unwrap();
        assert_eq!(after, before - 1, "{lang} on the {} screen", viewport.0);

        browser
            .press("form[action$='/erase'] button[type=submit]")
            .await;
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        browser.check_accessibility(&name("erase")).await;
        browser.photograph(&name("erase")).await;
        browser.press("main form button[type=submit]").await;
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        browser.check_accessibility(&name("erased")).await;
        browser.open(&link).await;
        browser.check_accessibility(&name("gone")).await;
        browser.photograph(&name("gone")).await;
        browser.stop().await;
    }
}

#[actix_web::test]
async fn a_supporter_asks_sees_withdraws_and_erases_in_a_browser_in_khmer() {
    journey("/km", "km").await;
}

#[actix_web::test]
async fn a_supporter_asks_sees_withdraws_and_erases_in_a_browser_in_french() {
    journey("/fr", "fr").await;
}

#[actix_web::test]
async fn a_supporter_asks_sees_withdraws_and_erases_in_a_browser_in_english() {
    journey("", "en").await;
}
