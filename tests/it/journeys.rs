//! Every main journey in a real browser, at a phone and a desktop viewport, typing and
//! waiting like a person (past the minimum fill time), with axe-core on each page and a
//! screenshot of each key page under `target/screenshots/`.

use std::time::Duration;

use fantoccini::Locator;

use crate::browser::{Browser, ARTICLE, VIEWPORTS};
use crate::helpers::TestApp;
use crate::smtp::{Mode, SmtpServer};

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

#[actix_web::test]
async fn staff_publish_a_petition_under_a_new_article_then_sign_it_and_download_its_csv() {
    for viewport in VIEWPORTS {
        let app = TestApp::builder()
            .set("CLARION_DEMO", "0")
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        crate::admin::add_staff(&app, "editor@example.org", "admin");
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        browser.open(&app.url("/admin/login")).await;
        browser.check_accessibility("the login form").await;
        browser
            .type_into("input[name=email]", "editor@example.org")
            .await;
        browser
            .type_into("input[name=password]", crate::admin::PASSWORD)
            .await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/admin").await;

        browser.open(&app.url("/admin/campaigns/new")).await;
        browser.check_accessibility("the campaign form").await;
        browser
            .type_into("input[name=title]", "Free them all")
            .await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/admin/campaigns").await;

        browser
            .open(&app.url("/admin/actions/new?kind=petition"))
            .await;
        browser.check_accessibility("the petition form").await;
        let choose = |css: &'static str, label: &'static str| {
            let browser = &browser;
            async move {
                browser
                    .field(css)
                    .await
                    .select_by_label(label)
                    .await
                    .unwrap_or_else(|e| panic!("{css} {label}: {e}"));
            }
        };
        choose("select[name=campaign_id]", "Free them all").await;
        browser
            .type_into("input[name=title]", "Release the prisoners")
            .await;
        browser
            .field("select[name=status]")
            .await
            .select_by_value("open")
            .await
            .unwrap();
        browser
            .type_into(
                "input[name=addressee]",
                "Members of the European Parliament",
            )
            .await;
        browser
            .type_into("textarea[name=body_md]", "We ask you to **act**.")
            .await;
        browser.type_into("input[name=goal]", "500").await;
        browser
            .type_into("textarea[name=consent_text]", "Keep me informed.")
            .await;
        browser.type_into("input[name=consent_version]", "1").await;
        browser.photograph("admin-petition-form").await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/admin/actions").await;

        browser.open(&app.url("/admin/articles/new")).await;
        browser.check_accessibility("the article form").await;
        choose("select[name=campaign_id]", "Free them all").await;
        browser
            .type_into("input[name=title]", "News from the court")
            .await;
        browser
            .type_into("textarea[name=body_md]", "## Why\n\nBecause it matters.")
            .await;
        browser
            .field("select[name=status]")
            .await
            .select_by_value("published")
            .await
            .unwrap();
        browser.type_into("fieldset input[type=number]", "1").await;
        browser.press("button[name=intent][value=save]").await;
        browser.arrive_at("/admin/articles").await;

        // The public page, as a supporter finds it, and a signature.
        browser
            .open(&app.url("/articles/news-from-the-court"))
            .await;
        browser.check_accessibility("the new article").await;
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
            .select_by_value("KH")
            .await
            .unwrap();
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;

        // The export, fetched from the staff page with the staff session.
        browser
            .open(&app.url("/admin/petitions/release-the-prisoners"))
            .await;
        browser
            .check_accessibility("the petition's staff page")
            .await;
        browser.photograph("admin-petition-page").await;
        let csv = browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/admin/petitions/release-the-prisoners/signatures.csv?status=all')
                   .then(r => r.text()).then(done);",
                vec![],
            )
            .await
            .expect("the CSV downloads");
        let csv = csv.as_str().expect("text");
        assert!(
            csv.starts_with("signature_id,first_name,last_name,email"),
            "{csv}"
        );
        assert!(csv.contains("Sophea,Chan,sophea@example.org,KH"), "{csv}");
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
async fn every_admin_only_page_passes_axe_at_both_sizes() {
    for viewport in VIEWPORTS {
        let app = TestApp::builder()
            .set("CLARION_HOLD_PER_ADDRESS", "1/1h")
            .spawn()
            .await;
        // Something to moderate: one pending, one held by the per-address rule.
        for email in ["first@example.org", "second@example.org"] {
            app.sign(
                "cambodia-political-prisoners-petition",
                &crate::petitions::supporter(email),
            )
            .await;
        }
        crate::admin::add_staff(&app, "admin@example.org", "admin");
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        browser.open(&app.url("/admin/login")).await;
        browser
            .type_into("input[name=email]", "admin@example.org")
            .await;
        browser
            .type_into("input[name=password]", crate::admin::PASSWORD)
            .await;
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/admin").await;
        for (name, path) in [
            ("admin-signatures", "/admin/petitions/cambodia-political-prisoners-petition/signatures"),
            ("admin-bulk-preview", "/admin/petitions/cambodia-political-prisoners-petition/bulk?decision=invalidate&status=held&reason=per_address"),
            ("admin-staff", "/admin/staff"),
            ("admin-access-rules", "/admin/access-rules"),
            ("admin-erase", "/admin/erase"),
            ("admin-audit", "/admin/audit"),
            ("admin-report", "/admin/petitions/cambodia-political-prisoners-petition/report?signatories=1"),
        ] {
            browser.open(&app.url(path)).await;
            browser.field("main h1").await;
            browser.check_accessibility(name).await;
            browser.photograph(name).await;
        }
        browser.stop().await;
    }
}
