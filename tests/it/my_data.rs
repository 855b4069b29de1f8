//! A supporter sees and takes their own data: `/me` emails a link to whoever types an
//! address (the same answer whatever is stored); the link shows every signature, letter
//! and subscription in the page's language and downloads them as JSON; a forged,
//! expired, replaced or erased link answers 410 and shows nothing.

use clarion::db::schema::data_links;
use diesel::prelude::*;

use crate::helpers::content::{add_article, add_campaign, add_petition};
use crate::helpers::newsletter::path_of;
use crate::helpers::smtp::{Mail, Mode, SmtpServer};
use crate::helpers::{app_with_smtp, html, supporter, texts, TestApp, PETITION};

const SOKHA: &str = "sokha@example.org";

/// Asks for the link from the form on `page` (e.g. "/km/me") for `email`.
async fn ask(app: &TestApp, page: &str, email: &str) -> reqwest::Response {
    app.submit(page, page, &[("email", email)]).await
}

/// The `/me/…` link in the data email `mail`.
fn data_link(mail: &Mail) -> String {
    let text = mail.text();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/me/"))
        .expect("a link to the data page");
    path_of(link)
}

/// Signs two petitions and writes a letter as Sokha; answers the emails so far.
async fn sokha_acts(app: &TestApp, smtp: &SmtpServer) -> usize {
    let campaign = add_campaign(app, "second", "Second campaign", "live");
    let article = add_article(
        app,
        &campaign,
        "second",
        ("Second", "Text."),
        clarion::db::now(),
    );
    add_petition(app, &campaign, &article, "second-petition", "open");
    assert_eq!(
        app.sign_in("/km", PETITION, &supporter(SOKHA))
            .await
            .status(),
        303
    );
    assert_eq!(
        app.sign("second-petition", &supporter(SOKHA))
            .await
            .status(),
        303
    );
    let (_, targets, _) = crate::helpers::contact::letter_form(app, "FR").await;
    let sent = crate::helpers::contact::send(app, "FR", &targets[..1], &[("email", SOKHA)]).await;
    assert_eq!(sent.status(), 303);
    smtp.wait_for(3).await.len()
}

#[actix_web::test]
async fn a_supporter_asks_in_khmer_sees_everything_and_downloads_it() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let before = sokha_acts(&app, &smtp).await;

    // Nothing stored for this address: the same answer, and no email.
    let unknown = ask(&app, "/km/me", "nobody@example.org").await;
    assert_eq!(unknown.status(), 303);
    let answered = ask(&app, "/km/me", SOKHA).await;
    assert_eq!(answered.status(), 303);
    assert_eq!(
        unknown.headers()["location"],
        answered.headers()["location"]
    );
    let mail = smtp.wait_for(before + 1).await.remove(before);
    assert_eq!(mail.to, [format!("<{SOKHA}>")]);
    assert!(mail.subject().starts_with("ទិន្នន័យ"), "{}", mail.subject());
    let link = data_link(&mail);
    assert!(link.starts_with("/km/me/"), "{link}");

    let page = app.get(&link).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let page = html(&page.text().await.unwrap());
    let headings = texts(&page, "h2");
    assert_eq!(
        headings[0].replace('\u{200b}', ""),
        "ហត្ថលេខារបស់អ្នក",
        "{headings:?}"
    );
    assert_eq!(texts(&page, "ul.me-list li.me-item").len(), 3);
    // The petitions' titles as translated for the page's language.
    let titles = texts(&page, "li.me-item h3");
    assert!(titles.iter().any(|t| t.starts_with("ធ្វើ")), "{titles:?}");
    let shown = texts(&page, "main").join(" ");
    assert!(
        shown.contains("Please act on Cambodia"),
        "the letter's subject"
    );
    assert!(shown.contains(SOKHA));

    let download = app.get(&format!("{link}/data.json")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["cache-control"], "no-store");
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let json: serde_json::Value = download.json().await.unwrap();
    assert_eq!(json["format"], "clarion-supporter-data/1");
    assert_eq!(json["signatures"].as_array().unwrap().len(), 2);
    assert_eq!(json["letters"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["letters"][0]["recipients"].as_array().unwrap().len(),
        1
    );
    assert_eq!(json["newsletter"], serde_json::Value::Null);
    let first = &json["signatures"][1];
    assert_eq!(first["petition_slug"], PETITION);
    assert_eq!(first["language"], "km");
    assert!(first["consent_text"].as_str().unwrap().len() > 10);
    assert_eq!(first["address_hash"].as_str().unwrap().len(), 64);

    // Each step is in the audit log, done by the supporter, without the address.
    use clarion::db::schema::audit_events;
    let logged: Vec<(String, Option<String>, String)> = audit_events::table
        .filter(audit_events::event.like("supporter.%"))
        .select((
            audit_events::event,
            audit_events::staff_user_id,
            audit_events::detail,
        ))
        .load(&mut app.conn())
        .unwrap();
    let events: Vec<&str> = logged.iter().map(|(e, _, _)| e.as_str()).collect();
    assert_eq!(
        events,
        ["supporter.data_link_sent", "supporter.data_downloaded"]
    );
    assert!(logged
        .iter()
        .all(|(_, staff, detail)| staff.is_none() && !detail.contains('@')));
}

