//! Staff journeys in a real browser, at a phone and a desktop viewport: creating and
//! publishing a petition, and every admin-only page checked with axe-core.

use std::time::Duration;

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::{log_in, TestApp};

#[actix_web::test]
async fn staff_publish_a_petition_under_a_new_article_then_sign_it_and_download_its_csv() {
    for viewport in VIEWPORTS {
        let app = TestApp::builder()
            .set("CLARION_DEMO", "0")
            .set("CLARION_MIN_FILL_SECS", "1")
            .spawn()
            .await;
        crate::helpers::add_staff(&app, "editor@example.org", "admin");
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        log_in(&app, &browser, "editor@example.org", true).await;

        browser.open(&app.url("/admin/campaigns/new")).await;
        browser.check_accessibility("the campaign form").await;
        browser
            .type_into("input[name=title]", "Free them all")
            .await;
        // A new campaign is a draft; this one goes live at once.
        browser.choose_value("select[name=status]", "live").await;
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
        browser.choose_value("select[name=status]", "open").await;
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
            .choose_value("select[name=status]", "published")
            .await;
        browser.type_into("fieldset input[type=number]", "1").await;
        browser.press("button[name=intent][value=save]").await;
        browser.arrive_at("/admin/articles").await;

        // The public page, as a supporter finds it, and a signature.
        browser
            .open(&app.url("/articles/news-from-the-court"))
            .await;
        browser.check_accessibility("the new article").await;
        browser
            .type_supporter("form.sign-form", "Sophea", "Chan", "sophea@example.org")
            .await;
        browser
            .choose_value("form.sign-form select[name=country]", "KH")
            .await;
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
                &crate::helpers::supporter(email),
            )
            .await;
        }
        crate::helpers::add_staff(&app, "admin@example.org", "admin");
        // A partner with a token and an endpoint whose deliveries fail (no such host).
        crate::partners::add_partner(&app, "union", "https://union.example.org");
        crate::osdi::api_token(&app, "union", &["read:signatures"]);
        let hook = "https://hooks.invalid/clarion";
        crate::helpers::webhooks::add_webhook(&app, "union", hook, &["signature.confirmed"]);
        {
            use clarion::db::schema::webhook_endpoints;
            use diesel::prelude::*;
            let mut conn = app.conn();
            let endpoint: String = webhook_endpoints::table
                .select(webhook_endpoints::id)
                .first(&mut conn)
                .unwrap();
            let event = ("webhook.test", "");
            clarion::db::webhooks::queue::insert(
                &mut conn,
                &endpoint,
                event,
                "{}",
                clarion::db::now(),
            )
            .unwrap();
        }
        let Some(browser) = Browser::start("browser journeys", viewport).await else {
            return;
        };
        log_in(&app, &browser, "admin@example.org", false).await;
        for (name, path) in [
            ("admin-signatures", "/admin/petitions/cambodia-political-prisoners-petition/signatures"),
            ("admin-bulk-preview", "/admin/petitions/cambodia-political-prisoners-petition/bulk?decision=invalidate&status=held&reason=per_address"),
            ("admin-staff", "/admin/staff"),
            ("admin-access-rules", "/admin/access-rules"),
            ("admin-erase", "/admin/erase"),
            ("admin-retention", "/admin/retention"),
            ("admin-partners", "/admin/partners"),
            ("admin-partner", "/admin/partners/union"),
            ("admin-audit", "/admin/audit"),
            ("admin-report", "/admin/petitions/cambodia-political-prisoners-petition/report?signatories=1"),
        ] {
            browser.open(&app.url(path)).await;
            browser.field("main h1").await;
            browser.check_accessibility(name).await;
            browser.photograph(name).await;
        }
        invalidate_and_undo(&app, &browser).await;
        browser.stop().await;
    }
}

/// From the signature list: invalidate one, asked for a reason first, then undo it.
async fn invalidate_and_undo(app: &TestApp, browser: &Browser) {
    browser
        .open(&app.url("/admin/petitions/cambodia-political-prisoners-petition/signatures"))
        .await;
    browser
        .press("td:last-child a[href*='decision=invalidate']")
        .await;
    browser.see("Invalidate this signature?").await;
    browser.press("main form button[type=submit]").await;
    browser.see("Enter a reason").await;
    browser
        .check_accessibility("admin-decide-one-refused")
        .await;
    browser.photograph("admin-decide-one-refused").await;
    browser
        .type_into("#decision_reason", "Test entry by the campaign team")
        .await;
    browser.press("main form button[type=submit]").await;
    browser.see("Recent decisions").await;
    browser.show("#decisions").await;
    browser.check_accessibility("admin-decisions").await;
    browser.photograph("admin-decisions").await;
    browser.press("form[action$='/undo'] button").await;
    browser.see("Undone: 1 of 1 signatures turned back.").await;
    browser.photograph("admin-decision-undone").await;
}
