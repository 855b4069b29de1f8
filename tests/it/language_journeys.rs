//! The Khmer and French journeys in a real browser at a phone and a desktop width, on a
//! machine with no Khmer font installed (CI's): the page's own font must draw the Khmer.
//! axe-core on each page, and a screenshot of each under `target/screenshots/`.

use std::time::Duration;

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{TestApp, ARTICLE};

/// The first number in a count line, whatever the words around it ("ហត្ថលេខា 1 នៃ…",
/// "1 signature of a 10,000 goal"), its thousands separators dropped.
fn number_in(text: &str) -> i64 {
    let start = text.find(|c: char| c.is_ascii_digit()).expect("a number");
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '\u{202f}'))
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no count in {text:?}"))
}

#[actix_web::test]
async fn a_khmer_speaker_reads_signs_confirms_and_sees_the_count_move_all_in_khmer() {
    for viewport in VIEWPORTS {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = TestApp::builder()
            .set("CLARION_SMTP_URL", &smtp.url())
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        let Some(browser) = Browser::start("language journeys", viewport).await else {
            return;
        };
        browser.open(&app.url(&format!("/km{ARTICLE}"))).await;
        browser.check_accessibility("the Khmer article").await;
        browser.photograph("km-article").await;
        // The page's own font draws the Khmer (CI's machine has none installed).
        let fonts = browser
            .client
            .execute(
                "await document.fonts.ready; \
                 return document.fonts.check('16px \"Clarion Khmer\"', 'ខ្មែរ');",
                vec![],
            )
            .await
            .expect("the script runs");
        assert_eq!(fonts, serde_json::json!(true), "the Khmer font loaded");
        let before = number_in(&browser.text_of(".cta-card p.count").await);
        browser.see("ចុះ\u{200b}ហត្ថលេខា\u{200b}លើ\u{200b}ញត្តិ").await;
        browser.show(".cta-card").await;
        browser.photograph("km-article-petition-card").await;

        browser
            .type_supporter("form.sign-form", "សុខា", "ចាន់", "sokha@example.org")
            .await;
        browser
            .choose_value("form.sign-form select[name=country]", "FR")
            .await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;
        assert!(browser.path().await.starts_with("/km/"));
        browser
            .check_accessibility("the Khmer check-your-email page")
            .await;
        browser.photograph("km-check-your-email").await;

        let mail = smtp.wait_for(1).await.remove(0);
        assert!(
            mail.subject().starts_with("សូម\u{200b}បញ្ជាក់"),
            "{}",
            mail.subject()
        );
        browser.open(&mail.link()).await;
        browser
            .check_accessibility("the Khmer confirmation page")
            .await;
        browser.photograph("km-confirm").await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/thank-you").await;
        browser.photograph("km-thank-you").await;

        browser.open(&app.url(&format!("/km{ARTICLE}"))).await;
        let after = number_in(&browser.text_of(".cta-card p.count").await);
        assert_eq!(after, before + 1, "on the {} screen", viewport.0);
        browser.stop().await;
    }
}

#[actix_web::test]
async fn a_french_speaker_makes_a_mistake_and_reads_it_in_french() {
    for viewport in VIEWPORTS {
        let app = TestApp::builder()
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        let Some(browser) = Browser::start("language journeys", viewport).await else {
            return;
        };
        browser
            .open(&app.url("/fr/petitions/cambodia-political-prisoners-petition"))
            .await;
        browser.check_accessibility("the French petition").await;
        browser.photograph("fr-petition").await;
        browser
            .type_into("form.sign-form input[name=first_name]", "Sophie")
            .await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.see("Il y a un problème").await;
        browser.see("Indiquez votre adresse e-mail").await;
        browser.check_accessibility("the French error page").await;
        browser.photograph("fr-sign-error").await;
        // The switcher is a list of links a keyboard reaches, the current one marked.
        browser.tab_to("nav.languages a[lang=km]").await;
        let current = browser.text_of("nav.languages a[aria-current=true]").await;
        assert_eq!(current, "Français");
        // Its underline runs below the Khmer word's subscripts, not through them.
        let underline = browser
            .client
            .execute(
                "return getComputedStyle(document.querySelector('nav.languages a[lang=km]')).textUnderlinePosition;",
                vec![],
            )
            .await
            .expect("the script runs");
        assert_eq!(underline, serde_json::json!("under"));
        browser.stop().await;
    }
}