#[actix_web::test]
async fn forged_expired_replaced_and_erased_links_answer_410_and_show_nothing() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let before = sokha_acts(&app, &smtp).await;
    let gone = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 410);
        let body = response.text().await.unwrap();
        assert!(!body.contains(SOKHA), "nothing shown");
        assert!(body.contains("action=\"/me\""), "a way to a new link");
    };
    gone(app.get("/me/not-a-token").await).await;
    gone(app.get("/me/not-a-token/data.json").await).await;

    assert_eq!(ask(&app, "/me", SOKHA).await.status(), 303);
    let first = data_link(&smtp.wait_for(before + 1).await[before]);
    assert_eq!(app.get(&first).await.status(), 200);
    // A newer link replaces it; the newer one works.
    assert_eq!(ask(&app, "/me", "Sokha@Example.org").await.status(), 303);
    let second = data_link(&smtp.wait_for(before + 2).await[before + 1]);
    gone(app.get(&first).await).await;
    assert_eq!(app.get(&second).await.status(), 200);
    // After 24 hours it stops working.
    diesel::update(data_links::table)
        .set(data_links::created_at.eq(clarion::db::now() - chrono::TimeDelta::hours(25)))
        .execute(&mut app.conn())
        .unwrap();
    gone(app.get(&second).await).await;
    // A third email in a day, then no more: the form cannot flood an address.
    assert_eq!(ask(&app, "/me", SOKHA).await.status(), 303);
    let third = data_link(&smtp.wait_for(before + 3).await[before + 2]);
    assert_eq!(ask(&app, "/me", SOKHA).await.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(smtp.mails().len(), before + 3, "at most 3 a day");
    // Erased, the link is gone with the rest.
    clarion::db::erasure::erase(&mut app.conn(), SOKHA).unwrap();
    gone(app.get(&third).await).await;
    gone(app.get(&format!("{third}/data.json")).await).await;
}

#[actix_web::test]
async fn hostile_requests_for_a_link_get_a_message_and_change_nothing() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let long = format!("{}@example.org", "a".repeat(300));
    for bad in ["", "not an address", "<script>@x", long.as_str()] {
        let answer = ask(&app, "/me", bad).await;
        assert_eq!(answer.status(), 422, "{bad}");
        let page = html(&answer.text().await.unwrap());
        assert_eq!(texts(&page, "#me-email-error").len(), 1, "{bad}");
    }
    let bytes = app.post_bytes("/me", vec![0xff, 0xfe, b'=']).await;
    assert_eq!(bytes.status(), 400);
    let no_token = app.post_form("/me", &[("email", SOKHA)]).await;
    assert_eq!(no_token.status(), 403);
    let count: i64 = data_links::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(count, 0);
    assert!(smtp.mails().is_empty());

    // Limited like signing.
    let limited = TestApp::builder()
        .set("CLARION_RATE_SIGN", "2/1m")
        .spawn()
        .await;
    for _ in 0..2 {
        assert_eq!(ask(&limited, "/me", SOKHA).await.status(), 303);
    }
    let over = ask(&limited, "/me", SOKHA).await;
    assert_eq!(over.status(), 429);
    assert!(over.headers().contains_key("retry-after"));
}

#[actix_web::test]
async fn every_email_to_a_supporter_carries_a_link_to_their_data() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let before = sokha_acts(&app, &smtp).await;
    let mails = smtp.mails();
    // The Khmer signature's confirmation and the letter's: each links to the data page.
    for mail in &mails[..before] {
        let link = data_link(mail);
        let page = app.get(&link).await;
        assert_eq!(page.status(), 200, "{link}");
        assert!(page.text().await.unwrap().contains(SOKHA));
    }
    let signed_in_khmer = mails[..before]
        .iter()
        .find(|m| data_link(m).starts_with("/km/me/"))
        .expect("the Khmer page's confirmation links to the Khmer data page");
    let khmer = data_link(signed_in_khmer);
    // The same link in the HTML part, where a mail program shows a link.
    let html = signed_in_khmer.html();
    assert!(html.contains(&format!("{}\"", app.url(&khmer))), "{html}");
    // The writer's copy of the letter, stored whole when it leaves, links there too.
    let letter = mails[..before]
        .iter()
        .find(|m| m.link().contains("/messages/confirm/"))
        .expect("the letter's confirmation")
        .link();
    assert_eq!(app.client.post(&letter).send().await.unwrap().status(), 303);
    let sent = smtp.wait_for(before + 2).await;
    let copy = sent[before..]
        .iter()
        .find(|m| m.subject().starts_with("Your letter was sent"))
        .expect("the writer's copy");
    let link = data_link(copy);
    assert!(!copy.text().contains("[[data-link"), "{}", copy.text());
    let page = app.get(&link).await;
    assert_eq!(page.status(), 200, "{link}");
    assert!(page.text().await.unwrap().contains(SOKHA));
    let before = before + 2;

    // Tampered with: gone. A link asked for at /me since replaces it.
    let forged = format!("{khmer}A");
    assert_eq!(app.get(&forged).await.status(), 410);
    assert_eq!(ask(&app, "/me", SOKHA).await.status(), 303);
    let asked = smtp.wait_for(before + 1).await.remove(before);
    assert_eq!(asked.text().matches("/me/").count(), 1, "one link, not two");
    assert_eq!(app.get(&khmer).await.status(), 410);
    assert_eq!(app.get(&data_link(&asked)).await.status(), 200);
}
