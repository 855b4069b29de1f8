//! A partner's page on another origin (loopback, another port and host name) embeds the
//! French sign form with one script tag, in Chromium at a phone and a desktop width; a
//! supporter signs inside the iframe and confirms, and the signature records the
//! partner; the same page on an origin the partner did not register cannot frame it.

use std::time::Duration;

use clarion::db::schema::signatures;
use diesel::prelude::*;
use fantoccini::Locator;

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{TestApp, PETITION};

/// Serves `page` at `/` on a port of its own; answers the port.
fn partner_site(page: String) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = actix_web::HttpServer::new(move || {
        let page = page.clone();
        actix_web::App::new().route(
            "/",
            actix_web::web::get().to(move || {
                let page = page.clone();
                async move {
                    actix_web::HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(page)
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    port
}

/// The signature made in the frame: the CSV names the partner, and the partner's CRM
/// pulls it by `modified_date` while another partner's token does not see it.
async fn the_csv_and_the_crm_see_it(app: &TestApp) {
    let args = ["export-signatures", "--petition", PETITION];
    let (ok, out, err) = app.cli(&args, &[]);
    assert!(ok, "{err}");
    let mut csv = csv::Reader::from_reader(out.as_bytes());
    let header = csv.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("partner"));
    let email = header.iter().position(|h| h == "email").unwrap();
    let row = csv
        .records()
        .map(Result::unwrap)
        .find(|r| &r[email] == "sophea@example.org")
        .expect("the signature is in the CSV");
    assert_eq!(row.iter().next_back(), Some("union"));

    crate::partners::add_partner(app, "students", "https://students.example.org");
    let union = crate::osdi::api_token(app, "union", &["read:signatures"]);
    let students = crate::osdi::api_token(app, "students", &["read:signatures"]);
    let filter = "modified_date gt '2026-01-01'";
    let path = format!(
        "/api/osdi/v1/petitions/{PETITION}/signatures?filter={}",
        url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>()
    );
    let pull = |token: String| {
        let path = path.clone();
        async move {
            let page: serde_json::Value = app
                .client
                .get(app.url(&path))
                .header("OSDI-API-Token", token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            page["_embedded"]["osdi:signatures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["person"]["email_addresses"][0]["address"].to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(pull(union).await, ["\"sophea@example.org\""]);
    assert!(
        pull(students).await.is_empty(),
        "another partner's token sees nothing"
    );
}

fn register(app: &TestApp, origin: &str) {
    let args = ["partner", "add", "--key", "union", "--name", "Khmer Union"];
    let args: Vec<&str> = args.into_iter().chain(["--origin", origin]).collect();
    let (ok, out, err) = app.cli(&args, &[("CLARION_WEBHOOK_ALLOW_PRIVATE", "1")]);
    assert!(ok, "{out} {err}");
}

#[actix_web::test]
async fn a_partners_page_embeds_the_french_form_and_a_supporter_signs_inside_it() {
    for (n, viewport) in VIEWPORTS.into_iter().enumerate() {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = TestApp::builder()
            .set("CLARION_SMTP_URL", &smtp.url())
            .spawn()
            .await;
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><title>Khmer Union</title></head>\
             <body><main><h1>Khmer Union</h1><p>Sign with us:</p>\
             <script src=\"{}/embed.js\" data-petition=\"{PETITION}\" data-partner=\"union\" \
             data-lang=\"fr\" data-title=\"Pétition\" async></script></main></body></html>",
            app.url("")
        );
        let port = partner_site(page);
        register(&app, &format!("http://localhost:{port}"));
        let Some(browser) = Browser::start("partner journeys", viewport).await else {
            return;
        };
        browser.open(&format!("http://localhost:{port}/")).await;
        let frame = browser.field("iframe").await;
        frame.enter_frame().await.expect("into the iframe");
        browser
            .type_supporter("form.sign-form", "Sophea", "Chan", "sophea@example.org")
            .await;
        browser.choose_value("select[name=country]", "FR").await;
        // Sharing with the partner is a choice of its own, never made for them.
        browser.press("#consent_partner").await;
        browser.check_accessibility("embed-fr").await;
        browser.photograph("embed-fr-form").await;
        browser.press("form.sign-form button[type=submit]").await;
        browser.arrive_at("/check-your-email").await;
        assert!(browser.path().await.starts_with("/fr/embed/"));
        browser.check_accessibility("embed-fr-check-email").await;
        // The iframe took the height its page asked for.
        browser.client.enter_parent_frame().await.unwrap();
        let height = browser
            .client
            .execute(
                "return document.querySelector('iframe').style.height;",
                vec![],
            )
            .await
            .unwrap();
        assert_ne!(height, "640px", "resized by the frame's message");
        // Sized to the short answer, and in view.
        let top = browser
            .client
            .execute(
                "return document.querySelector('iframe').getBoundingClientRect().top;",
                vec![],
            )
            .await
            .unwrap();
        assert!(top.as_f64().unwrap() >= 0.0, "the answer is in view: {top}");
        let px: f64 = height
            .as_str()
            .unwrap()
            .trim_end_matches("px")
            .parse()
            .unwrap();
        assert!(
            px < 1200.0,
            "the frame shrank to its short answer: {height}"
        );
        browser.photograph("embed-fr-sent").await;

        let link = smtp.wait_for(1).await.remove(0).link();
        assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
        let stored: Vec<(String, Option<String>)> = signatures::table
            .filter(signatures::email.eq("sophea@example.org"))
            .select((signatures::status, signatures::partner_id))
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].0, "confirmed");
        assert!(stored[0].1.is_some(), "the partner it came through");
        if n == 0 {
            the_csv_and_the_crm_see_it(&app).await;
        }

        // The same page served from an origin the partner did not register.
        if n == 0 {
            browser.open(&format!("http://127.0.0.1:{port}/")).await;
            let frame = browser.field("iframe").await;
            actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
            frame.enter_frame().await.expect("into the iframe");
            let form = browser.client.find(Locator::Css("form.sign-form")).await;
            assert!(
                form.is_err(),
                "an unregistered origin cannot frame the form"
            );
        }
        browser.stop().await;
    }
}
