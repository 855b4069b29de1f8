//! Signing a petition end to end: the form, the email, the confirmation, the counts.

use clarion::db::schema::{actions, signatures};
use diesel::prelude::*;

use crate::helpers::admin::edit_form;
use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::smtp::Mode;
use crate::helpers::{
    add_staff, app_with_smtp, attrs, confirmation_emails, html, json_count, location_path,
    logged_in, stored_rows, supporter, texts, TestApp, ARTICLE, PETITION,
};

/// Path and query of an absolute link from an email.
fn path_of(link: &str) -> String {
    let url = reqwest::Url::parse(link).unwrap();
    url.path().to_string()
}

#[actix_web::test]
async fn a_supporter_signs_from_the_article_confirms_by_email_and_sees_the_count_rise() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let action = format!("/petitions/{PETITION}/sign");
    let hidden = app.hidden_fields(ARTICLE, &action).await;
    assert!(hidden
        .iter()
        .any(|(n, v)| n == "source" && ARTICLE.ends_with(v.as_str())));
    let mut pairs: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    pairs.extend(supporter("sok.dara@example.org"));
    let response = app.post_form(&action, &pairs).await;
    assert_eq!(response.status().as_u16(), 303);
    let inbox_page = response.headers()["location"].to_str().unwrap().to_string();
    assert!(app
        .get_text(&inbox_page, 200)
        .await
        .contains("Check your email"));

    let mail = smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.to, ["<sok.dara@example.org>"]);
    assert!(mail.subject().contains("Please confirm your signature"));
    let link = mail.link();
    assert!(link.starts_with(&app.address), "{link}");
    assert!(
        mail.html().contains(&link),
        "the HTML part carries the same link"
    );

    // Opening the link (as a mail scanner would) shows one button and confirms nothing.
    let confirm_page = html(&app.get_text(&path_of(&link), 200).await);
    assert_eq!(
        texts(&confirm_page, "main form button"),
        ["Confirm my signature"]
    );
    assert_eq!(json_count(&app).await["signature_count"], 0);

    let response = app.client.post(&link).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let thanks = response.headers()["location"].to_str().unwrap().to_string();
    let thanks_page = app.get_text(&thanks, 200).await;
    assert!(
        thanks_page.contains("Thank you for signing")
            && thanks_page.contains("1 signature of a 10,000 goal")
    );

    assert!(app
        .get_text(ARTICLE, 200)
        .await
        .contains("1 signature of a 10,000 goal"));
    let count = json_count(&app).await;
    assert_eq!(count["signature_count"], 1);
    assert_eq!(count["by_country"], serde_json::json!({"KH": 1}));
    // Counted, but not named: they did not tick "show my first name".
    let petition = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    assert!(texts(&petition, ".signers li").is_empty());
    assert_eq!(
        texts(&petition, "#signers-heading ~ p"),
        ["Only people who chose to be named are listed here."]
    );
    let (source, consent): (Option<String>, bool) = signatures::table
        .select((signatures::source_article_id, signatures::consent_updates))
        .first(&mut app.conn())
        .unwrap();
    assert!(
        source.is_some() && consent,
        "the source article and consent are recorded"
    );
}

#[actix_web::test]
async fn confirming_twice_is_harmless() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    app.sign(PETITION, &supporter("twice@example.org")).await;
    let link = smtp.wait_for(1).await[0].link();
    for _ in 0..3 {
        let response = app.client.post(&link).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 303);
    }
    assert_eq!(json_count(&app).await["signature_count"], 1);
    // After confirmation the link leads to the thank-you page.
    assert_eq!(app.get(&path_of(&link)).await.status().as_u16(), 303);
}

