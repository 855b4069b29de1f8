//! Joining and leaving the newsletter in a real browser, in English, French and Khmer, at
//! a phone and a desktop width: axe-core on every page, a screenshot of each under
//! `target/screenshots/`.

use std::time::Duration;

use clarion::db::schema::subscribers;
use diesel::prelude::*;

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::TestApp;

async fn journey(prefix: &str, lang: &str, heading: &str) {
    for viewport in VIEWPORTS {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = TestApp::builder()
            .set("CLARION_SMTP_URL", &smtp.url())
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        let Some(browser) = Browser::start("newsletter journeys", viewport).await else {
            return;
        };
        let name = |page: &str| format!("newsletter-{lang}-{page}");
        browser
            .open(&app.url(&format!("{prefix}/newsletter")))
            .await;
        // WebDriver's visible text leaves out the zero-width spaces.
        assert_eq!(
            browser.text_of("main h2").await,
            heading.replace('\u{200b}', "")
        );
        browser.check_accessibility(&name("form")).await;
        browser.photograph(&name("form")).await;
        browser
            .type_into("input[name=email]", "reader@example.org")
            .await;
        browser.type_into("input[name=first_name]", "Sok").await;
        browser.choose_value("select[name=country]", "FR").await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser
            .press("form.newsletter-form button[type=submit]")
            .await;
        browser.arrive_at("/newsletter/check-your-email").await;
        browser.check_accessibility(&name("check-your-email")).await;
        browser.photograph(&name("check-your-email")).await;

        let mail = smtp.wait_for(1).await.remove(0);
        browser.open(&mail.link()).await;
        browser.check_accessibility(&name("confirm")).await;
        browser.photograph(&name("confirm")).await;
        browser.press("main form button[type=submit]").await;
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        browser.check_accessibility(&name("subscribed")).await;
        browser.photograph(&name("subscribed")).await;
        let status: String = subscribers::table
            .select(subscribers::status)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(status, "subscribed", "{lang} on the {} screen", viewport.0);

        let id: String = subscribers::table
            .select(subscribers::id)
            .first(&mut app.conn())
            .unwrap();
        let token = clarion::domain::unsubscribe::token(app.secret().as_bytes(), &id, None);
        browser
            .open(&app.url(&format!("{prefix}/newsletter/unsubscribe/{token}")))
            .await;
        browser.check_accessibility(&name("unsubscribe")).await;
        browser.photograph(&name("unsubscribe")).await;
        browser.press("main form button[type=submit]").await;
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        browser.check_accessibility(&name("unsubscribed")).await;
        browser.photograph(&name("unsubscribed")).await;
        let status: String = subscribers::table
            .select(subscribers::status)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(status, "unsubscribed");
        browser.stop().await;
    }
}

#[actix_web::test]
async fn a_reader_joins_confirms_and_leaves_in_english() {
    journey("", "en", "Get the newsletter").await;
}

#[actix_web::test]
async fn a_reader_joins_confirms_and_leaves_in_french() {
    journey("/fr", "fr", "Recevoir la lettre d'information").await;
}

#[actix_web::test]
async fn a_reader_joins_confirms_and_leaves_in_khmer() {
    journey("/km", "km", "ទទួល\u{200b}ព្រឹត្តិបត្រ\u{200b}ព័ត៌មាន").await;
}
