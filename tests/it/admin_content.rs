//! Staff create and edit what the public sees.

use crate::admin::{add_staff, csrf, logged_in};
use crate::helpers::{attrs, html, texts, TestApp};

#[actix_web::test]
async fn staff_create_a_live_campaign_that_appears_on_the_home_page() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let token = csrf(&app, &client).await;
    let post = |pairs: Vec<(&'static str, String)>| {
        let mut all = pairs;
        all.push(("csrf", token.clone()));
        client.post(app.url("/admin/campaigns")).form(&all).send()
    };

    // Errors: 422, each beside its field, values kept.
    let response = post(vec![
        ("title", String::new()),
        ("slug", "Bad Slug".into()),
        ("summary", "Kept <b>".into()),
        ("status", "live".into()),
    ])
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let page = html(&response.text().await.unwrap());
    assert!(texts(&page, "title")[0].starts_with("Error:"));
    assert_eq!(texts(&page, "#title-error").len(), 1);
    assert_eq!(texts(&page, "#slug-error").len(), 1);
    assert_eq!(texts(&page, "#summary"), ["Kept <b>"]);

    let response = post(vec![
        ("title", "Justice for Sorn Dara's family".into()),
        ("slug", String::new()),
        ("summary", "<script>x</script>".into()),
        ("status", "live".into()),
    ])
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let list = html(
        &client
            .get(app.url("/admin/campaigns"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(texts(&list, "table.data td").contains(&"justice-for-sorn-dara-s-family".to_string()));
    let home = app.get_text("/", 200).await;
    assert!(
        home.contains("Justice for Sorn Dara&#39;s family")
            || home.contains("Justice for Sorn Dara's family")
    );
    assert!(!home.contains("<script>x"));

    // The same slug twice is refused with a message, not a 500.
    let again = post(vec![
        ("title", "Other".into()),
        ("slug", "justice-for-sorn-dara-s-family".into()),
        ("summary", String::new()),
        ("status", "live".into()),
    ])
    .await
    .unwrap();
    assert_eq!(again.status().as_u16(), 422);
    assert!(texts(&html(&again.text().await.unwrap()), "#slug-error")[0].contains("already"));

    // Editing: closing the campaign takes it off the home page.
    let edit = attrs(&list, "table.data a", "href").remove(0);
    let form = html(
        &client
            .get(app.url(&edit))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(
        attrs(&form, "#title", "value"),
        ["Justice for Sorn Dara's family"]
    );
    let response = client
        .post(app.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("title", "Justice for Sorn Dara's family"),
            ("slug", "sorn-dara"),
            ("summary", ""),
            ("status", "closed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert!(app
        .get_text("/", 200)
        .await
        .contains("There are no live campaigns"));
}
