//! Counting honestly under concurrency: one row per supporter, exact counters.

use clarion::db::schema::signatures;
use diesel::prelude::*;

use crate::helpers::smtp::Mode;
use crate::helpers::{
    app_with_smtp, confirmation_emails, futures_join_all, json_count, stored_rows, supporter,
    TestApp, PETITION,
};

#[actix_web::test]
async fn fifty_concurrent_signings_with_one_address_store_one_row_and_at_most_three_emails() {
    let app = TestApp::spawn().await;
    let form = app
        .hidden_fields(
            &format!("/petitions/{PETITION}"),
            &format!("/petitions/{PETITION}/sign"),
        )
        .await;
    let action = format!("/petitions/{PETITION}/sign");
    let requests = (0..50).map(|_| {
        let mut pairs: Vec<(&str, &str)> =
            form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        pairs.extend(supporter("same@example.org"));
        let request = app.client.post(app.url(&action)).form(&pairs);
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(stored_rows(&app), 1);
    assert!(confirmation_emails(&app) <= 3);
}

#[actix_web::test]
async fn counters_equal_the_real_counts_after_a_burst_of_concurrent_confirmations() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let countries = ["KH", "FR", "DE", "KH", "US", "FR"];
    let emails: Vec<String> = (0..30).map(|i| format!("burst{i}@example.org")).collect();
    for (i, email) in emails.iter().enumerate() {
        let mut fields = supporter(email);
        fields[3] = ("country", countries[i % countries.len()]);
        assert_eq!(app.sign(PETITION, &fields).await.status().as_u16(), 303);
    }
    let links: Vec<String> = smtp.wait_for(30).await.iter().map(|m| m.link()).collect();
    let client = app.client.clone();
    // Each link pressed twice at once, all together.
    let presses = links.iter().chain(links.iter()).map(|link| {
        let request = client.post(link);
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_join_all(presses).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");

    let count = json_count(&app).await;
    let confirmed: i64 = signatures::table
        .filter(signatures::status.eq("confirmed"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(confirmed, 30);
    assert_eq!(count["signature_count"], 30);
    assert_eq!(
        count["by_country"],
        serde_json::json!({"DE": 5, "FR": 10, "KH": 10, "US": 5})
    );
}
