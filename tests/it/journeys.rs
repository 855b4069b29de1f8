//! Every main journey in a real browser, at a phone and a desktop viewport, typing and
//! waiting like a person (past the minimum fill time), with axe-core on each page and a
//! screenshot of each key page under `target/screenshots/`.

use std::time::Duration;

use fantoccini::Locator;

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{TestApp, ARTICLE};

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
            .type_supporter("form.sign-form", "Sophea", "Chan", "sophea@example.org")
            .await;
        browser
            .choose_value("form.sign-form select[name=country]", "FR")
            .await;
        // A person takes longer than the minimum fill time.
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;
        browser.check_accessibility("check your email").await;
        browser.photograph("check-your-email").await;
        assert_eq!(
            browser.text_of("p.sent-to").await,
            "We sent the email to: sophea@example.org"
        );

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
            .open(&app.url(&format!("/act/{}", crate::helpers::contact::CONTACT)))
            .await;
        browser.check_accessibility("choosing a country").await;
        browser.photograph("contact-country").await;
        browser
            .choose_value("form.country-form select[name=country]", "FR")
            .await;
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
            .type_supporter("form.letter-form", "Sophea", "Chan", "sophea@example.org")
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

        // One email per chosen MEP after the confirmation email, and the writer's copy.
        let mails = smtp.wait_for(2 + ticked).await;
        let letters: Vec<_> = mails
            .iter()
            .skip(1)
            .filter(|m| !m.subject().starts_with("Your letter was sent"))
            .collect();
        assert_eq!(letters.len(), ticked, "on the {} screen", viewport.0);
        for letter in letters {
            assert_eq!(letter.subject(), "Please act on Cambodia now");
            assert!(letter.text().contains("I am writing as a constituent."));
        }
        browser.stop().await;
    }
}

#[actix_web::test]
async fn a_supporter_signs_with_the_keyboard_alone_and_always_sees_where_the_focus_is() {
    for viewport in VIEWPORTS {
        let app = TestApp::builder()
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        browser
            .open(&app.url("/petitions/cambodia-political-prisoners-petition"))
            .await;
        // The first Tab reaches the skip link, which appears when it has the focus.
        browser.tab_to("a.skip-link").await;
        browser.photograph("keyboard-skip-link").await;
        browser
            .tab_to("form.sign-form input[name=first_name]")
            .await;
        browser.keys("Sophea").await;
        browser.tab_to("form.sign-form input[name=last_name]").await;
        browser.keys("Chan").await;
        browser.tab_to("form.sign-form input[name=email]").await;
        browser.keys("sophea@example.org").await;
        browser.tab_to("form.sign-form select[name=country]").await;
        browser.keys("France").await;
        browser.photograph("keyboard-form").await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.tab_to("form.sign-form button[type=submit]").await;
        browser
            .keys(&char::from(fantoccini::key::Key::Enter).to_string())
            .await;
        browser.arrive_at("/check-your-email").await;
        browser.stop().await;
        let stored: Vec<(String, String)> = {
            use clarion::db::schema::signatures;
            use diesel::prelude::*;
            signatures::table
                .select((signatures::email, signatures::country_code))
                .load(&mut app.conn())
                .unwrap()
        };
        assert_eq!(
            stored,
            [("sophea@example.org".to_string(), "FR".to_string())]
        );
    }
}

#[actix_web::test]
async fn a_mistyped_address_is_questioned_a_second_signing_is_told_and_cambodia_gets_a_way_on() {
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
        browser.photograph("article-jump-line").await;
        browser
            .type_supporter("form.sign-form", "Sophea", "Chan", "sophea@gmial.com")
            .await;
        browser
            .choose_value("form.sign-form select[name=country]", "FR")
            .await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.see("Did you mean sophea@gmail.com?").await;
        browser
            .check_accessibility("the did-you-mean question")
            .await;
        browser.photograph("did-you-mean-top").await;
        browser.show(".suggestion").await;
        browser.photograph("did-you-mean").await;
        browser.press(".suggestion button").await;
        browser.arrive_at("/check-your-email").await;
        let mail = smtp.wait_for(1).await.remove(0);
        assert_eq!(mail.to, ["<sophea@gmail.com>"], "the suggested address");
        browser.open(&mail.link()).await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/thank-you").await;

        // Signing again: the same page as the first time, and an email says so.
        browser.open(&app.url(ARTICLE)).await;
        browser
            .type_supporter("form.sign-form", "Sophea", "Chan", "sophea@gmail.com")
            .await;
        browser
            .choose_value("form.sign-form select[name=country]", "FR")
            .await;
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;
        let told = smtp.wait_for(2).await.remove(1);
        assert!(told.subject().starts_with("You have already signed"));

        // Cambodia has no MEPs: why, and the petition instead.
        browser
            .open(&app.url("/act/write-to-your-meps-on-cambodia"))
            .await;
        browser.choose_value("select[name=country]", "KH").await;
        browser.press("form.country-form button[type=submit]").await;
        browser
            .see("If you live in the EU, choose the country where you live.")
            .await;
        browser.check_accessibility("no one to write to").await;
        browser.photograph("no-meps-for-cambodia").await;
        browser.stop().await;
    }
}