#[actix_web::test]
async fn unknown_and_expired_links_say_so_and_offer_to_sign_again() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let unknown = app
        .get_text("/signatures/confirm/not-a-real-token", 404)
        .await;
    assert!(unknown.contains("This link is not valid"));
    assert_eq!(
        app.client
            .post(app.url("/signatures/confirm/nope"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );

    app.sign(PETITION, &supporter("late@example.org")).await;
    let link = smtp.wait_for(1).await[0].link();
    let long_ago = clarion::db::now() - chrono::TimeDelta::days(31);
    diesel::update(signatures::table)
        .set(signatures::created_at.eq(long_ago))
        .execute(&mut app.conn())
        .unwrap();
    let page = html(&app.get_text(&path_of(&link), 410).await);
    assert_eq!(texts(&page, "h1"), ["This link has expired"]);
    assert_eq!(
        attrs(&page, "main a.button", "href"),
        [format!("/petitions/{PETITION}")]
    );
    assert_eq!(
        app.client
            .post(&link)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        410
    );
    assert_eq!(json_count(&app).await["signature_count"], 0);
}

#[actix_web::test]
async fn a_closed_petition_shows_no_form_and_refuses_signatures_with_410() {
    let app = TestApp::spawn().await;
    let hidden = app
        .hidden_fields(
            &format!("/petitions/{PETITION}"),
            &format!("/petitions/{PETITION}/sign"),
        )
        .await;
    let yesterday = clarion::db::now() - chrono::TimeDelta::days(1);
    for (status, deadline) in [("closed", None), ("open", Some(yesterday))] {
        diesel::update(actions::table.filter(actions::slug.eq(PETITION)))
            .set((actions::status.eq(status), actions::deadline.eq(deadline)))
            .execute(&mut app.conn())
            .unwrap();
        crate::helpers::after_copies_expire().await;
        let page = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
        assert!(texts(&page, "main")
            .join(" ")
            .contains("This petition is closed"));
        if let Some(deadline) = deadline {
            let on = format!("It closed on {}.", deadline.format("%-d %B %Y"));
            assert!(texts(&page, "p.closed-on")[0].starts_with(&on));
        }
        assert!(attrs(&page, "form.sign-form", "action").is_empty());
        assert!(attrs(
            &html(&app.get_text(ARTICLE, 200).await),
            "form.sign-form",
            "action"
        )
        .is_empty());
        let mut pairs: Vec<(&str, &str)> = hidden
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        pairs.extend(supporter("closed@example.org"));
        let response = app
            .post_form(&format!("/petitions/{PETITION}/sign"), &pairs)
            .await;
        assert_eq!(response.status().as_u16(), 410);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("This petition is closed"));
    }
    assert_eq!(stored_rows(&app), 0);
}

#[actix_web::test]
async fn staff_close_a_petition_with_an_outcome_that_its_page_shows_with_the_final_count() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    insert(
        &app,
        &[
            signature(&id, 1, "confirmed", "FR", "Sok", "", 1),
            signature(&id, 2, "confirmed", "KH", "Chan", "", 2),
        ],
    );
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let status = edit_form(&app, &staff, &format!("/admin/actions/{id}"), |pairs| {
        for (name, value) in pairs.iter_mut() {
            match name.as_str() {
                "status" => *value = "closed".into(),
                "outcome_md" => *value = "**Delivered** to the Parliament.".into(),
                _ => {}
            }
        }
    })
    .await;
    assert_eq!(status, 303);

    let page = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    let today = clarion::db::now().format("%-d %B %Y");
    assert_eq!(
        texts(&page, "p.closed-on"),
        [format!("It closed on {today}. 2 people signed it.")]
    );
    assert_eq!(texts(&page, ".outcome h2"), ["What happened next"]);
    assert_eq!(texts(&page, ".outcome strong"), ["Delivered"]);
}

#[actix_web::test]
async fn signing_again_with_an_equivalent_address_keeps_one_row_and_sends_at_most_three_emails() {
    let app = TestApp::spawn().await;
    let variants = [
        "sok.dara@gmail.com",
        "  SOK.DARA@GMAIL.COM ",
        "sokdara@googlemail.com",
        "s.o.k.dara+petition@gmail.com",
        "Sok.Dara+again@Gmail.com",
    ];
    for email in variants {
        let response = app.sign(PETITION, &supporter(email)).await;
        assert_eq!(response.status().as_u16(), 303, "{email}");
        assert!(location_path(&response).ends_with("/check-your-email"));
    }
    assert_eq!(stored_rows(&app), 1);
    assert_eq!(confirmation_emails(&app), 3);
}

#[actix_web::test]
async fn the_json_count_is_open_to_other_sites_and_unknown_slugs_get_a_json_404() {
    let app = TestApp::spawn().await;
    let response = app.get(&format!("/api/v1/petitions/{PETITION}")).await;
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
    let body: serde_json::Value = response.json().await.unwrap();
    for key in [
        "slug",
        "title",
        "goal",
        "signature_count",
        "by_country",
        "closes_at",
        "updated_at",
    ] {
        assert!(body.get(key).is_some(), "missing {key}");
    }
    let missing = app.get("/api/v1/petitions/no-such-petition").await;
    assert_eq!(missing.status().as_u16(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}
